-- Sinks. Each PostgreSQL result table (schemas/migrations/003_tallies.sql) is written in upsert mode
-- on its primary key, so a row replayed after a restart overwrites itself instead of adding up.
-- updated_at is TIMESTAMP(3) in UTC: the JDBC connector cannot write TIMESTAMP_LTZ.

-- What every PostgreSQL sink shares: the database (JDBC_URL names the election's schema as
-- currentSchema, so the tables below are the election's own), and flushes every tenth of a second (or every
-- thousand rows), the same wait as the mini-batches' (10-sources.sql), both adding to a tally's delay.
CREATE TEMPORARY TABLE result_table WITH (
    'connector' = 'jdbc',
    'url' = '${JDBC_URL}',
    'username' = '${JDBC_USER}',
    'password' = '${JDBC_PASSWORD}',
    'sink.buffer-flush.interval' = '100ms',
    'sink.buffer-flush.max-rows' = '1000',
    'sink.max-retries' = '5'
);

-- Votes per candidate, with the candidate's name and party.
CREATE TABLE tally_by_candidate_sink (
    candidate_id   STRING NOT NULL,
    candidate_name STRING NOT NULL,
    party          STRING NOT NULL,
    votes          BIGINT NOT NULL,
    updated_at     TIMESTAMP(3) NOT NULL,
    PRIMARY KEY (candidate_id) NOT ENFORCED
) WITH ('table-name' = 'tally_by_candidate') LIKE result_table;

-- Votes per party.
CREATE TABLE tally_by_party_sink (
    party      STRING NOT NULL,
    votes      BIGINT NOT NULL,
    updated_at TIMESTAMP(3) NOT NULL,
    PRIMARY KEY (party) NOT ENFORCED
) WITH ('table-name' = 'tally_by_party') LIKE result_table;

-- Registered voters, votes and turnout per state.
CREATE TABLE turnout_by_state_sink (
    state       STRING NOT NULL,
    registered  BIGINT NOT NULL,
    votes       BIGINT NOT NULL,
    turnout_pct DECIMAL(6, 2) NOT NULL,
    updated_at  TIMESTAMP(3) NOT NULL,
    PRIMARY KEY (state) NOT ENFORCED
) WITH ('table-name' = 'turnout_by_state') LIKE result_table;

-- Votes per gender of the voter.
CREATE TABLE tally_by_gender_sink (
    gender     STRING NOT NULL,
    votes      BIGINT NOT NULL,
    updated_at TIMESTAMP(3) NOT NULL,
    PRIMARY KEY (gender) NOT ENFORCED
) WITH ('table-name' = 'tally_by_gender') LIKE result_table;

-- Votes per age band of the voter.
CREATE TABLE tally_by_age_band_sink (
    age_band   STRING NOT NULL,
    votes      BIGINT NOT NULL,
    updated_at TIMESTAMP(3) NOT NULL,
    PRIMARY KEY (age_band) NOT ENFORCED
) WITH ('table-name' = 'tally_by_age_band') LIKE result_table;

-- Votes per minute of casting time.
CREATE TABLE votes_per_minute_sink (
    minute_start TIMESTAMP(3) NOT NULL,
    votes        BIGINT NOT NULL,
    updated_at   TIMESTAMP(3) NOT NULL,
    PRIMARY KEY (minute_start) NOT ENFORCED
) WITH ('table-name' = 'votes_per_minute') LIKE result_table;

-- The leading candidate in each state.
CREATE TABLE leader_by_state_sink (
    state          STRING NOT NULL,
    candidate_id   STRING NOT NULL,
    candidate_name STRING NOT NULL,
    party          STRING NOT NULL,
    votes          BIGINT NOT NULL,
    updated_at     TIMESTAMP(3) NOT NULL,
    PRIMARY KEY (state) NOT ENFORCED
) WITH ('table-name' = 'leader_by_state') LIKE result_table;

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
) WITH ('table-name' = 'rejected_records') LIKE result_table;

-- The same tallies for downstream consumers, on compacted topics under the prototype's names (after the
-- election's, as every topic of an election: schemas/election/names.ts), keyed by
-- candidate id and by state; the value schema is registered by the sink itself. The tallies feeding
-- them only ever grow (30-tallies.sql), so no key ever gets a tombstone.
CREATE TEMPORARY TABLE compacted_topic WITH (
    'connector' = 'upsert-kafka',
    'properties.bootstrap.servers' = '${KAFKA_BOOTSTRAP_SERVERS}',
    'properties.security.protocol' = '${KAFKA_SECURITY_PROTOCOL}',
    'properties.sasl.mechanism' = '${KAFKA_SASL_MECHANISM}',
    'properties.sasl.jaas.config' = '${KAFKA_SASL_JAAS_CONFIG}',
    'key.format' = 'raw',
    'value.format' = 'avro-confluent',
    'value.avro-confluent.url' = '${SCHEMA_REGISTRY_URL}',
    'value.fields-include' = 'ALL'
);

CREATE TABLE aggregated_votes_per_candidate (
    candidate_id   STRING NOT NULL,
    candidate_name STRING NOT NULL,
    party          STRING NOT NULL,
    votes          BIGINT NOT NULL,
    PRIMARY KEY (candidate_id) NOT ENFORCED
) WITH ('topic' = '${VOTES_PER_CANDIDATE_TOPIC}') LIKE compacted_topic;

CREATE TABLE aggregated_turnout_by_location (
    state       STRING NOT NULL,
    registered  BIGINT NOT NULL,
    votes       BIGINT NOT NULL,
    turnout_pct DECIMAL(6, 2) NOT NULL,
    PRIMARY KEY (state) NOT ENFORCED
) WITH ('topic' = '${TURNOUT_BY_LOCATION_TOPIC}') LIKE compacted_topic;
