"""An interrupted run leaves complete pairs: replicates run replicate-major (every variant of
replicate r before replicate r+1), so after Ctrl-C the variants hold the same replicates, apart
from the few that were running, and `klynge compare` pairs them. Run by ctest with Debian's
/usr/bin/python3 (h5py)."""
import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import h5py
import numpy as np

ARGS = None
THREADS = 2


class InterruptedPairs(unittest.TestCase):
    def test_interrupted_file_holds_complete_pairs_and_compares(self):
        with tempfile.TemporaryDirectory(prefix="klynge-pairs-") as tmp:
            out = os.path.join(tmp, "r.h5")
            scenario = os.path.join(ARGS.source, "scenarios", "midtjylland.yaml")
            proc = subprocess.Popen([ARGS.klynge, "run", scenario, "-o", out, "--replicates",
                                     "2000", "--threads", str(THREADS), "--quiet"],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            time.sleep(3)
            proc.send_signal(signal.SIGINT)
            _, stderr = proc.communicate(timeout=120)
            self.assertEqual(proc.returncode, 130, stderr)
            with h5py.File(out, "r") as f:
                done = {name: set(np.flatnonzero(f[f"variants/{name}/completed"][()]))
                        for name in f["variants"]}
            common = set.intersection(*done.values())
            ragged = set.union(*done.values()) - common
            print(f"replicates complete in every variant: {len(common)}; in some only: "
                  f"{len(ragged)} ({sorted(ragged)})")
            self.assertGreater(len(common), 0)
            # At most the units that were running (one per thread) plus the replicate whose
            # variants were being started are ragged.
            self.assertLessEqual(len(ragged), THREADS + 1)
            self.assertEqual(common, set(range(len(common))))
            compare = subprocess.run([ARGS.klynge, "compare", out, "--format", "csv"],
                                     capture_output=True, text=True)
            self.assertEqual(compare.returncode, 0, compare.stderr)
            self.assertIn("full_programme", compare.stdout)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--klynge", required=True)
    parser.add_argument("--source", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
