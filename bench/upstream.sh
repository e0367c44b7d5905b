#!/usr/bin/env bash
# The upstream benchmark, one command: PypiLocal as a proxy of another index, against the same files served locally
# and against the upstream itself, in one run. Builds Release, writes a 20-package dependency chain, and starts
#   upstream  a PypiLocal serving the chain (the "PyPI" here),
#   local     a PypiLocal serving a copy of the chain from its own folder,
#   proxy     a PypiLocal with no files of its own and the upstream as its upstream index.
# Measures (interleaved, so that the shared machine's load falls on both sides of each ratio alike):
#   1. wrk: a cached upstream page and file through the proxy vs a local page and file   (target >= 0.9)
#   2. a warm pip install of the chain through the proxy vs the same chain served locally (target <= 1.1)
#   3. a cold pip install through the proxy (cache purged first) vs straight from upstream (target <= 1.2)
# Writes the table into bench/upstream.md (between the results markers).
#
#   bench/upstream.sh                     # defaults below
#   BENCH_RUNS=3 BENCH_ROUNDS=2 bench/upstream.sh
#
# Needs: dotnet, python3 (with venv), curl, wrk, taskset, setsid.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${BENCH_DURATION:-5s}
ROUNDS=${BENCH_ROUNDS:-3}
WARMUP=${BENCH_WARMUP:-3s}
RUNS=${BENCH_RUNS:-5}
PACKAGES=${BENCH_PACKAGES:-20}
PADDING=${BENCH_PADDING:-65536}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
SERVER_CPU=${BENCH_SERVER_CPU:-1}
CLIENT_CPU=${BENCH_CLIENT_CPU:-0}

source bench/lib.sh
for tool in dotnet python3 curl wrk taskset setsid; do
  command -v "$tool" >/dev/null || fail "'$tool' is missing (apt-get install -y wrk)"
done

work=$(mktemp -d /tmp/pypilocal-upstream-bench.XXXXXX)
groups=()
trap cleanup EXIT
trap 'echo "bench: interrupted" >&2; exit 130' INT TERM

echo "== build (Release)"
dotnet build src/PypiLocal.Api -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
api="$PWD/src/PypiLocal.Api/bin/Release/net10.0/pypilocal.dll"

echo "== generate a chain of $PACKAGES wheels ($PADDING bytes of padding each)"
python3 bench/upstream_chain.py "$work/chain" "$PACKAGES" "$PADDING"
cp -r "$work/chain" "$work/local"
mkdir -p "$work/empty"

# start NAME PORT ARGS...: a pypilocal node, logging at Warning; sets $spawned.
start() {
  local name=$1 port=$2; shift 2
  spawn "$work/$name.log" "" env ASPNETCORE_ENVIRONMENT=Production DOTNET_NOLOGO=1 Logging__LogLevel__Default=Warning \
    dotnet "$api" serve "$@" --port "$port" --host 127.0.0.1
  wait_http "http://127.0.0.1:$port/alive"
}

upstream_port=$(free_port); start upstream "$upstream_port" "$work/chain"
local_port=$(free_port); start local "$local_port" "$work/local" -a .; local_server=$spawned
proxy_port=$(free_port); start proxy "$proxy_port" "$work/empty" -a . --upstream "http://127.0.0.1:$upstream_port/simple/" \
  --Upstream:CacheDirectory="$work/cache"; proxy_server=$spawned
upstream="http://127.0.0.1:$upstream_port"; local_url="http://127.0.0.1:$local_port"; proxy="http://127.0.0.1:$proxy_port"

python3 -m venv "$work/venv"
pip_seconds() { # pip_seconds INDEX_URL: one install of the chain into a fresh target folder, in seconds
  local target start end
  target=$(mktemp -d -p "$work")
  start=$(date +%s%N)
  "$work/venv/bin/pip" install -q --no-cache-dir --disable-pip-version-check --target "$target" --index-url "$1/simple/" chain-00 >"$work/pip.log" 2>&1 \
    || { cat "$work/pip.log" >&2; fail "pip install from $1 failed"; }
  end=$(date +%s%N)
  rm -rf "$target"
  python3 -c "print(f'{($end - $start) / 1e9:.3f}')"
}
purge_proxy() {
  local i
  for ((i = 0; i < PACKAGES; i++)); do curl -sf -o /dev/null -X DELETE "$proxy/api/upstream-cache/chain-$(printf %02d "$i")" || true; done
}
median() { python3 -c 'import statistics, sys; print(f"{statistics.median(float(x) for x in sys.argv[1:]):.3f}")' "$@"; }

echo "== pip: warm-up (one install from each, fills the proxy's cache)"
pip_seconds "$upstream" >/dev/null; pip_seconds "$local_url" >/dev/null; pip_seconds "$proxy" >/dev/null

echo "== pip: cold through the proxy vs straight from upstream, $RUNS runs each, interleaved"
cold=(); direct=()
for ((r = 0; r < RUNS; r++)); do
  purge_proxy
  cold+=("$(pip_seconds "$proxy")")
  direct+=("$(pip_seconds "$upstream")")
  echo "   run $((r + 1)): proxy cold ${cold[-1]} s, upstream ${direct[-1]} s"
