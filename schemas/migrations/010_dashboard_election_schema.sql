-- Each election keeps its tables in a schema of its own (schemas/election/names.ts); the dashboard role
-- reads the results of every election, so it may look inside each one. 004 granted the public schema,
-- where the tables lived before elections had schemas.

DO $$
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO livetally_dashboard', current_schema());
END
$$;
