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
    """Shopfront: people, the platform's containers, the order service's components, views."""
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
    web = shop.container("Web App", "The storefront and the merchant back office in the browser.",
                         "TypeScript and React", id="webApp")
    api = shop.container("API", "Public JSON API: catalogue, carts, checkout, order status; "
                         "enforces tenant isolation.", "Python and FastAPI", id="api")
    orders = shop.container("Order Service", "Owns orders and drives the order pipeline.",
                            "Python", id="orderService")
    inventory = shop.container("Inventory Service", "Keeps stock on hand and reserves it for "
                               "orders.", "Python", id="inventoryService")
    payments = shop.container("Payment Service", "Charges orders through the payment provider "
                              "and handles its webhooks.", "Python", id="paymentService")
    fulfilment = shop.container("Fulfilment Worker", "Creates shipments for paid orders and "
                                "notifies shoppers.", "Python worker", id="fulfilmentWorker")
    db = shop.container("Database", "Tenants, users, products, stock, carts, orders, payments "
                        "and shipments, isolated by tenant_id with row-level security.",
                        "PostgreSQL 16", tags="Database", id="database")
    broker = shop.container("Message Broker", "Carries the order pipeline's events between "
                            "services.", "Apache Kafka", tags="Message Broker", id="broker")

    shopper.uses(web, "Shops and places orders using", "HTTPS")
    staff.uses(web, "Manages catalogue, stock and orders using", "HTTPS")
    web.uses(api, "Calls", "JSON/HTTPS")
    api.uses(db, "Reads catalogue and carts from", "SQL")
    api.uses(orders, "Places orders with", "JSON/HTTPS")
    orders.uses(broker, "Publishes OrderPlaced to", "Kafka")
    inventory.uses(broker, "Consumes OrderPlaced, publishes InventoryReserved to", "Kafka")
    inventory.uses(db, "Reads and reserves stock in", "SQL")
    payments.uses(broker, "Consumes InventoryReserved, publishes PaymentProcessed to", "Kafka")
    payments.uses(psp, "Charges cards using", "HTTPS")
    psp.uses(payments, "Sends payment webhooks to", "HTTPS")
    fulfilment.uses(broker, "Consumes PaymentProcessed from", "Kafka")
    fulfilment.uses(db, "Writes shipments to", "SQL")
    fulfilment.uses(mail, "Sends shipping notices using", "SMTP")
    mail.uses(shopper, "Sends order e-mails to")

    # -- components of the order service --------------------------------------------------
    checkout = orders.component("Checkout Controller", "Turns a cart into an order.",
                                "FastAPI router", id="checkoutController")
    order_repo = orders.component("Order Repository", "Reads and writes orders and their lines.",
                                  "SQLAlchemy", id="orderRepository")
    outbox = orders.component("Outbox Publisher", "Publishes committed order events exactly "
                              "once, from a transactional outbox.", "Python", id="outboxPublisher")
    status = orders.component("Pipeline Status Tracker", "Follows pipeline events and updates "
                              "order status.", "Python consumer", id="statusTracker")
    api.uses(checkout, "Places orders with", "JSON/HTTPS")
    checkout.uses(order_repo, "Saves the order and an OrderPlaced outbox row using")
    order_repo.uses(db, "Reads and writes orders in", "SQL")
    outbox.uses(db, "Polls the outbox table in", "SQL")
    outbox.uses(broker, "Publishes OrderPlaced to", "Kafka")
    status.uses(broker, "Consumes pipeline events from", "Kafka")
    status.uses(order_repo, "Updates order status using")

    # -- deployment -----------------------------------------------------------------------
    live = ws.environment("Live")
    region = live.node("AWS eu-central-1", "EU region: tenants' data stays in the EU.",
                       "Amazon Web Services", id="awsEuCentral1")
    cluster = region.node("ECS cluster", "", "Amazon ECS on Fargate", id="ecsCluster")
    cluster.node("api task", "", "Docker", instances=3, id="apiTask").instance(api)
    cluster.node("order task", "", "Docker", instances=2, id="orderTask").instance(orders)
    cluster.node("inventory task", "", "Docker", instances=2, id="inventoryTask").instance(
        inventory)
    cluster.node("payment task", "", "Docker", instances=2, id="paymentTask").instance(payments)
    # ×2: one spare, as `archkit capacity` plans for every server-side container (N+1)
    cluster.node("fulfilment task", "", "Docker", instances=2, id="fulfilmentTask").instance(
        fulfilment)
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
    ws.components(orders, "OrderServiceComponents",
                  "Order Service: components").includes("*").layout("lr")
    pipeline = ws.dynamic(shop, "OrderPipeline", "The order pipeline",
                          "Order placed -> inventory reserved -> payment processed -> fulfilment")
    (pipeline.step(shopper, web, "Checks out a cart")
     .step(web, api, "POST /v1/orders")
     .step(api, orders, "Places the order")
     .step(orders, broker, "OrderPlaced")
     .step(broker, inventory, "OrderPlaced")
     .step(inventory, broker, "InventoryReserved")
     .step(broker, payments, "InventoryReserved")
     .step(payments, psp, "Charges the card")
     .step(payments, broker, "PaymentProcessed")
     .step(broker, fulfilment, "PaymentProcessed")
     .step(fulfilment, mail, "Shipping notice")
     .layout("lr"))
    ws.deployment(shop, "Live", "LiveDeployment", "Shopfront: live deployment").includes("*")

    ws.style("Database", shape="Cylinder")
    ws.style("Message Broker", shape="Pipe")
    return ws.build()
