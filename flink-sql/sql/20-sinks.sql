-- Sinks. Each PostgreSQL result table (schemas/migrations/003_tallies.sql) is written in upsert mode
-- on its primary key, so a row replayed after a restart overwrites itself instead of adding up.
-- updated_at is TIMESTAMP(3) in UTC: the JDBC connector cannot write TIMESTAMP_LTZ.

-- Votes per candidate, with the candidate's name and party.
CREATE TABLE tally_by_candidate_sink (
    candidate_id   STRING NOT NULL,
    candidate_name STRING NOT NULL,
    party          STRING NOT NULL,
    votes          BIGINT NOT NULL,
    updated_at     TIMESTAMP(3) NOT NULL,
    PRIMARY KEY (candidate_id) NOT ENFORCED
) WITH (
    'connector' = 'jdbc',
    'url' = '${JDBC_URL}',
    'username' = '${JDBC_USER}',
    'password' = '${JDBC_PASSWORD}',
    'table-name' = 'tally_by_candidate',
    'sink.buffer-flush.interval' = '100ms',
    'sink.buffer-flush.max-rows' = '1000',
    'sink.max-retries' = '5'
);

-- Votes per party.
CREATE TABLE tally_by_party_sink (
    party      STRING NOT NULL,
    votes      BIGINT NOT NULL,
    updated_at TIMESTAMP(3) NOT NULL,
    PRIMARY KEY (party) NOT ENFORCED
) WITH (
    'connector' = 'jdbc',
    'url' = '${JDBC_URL}',
    'username' = '${JDBC_USER}',
    'password' = '${JDBC_PASSWORD}',
    'table-name' = 'tally_by_party',
    'sink.buffer-flush.interval' = '100ms',
    'sink.buffer-flush.max-rows' = '1000',
    'sink.max-retries' = '5'
);

-- Registered voters, votes and turnout per state.
CREATE TABLE turnout_by_state_sink (
    state       STRING NOT NULL,
    registered  BIGINT NOT NULL,
    votes       BIGINT NOT NULL,
    turnout_pct DECIMAL(6, 2) NOT NULL,
    updated_at  TIMESTAMP(3) NOT NULL,
    PRIMARY KEY (state) NOT ENFORCED
) WITH (
    'connector' = 'jdbc',
    'url' = '${JDBC_URL}',
    'username' = '${JDBC_USER}',
    'password' = '${JDBC_PASSWORD}',
    'table-name' = 'turnout_by_state',
    'sink.buffer-flush.interval' = '100ms',
    'sink.buffer-flush.max-rows' = '1000',
    'sink.max-retries' = '5'
);

-- Votes per gender of the voter.
CREATE TABLE tally_by_gender_sink (
    gender     STRING NOT NULL,
    votes      BIGINT NOT NULL,
    updated_at TIMESTAMP(3) NOT NULL,
    PRIMARY KEY (gender) NOT ENFORCED
) WITH (
    'connector' = 'jdbc',
    'url' = '${JDBC_URL}',
    'username' = '${JDBC_USER}',
    'password' = '${JDBC_PASSWORD}',
    'table-name' = 'tally_by_gender',
    'sink.buffer-flush.interval' = '100ms',
    'sink.buffer-flush.max-rows' = '1000',
    'sink.max-retries' = '5'
);

-- Votes per age band of the voter.
CREATE TABLE tally_by_age_band_sink (
    age_band   STRING NOT NULL,
    votes      BIGINT NOT NULL,
    updated_at TIMESTAMP(3) NOT NULL,
    PRIMARY KEY (age_band) NOT ENFORCED
) WITH (
    'connector' = 'jdbc',
    'url' = '${JDBC_URL}',
    'username' = '${JDBC_USER}',
    'password' = '${JDBC_PASSWORD}',
    'table-name' = 'tally_by_age_band',
    'sink.buffer-flush.interval' = '100ms',
    'sink.buffer-flush.max-rows' = '1000',
    'sink.max-retries' = '5'
);

-- Votes per minute of casting time.
CREATE TABLE votes_per_minute_sink (
    minute_start TIMESTAMP(3) NOT NULL,
    votes        BIGINT NOT NULL,
    updated_at   TIMESTAMP(3) NOT NULL,
    PRIMARY KEY (minute_start) NOT ENFORCED
) WITH (
    'connector' = 'jdbc',
    'url' = '${JDBC_URL}',
    'username' = '${JDBC_USER}',
    'password' = '${JDBC_PASSWORD}',
    'table-name' = 'votes_per_minute',
    'sink.buffer-flush.interval' = '100ms',
    'sink.buffer-flush.max-rows' = '1000',
    'sink.max-retries' = '5'
);

