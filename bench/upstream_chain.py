#!/usr/bin/env python3
"""Writes a dependency chain of N py3-none-any wheels (chain-00 -> chain-01 -> ... ) into a folder.

Each wheel carries PADDING bytes of incompressible data (default 64 KiB), so that downloads weigh something.
Usage: upstream_chain.py FOLDER N [PADDING]
"""
import os
import sys

from generate_wheels import wheel


def main() -> None:
    folder, count = sys.argv[1], int(sys.argv[2])
    padding = int(sys.argv[3]) if len(sys.argv) > 3 else 64 * 1024
    os.makedirs(folder, exist_ok=True)
    for i in range(count):
        requires = (f"chain-{i + 1:02d}>=1.0",) if i + 1 < count else ()
        wheel(folder, f"chain-{i:02d}", "1.0", requires, padding)


if __name__ == "__main__":
    main()
