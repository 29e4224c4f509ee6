#!/usr/bin/env bash
# P1: durable, authenticated commands through HTTP (PERFORMANCE.md). Builds the standalone and the
# bench, then runs the benchmark against a fresh standalone it starts itself. Extra arguments go to
# the benchmark: --rounds 5 --seconds 10 --concurrency 16,64 --rate 1000 (or --url/--token).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -ntp -DskipTests install -pl standalone,bench -am
exec java -cp bench/target/classes dev.autoplane.bench.CommandThroughputBench "$@"
