-- The live results, upserted by the Flink SQL job (flink-sql/) through its JDBC sink. Each table's
-- primary key is the sink's upsert key. updated_at is when Flink last changed the row.

CREATE TABLE tally_by_candidate (
    candidate_id   text PRIMARY KEY,
    candidate_name text NOT NULL,
    party          text NOT NULL,
    votes          bigint NOT NULL,
    updated_at     timestamptz NOT NULL
);

CREATE TABLE tally_by_party (
    party      text PRIMARY KEY,
    votes      bigint NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE TABLE turnout_by_state (
    state       text PRIMARY KEY,
    registered  bigint NOT NULL,
    votes       bigint NOT NULL,
    turnout_pct numeric(6, 2) NOT NULL,
    updated_at  timestamptz NOT NULL
);

CREATE TABLE tally_by_gender (
    gender     text PRIMARY KEY,
    votes      bigint NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE TABLE tally_by_age_band (
    age_band   text PRIMARY KEY,
    votes      bigint NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE TABLE votes_per_minute (
    minute_start timestamp NOT NULL PRIMARY KEY,
    votes        bigint NOT NULL,
    updated_at   timestamptz NOT NULL
);

CREATE TABLE leader_by_state (
    state          text PRIMARY KEY,
    candidate_id   text NOT NULL,
    candidate_name text NOT NULL,
    party          text NOT NULL,
    votes          bigint NOT NULL,
    updated_at     timestamptz NOT NULL
);
