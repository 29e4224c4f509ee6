#!/usr/bin/env bash
# P7: signed webhook deliveries, each firing a run, and forged deliveries rejected (PERFORMANCE.md).
# Builds the standalone and the bench, starts a fresh standalone (embedded default, the endpoint's rate
# limit lifted) and measures valid deliveries/s (p50/p99), forged rejections/s (wrong signature and
# unknown endpoint) and, as the reference in the same run, POST .../trigger on the same automation.
# Extra arguments go to the benchmark: --quick, --rounds 3 --seconds 10 --concurrency 16 --warmup 5.
# Ends with "P7 ratio=<valid/manual> valid=<deliveries/s> p50_ms=… p99_ms=… forged=<rejections/s> unknown=… manual=…".
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -ntp -DskipTests package -pl standalone,bench -am
exec java -cp bench/target/classes dev.autoplane.bench.WebhookBench "$@"
