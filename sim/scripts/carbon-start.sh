#!/bin/sh
# ----------------------------------------------------------------------------
# @SCRIPT@.sh: start script of the SIMULATED @PRODUCT@ @VERSION@ (apim-deploy lab).
# Same interface as the real Carbon scripts:
#   start | stop | restart | version | no command = run in the foreground.
#   Any other argument (-Dprofile=..., -DportOffset=N, -Dkey=value) goes to the server.
# The server is a Node program (lib/wso2-sim.cjs). Like the real pack, the script
# still insists on an executable $JAVA_HOME/bin/java.
# ----------------------------------------------------------------------------

# $0 may be a symlink: resolve it, as the real script does.
PRG="$0"
while [ -h "$PRG" ]; do
  ls=$(ls -ld "$PRG")
  link=$(expr "$ls" : '.*-> \(.*\)$')
  if expr "$link" : '/.*' > /dev/null; then PRG="$link"; else PRG=$(dirname "$PRG")/"$link"; fi
done
PRGDIR=$(dirname "$PRG")
# Logical path (no pwd -P), like Carbon: through a `current` symlink CARBON_HOME stays .../current.
[ -z "$CARBON_HOME" ] && CARBON_HOME=$(cd "$PRGDIR/.." && pwd)

if [ -z "$JAVA_HOME" ]; then
  echo "Error: JAVA_HOME is not set. Set JAVA_HOME to a JDK (@JDK_MIN@-@JDK_MAX@) before running @SCRIPT@.sh." >&2
  exit 1
fi
JAVACMD="$JAVA_HOME/bin/java"
if [ ! -x "$JAVACMD" ]; then
  echo "Error: JAVA_HOME is not defined correctly: $JAVACMD is not an executable file." >&2
  exit 1
fi

PID_FILE="$CARBON_HOME/wso2carbon.pid"

# Alive and not a zombie.
is_alive() {
  [ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 1
  state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
  [ "$state" != "Z" ]
}

recorded_pid() {
  [ -f "$PID_FILE" ] && head -n 1 "$PID_FILE" 2>/dev/null
}

start_daemon() {
  if is_alive "$(recorded_pid)"; then
    echo "Process is already running"
    exit 0
  fi
  export CARBON_HOME JAVA_HOME
  # A session of its own and no inherited streams: it must outlive an SSH session.
  # setsid does not fork here (a background job of a non-interactive sh is no group leader), so $! is the server.
  if command -v setsid > /dev/null 2>&1; then
    setsid sh "$CARBON_HOME/bin/@SCRIPT@.sh" "$@" > /dev/null 2>&1 < /dev/null &
  else
    nohup sh "$CARBON_HOME/bin/@SCRIPT@.sh" "$@" > /dev/null 2>&1 < /dev/null &
  fi
  echo "$!" > "$PID_FILE"
}

CMD=""
for c in "$@"; do
  shift
  case "$c" in
    start | -start | --start) CMD="start" ;;
    stop | -stop | --stop) CMD="stop" ;;
    restart | -restart | --restart) CMD="restart" ;;
    version | -version | --version) CMD="version" ;;
    *) set -- "$@" "$c" ;;
  esac
done

case "$CMD" in
  start)
    start_daemon "$@"
    exit 0
    ;;
  stop)
    pid=$(recorded_pid)
    if [ -z "$pid" ]; then
      echo "$PID_FILE not found: the server is not running" >&2
      exit 0
    fi
    kill -TERM "$pid" 2>/dev/null || echo "No process with PID $pid: the server is not running" >&2
    exit 0
    ;;
  restart)
    pid=$(recorded_pid)
    if is_alive "$pid"; then
      kill -TERM "$pid"
      while is_alive "$pid"; do sleep 0.2 2>/dev/null || sleep 1; done
    fi
    start_daemon "$@"
    exit 0
    ;;
  version)
    cat "$CARBON_HOME/bin/version.txt"
    exit 0
    ;;
esac

# Foreground. The JDK range check only prints, as in the real script.
java_version=$("$JAVACMD" -version 2>&1 | awk -F '"' '/version/ {print $2}')
java_major=${java_version%%.*}
case "$java_major" in
  '' | *[!0-9]*) echo "[ERROR] Cannot read the JDK version from $JAVACMD -version" >&2 ;;
  *) if [ "$java_major" -lt @JDK_MIN@ ] || [ "$java_major" -gt @JDK_MAX@ ]; then
       echo "[ERROR] CARBON is supported only on JDK @JDK_MIN@ - @JDK_MAX@ (found $java_version)" >&2
     fi ;;
esac

# Like the real script (wso2/product-apim all-in-one-apim/modules/distribution/product/src/main/startup-scripts/
# api-manager.sh): the default heap when JVM_MEM_OPTS is unset, then $JVM_MEM_OPTS and $JAVA_OPTS unquoted (split at
# blanks) before the script's own -D options, so the running process's command line shows what the JVM got.
if [ -z "$JVM_MEM_OPTS" ]; then JVM_MEM_OPTS="-Xms256m -Xmx1024m"; fi

NODE=$(command -v node 2> /dev/null || echo /usr/bin/node)
cd "$CARBON_HOME" || exit 1
# shellcheck disable=SC2086
exec "$NODE" "$CARBON_HOME/lib/wso2-sim.cjs" --sim-script=@SCRIPT@ $JVM_MEM_OPTS $JAVA_OPTS "-Dcarbon.home=$CARBON_HOME" "$@"
