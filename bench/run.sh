#!/usr/bin/env bash
# Per-core benchmark, one command. The server side (nginx, or PypiLocal with its Redis, S3 server and
# haproxy) is pinned to one core and wrk to another (taskset), so the table says what one core of
# server buys, not how fast the client is. Compares, in one run and on the same data:
#   nginx       nginx serving the same pages and files as static files, measured alongside every other setup
#   embedded    `pypilocal serve <folder>`: the published server, in-process cache
#   distributed one node on S3 (moto_server) with Redis and its near layer; wheels are 302 redirects, .metadata is sent by the node;
#               on the page targets and .metadata (answered by either node from memory) the embedded node is measured
#               in the same slices too (embedded-beside-distributed)
#   cluster     three such nodes behind haproxy
# Targets: the root index, one hot project page, 500 rotating project pages, a 100 KiB wheel, a 10 MiB
# wheel and a wheel's .metadata. Per row: req/s, p50, p99, server CPU per request, idle and peak RSS.
# Also measures how soon a freshly started published server answers its first page.
#
#   bash bench/run.sh                         # everything, about 13 minutes on a quiet 2-core machine
#   bash bench/run.sh nginx embedded          # only these setups (the README's table is left alone)
#   BENCH_DURATION=5s bash bench/run.sh       # shorter runs
#
# Knobs: BENCH_DURATION (10s) BENCH_WARMUP (3s, before every target) BENCH_PROJECTS (2000)
# BENCH_VERSIONS (5) BENCH_ROTATE (500) BENCH_CONNECTIONS (32) BENCH_THREADS (2)
# BENCH_SERVER_CPU (1) BENCH_CLIENT_CPU (0) BENCH_SLICES (5: each run alternates with nginx's in this many slices)
# BENCH_DOWNLOAD_ROUNDS (5: downloads of the 10 MiB wheel per client process, in each of two passes per server)
# BENCH_PUBLISH (a publish folder to reuse instead of publishing).
# Needs: dotnet, python3, curl, taskset, setsid, and Debian's nginx haproxy wrk redis-server (moto_server for
# the distributed setups). Every process it starts is in its own process group and is stopped on exit,
# Ctrl+C included; every wrk run is bounded by `timeout`.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-3s}
PROJECTS=${BENCH_PROJECTS:-2000}
VERSIONS=${BENCH_VERSIONS:-5}
ROTATE=${BENCH_ROTATE:-500}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-2}
SERVER_CPU=${BENCH_SERVER_CPU:-1}
CLIENT_CPU=${BENCH_CLIENT_CPU:-0}
SLICES=${BENCH_SLICES:-5}
DOWNLOAD_ROUNDS=${BENCH_DOWNLOAD_ROUNDS:-5}
ALL_SETUPS="nginx embedded distributed cluster"
SETUPS=${*:-$ALL_SETUPS}
HOT=bench-project-0001
TARGETS="root hot rotating wheel-100k wheel-10m metadata"

needed=(dotnet python3 curl taskset setsid timeout wrk nginx)
[[ $SETUPS == *distributed* || $SETUPS == *cluster* ]] && needed+=(redis-server redis-cli moto_server)
[[ $SETUPS == *cluster* ]] && needed+=(haproxy)
for tool in "${needed[@]}"; do
  command -v "$tool" >/dev/null || fail "'$tool' is missing (apt-get install -y nginx haproxy wrk redis-server; moto_server: pip install 'moto[server]')"
done
for setup in $SETUPS; do [[ " $ALL_SETUPS " == *" $setup "* ]] || fail "unknown setup '$setup' (known: $ALL_SETUPS)"; done
(( $(nproc) >= 2 )) || fail "needs two cores: one for the server, one for wrk"

seconds() { local d=$1; case $d in *m) echo $((${d%m} * 60)) ;; *s) echo "${d%s}" ;; *) echo "$d" ;; esac; }
# Every wrk run gets a hard limit: its duration plus a margin for connecting and the latency report.
wrk_limit=$(($(seconds "$DURATION") + 30))

work=$(mktemp -d /tmp/pypilocal-bench.XXXXXX)
chmod 755 "$work"
groups=()
trap cleanup EXIT
trap 'echo "bench: interrupted" >&2; exit 130' INT TERM

results="$work/results.tsv"
: >"$results"
mkdir -p "$work/downloads"

# request TARGET: sets $path (the URL path) and $wrk_args (headers or script) for a target.
request() {
  wrk_args=(-H "Accept: text/html")
  case $1 in
    root) path=/simple/ ;;
    hot) path=/simple/$HOT/ ;;
    rotating) path=/ wrk_args=(-s bench/rotate.lua) ;;
    wheel-100k) path=${wheel_paths[100K]} ;;
    wheel-10m) path=${wheel_paths[10M]} ;;
    metadata) path=$metadata_path ;;
  esac
}

