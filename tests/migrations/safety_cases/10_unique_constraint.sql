SET lock_timeout = '2s';
SET statement_timeout = '30s';
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (tenant_id, email);
