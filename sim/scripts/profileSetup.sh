#!/bin/sh
# ----------------------------------------------------------------------------
# profileSetup.sh of the SIMULATED @PRODUCT@ @VERSION@ (apim-deploy lab).
#   sh profileSetup.sh -Dprofile=<profile> [--skipConfigOptimization]
# Profiles: @PROFILES@
# Without --skipConfigOptimization, deployment.toml is backed up as deployment.toml.backup and replaced by
# repository/resources/conf/deployment-templates/<profile>.toml. Either way the parts the profile does not use are
# removed. Running it again changes nothing.
# ----------------------------------------------------------------------------
PRG="$0"
while [ -h "$PRG" ]; do
  ls=$(ls -ld "$PRG")
  link=$(expr "$ls" : '.*-> \(.*\)$')
  if expr "$link" : '/.*' > /dev/null; then PRG="$link"; else PRG=$(dirname "$PRG")/"$link"; fi
done
PRGDIR=$(dirname "$PRG")
[ -z "$CARBON_HOME" ] && CARBON_HOME=$(cd "$PRGDIR/.." && pwd)

profile=""
optimize_config=true
for c in "$@"; do
  case "$c" in
    -Dprofile=*) profile=${c#-Dprofile=} ;;
    --skipConfigOptimization) optimize_config=false ;;
    *) echo "Unknown argument: $c" >&2; exit 1 ;;
  esac
done

case " @PROFILES@ " in
  *" $profile "*) [ -n "$profile" ] || { echo "Profile is not specified. Use -Dprofile=<@PROFILES@>" >&2; exit 1; } ;;
  *) echo "Profile \"$profile\" is not supported. Use one of: @PROFILES@" >&2; exit 1 ;;
esac

conf="$CARBON_HOME/repository/conf/deployment.toml"
template="$CARBON_HOME/repository/resources/conf/deployment-templates/$profile.toml"
server="$CARBON_HOME/repository/deployment/server"

echo "Starting to optimize API Manager for the $profile profile"
if [ "$optimize_config" = true ]; then
  if [ -f "$conf" ] && cmp -s "$conf" "$template"; then
    echo "deployment.toml is already the $profile template"
  else
    [ -f "$conf" ] && cp -p "$conf" "$conf.backup"
    cp "$template" "$conf" || exit 1
    echo "Replaced deployment.toml with the $profile template (previous one kept as deployment.toml.backup)"
  fi
else
  echo "Skipping configuration optimization (--skipConfigOptimization): deployment.toml kept"
fi

websockets="synapse-configs/default/inbound-endpoints/WebSocketInboundEndpoint.xml synapse-configs/default/inbound-endpoints/SecureWebSocketInboundEndpoint.xml"
portals="webapps/publisher webapps/devportal webapps/admin"
case "$profile" in
  key-manager | api-key-manager-node | api-key-manager-deprecated) remove="$portals $websockets" ;;
  traffic-manager) remove="$portals webapps/api#am#gateway#v2 $websockets" ;;
  gateway-worker) remove="$portals" ;;
  control-plane) remove="$websockets" ;;
  *) remove="" ;;
esac
for part in $remove; do
  if [ -e "$server/$part" ]; then
    rm -rf "$server/$part"
    echo "Removed repository/deployment/server/$part"
  fi
done
echo "Finished the optimization for the $profile profile"
exit 0
