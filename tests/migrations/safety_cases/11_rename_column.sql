SET lock_timeout = '2s';
SET statement_timeout = '30s';
ALTER TABLE users RENAME COLUMN mail TO email;
