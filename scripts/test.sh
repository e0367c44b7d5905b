#!/usr/bin/env bash
# Runs the whole test suite: installs what the tests need (Debian packages) when it is missing,
# runs every test project, and ends with one summary line "N passed, N failed[, N skipped]".
set -euo pipefail
cd "$(dirname "$0")/.."

# The real parts the tests drive: Redis, Python clients, a browser, a load balancer and load tools.
apt_packages=(redis-server twine python3-build python3-poetry python3-pdm python3-venv python3-wheel nginx haproxy wrk chromium openssl)
missing=()
for package in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "Installing test prerequisites: ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The Aspire AppHost tests run DCP and the dashboard over plain http: there is no container engine and no
# development certificate on these machines.
export ASPIRE_ALLOW_UNSECURED_TRANSPORT=true

# Each test project writes its TRX file into its own TestResults folder, so none overwrites another.
rm -rf tests/*/TestResults
status=0
dotnet build PypiLocal.sln -v q -nologo || status=$?
if ((status == 0)); then
  # The end-to-end project takes most of the time (real servers and clients, four classes at a time), so it starts
  # first and the other projects run one after another beside it, instead of it waiting for all of them.
  dotnet test tests/PypiLocal.EndToEndTests --no-build --logger "trx" "$@" &
  end_to_end=$!
  for project in tests/*.Tests; do
    [[ $project == *EndToEnd* ]] && continue
    dotnet test "$project" --no-build --logger "trx" "$@" || status=$?
  done
  wait "$end_to_end" || status=$?
fi

# dotnet test prints no single summary line; add one from the TRX files (a project that failed to
# build has none, so say so above the summary).
((status == 0)) || echo "dotnet test exited with $status (see above for build errors or crashed test hosts)"
python3 - <<'PY'
import glob, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for path in glob.glob("tests/*/TestResults/*.trx"):
    counters = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
    skipped += int(counters.get("notExecuted", 0))
print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
PY
exit $status
