#!/usr/bin/env bash
# P10: whole-lifecycle runs/s (issue 10) — fire → lease → complete over HTTP by 16 executor threads against a
# fresh standalone (embedded H2), then the same work on db-scheduler (a no-op one-time task, H2 file, 16 threads)
# in this JVM, as the ratio. Builds the standalone and the bench in the reactor (nothing is installed into ~/.m2)
# and runs the bench with the classpath Maven computes (the run-p2.sh pattern). Extra arguments go to the bench:
# --quick, --rounds 5, --seconds 10, --warmup 20, --executors 16, --firers 8, --automations 32, --max-runs 8,
# --window 256, --no-db-scheduler. JAVA_OPTS go to the *server* (e.g. -XX:StartFlightRecording=filename=/tmp/p10.jfr).
# Last line: "P10 ratio=<autoplane/db-scheduler> autoplane=<runs/s> db_scheduler=<runs/s> p99_ms=<ms>".
set -euo pipefail
cd "$(dirname "$0")/.."
cp="$PWD/bench/target/p10-classpath.txt"
./mvnw -q -B -ntp -o -DskipTests package dependency:build-classpath -pl standalone,bench -am \
  -Dmdep.outputFile="$cp" -Dmdep.includeScope=runtime
# every module of the reactor writes the file; bench comes last, so it holds the bench's classpath
exec java -Xmx1g -Daxoniq.update-checker.disabled=true \
  -cp "bench/target/classes:$(cat "$cp")" dev.autoplane.bench.LifecycleBench "$@"
