-- Applied to Gammu SMSD's database after Gammu's own schema
-- (/usr/share/doc/gammu-smsd/examples/pgsql.sql, without its CREATE LANGUAGE line, which fails
-- harmlessly on PostgreSQL 10 and later where plpgsql is built in).
--
-- lapor reads the unprocessed inbox rows every second; Gammu keeps every processed one, so without
-- this index each poll would read the whole table.
CREATE INDEX IF NOT EXISTS inbox_unprocessed_idx ON inbox ("ID") WHERE NOT "Processed";
