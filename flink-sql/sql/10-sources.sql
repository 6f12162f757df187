-- Sources: the two topics the services write, as Avro through the schema registry, and the ledger
-- the tally job checks them against.
-- Every ${NAME} is filled from the environment by the SQL runner.

-- Checkpoints make the counts and the Kafka offsets they were computed from one consistent state, so a
-- restarted job resumes exactly where its last checkpoint left off.
SET 'execution.checkpointing.interval' = '${FLINK_CHECKPOINT_INTERVAL}';
SET 'execution.checkpointing.mode' = 'EXACTLY_ONCE';
SET 'execution.checkpointing.externalized-checkpoint-retention' = 'RETAIN_ON_CANCELLATION';
-- One tally job per election, named after it (schemas/election/names.ts), as are its group and topics.
SET 'pipeline.name' = '${TALLY_JOB}';
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
-- Every vote and registration is checked against the ledger (30-checks.sql) by lookups that run while
-- the job goes on reading: a couple of thousand may be in flight, so that each query asks for hundreds
-- of keys rather than one, and the order they complete in does not matter to the counts.
SET 'table.exec.async-lookup.buffer-capacity' = '2000';
SET 'table.exec.async-lookup.output-mode' = 'ALLOW_UNORDERED';

-- What the two topics' sources share: the cluster and the credentials, the tally job's consumer
-- group, each topic from its first record, and Confluent-framed Avro read through the registry by the
-- livetally-avro format, which turns a record it cannot read into a row with only its rejection set
-- instead of stopping the job.
CREATE TEMPORARY TABLE topic_source WITH (
    'connector' = 'kafka',
    'properties.bootstrap.servers' = '${KAFKA_BOOTSTRAP_SERVERS}',
    'properties.group.id' = '${TALLY_GROUP}',
    'properties.security.protocol' = '${KAFKA_SECURITY_PROTOCOL}',
    'properties.sasl.mechanism' = '${KAFKA_SASL_MECHANISM}',
    'properties.sasl.jaas.config' = '${KAFKA_SASL_JAAS_CONFIG}',
    'scan.startup.mode' = 'earliest-offset',
    'format' = 'livetally-avro',
    'livetally-avro.url' = '${SCHEMA_REGISTRY_URL}'
);

-- Votes as the topic delivers them. Every data column may be null (a record that cannot be read has
-- none), and the last two say why not. Where a record sits in the topic comes with it, for the rejected
-- records (25-checks.sql).
CREATE TABLE votes (
    vote_id          STRING,
    voter_id         STRING,
    candidate_id     STRING,
    party            STRING,
    state            STRING,
    gender           STRING,
    age_band         STRING,
    cast_at          TIMESTAMP(3),
    rejection        STRING,
    rejection_detail STRING,
    source_partition INT METADATA FROM 'partition' VIRTUAL,
    source_offset    BIGINT METADATA FROM 'offset' VIRTUAL,
    arrived_at       AS PROCTIME()
) WITH ('topic' = '${VOTES_TOPIC}') LIKE topic_source;

-- The register as registration announced it, one record per voter (a registration that crashed and
-- resumed may announce a batch twice). Only the voter id and state are read: the Avro reader skips
-- every other field, and a record without these two does not resolve and is rejected.
CREATE TABLE voters (
    voter_id         STRING,
    address          ROW<state STRING>,
    rejection        STRING,
    rejection_detail STRING,
    source_partition INT METADATA FROM 'partition' VIRTUAL,
    source_offset    BIGINT METADATA FROM 'offset' VIRTUAL,
    arrived_at       AS PROCTIME()
) WITH ('topic' = '${VOTERS_TOPIC}') LIKE topic_source;

-- What both lookups into the ledger share: the database, and the livetally-ledger connector, which asks
-- for the keys of hundreds of records in one query, up to two queries at a time.
CREATE TEMPORARY TABLE ledger WITH (
    'connector' = 'livetally-ledger',
    'url' = '${JDBC_URL}',
    'username' = '${JDBC_USER}',
    'password' = '${JDBC_PASSWORD}',
    'batch.size' = '2000',
    'batch.linger' = '25 ms'
);

-- The ledger, as the checks ask it about a vote the topic delivered: whether its voter is registered,
-- whether its candidate is on the ballot, and the vote the ledger holds for that voter, with the
-- candidate's name (tally_votes_in_ledger, schemas/migrations/009_ledger_checks.sql).
CREATE TABLE ledger_votes (
    voter_id            STRING,
    candidate_id        STRING,
    registered          BOOLEAN,
    on_ballot           BOOLEAN,
    ledger_vote_id      STRING,
    ledger_candidate_id STRING,
    candidate_name      STRING,
    party               STRING,
    state               STRING,
    gender              STRING,
    age_band            STRING,
    cast_at             TIMESTAMP(3)
) WITH ('query' = 'SELECT * FROM tally_votes_in_ledger(?, ?)') LIKE ledger;

-- The register, as the checks ask it about a registration the topic delivered: the voter's state, for
-- the voters it holds (tally_voters_in_register).
CREATE TABLE register (
    voter_id STRING,
    state    STRING
) WITH ('query' = 'SELECT * FROM tally_voters_in_register(?)') LIKE ledger;
