#!/usr/bin/env bash
# The index-page benchmark, one command: builds Release, generates projects of small wheels in a temp
# folder, and runs wrk on loopback (bounded durations) against nginx serving the same pages as static
# files, one node (in-process cache), one node (Redis) and three nodes behind haproxy (shared Redis).
# Targets: the root index, one hot project page, a rotating set of 500 project pages.
# Writes the table into bench/README.md (between the results markers) and bench/results/latest.md.
#
#   bench/run.sh                      # defaults below
#   BENCH_DURATION=5s bench/run.sh    # shorter
#
# Needs: dotnet, python3, curl, and Debian's nginx haproxy wrk redis-server.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-3s}
PROJECTS=${BENCH_PROJECTS:-600}
VERSIONS=${BENCH_VERSIONS:-3}
ROTATE=${BENCH_ROTATE:-500}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
HOT=bench-project-0001

for tool in dotnet python3 curl wrk nginx haproxy redis-server; do
  command -v "$tool" >/dev/null || { echo "bench: '$tool' is missing (apt-get install -y nginx haproxy wrk redis-server)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/pypilocal-bench.XXXXXX)
chmod 755 "$work"
pids=()
stop_all() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
trap 'stop_all; rm -rf "$work"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

wait_http() {
  local i
  for i in $(seq 1 300); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done
  echo "bench: no answer from $1" >&2; exit 1
}

# Resident memory (MiB) of the given processes and their children.
rss_mib() {
  local all=("$@") pid
  for pid in "$@"; do all+=($(ps -o pid= --ppid "$pid" 2>/dev/null || true)); done
  local kb=0 v
  for pid in "${all[@]}"; do
    v=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    kb=$((kb + ${v:-0}))
  done
  echo $((kb / 1024))
}

echo "== build (Release)"
dotnet build src/PypiLocal.Api -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
api="$PWD/src/PypiLocal.Api/bin/Release/net10.0/pypilocal.dll"

echo "== generate $PROJECTS projects x $VERSIONS wheels"
python3 bench/generate_wheels.py "$work/packages" "$PROJECTS" "$VERSIONS"

# start_node PORT CACHE [ENV...]: a pypilocal node on the shared folder; CACHE is a Redis configuration string or "".
# Logging is at Warning unless ENV says otherwise (see "request-path check" in README.md).
node_pids=()
start_node() {
  local env=(ASPNETCORE_ENVIRONMENT=Production DOTNET_NOLOGO=1 Logging__LogLevel__Default=Warning "${@:3}")
  [[ -n "$2" ]] && env+=("ConnectionStrings__cache=$2")
  env "${env[@]}" dotnet "$api" serve "$work/packages" --port "$1" --host 127.0.0.1 >"$work/node-$1.log" 2>&1 &
  pids+=($!); node_pids+=($!)
  wait_http "http://127.0.0.1:$1/alive"
}

results="$work/results.tsv"
: >"$results"

# measure SETUP BASEURL RSS_PIDS...: warm up, then wrk on the three targets.
measure() {
  local setup=$1 base=$2; shift 2
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s bench/rotate.lua "$base" -- "$ROTATE" >/dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -H "Accept: text/html" "$base/simple/" >/dev/null
  local target url script out
  for target in root hot rotating; do
    case $target in
      root) out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Accept: text/html" "$base/simple/") ;;
      hot) out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Accept: text/html" "$base/simple/$HOT/") ;;
      rotating) out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/rotate.lua "$base" -- "$ROTATE") ;;
    esac
    echo "$out" >"$work/wrk-${setup// /_}-$target.txt"
    local rps p50 p99 errors
    rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    errors=$(awk '/Non-2xx or 3xx responses:/ {print $5} /Socket errors/ {print "socket errors"}' <<<"$out" | paste -sd' ')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$setup" "$target" "$rps" "$p50" "$p99" "$(rss_mib "$@")" "${errors:-}" >>"$results"
    printf '   %-34s %-9s %8s req/s  p50 %-8s p99 %-8s\n' "$setup" "$target" "$rps" "$p50" "$p99"
  done
}

redis_port=$(free_port)
redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no --daemonize no >"$work/redis.log" 2>&1 &
redis_pid=$!
pids+=($redis_pid)
for i in $(seq 1 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done

echo "== render the same pages as static files (from a node in embedded mode)"
port=$(free_port)
start_node "$port" ""
static="$work/static"
mkdir -p "$static/simple"
curl -sf -H "Accept: text/html" "http://127.0.0.1:$port/simple/" -o "$static/simple/index.html"
for ((i = 0; i < ROTATE; i++)); do printf 'bench-project-%04d\n' "$i"; done | xargs -P 4 -I{} sh -c \
  'mkdir -p "$1/simple/$2" && curl -sf -H "Accept: text/html" "http://127.0.0.1:$3/simple/$2/" -o "$1/simple/$2/index.html"' _ "$static" {} "$port"
chmod -R a+rX "$static"

# nginx_static LABEL: nginx serving the static copies, measured. Run first and last: the machine is shared,
# and the ratios use the better of the two nginx runs per target (conservative for pypilocal).
nginx_static() {
  local nginx_port
  nginx_port=$(free_port)
  cat >"$work/nginx.conf" <<NGINX
worker_processes auto;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $work/nginx-body;
  proxy_temp_path $work/nginx-proxy;
  fastcgi_temp_path $work/nginx-fastcgi;
  uwsgi_temp_path $work/nginx-uwsgi;
  scgi_temp_path $work/nginx-scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    root $static;
    index index.html;
  }
}
NGINX
  nginx -c "$work/nginx.conf" -p "$work" &
  local nginx_pid=$!
  pids+=($nginx_pid)
  wait_http "http://127.0.0.1:$nginx_port/simple/"
  measure "$1" "http://127.0.0.1:$nginx_port" "$nginx_pid"
  kill "$nginx_pid"
  wait "$nginx_pid" 2>/dev/null || true
}

