SET lock_timeout = '2s';
SET statement_timeout = '30s';
CREATE INDEX orders_tenant_idx ON orders (tenant_id);
