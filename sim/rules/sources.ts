/**
 * Where every rule of the simulator comes from. A rule's `source` names one of these and, when it helps, the key.
 * "pack" files are wso2/product-apim's, at <pack>/modules/distribution/product/src/main/..., e.g.
 * gateway/modules/distribution/product/src/main/resources/conf/default.json. Each pack's shipped default.json and
 * infer.json are merged at build time with carbon-kernel's and the features' files
 * (<pack>/modules/distribution/product/pom.xml, wso2-maven-json-merge-plugin); the sim reads the parts it needs.
 */
export const SOURCES = {
  packDefault45: 'wso2/product-apim v4.5.0 <pack>/.../resources/conf/default.json',
  packDefault46: 'wso2/product-apim v4.6.0 <pack>/.../resources/conf/default.json',
  packDefault47: 'wso2/product-apim v4.7.0 <pack>/.../resources/conf/default.json',
  packInfer45: 'wso2/product-apim v4.5.0 <pack>/.../resources/conf/infer.json',
  packInfer46: 'wso2/product-apim v4.6.0 <pack>/.../resources/conf/infer.json',
  packInfer47: 'wso2/product-apim v4.7.0 <pack>/.../resources/conf/infer.json',
  packToml46: 'wso2/product-apim v4.6.0 <pack>/.../conf/deployment.toml',
  packPom46: 'wso2/product-apim v4.6.0 <pack>/modules/distribution/product/pom.xml (json-merge of kernel and feature default.json/infer.json)',
  kernelDefault: 'wso2/carbon-kernel v4.9.28 (APIM 4.5.0) / v4.9.33 (4.6.0) distribution/kernel/carbon-home/repository/resources/conf/default.json',
  kernelKeystore: 'wso2/carbon-kernel v4.9.28 (product-apim v4.5.0 all-in-one-apim/pom.xml carbon.kernel.version) / v4.9.33 (v4.6.0) distribution/kernel/carbon-home/repository/resources/security/wso2carbon.jks: alias wso2carbon, PrivateKeyEntry, 2048-bit RSA, SHA256withRSA, CN=localhost (read with keytool; product-apim ships no wso2carbon.jks of its own, only client-truststore.jks)',
  kernelInfer: 'wso2/carbon-kernel v4.9.28 / v4.9.33 distribution/kernel/carbon-home/repository/resources/conf/infer.json (identical)',
  coreDefault: 'wso2/carbon-apimgt features/apimgt/org.wso2.carbon.apimgt.core.feature/src/main/resources/conf_templates/org.wso2.carbon.apimgt.core.default.json (stored version 013f76c; the 9.31.86/9.32.147 copies were not retrievable)',
  masterDatasources: 'wso2/carbon-apimgt features/apimgt/org.wso2.carbon.apimgt.core.feature/src/main/resources/conf_templates/templates/repository/conf/datasources/master-datasources.xml.j2 (stored versions 631ebb4, 6b92bec: shared_db written unconditionally)',
  configMapper: 'wso2/config-mapper v1.0.23 (carbon-kernel v4.9.33 parent/pom.xml config.mapper.version) src/main/java/org/wso2/config/mapper/{ConfigParser,ValueInferrer,DefaultParser,ReferenceResolver}.java',
  kernelMain: 'wso2/carbon-kernel v4.9.33 core/org.wso2.carbon.server/src/main/java/org/wso2/carbon/server/Main.java handleConfiguration()',
  ndatasource: 'wso2/carbon-kernel v4.9.33 core/org.wso2.carbon.ndatasource.core/.../{DataSourceManager,internal/DataSourceServiceComponent}.java',
  tomcatJdbc: 'Apache tomcat-jdbc PooledConnection.connectUsingDriver (found through the search index, version not pinned)',
  productIs28431: 'wso2/product-is#28431 (bare & in a deployment.toml JDBC URL breaks master-datasources.xml; write &amp;)',
  docsMysql: 'wso2/docs-apim en/docs/install-and-setup/setup/setting-up-databases/changing-default-databases/changing-to-mysql.md@059d2f8',
  docsPostgres: 'wso2/docs-apim .../changing-default-databases/changing-to-postgresql.md@01e8210',
  docsDistributed: 'wso2/docs-apim en/docs/includes/deploy/steps-to-deploy-apim-in-a-distributed-setup-with-tm-separation.md@04c686c',
  docsMultiDc1: 'wso2/docs-apim en/docs/install-and-setup/setup/multi-dc-deployment/configuring-multi-dc-deployment-pattern-1.md (eventpublishers/*Region2.xml, jndi-region2.properties)',
  javaProperties: 'JDK 17 java.util.Properties#load javadoc (escapes, separators, comments, continuation lines)',
  gatewayWsEndpoints: 'wso2/product-apim v4.5.0/v4.6.0 {gateway,all-in-one-apim}/modules/distribution/product/src/main/conf/synapse-configs/default/inbound-endpoints/{WebSocketInboundEndpoint,SecureWebSocketInboundEndpoint}.xml (protocol ws on 9099, wss on 8099, ws.use.port.offset true) and <pack>/.../resources/conf/default.json apim.ws.port 9099, apim.wss.port 8099, apim.wss.keystore.* = $ref{keystore.tls.*}',
  rfc6455: 'RFC 6455 (The WebSocket Protocol) sections 1.3, 4.2, 5.2, 7.4: opening handshake, framing, closing',
  docsVault: 'wso2/docs-apim en/docs/install-and-setup/setup/security/logins-and-passwords/working-with-encrypted-passwords.md@0aec37a ([secrets] at the end, $secret{alias}; internal keystore else primary; password-tmp deleted after start, password-persist kept, key password on line 2 when it differs; console prompt otherwise)',
  cipherTool: 'wso2 cipher-tool org.wso2.ciphertool.utils.Constants / AsymmetricCipher and the runtime FileBaseSecretRepository (found through the search index, versions not pinned): transformation from org.wso2.CipherTransformation, else "RSA"; value = base64 of the cipher bytes',
  apimComponent: 'wso2/carbon-apimgt components/apimgt/org.wso2.carbon.apimgt.impl/src/main/java/org/wso2/carbon/apimgt/impl/internal/APIManagerComponent.java activate() (stored version 0063fb1): APIUtil.loadAndSyncTenantConf first, APIManagementException logged as "Error while initializing the API manager component"',
  migrationResources: 'wso2-extensions/apim-migration-resources migration-scripts/migration-<from>_to_<to>/<vendor>.sql (up to 3.x) and its 4.x client Utility.java PRE_MIGRATION_SCRIPT_DIR = <APIM_HOME>/migration-resources/migration-scripts/pre-migration-scripts/, V410Migration "migration-4.0.0_to_4.1.0" (stored versions, no 4.5/4.6 step seen)',
  migrationClient: 'wso2-extensions/apim-migration-resources V410Migration.java: a step runs its pre-migration scripts (PreDBScriptMigrator), the data and registry migrators, then post-migration scripts (post-migration-scripts/am_db, reg_db)',
  docsUpgrade410: 'wso2/docs-apim en/docs/install-and-setup/upgrading-wso2-api-manager/400-to-410/upgrading-from-400-to-410.md@0032f78 (back up databases, copy migration-resources to <API-M_HOME>, migration client jar to dropins, start with -Dmigrate -DmigrateFromVersion -DmigratedVersion); upgrading-guidelines.md@005f69a (old and new environments run side by side; zero downtime only with WSO2 support)',
  publisherApi: 'wso2/carbon-apimgt components/apimgt/org.wso2.carbon.apimgt.rest.api.publisher.v1/src/main/resources/publisher-api.yaml (stored version 002d85a, the v2 document): POST /apis 201 (API, Location) / 400 / 415, GET /apis 200 (APIList: count, list of APIInfo, pagination); API requires context (1-232), name (1-60, pattern), version (1-30, pattern); the 4.x packs serve it under /api/am/publisher/v4 (docs-apim publisher-v4.yaml `servers`, and its curl samples on https://127.0.0.1:9443/api/am/publisher/v4/apis)',
  publisherAuth: 'wso2/docs-apim en/docs/reference/product-apis/publisher-apis/publisher-v4/publisher-v4.yaml (stored version 05442a9, info.version v4.2): "The Publisher REST API is protected using OAuth2 and access control is achieved through scopes"; per operation `security: OAuth2Security` scopes (GET /apis: apim:api_view, apim:api_manage, apim:api_import_export, apim:api_list_view; POST /apis: apim:api_create, apim:api_manage); carbon-apimgt\'s REST API beans.xml leaves the BasicAuthenticationInterceptor commented out',
  publisherOAuth: 'wso2/docs-apim publisher-v4.yaml (05442a9) "Authentication": DCR `POST https://<host>:<servlet_port>/client-registration/v0.17/register`, Basic of the admin, JSON {callbackUrl, clientName, owner, grantType "client_credentials password refresh_token", saasApp}, answer {clientId, clientSecret, clientName, callBackURL, isSaasApplication, appOwner, ...}; then `POST https://<host>:<servlet_port>/oauth2/token`, grant_type=password&username&password&scope=<space separated>, Basic of clientId:clientSecret, answer {access_token, refresh_token, scope, token_type Bearer, expires_in 3600}; servers: .../api/am/publisher/v4. Error codes: RFC 6749 §5.2 (token endpoint) and RFC 6750 §3.1 (401 invalid_token, 403 insufficient_scope)',
  packLog4j: 'wso2/product-apim v4.5.0 and v4.6.0 {all-in-one-apim,api-control-plane,gateway,traffic-manager}/modules/distribution/product/src/main/conf/log4j2.properties: RollingFile appenders under ${sys:carbon.home}/repository/logs (wso2carbon.log, http_access.log, ...), none sets ignoreExceptions; the start scripts (startScripts) run log4j2 with -Dlog4j2.contextSelector=...AsyncLoggerContextSelector, so lines are appended on log4j\'s own thread, not the caller\'s',
  startScripts: 'wso2/product-apim v4.5.0 and v4.6.0 <pack>/modules/distribution/product/src/main/startup-scripts/{api-manager,api-cp,gateway,traffic-manager}.sh: the java command line carries -Dhttpclient.hostnameVerifier=AllowAll, -Dorg.opensaml.httpclient.https.disableHostnameVerification=true and -Dlog4j2.contextSelector=org.apache.logging.log4j.core.async.AsyncLoggerContextSelector',
  carbonApimgtHttpClients: 'wso2/carbon-apimgt APIUtil and org.wso2.carbon.apimgt.common.gateway CommonAPIUtil (stored versions, found through the search index): HOST_NAME_VERIFIER = "httpclient.hostnameVerifier", values Strict, AllowAll, DefaultAndLocalhost',
  log4jAppenders: 'Apache Log4j 2 manual, Appenders (logging.apache.org/log4j/log4j-2.3/manual/appenders.html, FileAppender parameters): ignoreExceptions defaults to true, "causing exceptions encountered while appending events to be internally logged and then ignored"; log4j-core AppenderControl.tryCallAppender reports "An exception occurred processing Appender <name>" to the status logger and rethrows only when ignoreExceptions is false (found through the search index, version not pinned)',
  jsse: 'the lab JDK (Debian OpenJDK 17): javax.net.ssl with the node\'s [truststore] as the only trust anchors',
} as const;

export type SourceId = keyof typeof SOURCES;
