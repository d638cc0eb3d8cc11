-- Shopfront order platform: first schema (PostgreSQL, single tenant).
-- A later version (v2.sql) adds multi-tenancy with a tenant_id on every table.
-- Check it with:  archkit schema check examples/order_platform/schema/v1.sql --dialect postgres

CREATE TABLE users (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email       varchar(320) NOT NULL,
    full_name   varchar(200) NOT NULL,
    role        varchar(20)  NOT NULL DEFAULT 'shopper'
                CHECK (role IN ('shopper', 'staff', 'admin')),
    created_at  timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT users_email_key UNIQUE (email)
);

CREATE TABLE products (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sku         varchar(64)    NOT NULL,
    name        varchar(200)   NOT NULL,
    description text,
    price       numeric(12, 2) NOT NULL CHECK (price >= 0),
    currency    char(3)        NOT NULL DEFAULT 'EUR',
    active      boolean        NOT NULL DEFAULT true,
    created_at  timestamptz    NOT NULL DEFAULT now(),
    CONSTRAINT products_sku_key UNIQUE (sku)
);

-- One row per product: stock on hand and stock reserved by placed orders.
CREATE TABLE inventory (
    product_id  bigint  PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE,
    on_hand     integer NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
    reserved    integer NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT inventory_reserved_le_on_hand CHECK (reserved <= on_hand)
);

CREATE TABLE carts (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX carts_user_id_idx ON carts (user_id);

CREATE TABLE cart_items (
    cart_id     bigint  NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
    product_id  bigint  NOT NULL REFERENCES products (id),
    quantity    integer NOT NULL CHECK (quantity > 0),
    added_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (cart_id, product_id)
);
CREATE INDEX cart_items_product_id_idx ON cart_items (product_id);

CREATE TABLE orders (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id),
    status      varchar(20) NOT NULL DEFAULT 'placed'
                CHECK (status IN ('placed', 'reserved', 'paid', 'fulfilled', 'cancelled')),
    total       numeric(12, 2) NOT NULL CHECK (total >= 0),
    currency    char(3) NOT NULL,
    placed_at   timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_user_id_placed_at_idx ON orders (user_id, placed_at);
CREATE INDEX orders_status_idx ON orders (status);

CREATE TABLE order_items (
    order_id    bigint  NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id  bigint  NOT NULL REFERENCES products (id),
    quantity    integer NOT NULL CHECK (quantity > 0),
    unit_price  numeric(12, 2) NOT NULL CHECK (unit_price >= 0),
    PRIMARY KEY (order_id, product_id)
);
CREATE INDEX order_items_product_id_idx ON order_items (product_id);

CREATE TABLE payments (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id     bigint NOT NULL REFERENCES orders (id),
    amount       numeric(12, 2) NOT NULL CHECK (amount > 0),
    currency     char(3) NOT NULL,
    status       varchar(20) NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'authorised', 'captured', 'failed', 'refunded')),
    provider_ref varchar(100) NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT payments_provider_ref_key UNIQUE (provider_ref)
);
CREATE INDEX payments_order_id_idx ON payments (order_id);

CREATE TABLE shipments (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id      bigint NOT NULL REFERENCES orders (id),
    carrier       varchar(50) NOT NULL,
    tracking_code varchar(100),
    shipped_at    timestamptz,
    delivered_at  timestamptz
);
CREATE INDEX shipments_order_id_idx ON shipments (order_id);

-- What a shopper sees on "my orders": one row per order with its item count.
CREATE VIEW order_summaries AS
SELECT o.id AS order_id, o.user_id, o.status, o.total, o.currency, o.placed_at,
       count(i.product_id) AS item_count
FROM orders o
LEFT JOIN order_items i ON i.order_id = o.id
GROUP BY o.id, o.user_id, o.status, o.total, o.currency, o.placed_at;

COMMENT ON TABLE orders IS 'A placed order; status follows the order pipeline.';
COMMENT ON COLUMN orders.total IS 'Sum of the order items at checkout, in currency.';