run_wrk() { # BASE DURATION TARGET [--latency]
  local path wrk_args
  request "$3"
  taskset -c "$CLIENT_CPU" timeout "$wrk_limit" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" --timeout 20s ${4:-} "${wrk_args[@]}" "$1$path" -- "$ROTATE"
}

# prepare LABEL BASEURL TARGET: the target's HTTP status on that server (sets $status) and its warm-up; starts the
# target's slices afresh.
prepare() {
  local path wrk_args
  request "$3"
  [[ $3 == rotating ]] && path=/simple/$HOT/
  status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept: text/html' "$2$path")
  # Every rotated page once first: a distributed node renders each from the bucket on first sight, and with moto on
  # the server core that took longer than the warm-up, so the first slice measured a cold cache (bench/README.md).
  [[ $3 == rotating ]] && for ((i = 0; i < ROTATE; i++)); do printf '%s/simple/bench-project-%04d/\n' "$2" "$i"; done |
    xargs -P 4 -n 50 curl -s -H 'Accept: text/html' >/dev/null
  run_wrk "$2" "$WARMUP" "$3" >/dev/null
  : >"$work/slices-$1.tsv"
}

# slice LABEL BASEURL TARGET DURATION PGID...: one run of wrk against the server side (the groups); its requests,
# seconds, CPU ticks, p50, p99 and errors appended to the label's slices.
slice() {
  local label=$1 base=$2 target=$3 duration=$4; shift 4
  local out before after
  before=$(cpu_ticks "$@")
  out=$(run_wrk "$base" "$duration" "$target" --latency)
  after=$(cpu_ticks "$@")
  echo "$out" >>"$work/wrk-$label-$target.txt"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' \
    "$(awk '/requests in/ {print $1}' <<<"$out")" \
    "$(awk '/requests in/ {sub(/,$/, "", $4); print $4}' <<<"$out")" \
    "$((after - before))" \
    "$(awk '$1 == "50%" {print $2}' <<<"$out")" \
    "$(awk '$1 == "99%" {print $2}' <<<"$out")" \
    "$(awk '/Non-2xx or 3xx responses:/ {print $5 " non-2xx/3xx"} /Socket errors/ {print "socket errors"}' <<<"$out" | paste -sd' ')" \
    >>"$work/slices-$label.tsv"
}

# record SETUP TARGET IDLE STATUS PGID...: the setup's slices of this target as one row of the results: req/s over all of
# them, the median p50, the worst p99, CPU per request over all of them (bench/slices.py); peak RSS since the target began.
record() {
  local setup=$1 target=$2 idle=$3 status=$4; shift 4
  local rps p50 p99 cpu_us errors
  IFS=$'\t' read -r rps p50 p99 cpu_us errors < <(python3 bench/slices.py "$work/slices-$setup.tsv" "$hz")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$setup" "$target" "$rps" "$p50" "$p99" "$cpu_us" "$idle" "$(rss_mib VmHWM "$@")" "$status" "${errors:-}" >>"$results"
  printf '   %-14s %-10s %8s req/s  p50 %-9s p99 %-9s %7s us CPU/req  HTTP %s %s\n' "$setup" "$target" "$rps" "$p50" "$p99" "$cpu_us" "$status" "${errors:-}"
}

# downloads BASEURL FILE: the 10 MiB wheel's latency with one client process per connection: CONNECTIONS curl
# processes on the client core, each downloading it DOWNLOAD_ROUNDS times over one keep-alive connection. wrk's one
# event loop per thread is the bottleneck on this target with either server and serves its connections unevenly
# (bench/README.md, "The 10 MiB wheel judged per client process"); separate processes share the client core through the kernel's
# scheduler, as separate installers would. Each download's total time (seconds) is appended to FILE.
downloads() {
  local base=$1 file=$2 path wrk_args i j urls pids=()
  request wheel-10m
  for ((i = 0; i < CONNECTIONS; i++)); do
    urls=()
    for ((j = 0; j < DOWNLOAD_ROUNDS; j++)); do urls+=(-o /dev/null "$base$path"); done
    taskset -c "$CLIENT_CPU" timeout "$wrk_limit" curl -s -w '%{time_total}\n' "${urls[@]}" >>"$file" &
    pids+=($!)
  done
  wait "${pids[@]}"
}

