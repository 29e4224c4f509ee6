#!/usr/bin/env bash
# P6: SSE fan-out of /runs/stream at 1,000 and 10,000 subscribers (PERFORMANCE.md, issue 10): deliveries/s, p99
# latency (event produced → received), none lost, server heap after. Builds the standalone and the bench in the
# reactor (nothing is installed into ~/.m2) and runs the bench with the classpath Maven computes (the run-p2.sh
# pattern); the bench starts a fresh standalone itself with AUTOPLANE_SERVER_MAX_CONNECTIONS above the subscriber
# count. Extra arguments go to the bench: --quick, --subscribers 1000,10000, --runs 50, --rate 5.
# JAVA_OPTS go to the server. Each subscriber is one socket in this process and one in the server: the
# descriptor limit is raised to the hard limit (10,000 subscribers need > 10,000 in each process).
# Last line: "P6 subscribers=… deliveries_per_s=… p99_ms=… lost=… heap_mb=…".
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n "$(ulimit -Hn)" || true
cp="$PWD/bench/target/p6-classpath.txt"
./mvnw -q -B -ntp -o -DskipTests package dependency:build-classpath -pl standalone,bench -am \
  -Dmdep.outputFile="$cp" -Dmdep.includeScope=runtime
exec java -Xmx2g -Daxoniq.update-checker.disabled=true \
  -cp "bench/target/classes:$(cat "$cp")" dev.autoplane.bench.FanOutBench "$@"
