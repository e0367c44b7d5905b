#!/usr/bin/env python3
"""Writes N projects of small, valid py3-none-any wheels (METADATA, WHEEL, RECORD) into a folder, plus one
project per extra size given (e.g. 100K 10M) holding one wheel of about that size, of random (incompressible) bytes.

    generate_wheels.py FOLDER PROJECTS VERSIONS [SIZE...]
"""
import base64
import hashlib
import os
import sys
import zipfile


def record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def wheel(folder: str, name: str, version: str, requires: tuple = (), padding: int = 0) -> str:
    """A wheel with the given Requires-Dist, and `padding` bytes of incompressible data when asked; returns its filename."""
    module = name.replace("-", "_")
    dist_info = f"{module}-{version}.dist-info"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: bench package {name}\nRequires-Python: >=3.8\n"
    metadata += "".join(f"Requires-Dist: {r}\n" for r in requires)
    files = {
        f"{module}/__init__.py": f'VERSION = "{version}"\n'.encode(),
        f"{dist_info}/METADATA": metadata.encode(),
        f"{dist_info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: pypilocal-bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    if padding:
        files[f"{module}/padding.bin"] = os.urandom(padding)
    record = "".join(f"{path},{record_hash(data)},{len(data)}\n" for path, data in files.items()) + f"{dist_info}/RECORD,,\n"
    files[f"{dist_info}/RECORD"] = record.encode()
    filename = f"{module}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(folder, filename), "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return filename


def size_of(text: str) -> int:
    units = {"K": 1 << 10, "M": 1 << 20}
    return int(text[:-1]) * units[text[-1].upper()] if text[-1].upper() in units else int(text)


def main() -> None:
    folder, projects, versions = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    os.makedirs(folder, exist_ok=True)
    for p in range(projects):
        for v in range(versions):
            wheel(folder, f"bench-project-{p:04d}", f"1.{v}.0")
    # One line per sized wheel on stdout: its size argument and its URL path, for the benchmark's targets.
    for size in sys.argv[4:]:
        name = f"bench-wheel-{size.lower()}"
        filename = wheel(folder, name, "1.0.0", padding=size_of(size))
        print(f"{size} /packages/{name}/{filename}")


if __name__ == "__main__":
    main()
