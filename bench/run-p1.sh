#!/usr/bin/env bash
# P1: durable, authenticated commands through HTTP (PERFORMANCE.md). Builds the standalone and the
# bench, then runs the benchmark against a fresh standalone it starts itself. Extra arguments go to
# the benchmark: --quick, --rounds 5 --seconds 10 --concurrency 16,64 --rate 1000 (or --url/--token),
# --no-reference. In the same run it drives the reference (ReferenceServer: one durable H2 insert per
# request) and ends with "P1 ratio=<autoplane/reference> autoplane=<req/s> reference=<req/s> p99_ms=<ms>".
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -ntp -DskipTests install -pl standalone,bench -am
./mvnw -q -B -ntp dependency:build-classpath -pl bench -Dmdep.outputFile=target/classpath.txt
exec java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.autoplane.bench.CommandThroughputBench "$@"
