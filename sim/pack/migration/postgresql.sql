-- Migration step @FROM@ -> @TO@ for @DATABASE@ (PostgreSQL). Simulated pack (apim-deploy lab).
-- Laid out as the API Manager migration resources are: migration-resources/migration-scripts/pre-migration-scripts/
-- migration-<from>_to_<to>/<vendor>.sql (sim/rules/schema-versions.ts names the sources). The real step alters the
-- tables its version changed; this one moves the lab's schema-version record, and refuses a database of another
-- version so that steps run in order. Run once, in a transaction:
--   psql -v ON_ERROR_STOP=1 -1 -d <database> -f <this file>

DO $$
DECLARE
  held VARCHAR(16);
BEGIN
  SELECT SCHEMA_VERSION INTO held FROM LAB_SCHEMA_VERSION;
  IF held IS DISTINCT FROM '@FROM@' THEN
    RAISE EXCEPTION 'migration @FROM@ -> @TO@: database @DATABASE@ holds the % schema, not @FROM@', coalesce(held, 'unknown');
  END IF;
END
$$;

UPDATE LAB_SCHEMA_VERSION SET SCHEMA_VERSION = '@TO@';
