#!/usr/bin/env bash
# P4: an event appended → visible in the run read model, p50/p99 at 1,000 events/s (PERFORMANCE.md). A fresh
# standalone (embedded H2) with 500 automations on 1-second interval schedules (500 fires/s, two events each);
# the read model is sampled with GET .../runs/{id} (run ids are known before they fire), the SSE stream watched
# for every fire. Builds the standalone and the bench in the reactor (nothing is installed into ~/.m2) and runs
# the bench with the classpath Maven computes (the run-p2.sh pattern). Extra arguments go to the bench: --quick,
# --automations 500, --seconds 60, --warmup 10, --samples 5, --poll-ms 10. JAVA_OPTS go to the server.
# Last line: "P4 p50_ms=… p99_ms=… rate=<achieved events/s>".
set -euo pipefail
cd "$(dirname "$0")/.."
cp="$PWD/bench/target/p4-classpath.txt"
./mvnw -q -B -ntp -o -DskipTests package dependency:build-classpath -pl standalone,bench -am \
  -Dmdep.outputFile="$cp" -Dmdep.includeScope=runtime
exec java -Xmx1g -Daxoniq.update-checker.disabled=true \
  -cp "bench/target/classes:$(cat "$cp")" dev.autoplane.bench.ReadModelLagBench "$@"
