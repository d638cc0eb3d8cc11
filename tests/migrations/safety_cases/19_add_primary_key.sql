SET lock_timeout = '2s';
SET statement_timeout = '30s';
ALTER TABLE payments ADD PRIMARY KEY (tenant_id, id);
