/*
 * Pay-o-matic: the payment provider Shopfront's checkout talks to, as its own team
 * would describe it in Structurizr DSL. Written for archkit's notebook 03.
 */
workspace "Pay-o-matic" "The payment provider behind Shopfront's checkout." {

    model {
        merchant = person "Merchant" "Sells through Shopfront and gets paid out." "Customer"
        shopper = person "Shopper" "Pays for an order." "Customer"

        group "Pay-o-matic Ltd" {
            ops = person "Risk Analyst" "Reviews payments the fraud model flags." "Staff"

            payments = softwareSystem "Payments Platform" "Takes card payments and pays merchants out." {
                checkout = container "Hosted Checkout" "The card form shoppers see." "TypeScript and React" "Web Browser"
                api = container "Payments API" "Creates and captures payments; sends webhooks." "Go" {
                    intents = component "Payment Intents" "Creates, confirms and captures payments." "Go package"
                    webhooks = component "Webhook Sender" "Signs and retries webhook deliveries." "Go package"
                    fraud = component "Fraud Scoring" "Scores each payment before capture." "Go package"
                }
                ledger = container "Ledger" "Double-entry record of every movement of money." "PostgreSQL" "Database"
                queue = container "Event Bus" "Payment events for payouts and webhooks." "NATS JetStream" "Message Broker"
                payouts = container "Payout Worker" "Batches merchant payouts once a day." "Go"
            }
        }

        cardNetwork = softwareSystem "Card Network" "Authorises and settles card payments." "External"
        bank = softwareSystem "Merchant's Bank" "Receives payouts." "External"
        shopfront = softwareSystem "Shopfront" "The order platform that sends shoppers to checkout." "External"

        shopper -> checkout "Enters card details in" "HTTPS"
        shopfront -> api "Creates payments using" "JSON/HTTPS"
        checkout -> intents "Confirms the payment with" "JSON/HTTPS"
        intents -> fraud "Asks for a risk score from"
        intents -> cardNetwork "Authorises cards with" "ISO 8583"
        intents -> ledger "Records movements in" "SQL"
        intents -> queue "Publishes payment events to" "NATS"
        queue -> webhooks "Delivers payment events to" "NATS"
        webhooks -> shopfront "Sends signed webhooks to" "HTTPS"
        queue -> payouts "Delivers captured payments to" "NATS"
        payouts -> ledger "Reads balances from" "SQL"
        payouts -> bank "Pays merchants out through" "SEPA"
        ops -> api "Reviews flagged payments using" "HTTPS"
        merchant -> bank "Reads payouts at"

        live = deploymentEnvironment "Live" {
            deploymentNode "Amazon Web Services" "" "" {
                deploymentNode "eu-west-1" {
                    deploymentNode "Kubernetes" "" "EKS" {
                        containerInstance api
                        containerInstance payouts
                    }
                    deploymentNode "Amazon RDS" "" "PostgreSQL 16" {
                        containerInstance ledger
                    }
                }
            }
        }
    }

    views {
        systemContext payments "Context" {
            include *
            autolayout lr
        }
        container payments "Containers" {
            include *
            autolayout lr
        }
        component api "ApiComponents" {
            include *
            autolayout lr
        }
        deployment payments "Live" "LiveDeployment" {
            include *
            autolayout lr
        }
        filtered "Context" include "Customer" "CustomersOnly"

        styles {
            element "Database" {
                shape cylinder
            }
            element "External" {
                background #999999
            }
        }
        theme default
    }

    configuration {
        scope softwaresystem
    }
}
