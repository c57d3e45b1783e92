#!/usr/bin/python3
"""Are two klynge results files the same, bit for bit? Compares every dataset and every attribute.

    /usr/bin/python3 scripts/samebits.py A.h5 B.h5 [--ignore-attr created --ignore-attr command_line]

Prints each difference (dataset or attribute path) and exits 1 when there is one, 0 when none.
Used to show that a refactoring changed no result (docs/architecture.md); tests/golden uses
the same per-dataset digests (digests()).
"""
import argparse
import hashlib
import sys

import h5py
import numpy as np

# Root attributes that differ between two runs of the same scenario by design.
RUN_ATTRIBUTES = ("created", "command_line", "tool_version")


def _bytes(value):
    if isinstance(value, (bytes, str)):
        return value.encode() if isinstance(value, str) else value
    array = np.asarray(value)
    if array.dtype.kind == "O":  # variable-length strings
        return "\x1f".join(x.decode() if isinstance(x, bytes) else str(x)
                           for x in array.ravel()).encode()
    return array.dtype.str.encode() + str(array.shape).encode() + array.tobytes()


def digests(path, ignore_attributes=RUN_ATTRIBUTES):
    """{path: sha256} for every dataset (its dtype, shape and bytes) and every attribute."""
    out = {}
    with h5py.File(path, "r") as f:
        def attributes(name, obj):
            for key, value in obj.attrs.items():
                if obj.name == "/" and key in ignore_attributes:
                    continue
                if key in ("DIMENSION_LIST", "REFERENCE_LIST"):  # object references: addresses
                    continue
                out[f"{obj.name}@{key}"] = hashlib.sha256(_bytes(value)).hexdigest()

        attributes("/", f)

        def visit(name, obj):
            attributes(name, obj)
            if isinstance(obj, h5py.Dataset):
                out["/" + name] = hashlib.sha256(_bytes(obj[()])).hexdigest()

        f.visititems(visit)
    return out


def differences(a, b):
    """The keys whose digests differ between two digests() results (or are in one only)."""
    return sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("--ignore-attr", action="append", default=list(RUN_ATTRIBUTES),
                        help="root attribute to ignore (default: created, command_line, tool_version)")
    args = parser.parse_args()
    a, b = digests(args.a, args.ignore_attr), digests(args.b, args.ignore_attr)
    differing = differences(a, b)
    for key in differing:
        where = "only in A" if key not in b else "only in B" if key not in a else "differs"
        print(f"{where}: {key}")
    print(f"{len(a)} datasets and attributes compared, {len(differing)} differ")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
