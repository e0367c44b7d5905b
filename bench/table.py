#!/usr/bin/env python3
"""Turns bench/run.sh's results.tsv into the Markdown table and the list of issue 14's targets, met or not.

Each row is compared with the nginx row on the same target measured in the same moments (bench/run.sh alternates
their runs in slices): nginx's own cost drifted by up to 40 % between passes minutes apart, and within seconds.

The distributed node is held to within 10 % of the embedded one by the embedded node's rows measured in the same
slices as the distributed node's (embedded-beside-distributed), when the run has them.

The 10 MiB wheel's p99 is judged on its downloads with one client process per connection, not on
wrk's: wrk's one event loop per thread is the bottleneck on that target with either server, and its p99 there is how
unevenly that loop serves its connections (bench/README.md, "The 10 MiB wheel judged per client process"). wrk's row stays in the table.

DOWNLOADS/SETUP.txt holds those download times of a setup and DOWNLOADS/SETUP-nginx.txt nginx's beside it, in
seconds, one per line (curl's %{time_total}).

    table.py RESULTS.tsv DOWNLOADS [FIRST_PAGE_MS...]
"""
import os
import sys

NAMES = {
    "root": "root `/simple/`",
    "hot": "hot project page",
    "rotating": "project pages, rotating",
    "wheel-100k": "100 KiB wheel",
    "wheel-10m": "10 MiB wheel",
    "metadata": "`.metadata`",
}
PAGES = ("root", "hot", "rotating")
# The embedded node measured again in the distributed node's page slices (bench/run.sh, measure).
BESIDE = "embedded-beside-distributed"
FILES = ("wheel-100k", "wheel-10m", "metadata")


