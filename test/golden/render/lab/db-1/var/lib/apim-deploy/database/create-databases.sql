# mode 0600 owner postgres:postgres secret=true
-- Rendered by apim-deploy. Idempotent: run with psql whenever it changes (\gexec runs the generated statement).
SELECT 'CREATE ROLE ' || quote_ident('apimadmin') || ' LOGIN'
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'apimadmin')\gexec
ALTER ROLE "apimadmin" WITH LOGIN PASSWORD 'lab-Db-pw1';
SELECT 'CREATE DATABASE ' || quote_ident('apim_db') || ' OWNER ' || quote_ident('apimadmin')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'apim_db')\gexec
SELECT 'CREATE DATABASE ' || quote_ident('shared_db') || ' OWNER ' || quote_ident('apimadmin')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'shared_db')\gexec
