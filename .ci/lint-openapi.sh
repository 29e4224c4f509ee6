#!/usr/bin/env bash
# Lints the OpenAPI document that the HTTP tests wrote (standalone/target/openapi.json, the server's own
# /v3/api-docs) with Spectral's spectral:oas ruleset; any warning fails. Spectral comes from the npm
# registry into target/spectral (not committed). Run after `./mvnw verify`.
set -euo pipefail
cd "$(dirname "$0")/.."
doc=standalone/target/openapi.json
[ -f "$doc" ] || { echo "$doc is missing: the HTTP tests write it (OperationsTest)"; exit 1; }
if ! command -v npm >/dev/null 2>&1; then
  echo "No npm found: installing nodejs and npm"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm </dev/null
fi
tools=target/spectral
mkdir -p "$tools"
npm install --prefix "$tools" --no-audit --no-fund --silent @stoplight/spectral-cli@6.16.3 >/dev/null
printf 'extends: ["spectral:oas"]\n' > "$tools/ruleset.yaml"
"$tools/node_modules/.bin/spectral" lint "$doc" --ruleset "$tools/ruleset.yaml" --fail-severity=warn
echo "OpenAPI: spectral:oas clean"
