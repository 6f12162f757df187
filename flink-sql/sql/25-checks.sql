-- The checks. Nothing on a topic is counted on its word: a record that cannot be read, a vote the
-- ledger does not hold and a registration the register does not hold are each kept, with the reason,
-- in rejected_records and counted in the rejectedRecords metric, and the job goes on.

-- Counts each rejection by reason as it is written (io.livetally.flink.CountRejection).
CREATE TEMPORARY FUNCTION count_rejection AS 'io.livetally.flink.CountRejection';

-- Each vote the topic delivers against the ledger. What the tallies count is the ledger's copy of the
-- vote, never the topic's: whatever a writer puts on the topic, the tallies can only add up to the
-- ledger. A vote counts when the ledger holds this very vote (its id and candidate) for its voter;
-- otherwise the first reason that applies is kept.
CREATE TEMPORARY VIEW checked_votes AS
SELECT v.vote_id, v.voter_id, v.candidate_id, v.source_partition, v.source_offset,
       v.arrived_at,
       CASE
           WHEN l.on_ballot IS NOT TRUE THEN 'unknown-candidate'
           WHEN l.registered IS NOT TRUE THEN 'unknown-voter'
           WHEN l.ledger_vote_id IS NULL THEN 'not-in-ledger'
           WHEN l.ledger_vote_id <> v.vote_id THEN 'second-vote'
           WHEN l.ledger_candidate_id <> v.candidate_id THEN 'altered-vote'
       END AS rejection,
       l.ledger_vote_id, l.ledger_candidate_id, l.candidate_name, l.party, l.state, l.gender,
       l.age_band, l.cast_at
FROM votes AS v
JOIN ledger_votes FOR SYSTEM_TIME AS OF v.arrived_at AS l
    ON l.voter_id = v.voter_id AND l.candidate_id = v.candidate_id
WHERE v.rejection IS NULL;

-- The votes that count, as the ledger holds them, each voter's once: a vote the voting service produced
-- again after a restart is the same vote, and only its first delivery counts.
CREATE TEMPORARY VIEW counted_votes AS
SELECT voter_id, ledger_candidate_id AS candidate_id, candidate_name, party, state, gender, age_band, cast_at
FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY voter_id ORDER BY arrived_at ASC) AS delivery
    FROM checked_votes
    WHERE rejection IS NULL
)
WHERE delivery = 1;

-- Each registration the topic delivers against the register, which says in which state the voter
-- counts: a record for a registered voter with another state in it counts where the register says.
CREATE TEMPORARY VIEW checked_voters AS
SELECT v.voter_id, v.source_partition, v.source_offset, v.arrived_at, r.state
FROM voters AS v
LEFT JOIN register FOR SYSTEM_TIME AS OF v.arrived_at AS r
    ON r.voter_id = v.voter_id
WHERE v.rejection IS NULL;

-- The voters that count, in the register's state, each once: registration announces a batch again
-- when it resumes after a crash.
CREATE TEMPORARY VIEW registered_voters AS
SELECT voter_id, state
FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY voter_id ORDER BY arrived_at ASC) AS delivery
    FROM checked_voters
    WHERE state IS NOT NULL
)
WHERE delivery = 1;

-- Every rejection, in one table: records neither topic could decode, votes the ledger refutes and
-- registrations the register does not hold. Each table reads one topic, so its name is written here
-- rather than carried with every record. Ids are cut to 200 characters: a bad record may hold
-- anything, a 900 KB candidate id among them.
INSERT INTO rejected_records_sink
SELECT '${VOTES_TOPIC}', source_partition, source_offset, count_rejection(rejection), rejection_detail,
       CAST(NULL AS STRING), CAST(NULL AS STRING), CAST(NULL AS STRING), LOCALTIMESTAMP
FROM votes
WHERE rejection IS NOT NULL
UNION ALL
SELECT '${VOTERS_TOPIC}', source_partition, source_offset, count_rejection(rejection), rejection_detail,
       CAST(NULL AS STRING), CAST(NULL AS STRING), CAST(NULL AS STRING), LOCALTIMESTAMP
FROM voters
WHERE rejection IS NOT NULL
UNION ALL
SELECT '${VOTES_TOPIC}', source_partition, source_offset, count_rejection(rejection),
       CASE rejection
           WHEN 'unknown-candidate' THEN 'the candidate is not on the ballot'
           WHEN 'unknown-voter' THEN 'the voter is not in the register'
           WHEN 'not-in-ledger' THEN 'the ledger holds no vote of this voter'
           WHEN 'second-vote' THEN CONCAT('the ledger holds another vote of this voter: ', ledger_vote_id)
           ELSE CONCAT('the ledger holds this vote for candidate ', ledger_candidate_id)
       END,
       SUBSTRING(voter_id FROM 1 FOR 200), SUBSTRING(vote_id FROM 1 FOR 200),
       SUBSTRING(candidate_id FROM 1 FOR 200), LOCALTIMESTAMP
FROM checked_votes
WHERE rejection IS NOT NULL
UNION ALL
SELECT '${VOTERS_TOPIC}', source_partition, source_offset, count_rejection('unknown-voter'),
       'the voter is not in the register', SUBSTRING(voter_id FROM 1 FOR 200), CAST(NULL AS STRING),
       CAST(NULL AS STRING), LOCALTIMESTAMP
FROM checked_voters
WHERE state IS NULL;
