#!/usr/bin/env bash
# Builds the simulated packs' keystores the way the real packs ship them (done once; the results are committed so
# every build is byte-identical): wso2carbon.jks holds the pack's key and certificate under the alias "wso2carbon",
# client-truststore.jks trusts that certificate, both JKS with the store and key password "wso2carbon"
# (wso2/product-apim v4.6.0 */repository/conf/deployment.toml [keystore.tls] and [truststore]).
# The key pair is the existing wso2carbon.key / wso2carbon.pem (key encrypted with "wso2carbon").
# Needs openssl and the JDK's keytool (scripts/install-deps.sh installs openjdk-17-jdk-headless).
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
openssl pkcs12 -export -in wso2carbon.pem -inkey wso2carbon.key -passin pass:wso2carbon \
  -name wso2carbon -out "$tmp/wso2carbon.p12" -passout pass:wso2carbon
rm -f wso2carbon.jks client-truststore.jks
keytool -importkeystore -noprompt -srckeystore "$tmp/wso2carbon.p12" -srcstoretype PKCS12 -srcstorepass wso2carbon \
  -destkeystore wso2carbon.jks -deststoretype JKS -deststorepass wso2carbon -destkeypass wso2carbon \
  -alias wso2carbon 2>/dev/null
keytool -importcert -noprompt -alias wso2carbon -file wso2carbon.pem \
  -keystore client-truststore.jks -storetype JKS -storepass wso2carbon 2>/dev/null
keytool -list -keystore wso2carbon.jks -storepass wso2carbon -storetype JKS 2>/dev/null | grep -i entry
keytool -list -keystore client-truststore.jks -storepass wso2carbon -storetype JKS 2>/dev/null | grep -i entry
