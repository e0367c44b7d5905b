#!/usr/bin/env bash
# The cost of watching a large folder, and of restarting over it: a folder of BENCH_FILES (10,000) small wheels,
# served by `pypilocal serve`; reports the idle CPU share (utime+stime from /proc/<pid>/stat over BENCH_IDLE seconds,
# after BENCH_SETTLE seconds of rest), then restarts and reports the time and CPU to the first project page and the
# number of files hashed again. The server is this checkout published as it ships (Native AOT; BENCH_PUBLISH=<a publish
# folder> reuses one); BENCH_BASELINE=<another publish folder> runs the same against it (before/after a change).
# Needs dotnet, curl and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

FILES=${BENCH_FILES:-10000}
SETTLE=${BENCH_SETTLE:-30}
IDLE=${BENCH_IDLE:-30}
WORK=$(mktemp -d /tmp/pypilocal-folder-idle-XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
CURRENT=${BENCH_PUBLISH:-$WORK/publish}
[[ -n ${BENCH_PUBLISH:-} ]] || publish_server "$CURRENT"
TCK=$(getconf CLK_TCK)

python3 - "$WORK/packages" "$FILES" <<'EOF'
import os, shutil, sys, zipfile
out, n = sys.argv[1], int(sys.argv[2])
os.makedirs(out)
template = os.path.join(out, "template.zip")
with zipfile.ZipFile(template, "w") as z:
    z.writestr("template/__init__.py", "VERSION = '1.0'\n")
    z.writestr("template-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: template\nVersion: 1.0\n")
    z.writestr("template-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\nGenerator: bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
    z.writestr("template-1.0.dist-info/RECORD", "")
for i in range(n):
    shutil.copy(template, os.path.join(out, f"project_{i % 2000}-1.{i}-py3-none-any.whl"))
os.remove(template)
EOF

cpu() { awk '{print $14+$15}' "/proc/$1/stat"; }
seconds() { python3 -c "print(f'{$1:.2f}')"; }

# serve PUBLISH PORT LABEL -> starts the server published in that folder in the background (state per label), sets PID
serve() {
  server_command "$1"
  XDG_DATA_HOME="$WORK/data-$3" \
    "${server[@]}" serve "$WORK/packages" --port "$2" --host 127.0.0.1 >"$WORK/log-$2" 2>&1 &
  PID=$!
}

first_page() {
  local start end
  start=$(date +%s.%N)
  until curl -sf -o /dev/null "http://127.0.0.1:$1/simple/project-1999/"; do sleep 0.02; done
  end=$(date +%s.%N)
  echo "$(seconds "$end-$start") s wall, $(seconds "$(cpu "$PID")/$TCK") s CPU"
}

indexed() {
  # Older builds have no such metric: then give the server the settle time alone.
  until ! curl -s "http://127.0.0.1:$1/metrics" | grep -q '^pypilocal_folder_files_pending' \
    || curl -s "http://127.0.0.1:$1/metrics" | grep -q '^pypilocal_folder_files_pending{.*} 0$'; do sleep 0.5; done
}

idle() {
  local a b
  sleep "$SETTLE"
  a=$(cpu "$PID"); sleep "$IDLE"; b=$(cpu "$PID")
  python3 -c "print(f'{($b-$a)/$TCK/$IDLE*100:.2f}% of a core')"
}

hashed() { curl -s "http://127.0.0.1:$1/metrics" | awk '/^pypilocal_folder_files_hashed_total/ {print $NF}'; }

report() {
  local publish=$1 label=$2 port
  port=$((20000 + RANDOM % 10000))
  serve "$publish" "$port" "$label"
  local start; start=$(first_page "$port"); indexed "$port"
  local quiet; quiet=$(idle)
  kill -TERM "$PID"; wait "$PID" || true
  serve "$publish" "$port" "$label"
  local restart; restart=$(first_page "$port"); indexed "$port"
  local again; again=$(hashed "$port")
  kill -TERM "$PID"; wait "$PID" || true
  echo "| $label | $start | $quiet | $restart | ${again:-n/a} |"
}

echo "Run $(date -u '+%Y-%m-%d %H:%M') UTC on $(nproc) cores (load average: $(cut -d' ' -f1-3 /proc/loadavg)), $FILES files, idle over ${IDLE} s after ${SETTLE} s."
echo
echo "| build | first start to first page | idle CPU | restart to first page | files hashed again |"
echo "|---|---|---|---|---|"
if [[ -n "${BENCH_BASELINE:-}" ]]; then report "$BENCH_BASELINE" "baseline"; fi
report "$CURRENT" "this checkout"