def ms(text: str) -> float:
    """wrk prints 693.00us, 1.09ms, 1.20s or 2.00m."""
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0), ("m", 60000.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    raise ValueError(text)


def percentile(ordered: list[float], p: float) -> float:
    """The nearest-rank percentile: the smallest value with at least p % of the values at or below it."""
    return ordered[max(1, -(-len(ordered) * p // 100)) - 1]


def download_times(folder: str, name: str) -> dict | None:
    """The count, p50 and p99 (ms) of the download times in FOLDER/NAME.txt; None when there are none."""
    path = os.path.join(folder, name + ".txt")
    if not os.path.exists(path):
        return None
    times = sorted(float(line) * 1000 for line in open(path) if line.strip())
    return dict(n=len(times), p50=percentile(times, 50), p99=percentile(times, 99)) if times else None


def main() -> None:
    rows = []
    for line in open(sys.argv[1]):
        if line.strip():
            setup, target, rps, p50, p99, cpu, idle, peak, status, errors = line.rstrip("\n").split("\t")
            rows.append(dict(setup=setup, target=target, rps=float(rps), p50=ms(p50), p99=ms(p99), cpu=float(cpu),
                             idle=int(idle), peak=int(peak), status=status, errors=errors))
    # The setups whose 10 MiB wheel was also downloaded per client process, each with nginx's downloads beside it.
    downloads = {}
    for setup in dict.fromkeys(r["setup"] for r in rows):
        own, ref = download_times(sys.argv[2], setup), download_times(sys.argv[2], setup + "-nginx")
        if own and ref:
            downloads[setup] = dict(own, ref=ref)
    first_page = [int(v) for v in sys.argv[3:]]

    # Each row's reference: the nginx row on its target, recorded just before it (measured alongside it).
    last_nginx = {}
    for r in rows:
        if r["setup"] == "nginx":
            last_nginx[r["target"]] = r
            r["ref"] = None
        else:
            r["ref"] = last_nginx.get(r["target"])

    print("| setup | target | req/s | × nginx | p50 | p99 | p99 ÷ nginx's | CPU µs/req | × nginx by CPU | RSS idle / peak (MiB) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        ref = r["ref"]
        label = NAMES[r["target"]]
        if r["status"] == "302":
            label += " (302 to S3)"
        elif r["status"] != "200":
            label += f" (HTTP {r['status']})"
        if r["errors"]:
            label += f" ({r['errors']})"
        ratio = f"{r['rps'] / ref['rps']:.2f}" if ref else "–"
        p99_ratio = f"{r['p99'] / ref['p99']:.1f}" if ref else "–"
        cpu_ratio = f"{ref['cpu'] / r['cpu']:.2f}" if ref and r["cpu"] > 0 else "–"
        print(f"| {r['setup']} | {label} | {r['rps']:,.0f} | {ratio} | {r['p50']:.2f} ms | {r['p99']:.2f} ms | {p99_ratio} "
              f"| {r['cpu']:.1f} | {cpu_ratio} | {r['idle']} / {r['peak']} |")

    if downloads:
        print()
        print("10 MiB wheel with one client process per connection (curl processes on the client core, as many as wrk's "
              "connections, each downloading it over one keep-alive connection; nginx and the setup in alternating passes):")
        print()
        print("| setup | downloads | p50 | p99 | nginx p50 | nginx p99 | p99 ÷ nginx's |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for setup, d in downloads.items():
            ref = d["ref"]
            print(f"| {setup} | {d['n']} | {d['p50']:.0f} ms | {d['p99']:.0f} ms | {ref['p50']:.0f} ms | {ref['p99']:.0f} ms | {d['p99'] / ref['p99']:.1f} |")

    # Issue 14's targets, for the embedded mode and one distributed node.
    checks = []
    by = {(r["setup"], r["target"]): r for r in rows}
    for setup in ("embedded", "distributed"):
        for target, floor in (("hot", 0.9), ("rotating", 0.9), ("root", 0.8), *((t, 0.8) for t in FILES)):
            r = by.get((setup, target))
            ref = r and r["ref"]
            if not r or not ref:
                continue
            if r["status"] == "302":
                continue  # a redirect is not a download: nothing to compare with nginx serving the bytes
            checks.append((f"{setup}, {NAMES[target]}: ≥ {floor} × nginx req/s", r["rps"] / ref["rps"] >= floor, f"{r['rps'] / ref['rps']:.2f}"))
        for target in (*PAGES, *FILES):
            r = by.get((setup, target))
            ref = r and r["ref"]
            if target == "wheel-10m" and setup in downloads:
                d = downloads[setup]
                value = f"{d['p99'] / d['ref']['p99']:.1f} ×" + (f"; wrk's: {r['p99'] / ref['p99']:.1f} ×" if r and ref else "")
                checks.append((f"{setup}, {NAMES[target]}: p99 ≤ 3 × nginx's, one client process per connection", d["p99"] <= 3 * d["ref"]["p99"], value))
            elif r and ref and r["status"] != "302":
                checks.append((f"{setup}, {NAMES[target]}: p99 ≤ 3 × nginx's", r["p99"] <= 3 * ref["p99"], f"{r['p99'] / ref['p99']:.1f} ×"))
    for target in PAGES:
        e, d, beside = by.get(("embedded", target)), by.get(("distributed", target)), by.get((BESIDE, target))
        # Across passes minutes apart, each taken relative to its own nginx pass; shown beside the paired figure.
        across = (d["rps"] / d["ref"]["rps"]) / (e["rps"] / e["ref"]["rps"]) if e and d and e["ref"] and d["ref"] else None
        if d and beside:
            relative = d["rps"] / beside["rps"]
            value = f"{relative:.2f}" + (f"; across passes, each × its nginx: {across:.2f}" if across else "")
            checks.append((f"distributed within 10 % of embedded, {NAMES[target]} (in the same slices)", relative >= 0.9, value))
        elif across:
            checks.append((f"distributed within 10 % of embedded, {NAMES[target]} (each × its nginx pass)", across >= 0.9, f"{across:.2f}"))
    embedded = [r for r in rows if r["setup"] == "embedded"]
    if embedded:
        idle, peak = embedded[0]["idle"], max(r["peak"] for r in embedded)
        checks.append(("embedded RSS idle ≤ 80 MiB", idle <= 80, f"{idle} MiB"))
        checks.append(("embedded RSS under load ≤ 120 MiB", peak <= 120, f"{peak} MiB"))
    if first_page:
        checks.append(("first page within 1 s of start", max(first_page) <= 1000, f"{max(first_page)} ms (worst of {len(first_page)})"))
    if checks:
        print()
        for text, met, value in checks:
            print(f"- {'met' if met else '**not met**'}: {text} ({value})")


if __name__ == "__main__":
    main()
