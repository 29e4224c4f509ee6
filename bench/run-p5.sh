#!/usr/bin/env bash
# P5: rebuild of the read models from the event log, events/s, at two sizes (PERFORMANCE.md). The standalone runs
# in-process on a fresh data directory (embedded H2); the log is grown to each size (automations created by
# command, their runs' events appended to the event store), the live projections catch up, then each round is one
# POST /api/v1/admin/projections/replay through HTTP, timed by the rebuild's own started_at/finished_at.
# Arguments: --quick (20,000 and 100,000 events, 2 rounds: a few minutes), --sizes 100000,1000000, --rounds 3
# (the defaults: 15-25 minutes here, mostly appending the million events).
# JAVA_OPTS are added (the heap is bounded by -Xmx1g unless they say otherwise).
# Last line: "P5 events=… eps=… small_events=… small_eps=… ratio=… heap_peak_mib=… heap_after_gc_mib=…".
set -euo pipefail
cd "$(dirname "$0")/.."
cp="$PWD/bench/target/p5-classpath.txt"
./mvnw -q -B -ntp -o -DskipTests package dependency:build-classpath -pl standalone,bench -am \
  -Dmdep.outputFile="$cp" -Dmdep.includeScope=runtime
# every module of the reactor writes the file; bench comes last, so it holds the bench's classpath
exec java -Xmx1g ${JAVA_OPTS:-} -Daxoniq.update-checker.disabled=true \
  -cp "standalone/target/classes:bench/target/classes:$(cat "$cp")" dev.autoplane.bench.RebuildBench "$@"
