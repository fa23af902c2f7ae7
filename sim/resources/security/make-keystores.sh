#!/usr/bin/env bash
# Builds the simulated packs' keystores the way the real packs ship them (done once; the results are committed so
# every build is byte-identical): wso2carbon.jks holds the pack's key and certificate under the alias "wso2carbon",
# client-truststore.jks trusts that certificate, both JKS with the store and key password "wso2carbon"
# (wso2/product-apim v4.6.0 */repository/conf/deployment.toml [keystore.tls] and [truststore]).
# The key pair is the existing wso2carbon.key / wso2carbon.pem (key encrypted with "wso2carbon"): RSA 2048 with a
# SHA256withRSA self-signed certificate for CN=localhost, the kind of key the real packs ship (wso2/carbon-kernel
# v4.9.28 / v4.9.33, the kernels of APIM 4.5.0 / 4.6.0, distribution/kernel/carbon-home/repository/resources/security/
# wso2carbon.jks; sim/rules/sources.ts kernelKeystore). Secure vault needs an RSA key (Carbon's default cipher is "RSA").
# Made with: openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -aes-256-cbc -pass pass:wso2carbon
#   -out wso2carbon.key; openssl req -new -x509 -key wso2carbon.key -passin pass:wso2carbon -sha256 -days 36500
#   -subj "/CN=localhost/O=WSO2 Simulated/C=US" -out wso2carbon.pem
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
