-- The tallies. One idea per statement; all INSERTs run as one job (one statement set).

-- Each voter counts once: the first vote seen for a voter wins, and any redelivery of it (same voter,
-- same vote id) is dropped here, before anything is counted. Ordering by arrival keeps the result
-- append-only, which is what the counts below need to stay cheap.
CREATE TEMPORARY VIEW counted_votes AS
SELECT vote_id, voter_id, candidate_id, party, state, gender, age_band, cast_at
FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY voter_id ORDER BY arrived_at ASC) AS arrival
    FROM votes
)
WHERE arrival = 1;

-- Each voter is registered once, in the state of their first record. Keeping the first row leaves only
-- a flag per voter in state and an append-only stream, where a changelog of the register would keep
-- every voter's whole row and send retractions downstream.
CREATE TEMPORARY VIEW registered_voters AS
SELECT voter_id, state
FROM (
    SELECT voter_id, address.state AS state,
           ROW_NUMBER() OVER (PARTITION BY voter_id ORDER BY arrived_at ASC) AS arrival
    FROM voters
)
WHERE arrival = 1;

-- Votes per candidate, named from the candidates topic.
CREATE TEMPORARY VIEW candidate_tally AS
SELECT v.candidate_id, c.name AS candidate_name, c.party, v.votes
FROM (SELECT candidate_id, COUNT(*) AS votes FROM counted_votes GROUP BY candidate_id) AS v
JOIN candidates AS c ON c.candidate_id = v.candidate_id;

-- Registered voters and votes per state; a state with voters but no votes yet shows 0 %.
CREATE TEMPORARY VIEW state_turnout AS
SELECT r.state,
       r.registered,
       COALESCE(v.votes, 0) AS votes,
       CAST(100.0 * COALESCE(v.votes, 0) / r.registered AS DECIMAL(6, 2)) AS turnout_pct
FROM (SELECT state, COUNT(*) AS registered FROM registered_voters GROUP BY state) AS r
LEFT JOIN (SELECT state, COUNT(*) AS votes FROM counted_votes GROUP BY state) AS v
    ON v.state = r.state;

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
-- candidates' names are joined before the ranking, so the ranking is the last step and its key, the
-- state, is the sink's key: the sink then takes each state's leader in order and needs no upsert
-- materializer, which kept every leader row it had seen (LOCALTIMESTAMP makes each retraction differ
-- from the row it retracts, so none ever matched) and rescanned them on every change.
INSERT INTO leader_by_state_sink
SELECT state, candidate_id, name, party, votes, LOCALTIMESTAMP
FROM (
    SELECT s.state, s.candidate_id, c.name, c.party, s.votes,
           ROW_NUMBER() OVER (PARTITION BY s.state ORDER BY s.votes DESC, s.candidate_id ASC) AS place
    FROM (SELECT state, candidate_id, COUNT(*) AS votes FROM counted_votes GROUP BY state, candidate_id) AS s
    JOIN candidates AS c ON c.candidate_id = s.candidate_id
)
WHERE place = 1;
