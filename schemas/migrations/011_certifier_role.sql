-- The role the Election controller observes and certifies with (its login, livetally_controller, is a
-- member): it reads the election's register, ledger, progress and results, and may change nothing.
-- CloudNativePG declares it (cdk8s), so the owner needs no CREATEROLE; the local stack is a superuser.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'livetally_certifier') THEN
        CREATE ROLE livetally_certifier NOLOGIN;
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO livetally_certifier', current_schema());
END
$$;

GRANT SELECT ON voters, votes, candidates, registration_progress, tally_by_candidate, tally_by_party,
    turnout_by_state, tally_by_gender, tally_by_age_band, votes_per_minute, leader_by_state
    TO livetally_certifier;
