-- One database per service (run once, when the Postgres volume is created).
CREATE DATABASE shop_order;
CREATE DATABASE shop_inventory;
CREATE DATABASE shop_payment;
CREATE DATABASE shop_shipping;
CREATE DATABASE shop_notification;
