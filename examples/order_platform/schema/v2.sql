-- Shopfront order platform: second schema (PostgreSQL), multi-tenant.
-- Every tenant-owned table carries tenant_id; keys and uniques lead with it, so one
-- tenant's rows sit together in every index and no query can join across tenants.
-- Child tables reference their parents through (tenant_id, id): a cart item can only
-- point at a product of the same tenant.
-- Diff it from v1 with:
--   archkit schema diff examples/order_platform/schema/v1.sql \
--                       examples/order_platform/schema/v2.sql --dialect postgres

CREATE TABLE tenants (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug        varchar(63)  NOT NULL,
    name        varchar(200) NOT NULL,
    plan        varchar(20)  NOT NULL DEFAULT 'starter'
                CHECK (plan IN ('starter', 'growth', 'enterprise')),
    created_at  timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT tenants_slug_key UNIQUE (slug)
);

CREATE TABLE users (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   bigint       NOT NULL REFERENCES tenants (id),
    email       varchar(320) NOT NULL,
    full_name   varchar(200) NOT NULL,
    role        varchar(20)  NOT NULL DEFAULT 'shopper'
                CHECK (role IN ('shopper', 'staff', 'admin')),
    created_at  timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT users_tenant_email_key UNIQUE (tenant_id, email),
    CONSTRAINT users_tenant_id_id_key UNIQUE (tenant_id, id)
);

CREATE TABLE products (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   bigint         NOT NULL REFERENCES tenants (id),
    sku         varchar(64)    NOT NULL,
    name        varchar(200)   NOT NULL,
    description text,
    price       numeric(12, 2) NOT NULL CHECK (price >= 0),
    currency    char(3)        NOT NULL DEFAULT 'EUR',
    active      boolean        NOT NULL DEFAULT true,
    created_at  timestamptz    NOT NULL DEFAULT now(),
    CONSTRAINT products_tenant_sku_key UNIQUE (tenant_id, sku),
    CONSTRAINT products_tenant_id_id_key UNIQUE (tenant_id, id)
);

-- One row per product: stock on hand and stock reserved by placed orders.
CREATE TABLE inventory (
    tenant_id   bigint  NOT NULL,
    product_id  bigint  NOT NULL,
    on_hand     integer NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
    reserved    integer NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, product_id),
    CONSTRAINT inventory_reserved_le_on_hand CHECK (reserved <= on_hand),
    CONSTRAINT inventory_product_fkey FOREIGN KEY (tenant_id, product_id)
        REFERENCES products (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE carts (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   bigint NOT NULL,
    user_id     bigint NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT carts_tenant_id_id_key UNIQUE (tenant_id, id),
    CONSTRAINT carts_user_fkey FOREIGN KEY (tenant_id, user_id)
        REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX carts_tenant_user_idx ON carts (tenant_id, user_id);

CREATE TABLE cart_items (
    tenant_id   bigint  NOT NULL,
    cart_id     bigint  NOT NULL,
    product_id  bigint  NOT NULL,
    quantity    integer NOT NULL CHECK (quantity > 0),
    added_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, cart_id, product_id),
    CONSTRAINT cart_items_cart_fkey FOREIGN KEY (tenant_id, cart_id)
        REFERENCES carts (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT cart_items_product_fkey FOREIGN KEY (tenant_id, product_id)
        REFERENCES products (tenant_id, id)
);
CREATE INDEX cart_items_tenant_product_idx ON cart_items (tenant_id, product_id);

CREATE TABLE orders (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   bigint NOT NULL,
    user_id     bigint NOT NULL,
    status      varchar(20) NOT NULL DEFAULT 'placed'
                CHECK (status IN ('placed', 'reserved', 'paid', 'fulfilled', 'cancelled')),
    total       numeric(12, 2) NOT NULL CHECK (total >= 0),
    currency    char(3) NOT NULL,
    placed_at   timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orders_tenant_id_id_key UNIQUE (tenant_id, id),
    CONSTRAINT orders_user_fkey FOREIGN KEY (tenant_id, user_id)
        REFERENCES users (tenant_id, id)
);
CREATE INDEX orders_tenant_user_placed_at_idx ON orders (tenant_id, user_id, placed_at);
CREATE INDEX orders_tenant_status_idx ON orders (tenant_id, status);

CREATE TABLE order_items (
    tenant_id   bigint  NOT NULL,
    order_id    bigint  NOT NULL,
    product_id  bigint  NOT NULL,
    quantity    integer NOT NULL CHECK (quantity > 0),
    unit_price  numeric(12, 2) NOT NULL CHECK (unit_price >= 0),
    PRIMARY KEY (tenant_id, order_id, product_id),
    CONSTRAINT order_items_order_fkey FOREIGN KEY (tenant_id, order_id)
        REFERENCES orders (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT order_items_product_fkey FOREIGN KEY (tenant_id, product_id)
        REFERENCES products (tenant_id, id)
);
CREATE INDEX order_items_tenant_product_idx ON order_items (tenant_id, product_id);

CREATE TABLE payments (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id    bigint NOT NULL,
    order_id     bigint NOT NULL,
    amount       numeric(12, 2) NOT NULL CHECK (amount > 0),
    currency     char(3) NOT NULL,
    status       varchar(20) NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'authorised', 'captured', 'failed', 'refunded')),
    provider_ref varchar(100) NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    -- the payment provider's reference is unique across all tenants, on purpose: its
    -- webhook names only that reference, so the lookup cannot lead with tenant_id. The
    -- constraint says so in its name (*_global_*), which 02b's check cell accepts; the
    -- linter is told the same: archkit: ignore SC207
    CONSTRAINT payments_provider_ref_global_key UNIQUE (provider_ref),
    CONSTRAINT payments_order_fkey FOREIGN KEY (tenant_id, order_id)
        REFERENCES orders (tenant_id, id)
);
CREATE INDEX payments_tenant_order_idx ON payments (tenant_id, order_id);

CREATE TABLE shipments (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id     bigint NOT NULL,
    order_id      bigint NOT NULL,
    carrier_code  varchar(50) NOT NULL, -- archkit: renamed from carrier
    tracking_code varchar(100),
    shipped_at    timestamptz,
    delivered_at  timestamptz,
    CONSTRAINT shipments_order_fkey FOREIGN KEY (tenant_id, order_id)
        REFERENCES orders (tenant_id, id)
);
CREATE INDEX shipments_tenant_order_idx ON shipments (tenant_id, order_id);

-- What a shopper sees on "my orders": one row per order with its item count.
CREATE VIEW order_summaries AS
SELECT o.tenant_id, o.id AS order_id, o.user_id, o.status, o.total, o.currency, o.placed_at,
       count(i.product_id) AS item_count
FROM orders o
LEFT JOIN order_items i ON i.tenant_id = o.tenant_id AND i.order_id = o.id
GROUP BY o.tenant_id, o.id, o.user_id, o.status, o.total, o.currency, o.placed_at;

COMMENT ON TABLE orders IS 'A placed order; status follows the order pipeline.';
COMMENT ON COLUMN orders.total IS 'Sum of the order items at checkout, in currency.';
