#!/usr/bin/env bash
# Installs the Debian packages the lab needs (when missing) and the npm dependencies, then builds the CLI bundle. Idempotent.
# chromium: the browser test (test/integration/pictures-browser.test.ts) screenshots the graph and the run report.
# Used by ./demo and by .ci/run, so a fresh machine and CI get exactly the same set-up.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for pair in sshd:openssh-server ip:iproute2 nginx:nginx haproxy:haproxy socat:socat zip:zip unzip:unzip curl:curl sudo:sudo openssl:openssl chromium:chromium; do
  cmd=${pair%%:*}; pkg=${pair#*:}
  command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$cmd" ] || need+=("$pkg")
done
[ -x /usr/lib/postgresql/15/bin/postgres ] || need+=(postgresql)
# The lab JDK is linked from Debian's OpenJDK 17 (jlink, jmods, javac, keytool): src/lab/dist/jdk.ts.
[ -x /usr/lib/jvm/java-17-openjdk-amd64/bin/jlink ] || need+=(openjdk-17-jdk-headless)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
# Debian starts these services on install where it can; the lab runs its own instances per host.
# A node_modules that is a symlink is an install shared with other checkouts (git worktrees): npm ci would delete and
# rewrite it under every checkout that links it. Leave it alone and say so when it looks older than the lock file.
if [ -L node_modules ]; then
  if [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "node_modules links to $(readlink -f node_modules), which looks older than package-lock.json; not running npm ci on a shared install" >&2
  fi
elif [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
# The bundle bin/apim-deploy runs (build/, not in git); without it, or when a source is newer, bin runs tsx instead.
node scripts/build.mjs
