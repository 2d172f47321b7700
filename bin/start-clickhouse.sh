#!/usr/bin/env bash
# Starts Debian's clickhouse-server in the background for the ClickHouse adapter's tests
# (no systemd needed) and waits until it answers on 127.0.0.1:8123.
set -euo pipefail
if curl -fsS http://127.0.0.1:8123/ping >/dev/null 2>&1; then
  exit 0
fi
mkdir -p /var/lib/clickhouse /var/log/clickhouse-server /run/clickhouse-server
chown -R clickhouse:clickhouse /var/lib/clickhouse /var/log/clickhouse-server /run/clickhouse-server
start-stop-daemon --start --background --chuid clickhouse --chdir /var/lib/clickhouse \
  --exec /usr/sbin/clickhouse-server -- --config-file=/etc/clickhouse-server/config.xml
for _ in $(seq 1 60); do
  if curl -fsS http://127.0.0.1:8123/ping >/dev/null 2>&1; then
    echo "clickhouse-server is up"
    exit 0
  fi
  sleep 1
done
echo "clickhouse-server did not start; see /var/log/clickhouse-server/" >&2
tail -20 /var/log/clickhouse-server/clickhouse-server.err.log >&2 || true
exit 1
