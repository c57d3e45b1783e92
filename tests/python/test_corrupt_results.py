"""Damaged results files never crash or hang `inspect`, `compare` or `report`: a deterministic
corpus of corrupted copies of a small real results file (bytes overwritten anywhere or in the
metadata-rich first 64 KiB, single bit flips, truncations) is run through all three with a
timeout; each must exit 0 (harmless damage), 2 or 1 with a message, never by a signal or a hang.
`--keep DIR` writes the corpus there (e.g. as seeds for a fuzzer). Run by ctest with
/usr/bin/python3."""
import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import unittest

ARGS = None
FILES = 200      # corrupted files (x 3 commands)
TIMEOUT = 30     # seconds per command; a good file takes well under one


def corrupt(data, i, rng):
    b = bytearray(data)
    kind = i % 4
    if kind == 0:      # 8 bytes anywhere
        for _ in range(8):
            b[rng.randrange(len(b))] = rng.randrange(256)
    elif kind == 1:    # 8 bytes among the superblock, object headers and string heaps
        for _ in range(8):
            b[rng.randrange(min(len(b), 65536))] = rng.randrange(256)
    elif kind == 2:    # one bit
        p = rng.randrange(len(b))
        b[p] ^= 1 << rng.randrange(8)
    else:              # cut short
        b = b[:rng.randrange(len(b))]
    return bytes(b)


class CorruptResults(unittest.TestCase):
    def test_corpus(self):
        work = ARGS.keep or tempfile.mkdtemp(prefix="klynge-corrupt-")
        os.makedirs(work, exist_ok=True)
        try:
            good = os.path.join(work, "good.h5")
            scenario = os.path.join(ARGS.source, "scenarios", "midtjylland.yaml")
            r = subprocess.run([ARGS.klynge, "run", scenario, "-o", good, "--replicates", "1",
                                "--variant", "baseline", "--variant", "meetings_only", "--quiet",
                                "--force"], capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(good, "rb") as f:
                data = f.read()
            rng = random.Random(20261202)  # the same corpus on every run
            outcomes = {}
            for i in range(FILES):
                path = os.path.join(work, "corrupt-%04d.h5" % i)
                with open(path, "wb") as f:
                    f.write(corrupt(data, i, rng))
                for cmd in (["inspect", path], ["compare", path],
                            ["report", path, "-o", os.path.join(work, "report.html"),
                             "--quiet"]):
                    with self.subTest(file=path, command=cmd[0]):
                        try:
                            r = subprocess.run([ARGS.klynge, *cmd], capture_output=True,
                                               text=True, errors="replace", timeout=TIMEOUT)
                        except subprocess.TimeoutExpired:
                            self.fail("hang: klynge %s %s" % (cmd[0], path))
                        outcomes[r.returncode] = outcomes.get(r.returncode, 0) + 1
                        self.assertIn(r.returncode, (0, 1, 2), r.stderr[-2000:])
                        if r.returncode != 0:
                            self.assertIn("error", r.stderr)
            print("exit codes over %d runs: %s" % (3 * FILES, dict(sorted(outcomes.items()))))
            self.assertGreater(outcomes.get(2, 0), FILES)  # most damage is detected
        finally:
            if not ARGS.keep:
                shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--klynge", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--keep", help="write the corpus into this folder and keep it")
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
