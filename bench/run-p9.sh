#!/usr/bin/env bash
# P9: start-up time to /actuator/health UP on a fresh data directory, and idle RSS 15 s later.
#   bench/run-p9.sh [runs]        # interleaves `java -jar` and `bin/autoplane`, runs times each (default 3)
#   JAR=/path/to/other.jar bench/run-p9.sh   # another build (e.g. the previous release) side by side
# Build first: ./mvnw -q -B -DskipTests package -pl standalone -am. Prints one line per start.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
jar=${JAR:-standalone/target/autoplane-standalone.jar}
port=${PORT:-18181}
[ -f "$jar" ] || { echo "no jar at $jar: build it first" >&2; exit 1; }

one() { # mode: jar | bin
  local mode=$1 dir start end pid rss
  dir=$(mktemp -d)
  start=$(date +%s%N)
  if [ "$mode" = jar ]; then
    AUTOPLANE_DATA_DIR="$dir/data" SERVER_PORT=$port java -jar "$jar" >"$dir/log" 2>&1 &
  else
    AUTOPLANE_JAR="$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")" AUTOPLANE_DATA_DIR="$dir/data" \
      SERVER_PORT=$port bin/autoplane >"$dir/log" 2>&1 &
  fi
  for _ in $(seq 1 1800); do
    curl -sf "localhost:$port/actuator/health" 2>/dev/null | grep -q UP && break
    sleep 0.1
  done
  end=$(date +%s%N)
  pid=$(ss -ltnp 2>/dev/null | grep ":$port " | sed -E 's/.*pid=([0-9]+).*/\1/' | head -1)
  sleep 15
  rss=$(awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$pid/status")
  printf '%-4s start-up %5.1f s  idle RSS %4d MiB  load %s\n' "$mode" \
    "$(echo "($end - $start) / 1000000000" | bc -l)" "$rss" "$(cut -d' ' -f1 /proc/loadavg)"
  kill "$pid"; wait 2>/dev/null || true; rm -rf "$dir"
}

one bin >/dev/null # bin/autoplane's first start of a jar records its class-data archive: not measured
for _ in $(seq 1 "$runs"); do one jar; one bin; done
