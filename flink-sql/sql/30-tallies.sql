-- The tallies, over what the checks counted (25-checks.sql). One idea per statement; all INSERTs run as
-- one job (one statement set). Every tally only grows: each is an aggregation of rows that are only
-- ever added, so no tally row is ever retracted, and no key of the aggregated topics gets a tombstone.

-- Votes per candidate, with the name and party the ledger gives them. Grouping by the id alone keeps
-- the group key the sinks' key; the name and party are the same on every vote for a candidate.
CREATE TEMPORARY VIEW candidate_tally AS
SELECT candidate_id, MAX(candidate_name) AS candidate_name, MAX(party) AS party, COUNT(*) AS votes
FROM counted_votes
GROUP BY candidate_id;

-- Registered voters and votes per state in one aggregation over both, rather than a join of two: a
-- join would retract a state's row with no votes yet when its first vote arrives, which the compacted
-- topic would carry as a tombstone. Nothing filters the aggregation's rows either: a filter would need
-- each update's retraction, which upsert-kafka also writes as a tombstone. A vote may be counted before
-- its voter's registration record is read, so until the registrations catch up a state can show more
-- votes than voters: turnout is capped at 9999.99 %, the column's widest, and a state with no voter read
-- yet shows that cap.
CREATE TEMPORARY VIEW state_turnout AS
SELECT state, registered, votes,
       CAST(CASE WHEN registered = 0 THEN 9999.99
                 ELSE LEAST(100.0 * votes / registered, 9999.99) END AS DECIMAL(6, 2)) AS turnout_pct
FROM (
    SELECT state, SUM(registration) AS registered, SUM(vote) AS votes
    FROM (
        SELECT state, CAST(1 AS BIGINT) AS registration, CAST(0 AS BIGINT) AS vote FROM registered_voters
        UNION ALL
        SELECT state, CAST(0 AS BIGINT), CAST(1 AS BIGINT) FROM counted_votes
    )
    GROUP BY state
);

INSERT INTO tally_by_candidate_sink
SELECT candidate_id, candidate_name, party, votes, LOCALTIMESTAMP FROM candidate_tally;

INSERT INTO aggregated_votes_per_candidate
SELECT candidate_id, candidate_name, party, votes FROM candidate_tally;

INSERT INTO tally_by_party_sink
SELECT party, COUNT(*), LOCALTIMESTAMP FROM counted_votes GROUP BY party;

INSERT INTO turnout_by_state_sink
SELECT state, registered, votes, turnout_pct, LOCALTIMESTAMP FROM state_turnout;

INSERT INTO aggregated_turnout_by_location
SELECT state, registered, votes, turnout_pct FROM state_turnout;

INSERT INTO tally_by_gender_sink
SELECT gender, COUNT(*), LOCALTIMESTAMP FROM counted_votes GROUP BY gender;

INSERT INTO tally_by_age_band_sink
SELECT age_band, COUNT(*), LOCALTIMESTAMP FROM counted_votes GROUP BY age_band;

-- One-minute tumbling buckets of casting time, kept as a continuous aggregation rather than a TUMBLE
-- window: the current minute updates live, and a late vote still lands in its own minute.
INSERT INTO votes_per_minute_sink
SELECT FLOOR(cast_at TO MINUTE), COUNT(*), LOCALTIMESTAMP
FROM counted_votes
GROUP BY FLOOR(cast_at TO MINUTE);

-- The leader in each state: the candidate with the most votes there (ties go to the lower id). The
-- ranking is the last step and its key, the state, is the sink's key: the sink then takes each
-- state's leader in order and needs no upsert materializer, which would keep every leader row it had
-- seen (LOCALTIMESTAMP makes each retraction differ from the row it retracts, so none would match).
INSERT INTO leader_by_state_sink
SELECT state, candidate_id, candidate_name, party, votes, LOCALTIMESTAMP
FROM (
    SELECT state, candidate_id, candidate_name, party, votes,
           ROW_NUMBER() OVER (PARTITION BY state ORDER BY votes DESC, candidate_id ASC) AS place
    FROM (
        SELECT state, candidate_id, MAX(candidate_name) AS candidate_name, MAX(party) AS party,
               COUNT(*) AS votes
        FROM counted_votes
        GROUP BY state, candidate_id
    )
)
WHERE place = 1;