-- The leading candidate in each state.
CREATE TABLE leader_by_state_sink (
    state          STRING NOT NULL,
    candidate_id   STRING NOT NULL,
    candidate_name STRING NOT NULL,
    party          STRING NOT NULL,
    votes          BIGINT NOT NULL,
    updated_at     TIMESTAMP(3) NOT NULL,
    PRIMARY KEY (state) NOT ENFORCED
) WITH (
    'connector' = 'jdbc',
    'url' = '${JDBC_URL}',
    'username' = '${JDBC_USER}',
    'password' = '${JDBC_PASSWORD}',
    'table-name' = 'leader_by_state',
    'sink.buffer-flush.interval' = '100ms',
    'sink.buffer-flush.max-rows' = '1000',
    'sink.max-retries' = '5'
);

-- The records the tally job did not count, with where they were and why (25-checks.sql), keyed by
-- their place in the topic: a replay after a restart writes each one again, over itself.
CREATE TABLE rejected_records_sink (
    source_topic     STRING NOT NULL,
    source_partition INT NOT NULL,
    source_offset    BIGINT NOT NULL,
    reason           STRING NOT NULL,
    detail           STRING NOT NULL,
    voter_id         STRING,
    vote_id          STRING,
    candidate_id     STRING,
    rejected_at      TIMESTAMP(3) NOT NULL,
    PRIMARY KEY (source_topic, source_partition, source_offset) NOT ENFORCED
) WITH (
    'connector' = 'jdbc',
    'url' = '${JDBC_URL}',
    'username' = '${JDBC_USER}',
    'password' = '${JDBC_PASSWORD}',
    'table-name' = 'rejected_records',
    'sink.buffer-flush.interval' = '100ms',
    'sink.buffer-flush.max-rows' = '1000',
    'sink.max-retries' = '5'
);

-- The same tallies for downstream consumers, on compacted topics under the prototype's names.
-- Keyed by candidate id (and by state below); the value schema is registered by the sink itself. The
-- tallies feeding them only ever grow (30-tallies.sql), so no key ever gets a tombstone.
CREATE TABLE aggregated_votes_per_candidate (
    candidate_id   STRING NOT NULL,
    candidate_name STRING NOT NULL,
    party          STRING NOT NULL,
    votes          BIGINT NOT NULL,
    PRIMARY KEY (candidate_id) NOT ENFORCED
) WITH (
    'connector' = 'upsert-kafka',
    'topic' = 'aggregated_votes_per_candidate',
    'properties.bootstrap.servers' = '${KAFKA_BOOTSTRAP_SERVERS}',
    'properties.security.protocol' = '${KAFKA_SECURITY_PROTOCOL}',
    'properties.sasl.mechanism' = '${KAFKA_SASL_MECHANISM}',
    'properties.sasl.jaas.config' = '${KAFKA_SASL_JAAS_CONFIG}',
    'key.format' = 'raw',
    'value.format' = 'avro-confluent',
    'value.avro-confluent.url' = '${SCHEMA_REGISTRY_URL}',
    'value.fields-include' = 'ALL'
);

CREATE TABLE aggregated_turnout_by_location (
    state       STRING NOT NULL,
    registered  BIGINT NOT NULL,
    votes       BIGINT NOT NULL,
    turnout_pct DECIMAL(6, 2) NOT NULL,
    PRIMARY KEY (state) NOT ENFORCED
) WITH (
    'connector' = 'upsert-kafka',
    'topic' = 'aggregated_turnout_by_location',
    'properties.bootstrap.servers' = '${KAFKA_BOOTSTRAP_SERVERS}',
    'properties.security.protocol' = '${KAFKA_SECURITY_PROTOCOL}',
    'properties.sasl.mechanism' = '${KAFKA_SASL_MECHANISM}',
    'properties.sasl.jaas.config' = '${KAFKA_SASL_JAAS_CONFIG}',
    'key.format' = 'raw',
    'value.format' = 'avro-confluent',
    'value.avro-confluent.url' = '${SCHEMA_REGISTRY_URL}',
    'value.fields-include' = 'ALL'
);