# measure SETUP BASEURL PGID...: every target, each after its own warm-up; the groups are the server side.
# With nginx running (nginx_base), each target's run is cut into SLICES slices that alternate between nginx and the
# setup, so both see the same moments of this shared machine, whose speed moves within seconds
# (bench/README.md, "Pairing each row with nginx"). The 10 MiB wheel runs whole, one after the other: its requests
# take hundreds of milliseconds, and a slice would cut off its slowest ones.
# The distributed node's page targets and .metadata take the embedded node (still running: embedded_base) into the same slices,
# recorded as embedded-beside-distributed: "within 10 % of the embedded node" compares the two in the same moments,
# not passes minutes apart, between which nginx's own cost moved by up to half (bench/README.md, "The distributed node
# against the embedded one, in the same slices").
measure() {
  local setup=$1 base=$2; shift 2
  local idle nginx_idle beside_idle target slices part i paired="" beside=""
  local -r beside_label=embedded-beside-distributed
  [[ -n ${nginx_base:-} && $setup != nginx ]] && paired=1
  sleep 2
  idle=$(rss_mib VmRSS "$@")
  [[ -n $paired ]] && nginx_idle=$(rss_mib VmRSS "$nginx_group")
  [[ $setup == distributed && -n ${embedded_base:-} ]] && beside_idle=$(rss_mib VmRSS "$embedded_group")
  for target in $TARGETS; do
    slices=$SLICES
    [[ $target == wheel-10m || -z $paired ]] && slices=1
    part=$(($(seconds "$DURATION") / slices))
    ((part >= 1)) || part=1
    if [[ -n $paired ]]; then
      prepare nginx "$nginx_base" "$target"
      local nginx_status=$status
      reset_peaks "$nginx_group"
    fi
    beside=""
    if [[ -n ${beside_idle:-} && $target =~ ^(root|hot|rotating|metadata)$ ]]; then
      beside=1
      prepare "$beside_label" "$embedded_base" "$target"
      local beside_status=$status
      reset_peaks "$embedded_group"
    fi
    prepare "$setup" "$base" "$target"
    reset_peaks "$@"
    for ((i = 0; i < slices; i++)); do
      [[ -n $paired ]] && slice nginx "$nginx_base" "$target" "${part}s" "$nginx_group"
      [[ -n $beside ]] && slice "$beside_label" "$embedded_base" "$target" "${part}s" "$embedded_group"
      slice "$setup" "$base" "$target" "${part}s" "$@"
    done
    [[ -n $paired ]] && record nginx "$target" "$nginx_idle" "$nginx_status" "$nginx_group"
    [[ -n $beside ]] && record "$beside_label" "$target" "$beside_idle" "$beside_status" "$embedded_group"
    record "$setup" "$target" "$idle" "$status" "$@"
    # Two passes each, alternating, into the setup's file and nginx's beside it (table.py pairs them by name).
    if [[ $target == wheel-10m && -n $paired && $status == 200 ]]; then
      for ((i = 0; i < 2; i++)); do
        downloads "$nginx_base" "$work/downloads/$setup-nginx.txt"
        downloads "$base" "$work/downloads/$setup.txt"
      done
    fi
  done
}

echo "== publish (Release, Native AOT as it ships; BENCH_PUBLISH reuses a publish folder)"
publish=${BENCH_PUBLISH:-$work/publish}
[[ -n ${BENCH_PUBLISH:-} ]] || publish_server "$publish"
server_command "$publish"

echo "== generate $PROJECTS projects x $VERSIONS wheels, and wheels of 100 KiB and 10 MiB"
declare -A wheel_paths
while read -r size path; do wheel_paths[$size]=$path; done < <(python3 bench/generate_wheels.py "$work/packages" "$PROJECTS" "$VERSIONS" 100K 10M)
metadata_path="/packages/$HOT/${HOT//-/_}-1.0.0-py3-none-any.whl.metadata"
files=$(find "$work/packages" -name '*.whl' | wc -l)

# node LOG PORT [ENV...]: a published node, pinned to the server core, logging at Warning.
node() {
  local log=$1 port=$2; shift 2
  spawn "$log" "$SERVER_CPU" env ASPNETCORE_ENVIRONMENT=Production DOTNET_NOLOGO=1 Logging__LogLevel__Default=Warning "$@" \
    "${server[@]}" serve "$work/packages" --port "$port" --host 127.0.0.1
}

