-- What the tally job checks each record of the topics against, and where it keeps what it refused.
--
-- The tally job counts a vote only if the ledger holds that very vote, and a registration only if the
-- register holds that voter: whatever a writer puts on the topics, the tallies can then only add up to
-- the ledger. It asks for many records at once (flink-sql's livetally-ledger lookup), one array per key.

-- A record the tally job did not count, with where it was and why: undecodable records (bad framing,
-- unknown schema, wrong schema, a body that does not decode) and well-formed ones the ledger refutes.
-- Keyed by the record's place in its topic, so a replay after a restart writes the same row again.
CREATE TABLE rejected_records (
    source_topic     text NOT NULL,
    source_partition integer NOT NULL,
    source_offset    bigint NOT NULL,
    reason           text NOT NULL,
    detail           text NOT NULL,
    voter_id         text,
    vote_id          text,
    candidate_id     text,
    rejected_at      timestamptz NOT NULL,
    PRIMARY KEY (source_topic, source_partition, source_offset)
);

-- Every registration record is looked up here by voter id, a million for a million voters: a hash
-- probe reads two pages where the primary key's B-tree reads four. Batches of 400-2,000 voters as
-- registration wrote them, of 300,000, on the local stack's PostgreSQL: 2.9-3.7 µs a voter with it,
-- 5.6-8.3 µs without.
CREATE INDEX voters_voter_id_hash ON voters USING hash (voter_id);

-- For each (voter, candidate) pair as a vote on the topic names them: whether the voter is registered,
-- whether the candidate is on the ballot, and the vote the ledger holds for that voter, if any, with
-- its candidate's name. One row per pair asked; cast_at is UTC wall time, as the tally job reads it.
-- A vote the ledger holds is the ledger's, so the register and ballot are asked only about the others:
-- that spares most pairs two probes.
CREATE FUNCTION tally_votes_in_ledger(voter_ids text[], candidate_ids text[])
RETURNS TABLE (
    voter_id            text,
    candidate_id        text,
    registered          boolean,
    on_ballot           boolean,
    ledger_vote_id      text,
    ledger_candidate_id text,
    candidate_name      text,
    party               text,
    state               text,
    gender              text,
    age_band            text,
    cast_at             timestamp
)
LANGUAGE sql STABLE
AS $$
    SELECT k.voter_id, k.candidate_id,
           l.voter_id IS NOT NULL OR EXISTS (SELECT 1 FROM voters r WHERE r.voter_id = k.voter_id),
           l.candidate_id = k.candidate_id
               OR EXISTS (SELECT 1 FROM candidates c WHERE c.candidate_id = k.candidate_id),
           l.vote_id::text, l.candidate_id, lc.name, l.party, l.state, l.gender, l.age_band,
           l.cast_at AT TIME ZONE 'UTC'
    FROM unnest(voter_ids, candidate_ids) AS k(voter_id, candidate_id)
    LEFT JOIN votes l ON l.voter_id = k.voter_id
    LEFT JOIN candidates lc ON lc.candidate_id = l.candidate_id
$$;

-- The state of each voter asked for that the register holds; a voter it does not hold has no row.
-- A join with the array rather than voter_id = ANY (voter_ids): PostgreSQL checks each row it finds
-- against the whole array again, which made a batch of 2,000 cost eight times one of 400 per voter.
CREATE FUNCTION tally_voters_in_register(voter_ids text[])
RETURNS TABLE (voter_id text, state text)
LANGUAGE sql STABLE
AS $$
    SELECT r.voter_id, r.state
    FROM unnest(voter_ids) AS k(voter_id)
    JOIN voters r ON r.voter_id = k.voter_id
$$;
