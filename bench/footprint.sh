#!/usr/bin/env bash
# Start-up and footprint of published servers, side by side in one session: over a folder of 2,000 projects x 5
# wheels + 2 (10,002 files), each server pinned to one core. First each publish starts once and learns the folder (its
# state directory then knows every file, as after any earlier run); then each is restarted BENCH_STARTS times (the
# publishes taking turns): wall and CPU time from exec to the first project page, and RSS then; then, started once more:
# RSS idle after start, idle after 500 project pages and the root, and the peak under wrk -t2 -c32 on the rotating pages
# (wrk pinned to the other core). Prints a Markdown table (bench/README.md, "ReadyToRun and Native AOT").
#
#   bash bench/footprint.sh                              # publishes ReadyToRun and Native AOT (the native compile takes minutes)
#   bash bench/footprint.sh r2r=/tmp/r2r aot=/tmp/aot    # reuses publish folders, LABEL=FOLDER each
#
# Knobs: BENCH_STARTS (5) BENCH_DURATION (10s) BENCH_PROJECTS (2000) BENCH_VERSIONS (5) BENCH_SERVER_CPU (1)
# BENCH_CLIENT_CPU (0). Needs dotnet, python3, curl, taskset, setsid, timeout, wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

STARTS=${BENCH_STARTS:-5}
DURATION=${BENCH_DURATION:-10s}
PROJECTS=${BENCH_PROJECTS:-2000}
VERSIONS=${BENCH_VERSIONS:-5}
SERVER_CPU=${BENCH_SERVER_CPU:-1}
CLIENT_CPU=${BENCH_CLIENT_CPU:-0}
ROTATE=500

for tool in dotnet python3 curl taskset setsid timeout wrk; do
  command -v "$tool" >/dev/null || fail "'$tool' is missing (apt-get install -y wrk)"
done

work=$(mktemp -d /tmp/pypilocal-footprint.XXXXXX)
groups=()
trap cleanup EXIT
trap 'echo "bench: interrupted" >&2; exit 130' INT TERM

labels=() folders=()
if (($#)); then
  for pair in "$@"; do labels+=("${pair%%=*}"); folders+=("${pair#*=}"); done
else
  echo "== publish ReadyToRun and Native AOT"
  publish_server "$work/r2r" -p:PublishAot=false -p:PublishReadyToRun=true
  publish_server "$work/aot"
  labels=(r2r aot) folders=("$work/r2r" "$work/aot")
fi

python3 bench/generate_wheels.py "$work/packages" "$PROJECTS" "$VERSIONS" 100K 10M >/dev/null
files=$(find "$work/packages" -name '*.whl' | wc -l)

# start N: the server of publish N on a free port, pinned, with a state directory of its own, kept across its starts.
start() {
  server_command "${folders[$1]}"
  port=$(free_port)
  start_ns=$(date +%s%N)
  spawn "$work/${labels[$1]}.log" "$SERVER_CPU" env ASPNETCORE_ENVIRONMENT=Production DOTNET_NOLOGO=1 \
    Logging__LogLevel__Default=Warning Storage__StateDirectory="$work/state-${labels[$1]}" \
    "${server[@]}" serve "$work/packages" --port "$port" --host 127.0.0.1
  pgid=$spawned
}

first_page() {
  local deadline=$((SECONDS + 60))
  until curl -sf -o /dev/null -H 'Accept: text/html' "http://127.0.0.1:$port/simple/bench-project-0001/"; do
    ((SECONDS < deadline)) || fail "no first page within 60 s"
    sleep 0.01
  done
  wall_ms=$((($(date +%s%N) - start_ns) / 1000000))
  cpu_ms=$(($(cpu_ticks "$pgid") * 1000 / hz))
}

# Until the server has the facts of every file (pypilocal_folder_files_pending back to 0).
indexed() {
  local deadline=$((SECONDS + 600))
  until curl -s "http://127.0.0.1:$port/metrics" | grep -q '^pypilocal_folder_files_pending{.*} 0$'; do
    ((SECONDS < deadline)) || fail "the folder was not indexed within 10 minutes"
    sleep 1
  done
}

for i in "${!labels[@]}"; do
  echo "== ${labels[$i]}: first start, hashing the folder"
  start "$i"
  first_page
  indexed
  stop "$pgid"
done

declare -A walls cpus first_rss
echo "== $STARTS restarts each, $files files, server on core $SERVER_CPU (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
for ((round = 1; round <= STARTS; round++)); do
  for i in "${!labels[@]}"; do
    start "$i"
    first_page
    walls[$i]+="$wall_ms " cpus[$i]+="$cpu_ms " first_rss[$i]+="$(rss_mib VmRSS "$pgid") "
    stop "$pgid"
  done
done

# Pages over one keep-alive connection: the root, then ROTATE project pages.
pages() {
  python3 - "$port" "$ROTATE" <<'PY'
import http.client, sys
port, rotate = int(sys.argv[1]), int(sys.argv[2])
connection = http.client.HTTPConnection("127.0.0.1", port)
for path in ["/simple/"] + [f"/simple/bench-project-{i:04d}/" for i in range(rotate)]:
    connection.request("GET", path, headers={"Accept": "text/html"})
    response = connection.getresponse()
    response.read()
    assert response.status == 200, (path, response.status)
PY
}

echo
echo "| publish | restart to first page: wall (ms) | CPU until then (ms) | RSS then (MiB) | RSS idle after start | idle after 500 pages + root | peak under load | req/s under load |"
echo "|---|---|---|---|---:|---:|---:|---:|"
for i in "${!labels[@]}"; do
  start "$i"
  first_page
  sleep 5
  idle=$(rss_mib VmRSS "$pgid")
  pages
  sleep 2
  served=$(rss_mib VmRSS "$pgid")
  reset_peaks "$pgid"
  rps=$(taskset -c "$CLIENT_CPU" timeout 60 wrk -t2 -c32 -d"$DURATION" -s bench/rotate.lua "http://127.0.0.1:$port" -- "$ROTATE" | awk '/^Requests\/sec:/ {printf "%.0f", $2}')
  peak=$(rss_mib VmHWM "$pgid")
  stop "$pgid"
  echo "| ${labels[$i]} | ${walls[$i]% } | ${cpus[$i]% } | ${first_rss[$i]% } | $idle | $served | $peak | $rps |"
done
echo
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)."
