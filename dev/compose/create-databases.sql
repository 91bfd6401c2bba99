-- Run once by the postgres image on an empty data volume (docker-entrypoint-initdb.d).
-- One database per service; each service's Flyway migrations create its tables.
CREATE DATABASE catalog;
CREATE DATABASE orders;
CREATE DATABASE fulfilment;
CREATE DATABASE notify;