echo "== first page after start (embedded, $files files, pinned to one core)"
# Wall time from exec to the first 200 of a project page (polled every 10 ms), and the CPU time the server
# used until then, which a busy machine does not inflate as much.
startups=() startup_cpu=()
for i in 1 2 3; do
  port=$(free_port)
  start=$(date +%s%N)
  node "$work/startup-$i.log" "$port"
  pgid=$spawned
  deadline=$((SECONDS + 30))
  until curl -sf -o /dev/null -H 'Accept: text/html' "http://127.0.0.1:$port/simple/bench-project-000$((i + 1))/"; do
    ((SECONDS < deadline)) || fail "no first page within 30 s"
    sleep 0.01
  done
  startups+=($((($(date +%s%N) - start) / 1000000)))
  startup_cpu+=($(($(cpu_ticks "$pgid") * 1000 / hz)))
  stop "$pgid"
done
echo "   ${startups[*]} ms (server CPU: ${startup_cpu[*]} ms)"

echo "== render the same pages as static files, and link the same files, for nginx"
port=$(free_port)
node "$work/embedded.log" "$port"
embedded=$spawned
embedded_group=$embedded
wait_http "http://127.0.0.1:$port/alive"
static="$work/static"
mkdir -p "$static/simple"
curl -sf -H "Accept: text/html" "http://127.0.0.1:$port/simple/" -o "$static/simple/index.html"
for ((i = 0; i < ROTATE; i++)); do printf 'bench-project-%04d\n' "$i"; done | xargs -P 4 -I{} sh -c \
  'mkdir -p "$1/simple/$2" && curl -sf -H "Accept: text/html" "http://127.0.0.1:$3/simple/$2/" -o "$1/simple/$2/index.html"' _ "$static" {} "$port"
for path in "${wheel_paths[@]}"; do
  mkdir -p "$(dirname "$static$path")"
  ln "$work/packages/$(basename "$path")" "$static$path"
done
mkdir -p "$(dirname "$static$metadata_path")"
curl -sf "http://127.0.0.1:$port$metadata_path" -o "$static$metadata_path"
chmod -R a+rX "$static"

# One nginx worker on the server core, with sendfile and an open-file cache: its best. It runs for the whole
# benchmark, idle while another server is measured, and is measured alongside each of them (measure).
if [[ $SETUPS == *nginx* ]]; then
  echo "== nginx, static files: measured alongside every other setup"
  nginx_port=$(free_port)
  cat >"$work/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  sendfile on;
  tcp_nopush on;
  open_file_cache max=10000 inactive=60s;
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
  spawn "$work/nginx.log" "$SERVER_CPU" nginx -c "$work/nginx.conf" -p "$work"
  nginx_group=$spawned
  nginx_base="http://127.0.0.1:$nginx_port"
  wait_http "$nginx_base/simple/"
fi

if [[ $SETUPS == nginx ]]; then
  echo "== nginx alone"
  measure nginx "$nginx_base" "$nginx_group"
fi

if [[ $SETUPS == *embedded* ]]; then
  echo "== embedded: one node, in-process cache"
  measure "embedded" "http://127.0.0.1:$port" "$embedded"
fi
# Kept, idle, for the distributed node's page targets and .metadata (measure).
if [[ $SETUPS == *embedded* && $SETUPS == *distributed* ]]; then
  embedded_base="http://127.0.0.1:$port"
else
  stop "$embedded"
fi

if [[ $SETUPS == *distributed* || $SETUPS == *cluster* ]]; then
  echo "== Redis and an S3 server (moto) on the server core"
  redis_port=$(free_port)
  spawn "$work/redis.log" "$SERVER_CPU" redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no --daemonize no
  redis=$spawned
  s3_port=$(free_port)
  # Unpinned while the bucket is filled, then moved to the server core.
  spawn "$work/moto.log" "" moto_server -H 127.0.0.1 -p "$s3_port"
  moto=$spawned
  deadline=$((SECONDS + 60))
  until curl -s -o /dev/null "http://127.0.0.1:$s3_port/"; do ((SECONDS < deadline)) || fail "moto_server did not start"; sleep 0.1; done
  until redis-cli -p "$redis_port" ping >/dev/null 2>&1; do sleep 0.1; done
  storage="Endpoint=http://127.0.0.1:$s3_port;AccessKey=bench;SecretKey=bench"
  curl -sf -X PUT -o /dev/null "http://127.0.0.1:$s3_port/pypilocal" || fail "cannot create the bucket"
  cache="127.0.0.1:$redis_port"

  # The bucket holds every page and file the targets read, the same as the folder: every version of the
  # rotating projects, the first version of the others (the root lists them all), the sized wheels.
  # Four imports in parallel over disjoint projects.
  bucket="$work/bucket"
  python3 - "$work/packages" "$bucket" "$ROTATE" <<'PY'
import os, re, sys
source, target, rotate = sys.argv[1], sys.argv[2], int(sys.argv[3])
for part in range(4):
    os.makedirs(f"{target}/{part}", exist_ok=True)