done
test -n "$(ls "$work/cache/files" 2>/dev/null)" || fail "the proxy kept nothing"

echo "== pip: warm through the proxy vs served locally, $RUNS runs each, interleaved"
warm=(); locals=()
for ((r = 0; r < RUNS; r++)); do
  warm+=("$(pip_seconds "$proxy")")
  locals+=("$(pip_seconds "$local_url")")
  echo "   run $((r + 1)): proxy warm ${warm[-1]} s, local ${locals[-1]} s"
done

# rate URL [ACCEPT]: requests per second from wrk
rate() {
  local header=()
  [[ -n "${2:-}" ]] && header=(-H "Accept: $2")
  taskset -c "$CLIENT_CPU" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" "${header[@]}" "$1" | awk '/^Requests\/sec:/ {printf "%.0f", $2} /Non-2xx/ {print " ERRORS" > "/dev/stderr"}'
}
json="application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01"
file="/packages/chain-00/chain_00-1.0-py3-none-any.whl"
url_of() { # url_of SIDE KIND
  local base=$local_url
  [[ $1 == proxy ]] && base=$proxy
  [[ $2 == page ]] && echo "$base/simple/chain-00/" || echo "$base$file"
}
# Per core, as bench/run.sh measures: both servers on core SERVER_CPU (they take turns), wrk on CLIENT_CPU. Left on
# both cores, the two servers and wrk compete for them, and one side's figure moved by 10% from run to run.
for pid in "$local_server" "$proxy_server"; do taskset -a -p -c "$SERVER_CPU" "$pid" >/dev/null; done
echo "== wrk: pages and files, proxy (cached upstream) vs local, $ROUNDS rounds of local, proxy, proxy, local (servers on core $SERVER_CPU, wrk on core $CLIENT_CPU)"
for side in local proxy; do
  taskset -c "$CLIENT_CPU" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -H "Accept: $json" "$(url_of "$side" page)" >/dev/null
  taskset -c "$CLIENT_CPU" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$(url_of "$side" file)" >/dev/null
done
declare -A samples
for ((round = 1; round <= ROUNDS; round++)); do
  for kind in page file; do
    for side in local proxy proxy local; do
      accept=""
      [[ $kind == page ]] && accept=$json
      value=$(rate "$(url_of "$side" "$kind")" "$accept")
      samples[$side-$kind]+=" $value"
      printf '   round %s %-6s %-5s %8s req/s\n' "$round" "$side" "$kind" "$value"
    done
  done
done
# The median of each side's runs: one run disturbed by the shared machine's load moves it little either way.
declare -A rates
for key in "${!samples[@]}"; do rates[$key]=$(median ${samples[$key]} | cut -d. -f1); done

ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
cold_m=$(median "${cold[@]}"); direct_m=$(median "${direct[@]}"); warm_m=$(median "${warm[@]}"); local_m=$(median "${locals[@]}")
page_ratio=$(ratio "${rates[proxy-page]}" "${rates[local-page]}")
file_ratio=$(ratio "${rates[proxy-file]}" "${rates[local-file]}")
warm_ratio=$(ratio "$warm_m" "$local_m")
cold_ratio=$(ratio "$cold_m" "$direct_m")
verdict() { python3 -c "print('met' if $1 $2 $3 else 'MISSED')"; }

table="$work/table.md"
{
  echo "Run $(date -u '+%Y-%m-%d %H:%M') UTC on $(nproc) cores (load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)), commit $(git rev-parse --short HEAD): a chain of $PACKAGES wheels of $((PADDING / 1024)) KiB padding, pip $("$work/venv/bin/pip" --version | cut -d' ' -f2), $RUNS pip runs per side (median), wrk -t$THREADS -c$CONNECTIONS -d$DURATION on core $CLIENT_CPU against the server on core $SERVER_CPU (median of $ROUNDS rounds of local, proxy, proxy, local)."
  echo
  echo "| what | through the proxy | baseline | ratio | target | |"
  echo "|---|---:|---:|---:|---:|---|"
  echo "| cached upstream page vs local page (JSON, req/s) | ${rates[proxy-page]} | ${rates[local-page]} | $page_ratio | ≥ 0.9 | $(verdict "$page_ratio" ">=" 0.9) |"
  echo "| cached upstream file vs local file (req/s) | ${rates[proxy-file]} | ${rates[local-file]} | $file_ratio | ≥ 0.9 | $(verdict "$file_ratio" ">=" 0.9) |"
  echo "| warm \`pip install\` of the chain vs the chain served locally (s) | $warm_m | $local_m | $warm_ratio | ≤ 1.1 | $(verdict "$warm_ratio" "<=" 1.1) |"
  echo "| cold \`pip install\` (cache purged) vs straight from upstream (s) | $cold_m | $direct_m | $cold_ratio | ≤ 1.2 | $(verdict "$cold_ratio" "<=" 1.2) |"
} >"$table"

echo
cat "$table"
python3 - "$table" bench/upstream.md <<'PY'
import sys
table, target = open(sys.argv[1]).read(), sys.argv[2]
text = open(target).read()
start, end = "<!-- results:start -->\n", "<!-- results:end -->"
before, rest = text.split(start, 1)
open(target, "w").write(before + start + table + rest[rest.index(end):])
PY
echo "(written into bench/upstream.md)"
