"""Detail replicates are streamed to the results file step by step (docs/results-layout.md,
"Storage details"; docs/performance.md, "Detail outputs streamed"):

- peak memory with one detail replicate stays close to the run without detail outputs (before
  streaming, this scenario peaked at 2.4 times the memory of the run without detail outputs; the
  bar here is a generous 1.3);
- a run interrupted while its detail replicate is half written leaves a valid file without any
  of that replicate's rows (the replicates marked completed are exactly what the file holds),
  and resuming it gives the uninterrupted run's file bit for bit.

Run by ctest with Debian's /usr/bin/python3 (h5py)."""
import argparse
import glob
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import h5py
import numpy as np

ARGS = None
GNU_TIME = "/usr/bin/time"


def scenario_text(source, detail):
    """5,038 firms (synthetic), 120 steps, 2 replicates: a detail replicate of ~30 MB."""
    with open(os.path.join(source, "bench", "scenarios", "synthetic_1k.yaml")) as f:
        text = f.read()
    text = text.replace("../../scenarios/", os.path.join(os.path.abspath(source), "scenarios") + "/")
    text = text.replace("synthetic: {firms: 1000}", "synthetic: {firms: 5000}")
    text = re.sub(r"(?m)^replicates: 1$", "replicates: 2", text)
    outputs = ("outputs: {detail_replicates: 1}" if detail else
               "outputs: {firm_trajectories: false, events: false, ties: false, "
               "detail_replicates: 0}")
    return re.sub(r"(?m)^outputs:.*$", outputs, text)


class DetailStreaming(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        sys.path.insert(0, os.path.join(ARGS.source, "scripts"))
        import samebits
        cls.samebits = samebits
        cls.tmp = tempfile.mkdtemp(prefix="klynge-stream-")
        cls.on = os.path.join(cls.tmp, "detail.yaml")
        cls.off = os.path.join(cls.tmp, "no_detail.yaml")
        for path, detail in ((cls.on, True), (cls.off, False)):
            with open(path, "w") as f:
                f.write(scenario_text(ARGS.source, detail))
        cls.reference = os.path.join(cls.tmp, "reference.h5")
        cls.rss = {}
        for name, scenario, out in (("on", cls.on, cls.reference),
                                    ("off", cls.off, os.path.join(cls.tmp, "off.h5"))):
            command = [ARGS.klynge, "run", scenario, "-o", out, "--threads", "2", "--quiet"]
            if os.access(GNU_TIME, os.X_OK):
                rss_file = os.path.join(cls.tmp, name + ".rss")
                command = [GNU_TIME, "-o", rss_file, "-f", "%M"] + command
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            if os.access(GNU_TIME, os.X_OK):
                with open(rss_file) as f:
                    cls.rss[name] = int(f.read().split()[-1])  # KiB

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_peak_memory_with_a_detail_replicate_stays_close_to_the_run_without(self):
        if not self.rss:
            self.skipTest("needs GNU time (" + GNU_TIME + ")")
        ratio = self.rss["on"] / self.rss["off"]
        self.assertLessEqual(ratio, 1.3, f"max RSS {self.rss} KiB")

    def test_an_interrupted_detail_replicate_leaves_no_rows_and_resume_completes_the_file(self):
        out = os.path.join(self.tmp, "interrupted.h5")
        # One thread: the detail replicate (replicate 0 of the only variant) runs first and alone.
        proc = subprocess.Popen([ARGS.klynge, "run", self.on, "-o", out, "--threads", "1",
                                 "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True)
        # Interrupt once the temporary has grown by streamed detail rows (~4 of ~30 MB): the
        # detail replicate is then well under way and far from finished.
        deadline = time.time() + 120
        while time.time() < deadline and proc.poll() is None:
            temporaries = glob.glob(out + ".tmp-*")
            if temporaries and os.path.getsize(temporaries[0]) > 4_000_000:
                break
            time.sleep(0.02)
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=120)
        self.assertEqual(proc.returncode, 130, stderr)
        self.assertEqual(glob.glob(out + ".tmp*"), [])
        with h5py.File(out, "r") as f:
            self.assertEqual(f.attrs["status"], "incomplete")
            v = f["variants"][list(f["variants"])[0]]  # the scenario's only variant
            self.assertEqual(v["completed"][0], 0, "the detail replicate finished before the "
                                                   "interrupt: nothing was cut short")
            d = v["detail"]
            self.assertEqual(d["detail_replicate"][()].tolist(), [-1])
            self.assertTrue(np.isnan(d["trajectories"][()]).all())
            self.assertEqual(d["event_offset"][()].tolist(), [-1])
            self.assertEqual(d["event_count"][()].tolist(), [0])
            self.assertEqual(d["tie_offset"][()].tolist(), [-1])
            self.assertEqual(d["tie_count"][()].tolist(), [0])
            for table in ("events", "ties"):
                for column in d[table].values():
                    self.assertEqual(column.shape, (0,), f"{table}/{column.name}")
        resumed = subprocess.run([ARGS.klynge, "run", self.on, "-o", out, "--resume", "--threads",
                                  "2", "--quiet"], capture_output=True, text=True)
        self.assertEqual(resumed.returncode, 0, resumed.stderr)
        changed = self.samebits.differences(self.samebits.digests(self.reference),
                                            self.samebits.digests(out))
        self.assertEqual(changed, [])


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--klynge", required=True)
    parser.add_argument("--source", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest)
