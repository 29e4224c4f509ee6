#!/usr/bin/env bash
# Identity and access: token exchanges per second, and authenticated requests per second with and
# without the access-token verification cache (bench/README.md). Builds the standalone and the bench,
# then starts the standalone jar itself (twice: cache on, cache off). Extra arguments go to the
# benchmark: --rounds 5 --seconds 10 --concurrency 16 --warmup 10.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -ntp -DskipTests package -pl standalone,bench -am
exec java -cp bench/target/classes dev.autoplane.bench.AuthBench "$@"
