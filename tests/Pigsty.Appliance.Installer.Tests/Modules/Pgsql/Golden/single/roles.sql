-- roles of PostgreSQL cluster pg-meta, written by pigsty-appliance: idempotent, run by the dbsu on the primary
-- statements are not logged: nothing this script sets belongs in the server log
SET log_statement = 'none';
SET pg_stat_statements.track_utility = off;
SET log_min_duration_statement = -1;
SET log_min_error_statement = panic;
SET password_encryption = 'scram-sha-256';
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dbrole_readonly') THEN CREATE ROLE "dbrole_readonly"; END IF; END $$;
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dbrole_offline') THEN CREATE ROLE "dbrole_offline"; END IF; END $$;
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dbrole_readwrite') THEN CREATE ROLE "dbrole_readwrite"; END IF; END $$;
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dbrole_admin') THEN CREATE ROLE "dbrole_admin"; END IF; END $$;
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'postgres') THEN CREATE ROLE "postgres"; END IF; END $$;
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'replicator') THEN CREATE ROLE "replicator"; END IF; END $$;
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dbuser_dba') THEN CREATE ROLE "dbuser_dba"; END IF; END $$;
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dbuser_monitor') THEN CREATE ROLE "dbuser_monitor"; END IF; END $$;
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dbuser_meta') THEN CREATE ROLE "dbuser_meta"; END IF; END $$;

-- dbrole_readonly
ALTER ROLE "dbrole_readonly" NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT -1;
COMMENT ON ROLE "dbrole_readonly" IS 'role for global read-only access';

-- dbrole_offline
ALTER ROLE "dbrole_offline" NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT -1;
COMMENT ON ROLE "dbrole_offline" IS 'role for restricted read-only access';

-- dbrole_readwrite
ALTER ROLE "dbrole_readwrite" NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT -1;
COMMENT ON ROLE "dbrole_readwrite" IS 'role for global read-write access';
GRANT "dbrole_readonly" TO "dbrole_readwrite";

-- dbrole_admin
ALTER ROLE "dbrole_admin" NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT -1;
COMMENT ON ROLE "dbrole_admin" IS 'role for object creation';
GRANT "pg_monitor" TO "dbrole_admin";
GRANT "dbrole_readwrite" TO "dbrole_admin";

-- postgres
ALTER ROLE "postgres" LOGIN SUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT -1;
COMMENT ON ROLE "postgres" IS 'system superuser';

-- replicator
ALTER ROLE "replicator" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE REPLICATION NOBYPASSRLS CONNECTION LIMIT -1;
ALTER ROLE "replicator" PASSWORD 'SCRAM-SHA-256$4096:AAAAAAAAAAAAAAAAAAAAAA==$8/lTmtLv6P8ww/RZbEQJDexD5oZjPgs/4YhGLF+lNjU=:QRhEVhT5kd9OE5ZzLys0i/wCfxkBrHj05VQR+8/BzvY=';
COMMENT ON ROLE "replicator" IS 'system replicator';
GRANT "pg_monitor" TO "replicator";
GRANT "dbrole_readonly" TO "replicator";

-- dbuser_dba
ALTER ROLE "dbuser_dba" LOGIN SUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT -1;
ALTER ROLE "dbuser_dba" PASSWORD 'SCRAM-SHA-256$4096:AAAAAAAAAAAAAAAAAAAAAA==$KWoKeemNckhEYW1I5pTXwBZQikqpLTLqWme12m++IeY=:UEN2Ei/mq4FLBuevDHCE2hO1BM+YunvJkr4Cm9UKKLo=';
COMMENT ON ROLE "dbuser_dba" IS 'pgsql admin user';
GRANT "dbrole_admin" TO "dbuser_dba";

-- dbuser_monitor
ALTER ROLE "dbuser_monitor" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT -1;
ALTER ROLE "dbuser_monitor" PASSWORD 'SCRAM-SHA-256$4096:AAAAAAAAAAAAAAAAAAAAAA==$FQ2IMF+U1o6ck2Tt4m78YvLT0crdOrDc0vd2As2psLc=:6IkZchcTJZkstfxQYhCITuvYUeESdD/YbVt2vXT/llY=';
COMMENT ON ROLE "dbuser_monitor" IS 'pgsql monitor user';
GRANT "pg_monitor" TO "dbuser_monitor";
GRANT "dbrole_readonly" TO "dbuser_monitor";
ALTER ROLE "dbuser_monitor" SET log_min_duration_statement = '1000';

-- dbuser_meta
ALTER ROLE "dbuser_meta" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT -1;
ALTER ROLE "dbuser_meta" PASSWORD 'SCRAM-SHA-256$4096:AAAAAAAAAAAAAAAAAAAAAA==$vxidYKJqUbIk6iXUtv7HwYE10TS00OZMvYutTUggWV4=:iQ17NKWyu8vf8FpfRfUPJ9nto6O1xqsX5zd7ZhGwvcs=';
GRANT "dbrole_admin" TO "dbuser_meta";
