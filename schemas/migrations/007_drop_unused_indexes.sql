-- Two indexes nothing reads go. Every query over voters by state or votes by candidate aggregates the
-- whole table (certification, the tests' ground truth), which a sequential scan serves, while each
-- index cost a B-tree insertion for every voter registered and every vote cast. Ad-hoc lookups by
-- state or candidate can add them back; the result tables already answer those questions live.

DROP INDEX voters_state_idx;
DROP INDEX votes_candidate_idx;
