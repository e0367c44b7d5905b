#!/usr/bin/env python3
"""The count, p50 and p99 in milliseconds of the times in seconds in a file, one per line (curl's %{time_total}),
tab-separated: what bench/run.sh records of the 10 MiB wheel's downloads with one client process per connection.

    percentiles.py TIMES.txt
"""
import sys


def percentile(ordered: list[float], p: float) -> float:
    """The nearest-rank percentile: the smallest value with at least p % of the values at or below it."""
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def main() -> None:
    times = sorted(float(line) * 1000 for line in open(sys.argv[1]) if line.strip())
    if not times:
        print("0\t0\t0")
        return
    print(f"{len(times)}\t{percentile(times, 50):.1f}\t{percentile(times, 99):.1f}")


if __name__ == "__main__":
    main()
