#!/usr/bin/env python3
"""Sums one target's wrk slices (bench/run.sh) into one row: req/s over all of them, the median p50, the worst p99,
CPU per request over all of them, and the errors seen. Prints them tab-separated.

    slices.py SLICES.tsv CLOCK_TICKS_PER_SECOND

Each line of SLICES.tsv: requests, wrk's elapsed time (2.00s), CPU ticks, p50 and p99 as wrk prints them, errors.
"""
import statistics
import sys

from table import ms


def main() -> None:
    rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
    requests = sum(int(r[0]) for r in rows)
    seconds = sum(ms(r[1]) for r in rows) / 1000
    ticks = sum(int(r[2]) for r in rows)
    errors = " ".join(sorted({r[5] for r in rows if r[5]}))
    p50 = statistics.median(ms(r[3]) for r in rows)
    p99 = max(ms(r[4]) for r in rows)
    cpu_us = ticks / int(sys.argv[2]) * 1e6 / max(requests, 1)
    print(f"{requests / seconds:.0f}\t{p50:.2f}ms\t{p99:.2f}ms\t{cpu_us:.1f}\t{errors}")


if __name__ == "__main__":
    main()
