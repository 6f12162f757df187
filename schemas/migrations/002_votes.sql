-- The ledger of votes: the primary key on voter_id is what makes a second vote by the same voter
-- impossible, whatever the services do.

CREATE TABLE votes (
    voter_id     text PRIMARY KEY REFERENCES voters (voter_id),
    vote_id      uuid NOT NULL UNIQUE,
    candidate_id text NOT NULL REFERENCES candidates (candidate_id),
    party        text NOT NULL,
    state        text NOT NULL,
    gender       text NOT NULL,
    age_band     text NOT NULL,
    cast_at      timestamptz NOT NULL,
    -- When the vote was committed, for measuring how fresh the streamed tallies are.
    recorded_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE INDEX votes_candidate_idx ON votes (candidate_id);
