# Grafana's PostgreSQL data source: its table and column picker SQL and macro-expanded dashboard
# queries (scripts/clients/grafana.sql), replayed through pgx by scripts/clients/grafana.
set -euo pipefail
cd "$(dirname "$0")/../.."
go run ./scripts/clients/grafana scripts/clients/grafana.sql