for name in sorted(os.listdir(source)):
    match = re.match(r"bench_project_(\d+)-1\.(\d+)\.0-", name)
    if match and int(match.group(1)) >= rotate and match.group(2) != "0":
        continue
    number = int(match.group(1)) if match else 0
    os.link(f"{source}/{name}", f"{target}/{number % 4}/{name}")
PY
  start=$SECONDS
  imports=()
  for part in 0 1 2 3; do
    spawn "$work/import-$part.log" "" env DOTNET_NOLOGO=1 ConnectionStrings__storage="$storage" "${server[@]}" import "$bucket/$part"
    imports+=("$spawned")
  done
  for pid in "${imports[@]}"; do wait "$pid" || { cat "$work"/import-*.log >&2; fail "import into the bucket failed"; }; done
  echo "   $(find "$bucket" -name '*.whl' | wc -l) files imported in $((SECONDS - start)) s"
  taskset -a -c -p "$SERVER_CPU" "$moto" >/dev/null
  # moto goes on working for a while after the imports return; measuring before it is idle would give the
  # distributed rows only part of the server core (at most two minutes: then measure anyway).
  deadline=$((SECONDS + 120))
  while ((SECONDS < deadline)); do
    before=$(cpu_ticks "$moto")
    sleep 2
    (( $(cpu_ticks "$moto") - before < 2 * hz / 10 )) && break
  done
  distributed_env=(ConnectionStrings__storage="$storage" ConnectionStrings__cache="$cache")
fi

if [[ $SETUPS == *distributed* ]]; then
  echo "== distributed: one node, Redis + near layer, S3 redirects"
  port=$(free_port)
  node "$work/distributed.log" "$port" "${distributed_env[@]}"
  pgid=$spawned
  wait_http "http://127.0.0.1:$port/alive"
  measure "distributed" "http://127.0.0.1:$port" "$pgid"
  stop "$pgid"
fi
[[ -n ${embedded_base:-} ]] && stop "$embedded"

if [[ $SETUPS == *cluster* ]]; then
  echo "== cluster: three nodes behind haproxy, all on the server core"
  backends="" nodes=()
  for n in 1 2 3; do
    port=$(free_port)
    node "$work/cluster-$n.log" "$port" "${distributed_env[@]}"
    nodes+=("$spawned")
    wait_http "http://127.0.0.1:$port/alive"
    backends+="  server n$n 127.0.0.1:$port"$'\n'
  done
  lb_port=$(free_port)
  cat >"$work/haproxy.cfg" <<HAPROXY
global
  maxconn 8192
  nbthread 1
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
  spawn "$work/haproxy.log" "$SERVER_CPU" haproxy -f "$work/haproxy.cfg" -db
  nodes+=("$spawned")
  wait_http "http://127.0.0.1:$lb_port/alive"
  measure "cluster" "http://127.0.0.1:$lb_port" "${nodes[@]}"
  stop "${nodes[@]}"
fi

if [[ $SETUPS == *distributed* || $SETUPS == *cluster* ]]; then
  redis_rss=$(rss_mib VmRSS "$redis")
  moto_rss=$(rss_mib VmRSS "$moto")
  stop "$redis" "$moto"
fi


load=$(cut -d' ' -f1-3 /proc/loadavg)
stamp="Run $(date -u +'%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores (load average after: $load): \
server side pinned to core $SERVER_CPU, wrk -t$THREADS -c$CONNECTIONS -d$DURATION pinned to core $CLIENT_CPU; $PROJECTS projects x $VERSIONS wheels + 2 ($files files); \
first page after start: ${startups[*]} ms, server CPU until then ${startup_cpu[*]} ms (three starts)${redis_rss:+; Redis $redis_rss MiB, moto $moto_rss MiB (not in the RSS columns)}."
table=$(python3 bench/table.py "$results" "$work/downloads" "${startups[@]}")
mkdir -p bench/results
printf '%s\n\n%s\n' "$stamp" "$table" >bench/results/latest.md
if [[ $SETUPS == "$ALL_SETUPS" ]]; then
  python3 - bench/README.md bench/results/latest.md "bash bench/run.sh" <<'PY'
import re, sys
readme, latest, command = sys.argv[1], open(sys.argv[2]).read(), sys.argv[3]
text = open(readme).read()
block = f"`{command}`\n\n{latest}"
text = re.sub(r"(<!-- results:start -->\n).*?(<!-- results:end -->)", lambda m: m.group(1) + block + m.group(2), text, flags=re.S)
open(readme, "w").write(text)
PY
fi
echo
cat bench/results/latest.md
