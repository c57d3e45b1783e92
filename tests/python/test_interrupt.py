"""Interrupting `klynge run` (SIGINT/SIGTERM/SIGHUP): exit code 130, a readable results file marked
`incomplete` that holds every finished replicate; no temporary file left behind; overwriting
refused without --force. Run by ctest with Debian's /usr/bin/python3 (h5py)."""
import argparse
import glob
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


class Interrupt(unittest.TestCase):
    def run_and_interrupt(self, sig):
        tmp = tempfile.mkdtemp(prefix="klynge-interrupt-")
        out = os.path.join(tmp, "r.h5")
        scenario = os.path.join(ARGS.source, "scenarios", "midtjylland.yaml")
        proc = subprocess.Popen([ARGS.klynge, "run", scenario, "-o", out, "--replicates", "100000",
                                 "--threads", "2", "--quiet"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # Wait until some replicates have been written (the temp file grows), then interrupt.
        deadline = time.time() + 60
        while time.time() < deadline and not glob.glob(out + ".tmp-*"):
            time.sleep(0.05)
        time.sleep(1.5)
        proc.send_signal(sig)
        stdout, stderr = proc.communicate(timeout=120)
        return proc.returncode, out, stderr

    def check_incomplete(self, code, out, stderr):
        self.assertEqual(code, 130, stderr)
        self.assertIn("interrupted", stderr)
        self.assertTrue(os.path.exists(out))
        self.assertEqual(glob.glob(out + ".tmp*"), [])
        with h5py.File(out, "r") as f:
            status = f.attrs["status"]
            status = status.decode() if isinstance(status, bytes) else status
            self.assertEqual(status, "incomplete")
            finished = 0
            for name in f["variants"]:
                completed = f[f"variants/{name}/completed"][()]
                metrics = f[f"variants/{name}/metrics"]
                finished += int(completed.sum())
                done = np.flatnonzero(completed)
                if len(done):
                    self.assertTrue(np.isfinite(metrics[done[0], :, 0]).all())
                missing = np.flatnonzero(completed == 0)
                self.assertTrue(np.isnan(metrics[missing[0], :, 0]).all())
            self.assertGreater(finished, 0)

    def test_sigint(self):
        self.check_incomplete(*self.run_and_interrupt(signal.SIGINT))

    def test_sigterm(self):
        self.check_incomplete(*self.run_and_interrupt(signal.SIGTERM))

    def test_sighup(self):
        # A closed terminal (or ssh session) stops the run like Ctrl-C.
        self.check_incomplete(*self.run_and_interrupt(signal.SIGHUP))

    def test_existing_file_is_not_overwritten_without_force(self):
        tmp = tempfile.mkdtemp(prefix="klynge-force-")
        out = os.path.join(tmp, "r.h5")
        scenario = os.path.join(ARGS.source, "scenarios", "midtjylland.yaml")
        base = [ARGS.klynge, "run", scenario, "-o", out, "--replicates", "1", "--quiet",
                "--variant", "baseline"]
        self.assertEqual(subprocess.run(base, capture_output=True).returncode, 0)
        before = os.path.getmtime(out)
        again = subprocess.run(base, capture_output=True, text=True)
        self.assertEqual(again.returncode, 2)
        self.assertIn("--force", again.stderr)
        self.assertEqual(os.path.getmtime(out), before)
        self.assertEqual(subprocess.run(base + ["--force"], capture_output=True).returncode, 0)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--klynge", required=True)
    parser.add_argument("--source", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
