-- The role Grafana reads with: the results and the candidates, never the voters' personal data.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'livetally_dashboard') THEN
        CREATE ROLE livetally_dashboard NOLOGIN;
    END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO livetally_dashboard;
GRANT SELECT ON candidates, tally_by_candidate, tally_by_party, turnout_by_state, tally_by_gender,
    tally_by_age_band, votes_per_minute, leader_by_state TO livetally_dashboard;
