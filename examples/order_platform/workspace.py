"""The Shopfront order platform as a C4 model, built with archkit's fluent API.

Usage::

    archkit c4 render examples/order_platform/workspace.py --out out/c4

or, in a notebook::

    from archkit.examples import example_dir
    from archkit.c4 import load_workspace
    ws, _ = load_workspace(example_dir("order-platform") / "workspace.py")
"""

from __future__ import annotations

from archkit.c4 import new_workspace
from archkit.c4.workspace import Workspace


def build_workspace() -> Workspace:
    """Shopfront: people, the platform's containers, the app's modules, deployment, views."""
    ws = new_workspace(
        "Shopfront",
        "The order platform of a multi-tenant e-commerce SaaS: merchants sell to shoppers; "
        "orders run through a pipeline over a message broker.",
    )

    # -- people and systems -------------------------------------------------------------
    shopper = ws.person("Shopper", "Browses a merchant's shop, fills a cart and places orders.",
                        id="shopper")
    staff = ws.person("Merchant Staff", "Runs a tenant's catalogue, stock and orders.",
                      id="merchantStaff")
    shop = ws.system("Shopfront", "Multi-tenant shops: catalogue, carts, orders, payments and "
                     "fulfilment for every merchant.", id="shopfront")
    psp = ws.system("Payment Provider", "PCI-compliant card payments; card data never touches "
                    "Shopfront.", external=True, id="paymentProvider")
    mail = ws.system("E-mail System", "Sends order confirmations and shipping notices.",
                     external=True, id="emailSystem")

    # -- containers ---------------------------------------------------------------------
    # ADR 0003 chose a modular monolith: ONE deployable ("Shopfront App") whose modules are
    # components; the order pipeline still runs over the broker (ADR 0004), between modules,
    # so a module can be split out later. `archkit check` keeps the two in agreement.
    web = shop.container("Web App", "The storefront and the merchant back office in the browser.",
                         "TypeScript and React", id="webApp")
    app = shop.container("Shopfront App", "The modular monolith: the public JSON API, the "
                         "order pipeline's consumers and the payment webhooks in one deployable; "
                         "enforces tenant isolation.", "Python and FastAPI", id="app")
    db = shop.container("Database", "Tenants, users, products, stock, carts, orders, payments "
                        "and shipments, isolated by tenant_id with row-level security.",
                        "PostgreSQL 16", tags="Database", id="database")
    broker = shop.container("Message Broker", "Carries the order pipeline's events between "
                            "the app's modules.", "Apache Kafka", tags="Message Broker",
                            id="broker")

    shopper.uses(web, "Shops and places orders using", "HTTPS")
    staff.uses(web, "Manages catalogue, stock and orders using", "HTTPS")
    mail.uses(shopper, "Sends order e-mails to")

    # -- the app's modules (components) ---------------------------------------------------
    # `endpoints` says which module serves which of requirements.yaml's endpoints.
    def module(name: str, description: str, technology: str, id: str, endpoints: str = ""):
        ref = app.component(name, description, technology, id=id)
        if endpoints:
            ref.element.properties["endpoints"] = endpoints
        return ref

    catalogue = module("Catalogue Module", "Lists and searches a tenant's products with their "
                       "stock.", "FastAPI router", "catalogueModule", "/v1/products")
    carts = module("Cart Module", "Opens carts and changes their lines.", "FastAPI router",
                   "cartModule", "/v1/carts")
    orders = module("Order Module", "Turns a cart into an order (and an OrderPlaced outbox row "
                    "in the same transaction); shows orders and their pipeline status.",
                    "FastAPI router", "orderModule", "/v1/orders")
    inventory = module("Inventory Module", "Reserves stock for placed orders.",
                       "Python consumer", "inventoryModule")
    payments = module("Payment Module", "Charges orders through the payment provider and "
                      "handles its webhooks.", "Python consumer and FastAPI router",
                      "paymentModule", "/v1/payments")
    fulfilment = module("Fulfilment Module", "Creates shipments for paid orders and notifies "
                        "shoppers.", "Python consumer", "fulfilmentModule")
    outbox = module("Outbox Publisher", "Publishes committed events exactly once, from the "
                    "transactional outbox table.", "Python", "outboxPublisher")

    web.uses(catalogue, "Reads the catalogue from", "JSON/HTTPS")
    web.uses(carts, "Fills carts using", "JSON/HTTPS")
    web.uses(orders, "Places and follows orders using", "JSON/HTTPS")
    catalogue.uses(db, "Reads products and stock from", "SQL")
    carts.uses(db, "Reads and writes carts in", "SQL")
    orders.uses(db, "Writes orders and outbox rows to", "SQL")
    outbox.uses(db, "Polls the outbox table in", "SQL")
    outbox.uses(broker, "Publishes pipeline events to", "Kafka")
    inventory.uses(broker, "Consumes OrderPlaced from", "Kafka")
    inventory.uses(db, "Reserves stock (and writes InventoryReserved to the outbox) in", "SQL")
    payments.uses(broker, "Consumes InventoryReserved from", "Kafka")
    payments.uses(psp, "Charges cards using", "HTTPS")
    psp.uses(payments, "Sends payment webhooks to", "HTTPS")
    payments.uses(db, "Records payments (and PaymentProcessed in the outbox) in", "SQL")
    fulfilment.uses(broker, "Consumes PaymentProcessed from", "Kafka")
    fulfilment.uses(db, "Writes shipments to", "SQL")
    fulfilment.uses(mail, "Sends shipping notices using", "SMTP")
    orders.uses(broker, "Follows pipeline events for order status from", "Kafka")

    # -- deployment -----------------------------------------------------------------------
    # Three app tasks: the capacity estimate (300 requests in flight at peak) and 99.95 %
    # availability both ask for at least three; `archkit check` compares them (DC401).
    live = ws.environment("Live")
    region = live.node("AWS eu-central-1", "EU region: tenants' data stays in the EU.",
                       "Amazon Web Services", id="awsEuCentral1")
    cluster = region.node("ECS cluster", "", "Amazon ECS on Fargate", id="ecsCluster")
    cluster.node("app task", "", "Docker", instances=3, id="appTask").instance(app)
    region.node("Amazon RDS", "", "PostgreSQL 16, Multi-AZ", id="rds").instance(db)
    region.node("Amazon MSK", "", "Kafka 3.7", id="amazonMsk").instance(broker)
    region.node("CloudFront", "", "CDN", id="cloudFront").instance(web)
    browser = live.node("Shopper's browser", "", "Chrome, Firefox, Safari or Edge",
                        id="shopperBrowser")
    browser.infrastructure("Browser cache", "Caches catalogue pages.", "HTTP cache",
                           id="browserCache")

    # -- views ----------------------------------------------------------------------------
    ws.landscape("Landscape", "Shopfront and the systems around it").includes("*")
    ws.context(shop, "Context", "Shopfront: system context").includes("*").layout("lr")
    ws.containers(shop, "Containers", "Shopfront: containers").includes("*").layout("tb")
    ws.components(app, "AppComponents",
                  "Shopfront App: modules").includes("*").layout("lr")
    pipeline = ws.dynamic(app, "OrderPipeline", "The order pipeline",
                          "Order placed -> inventory reserved -> payment processed -> fulfilment")
    (pipeline.step(shopper, web, "Checks out a cart")
     .step(web, orders, "POST /v1/orders")
     .step(orders, db, "Order + OrderPlaced outbox row, one transaction")
     .step(outbox, broker, "OrderPlaced")
     .step(broker, inventory, "OrderPlaced")
     .step(outbox, broker, "InventoryReserved")
     .step(broker, payments, "InventoryReserved")
     .step(payments, psp, "Charges the card")
     .step(outbox, broker, "PaymentProcessed")
     .step(broker, fulfilment, "PaymentProcessed")
     .step(fulfilment, mail, "Shipping notice")
     .layout("lr"))
    ws.deployment(shop, "Live", "LiveDeployment", "Shopfront: live deployment").includes("*")

    ws.style("Database", shape="Cylinder")
    ws.style("Message Broker", shape="Pipe")
    return ws.build()
