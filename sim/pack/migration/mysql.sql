-- Migration step @FROM@ -> @TO@ for @DATABASE@ (MySQL/MariaDB). Simulated pack (apim-deploy lab).
-- Laid out as the API Manager migration resources are: migration-resources/migration-scripts/pre-migration-scripts/
-- migration-<from>_to_<to>/<vendor>.sql (sim/rules/schema-versions.ts names the sources). The real step alters the
-- tables its version changed; this one moves the lab's schema-version record, and refuses a database of another
-- version so that steps run in order:
--   mysql -D <database> -e "source <this file>"

DELIMITER //
BEGIN NOT ATOMIC
  IF (SELECT COUNT(*) FROM LAB_SCHEMA_VERSION WHERE SCHEMA_VERSION = '@FROM@') <> 1 THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'migration @FROM@ -> @TO@: database @DATABASE@ does not hold the @FROM@ schema';
  END IF;
END //
DELIMITER ;

UPDATE LAB_SCHEMA_VERSION SET SCHEMA_VERSION = '@TO@';
