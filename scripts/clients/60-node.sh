# node-postgres from npm (the version pinned in node/package.json), installed into a temporary
# directory: parameterised queries, typed results, a prepared statement, a Pool, errors.
set -euo pipefail
cd "$(dirname "$0")"
command -v node >/dev/null && command -v npm >/dev/null || { echo "node-pg: node and npm are needed"; exit 1; }
modules=$(mktemp -d "${QUARRY_WORK:-/tmp}/node.XXXXXX")
trap 'rm -rf "$modules"' EXIT
cp node/package.json "$modules/"
(cd "$modules" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
# TZ=UTC: node-pg parses date and timestamp (without zone) values in the process's time zone.
TZ=UTC NODE_PATH="$modules/node_modules" node node/check.js
