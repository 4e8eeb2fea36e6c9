#!/usr/bin/env bash
# The build on the oldest supported Node line (node-pins.json's `oldest`, fetched and checked by the
# same bootstrap `npm install` runs): the compiled dist/ with the production dependencies only,
# installed from the lockfile in a temporary folder (the checkout's tree is left as it is), started
# with `serve --demo`, then one proxied call and one MCP call (.ci/smoke.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
oldest=$(sed -n 's/^ *"oldest": *"\([0-9.]*\)".*/\1/p' scripts/node-pins.json)
dir=$(node scripts/node-bootstrap.mjs --dir "$oldest")
export PATH="$dir/bin:$PATH"
echo "smoke: Node $(node --version) from $dir"
[ -f dist/cli/main.js ] || { echo "smoke: no dist/ (run npm ci or npm run build first)" >&2; exit 1; }
app=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-smoke-XXXXXX")
trap 'rm -rf "$app"' EXIT
cp package.json package-lock.json "$app/"
cp -r dist "$app/dist"
# --ignore-scripts: the root `prepare` script builds, which needs the dev dependencies, and the
# preinstall would link another Node. No dependency needs an install script: the native ones
# (better-sqlite3) ship Node-API binaries for every line.
(cd "$app" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
node .ci/smoke.mjs "$app"
