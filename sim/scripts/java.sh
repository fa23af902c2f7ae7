#!/bin/sh
# SIMULATED JDK @JDK_VERSION@ (apim-deploy lab). Answers `java -version` / `java --version` like Temurin does,
# so version checks work; it runs no Java. The simulated WSO2 packs start their server with node.
for arg in "$@"; do
  case "$arg" in
    -version | -showversion)
      echo 'openjdk version "@JDK_VERSION@" @JDK_DATE@@LTS_SUFFIX@' >&2
      echo 'OpenJDK Runtime Environment Temurin-@JDK_FULL@ (build @JDK_FULL@@LTS_BUILD@)' >&2
      echo 'OpenJDK 64-Bit Server VM Temurin-@JDK_FULL@ (build @JDK_FULL@@LTS_BUILD@, mixed mode, sharing)' >&2
      exit 0 ;;
    --version | --show-version)
      echo 'openjdk @JDK_VERSION@ @JDK_DATE@@LTS_SUFFIX@'
      echo 'OpenJDK Runtime Environment Temurin-@JDK_FULL@ (build @JDK_FULL@@LTS_BUILD@)'
      echo 'OpenJDK 64-Bit Server VM Temurin-@JDK_FULL@ (build @JDK_FULL@@LTS_BUILD@, mixed mode, sharing)'
      exit 0 ;;
  esac
done
echo "java: this is a simulated JDK (apim-deploy lab test bed); only 'java -version' and 'java --version' work." >&2
exit 1
