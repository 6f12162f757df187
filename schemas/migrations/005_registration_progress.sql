-- How far registration has published each seed's electorate to the voters topic. Voters are written to
-- PostgreSQL before they are produced (the voting service must find every voter it consumes in the
-- register), so this checkpoint is what lets a rerun add nothing and a crashed run resume its last batch.

CREATE TABLE registration_progress (
    seed             bigint PRIMARY KEY,
    voters_published integer NOT NULL CHECK (voters_published >= 0),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
