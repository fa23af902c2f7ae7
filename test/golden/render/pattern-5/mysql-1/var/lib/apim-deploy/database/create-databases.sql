# mode 0600 owner root:root secret=true
-- Rendered by apim-deploy. Idempotent: run whenever it changes. apim_db uses latin1 (reference §8, MySQL 8 key length).
CREATE DATABASE IF NOT EXISTS `apim_db` CHARACTER SET latin1;
CREATE DATABASE IF NOT EXISTS `shared_db`;
CREATE USER IF NOT EXISTS 'apimadmin'@'%' IDENTIFIED BY 'change-me-db';
ALTER USER 'apimadmin'@'%' IDENTIFIED BY 'change-me-db';
GRANT ALL PRIVILEGES ON `apim_db`.* TO 'apimadmin'@'%';
GRANT ALL PRIVILEGES ON `shared_db`.* TO 'apimadmin'@'%';
FLUSH PRIVILEGES;
