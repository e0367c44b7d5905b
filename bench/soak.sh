#!/usr/bin/env bash
# The bounded soak of issue 12 (bench/soak.md): three nodes on loopback over one moto_server (checking signatures,
# keeping its objects over a restart) and one redis-server; four clients upload (mostly as twine posts, now and then
# twine itself), pip install, yank, delete and read pages through nodes picked at random, while faults are played at
# random, one at a time: the store connection of one node or all cut, stalled or corrupted by a relay; kill -9 of a
# node and its restart; Redis stopped and started; the S3 server stopped and started. Then every refused upload is
# retried and every acknowledged one checked on every node. Prints, and writes to bench/soak.md: requests, 5xx other
# than a storage-outage 503, acknowledged-but-lost uploads (must be 0), blocked retries (must be 0).
#
#   bash bench/soak.sh        # 5 minutes of soak (plus a minute or two to start and to check)
#   bash bench/soak.sh 3      # 3 minutes; at most 10
#
# Knobs: SOAK_CONFIGURATION (Release), SOAK_REPORT (bench/soak.md), SOAK_FAULTS (comma-separated kinds to play, e.g.
# "s3 restart,kill -9"; all by default), SOAK_LOGS (a folder: moto's log of every run, with what it saved and loaded
# at each restart, and each node's log, killed runs included, are written there at the end). Needs dotnet, Debian's redis-server and twine,
# and moto_server in python3 (preinstalled here). Exits 1 when an upload was lost or a retry blocked.
set -euo pipefail
cd "$(dirname "$0")/.."

minutes=${1:-5}
configuration=${SOAK_CONFIGURATION:-Release}
report=${SOAK_REPORT:-bench/soak.md}
for tool in dotnet python3 redis-server setsid timeout /usr/bin/twine; do
  command -v "$tool" >/dev/null || { echo "soak: '$tool' is missing (apt-get install -y redis-server twine)" >&2; exit 1; }
done
python3 -c 'import moto' 2>/dev/null || { echo "soak: python3 has no moto (moto_server)" >&2; exit 1; }

dotnet build src/PypiLocal.Api -c "$configuration" -v q -nologo
dotnet build bench/Soak -c "$configuration" -v q -nologo

# The driver and every server it starts form one process group, stopped whatever happens; the whole run is bounded.
setsid timeout --kill-after=30s "$(( ${minutes%.*} * 60 + 600 ))s" \
  dotnet "bench/Soak/bin/$configuration/net10.0/Soak.dll" "$minutes" "$report" &
driver=$!
trap 'kill -TERM -- "-$driver" 2>/dev/null || true' EXIT
trap 'kill -INT -- "-$driver" 2>/dev/null || true; wait "$driver"; exit 130' INT TERM
wait "$driver"
