-- One role and one database per service (run once, when the Postgres volume is created; the
-- kind walk-through in k8s/README.md runs it too). Each service connects as its own role,
-- which owns its database (its migrations create the tables) and may not even connect to
-- another service's: CONNECT is revoked from PUBLIC. Passwords here are for local compose
-- only; the Helm chart takes each service's from values or a Secret.
CREATE ROLE shop_order LOGIN PASSWORD 'order-local';
CREATE DATABASE shop_order OWNER shop_order;
REVOKE ALL ON DATABASE shop_order FROM PUBLIC;

CREATE ROLE shop_inventory LOGIN PASSWORD 'inventory-local';
CREATE DATABASE shop_inventory OWNER shop_inventory;
REVOKE ALL ON DATABASE shop_inventory FROM PUBLIC;

CREATE ROLE shop_payment LOGIN PASSWORD 'payment-local';
CREATE DATABASE shop_payment OWNER shop_payment;
REVOKE ALL ON DATABASE shop_payment FROM PUBLIC;

CREATE ROLE shop_shipping LOGIN PASSWORD 'shipping-local';
CREATE DATABASE shop_shipping OWNER shop_shipping;
REVOKE ALL ON DATABASE shop_shipping FROM PUBLIC;

CREATE ROLE shop_notification LOGIN PASSWORD 'notification-local';
CREATE DATABASE shop_notification OWNER shop_notification;
REVOKE ALL ON DATABASE shop_notification FROM PUBLIC;

-- Keycloak's own database (compose runs Keycloak in production mode, which keeps its data in Postgres).
CREATE ROLE keycloak LOGIN PASSWORD 'keycloak-local';
CREATE DATABASE keycloak OWNER keycloak;
REVOKE ALL ON DATABASE keycloak FROM PUBLIC;
