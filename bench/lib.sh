# Shared by the bench scripts (sourced): processes in their own groups pinned to cores, their CPU time and RSS, and the
# published server. The caller sets `work` (a temporary folder, removed on exit) and `groups=()`, and traps:
#   trap cleanup EXIT; trap 'echo "bench: interrupted" >&2; exit 130' INT TERM

fail() { echo "bench: $*" >&2; exit 1; }

# spawn LOG CPU CMD...: starts CMD in its own session (so its whole process tree can be stopped), pinned
# to CPU ("" for no pinning); sets $spawned to its pid, which is also its process group id.
spawn() {
  local log=$1 cpu=$2; shift 2
  if [[ -n $cpu ]]; then
    setsid taskset -c "$cpu" "$@" >"$log" 2>&1 </dev/null &
  else
    setsid "$@" >"$log" 2>&1 </dev/null &
  fi
  spawned=$!
  groups+=("$spawned")
}

# stop PGID...: SIGTERM to each process group, SIGKILL to what is left after 10 s.
stop() {
  local pgid i
  for pgid in "$@"; do kill -TERM -- "-$pgid" 2>/dev/null || true; done
  for i in $(seq 1 100); do
    local alive=0
    for pgid in "$@"; do kill -0 -- "-$pgid" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.1
  done
  for pgid in "$@"; do kill -KILL -- "-$pgid" 2>/dev/null || true; done
  for pgid in "$@"; do wait "$pgid" 2>/dev/null || true; done
}

cleanup() {
  trap - EXIT INT TERM
  ((${#groups[@]})) && stop "${groups[@]}"
  rm -rf "$work"
}
hz=$(getconf CLK_TCK)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# wait_http URL [SECONDS]: until URL answers 2xx (the process must still be alive).
wait_http() {
  local deadline=$((SECONDS + ${2:-60}))
  until curl -sf -o /dev/null "$1"; do
    ((SECONDS < deadline)) || fail "no answer from $1 within ${2:-60} s"
    sleep 0.05
  done
}

members() { local pgid; for pgid in "$@"; do ps -o pid= -g "$pgid" 2>/dev/null || true; done; }

# CPU time (clock ticks, user + system) of every process in the groups.
cpu_ticks() {
  local total=0 pid v
  for pid in $(members "$@"); do
    v=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}

# rss_mib FIELD PGID...: the sum of VmRSS (now) or VmHWM (peak since reset_peaks) over the groups, in MiB.
rss_mib() {
  local field=$1 kb=0 pid v; shift
  for pid in $(members "$@"); do
    v=$(awk -v f="$field:" '$1 == f {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    kb=$((kb + ${v:-0}))
  done
  echo $((kb / 1024))
}

# Writing 5 to clear_refs resets a process's peak RSS (VmHWM), so each target gets its own peak.
reset_peaks() { local pid; for pid in $(members "$@"); do echo 5 >"/proc/$pid/clear_refs" 2>/dev/null || true; done; }


# publish_server DIR [PROPERTY...]: the server as it ships (Native AOT: README, "Publish") into DIR, or as the
# properties say (-p:PublishAot=false -p:PublishReadyToRun=true for ReadyToRun). The native compile takes minutes.
publish_server() {
  local dir=$1; shift
  nice dotnet publish src/PypiLocal.Api -c Release -r linux-x64 -o "$dir" -nologo -v q -clp:ErrorsOnly "$@" >/dev/null
}

# server_command DIR: sets `server` to the command that runs the server published in DIR (its executable, else dotnet and the DLL).
server_command() {
  server=("$1/pypilocal")
  [[ -x ${server[0]} ]] || server=(dotnet "$1/pypilocal.dll")
  [[ -x ${server[0]} || -f $1/pypilocal.dll ]] || fail "no published server in $1"
}
