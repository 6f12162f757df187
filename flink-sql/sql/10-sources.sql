-- Sources: the three topics the services write, as Avro through the schema registry.
-- Every ${NAME} is filled from the environment by the SQL runner.

-- Checkpoints make the counts and the Kafka offsets they were computed from one consistent state, so a
-- restarted job resumes exactly where its last checkpoint left off.
SET 'execution.checkpointing.interval' = '${FLINK_CHECKPOINT_INTERVAL}';
SET 'execution.checkpointing.mode' = 'EXACTLY_ONCE';
SET 'execution.checkpointing.externalized-checkpoint-retention' = 'RETAIN_ON_CANCELLATION';
SET 'pipeline.name' = 'livetally-tallies';
-- Times are UTC end to end: LOCALTIMESTAMP below is written to timestamptz columns.
SET 'table.local-time-zone' = 'UTC';
-- Chained operators hand rows to each other without a defensive copy: the SQL operators never keep or
-- change a row they were given, and the copies were about a third of the job's CPU time.
SET 'pipeline.object-reuse' = 'true';
-- Small state updates are batched for a moment before they reach the sinks. A tenth of a second, as
-- the sinks' flush interval (20-sinks.sql): both waits add to every tally's delay behind its votes.
-- At 200 ms each, make bench-e2e on a fresh stack saw freshness p50 of about 500 ms and p99 up to
-- 1.88 s against the 2 s target; at 100 ms, about 390 ms and 1.02-1.35 s (seven runs).
SET 'table.exec.mini-batch.enabled' = 'true';
SET 'table.exec.mini-batch.allow-latency' = '100 ms';
SET 'table.exec.mini-batch.size' = '5000';

-- Votes as cast. Event time is the moment of casting; a vote may arrive up to 5 seconds behind the
-- newest one seen and still be on time.
CREATE TABLE votes (
    vote_id      STRING NOT NULL,
    voter_id     STRING NOT NULL,
    candidate_id STRING NOT NULL,
    party        STRING NOT NULL,
    state        STRING NOT NULL,
    gender       STRING NOT NULL,
    age_band     STRING NOT NULL,
    cast_at      TIMESTAMP(3) NOT NULL,
    arrived_at   AS PROCTIME(),
    WATERMARK FOR cast_at AS cast_at - INTERVAL '5' SECOND
) WITH (
    'connector' = 'kafka',
    'topic' = 'votes',
    'properties.bootstrap.servers' = '${KAFKA_BOOTSTRAP_SERVERS}',
    'properties.group.id' = 'livetally-tallies',
    'properties.security.protocol' = '${KAFKA_SECURITY_PROTOCOL}',
    'properties.sasl.mechanism' = '${KAFKA_SASL_MECHANISM}',
    'properties.sasl.jaas.config' = '${KAFKA_SASL_JAAS_CONFIG}',
    'scan.startup.mode' = 'earliest-offset',
    'format' = 'avro-confluent',
    'avro-confluent.url' = '${SCHEMA_REGISTRY_URL}'
);

-- The register as registration produced it, one record per voter. A registration that crashed and
-- resumed may have produced a batch twice; the tallies keep each voter's first record, as the voters
-- table does. Only the state is read: the Avro reader skips every other field.
CREATE TABLE voters (
    voter_id   STRING NOT NULL,
    address    ROW<state STRING NOT NULL> NOT NULL,
    arrived_at AS PROCTIME()
) WITH (
    'connector' = 'kafka',
    'topic' = 'voters',
    'properties.bootstrap.servers' = '${KAFKA_BOOTSTRAP_SERVERS}',
    'properties.group.id' = 'livetally-tallies',
    'properties.security.protocol' = '${KAFKA_SECURITY_PROTOCOL}',
    'properties.sasl.mechanism' = '${KAFKA_SASL_MECHANISM}',
    'properties.sasl.jaas.config' = '${KAFKA_SASL_JAAS_CONFIG}',
    'scan.startup.mode' = 'earliest-offset',
    'format' = 'avro-confluent',
    'avro-confluent.url' = '${SCHEMA_REGISTRY_URL}'
);

-- The candidates on the ballot, keyed by candidate id.
CREATE TABLE candidates (
    candidate_id STRING NOT NULL,
    name         STRING NOT NULL,
    party        STRING NOT NULL,
    PRIMARY KEY (candidate_id) NOT ENFORCED
) WITH (
    'connector' = 'upsert-kafka',
    'topic' = 'candidates',
    'properties.bootstrap.servers' = '${KAFKA_BOOTSTRAP_SERVERS}',
    'properties.group.id' = 'livetally-tallies',
    'properties.security.protocol' = '${KAFKA_SECURITY_PROTOCOL}',
    'properties.sasl.mechanism' = '${KAFKA_SASL_MECHANISM}',
    'properties.sasl.jaas.config' = '${KAFKA_SASL_JAAS_CONFIG}',
    'key.format' = 'raw',
    'value.format' = 'avro-confluent',
    'value.avro-confluent.url' = '${SCHEMA_REGISTRY_URL}',
    'value.fields-include' = 'EXCEPT_KEY'
);
