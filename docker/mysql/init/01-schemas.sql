-- One schema and one account per service (DESIGN section 2: a service never reads another
-- service's schema). The mysql image runs this once, on an empty data volume, as root; to run it
-- again: docker compose down --volumes.
--
-- The passwords are for the local compose stack only and are repeated in docker-compose.yml.
-- Collation as the embedded stack (local-stack) creates its schemas, so both behave alike.
-- ALL PRIVILEGES on schema.* covers Flyway's DDL and the application's DML, and nothing global.

CREATE DATABASE IF NOT EXISTS `queue` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'queue_app'@'%' IDENTIFIED BY 'queue-local-only';
GRANT ALL PRIVILEGES ON `queue`.* TO 'queue_app'@'%';

CREATE DATABASE IF NOT EXISTS `concert` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'concert_app'@'%' IDENTIFIED BY 'concert-local-only';
GRANT ALL PRIVILEGES ON `concert`.* TO 'concert_app'@'%';

CREATE DATABASE IF NOT EXISTS `reservation` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'reservation_app'@'%' IDENTIFIED BY 'reservation-local-only';
GRANT ALL PRIVILEGES ON `reservation`.* TO 'reservation_app'@'%';

CREATE DATABASE IF NOT EXISTS `payment` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'payment_app'@'%' IDENTIFIED BY 'payment-local-only';
GRANT ALL PRIVILEGES ON `payment`.* TO 'payment_app'@'%';
