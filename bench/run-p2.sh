#!/usr/bin/env bash
# P2/P3: scheduled fires, and db-scheduler side by side on the same database (PERFORMANCE.md). Builds the
# standalone and the bench in the reactor (nothing is installed into ~/.m2), then runs the benchmark with the
# classpath Maven computes, the standalone's own classes (AutoplaneApplication, application.yml) in front.
# Extra arguments go to the benchmark: --sizes 10000,100000 | --quick, --rate 1000, --saturate 3000,
# --rounds 3, --seconds 20, --warmup 5, --burst 10000, --seed-threads 8, --ds-threads 10, --ds-poll-ms 10,
# --no-db-scheduler, --keep-data (keep the H2 data directory; it is deleted by default). JAVA_OPTS adds JVM options (e.g. -XX:StartFlightRecording=filename=p2.jfr).
set -euo pipefail
cd "$(dirname "$0")/.."
cp="$PWD/bench/target/p2-classpath.txt"
./mvnw -q -B -ntp -DskipTests package dependency:build-classpath -pl standalone,bench -am \
  -Dmdep.outputFile="$cp" -Dmdep.includeScope=runtime
# every module of the reactor writes the file; bench comes last, so it holds the bench's classpath
exec java -Xmx2g ${JAVA_OPTS:-} -Daxoniq.update-checker.disabled=true \
  -cp "standalone/target/classes:bench/target/classes:$(cat "$cp")" dev.autoplane.bench.SchedulerBench "$@"