echo "== nginx, static files"
nginx_static "nginx static"

echo "== one node, in-process cache (embedded mode)"
measure "1 node, in-process cache" "http://127.0.0.1:$port" "${node_pids[0]}"
kill "${node_pids[0]}"; node_pids=()

echo "== one node, Redis only (near layer off)"
port=$(free_port)
start_node "$port" "127.0.0.1:$redis_port" Cache__NearCacheMaxBytes=0
measure "1 node, Redis only" "http://127.0.0.1:$port" "${node_pids[0]}"
kill "${node_pids[0]}"; node_pids=()

echo "== one node, Redis + near layer (the default)"
port=$(free_port)
start_node "$port" "127.0.0.1:$redis_port"
measure "1 node, Redis + near layer" "http://127.0.0.1:$port" "${node_pids[0]}"
redis_rss=$(rss_mib "$redis_pid")

echo "== request-path check: the same node with the default log level (Information)"
kill "${node_pids[0]}"; node_pids=()
port=$(free_port)
start_node "$port" "127.0.0.1:$redis_port" Logging__LogLevel__Default=Information
out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -H "Accept: text/html" "http://127.0.0.1:$port/simple/$HOT/" >/dev/null;
      wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Accept: text/html" "http://127.0.0.1:$port/simple/$HOT/")
printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "1 node, Redis + near, log level Information" hot "$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out")" \
  "$(awk '$1 == "50%" {print $2}' <<<"$out")" "$(awk '$1 == "99%" {print $2}' <<<"$out")" "$(rss_mib "${node_pids[0]}")" "" >>"$results"
kill "${node_pids[0]}"; node_pids=()

echo "== three nodes behind haproxy, shared Redis (+ near layer)"
backends=""
for n in 1 2 3; do
  port=$(free_port)
  start_node "$port" "127.0.0.1:$redis_port"
  backends+="  server n$n 127.0.0.1:$port"$'\n'
done
lb_port=$(free_port)
cat >"$work/haproxy.cfg" <<HAPROXY
global
  maxconn 8192
  nbthread 2
defaults
  mode http
  option http-keep-alive
  http-reuse always
  timeout connect 2s
  timeout client 30s
  timeout server 30s
frontend pypilocal
  bind 127.0.0.1:$lb_port
  default_backend nodes
backend nodes
  balance roundrobin
$backends
HAPROXY
haproxy -f "$work/haproxy.cfg" -db >"$work/haproxy.log" 2>&1 &
haproxy_pid=$!
pids+=($haproxy_pid)
wait_http "http://127.0.0.1:$lb_port/alive"
measure "3 nodes + haproxy, Redis + near" "http://127.0.0.1:$lb_port" "${node_pids[@]}" "$haproxy_pid"

echo "== nginx, static files, again"
nginx_static "nginx static (again)"

# The table, with each row's ratio to the better nginx static run on the same target.
table=$(python3 - "$results" <<'PY'
import sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
nginx = {}
for r in rows:
    if r[0].startswith("nginx static"):
        nginx[r[1]] = max(nginx.get(r[1], 0.0), float(r[2]))
names = {"root": "root index `/simple/`", "hot": "hot project page", "rotating": "500 project pages, rotating"}

def ms(text):
    # wrk prints 693.00us, 1.09ms or 1.20s; the table uses milliseconds.
    value, unit = float(text[:-2] if text.endswith(("us", "ms")) else text[:-1]), text[-2:] if text.endswith(("us", "ms")) else "s"
    return f"{value * {'us': 0.001, 'ms': 1, 's': 1000}[unit]:.2f} ms"

print("| setup | target | req/s | p50 | p99 | RSS (MiB) | vs best nginx static |")
print("|---|---|---:|---:|---:|---:|---:|")
for setup, target, rps, p50, p99, rss, errors in rows:
    ratio = float(rps) / nginx[target] if nginx.get(target) else 0
    note = f" ({errors})" if errors else ""
    print(f"| {setup} | {names[target]}{note} | {int(float(rps)):,} | {ms(p50)} | {ms(p99)} | {rss} | {ratio:.2f} |")
PY
)
stamp="Run $(date -u +'%Y-%m-%d %H:%M UTC') on $(nproc) cores (load average before: $(cut -d' ' -f1-3 /proc/loadavg)), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'): $PROJECTS projects x $VERSIONS wheels, wrk -t$THREADS -c$CONNECTIONS -d$DURATION, Accept: text/html, Redis RSS ${redis_rss:-?} MiB."
mkdir -p bench/results
printf '%s\n\n%s\n' "$stamp" "$table" >bench/results/latest.md
python3 - bench/README.md bench/results/latest.md <<'PY'
import re, sys
readme, latest = sys.argv[1], open(sys.argv[2]).read()
text = open(readme).read()
text = re.sub(r"(<!-- results:start -->\n).*?(<!-- results:end -->)", lambda m: m.group(1) + latest + m.group(2), text, flags=re.S)
open(readme, "w").write(text)
PY
echo
cat bench/results/latest.md
