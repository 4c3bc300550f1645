#!/usr/bin/env bash
# Installs dynalite, a DynamoDB-compatible server written for node, into node_modules/ at the
# version package-lock.json pins: the dynamo integration tests start it on a loopback port.
# Idempotent: does nothing when that version is there. Without node the tests skip, so this
# only warns.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "install-dynalite: node or npm is missing; the dynamo integration tests will skip" >&2
  exit 0
fi

wanted=$(node -p 'require("./package.json").devDependencies.dynalite')
installed=$(node -p 'try { require("./node_modules/dynalite/package.json").version } catch (e) { "" }')
if [[ "$installed" == "$wanted" ]]; then
  exit 0
fi

echo "installing dynalite $wanted into node_modules/"
npm ci --no-audit --no-fund --loglevel=error
node node_modules/dynalite/cli.js --help >/dev/null
