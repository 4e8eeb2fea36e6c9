#!/usr/bin/env bash
# The build on the oldest supported Node line: the compiled dist/ with the production dependencies
# only, installed from the lockfile in a temporary folder (the checkout's tree is left as it is),
# started with `serve --demo`, then one proxied call and one MCP call (.ci/smoke.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=.ci/node.sh
source .ci/node.sh
use_node 22.23.3 sha512-qHnz5tFsHoj/WM+uRENVjWONi5hVvmwrgq8A4V76KpuVNAc4+jwK8x4gwbobE9BtHNg/AKR2583eYorLF/c7ng==
[ -f dist/cli/main.js ] || { echo "smoke: no dist/ (run npm ci or npm run build first)" >&2; exit 1; }
app=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-smoke-XXXXXX")
trap 'rm -rf "$app"' EXIT
cp package.json package-lock.json "$app/"
cp -r dist "$app/dist"
# --ignore-scripts: the root `prepare` script builds, which needs the dev dependencies. No dependency
# needs an install script: the native ones (better-sqlite3) ship Node-API binaries for every line.
(cd "$app" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
node .ci/smoke.mjs "$app"
