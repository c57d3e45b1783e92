"""`klynge run SCENARIO -o FILE --resume` continues an interrupted run: after interrupts at several points
(and an interrupted resume), the finished file equals an uninterrupted run bit for bit (every
dataset and attribute but the run's time and command line). A file from another scenario or
seed is refused with exit 2; a complete file is left alone. Run by ctest with /usr/bin/python3."""
import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import h5py

ARGS = None
REPLICATES = "24"


class Resume(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        sys.path.insert(0, os.path.join(ARGS.source, "scripts"))
        import samebits
        cls.samebits = samebits
        cls.tmp = tempfile.mkdtemp(prefix="klynge-resume-")
        cls.scenario = os.path.join(ARGS.source, "scenarios", "midtjylland.yaml")
        cls.reference = os.path.join(cls.tmp, "reference.h5")
        subprocess.run([ARGS.klynge, "run", cls.scenario, "-o", cls.reference, "--replicates",
                        REPLICATES, "--quiet"], check=True, stdout=subprocess.DEVNULL)
        cls.expected = samebits.digests(cls.reference)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def interrupted(self, command, after_seconds):
        """Runs `command`, interrupts it once its output exists + after_seconds."""
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True)
        time.sleep(after_seconds)
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=120)
        return proc.returncode, stderr

    def status(self, path):
        with h5py.File(path, "r") as f:
            s = f.attrs["status"]
            return s.decode() if isinstance(s, bytes) else s

    def completed(self, path):
        """How many (variant, replicate) pairs the file holds finished."""
        with h5py.File(path, "r") as f:
            return int(sum(f[f"variants/{name}/completed"][()].sum() for name in f["variants"]))

    def assert_same_as_reference(self, path):
        got = self.samebits.digests(path)
        changed = self.samebits.differences(self.expected, got)
        self.assertEqual(changed, [])

    def test_resume_after_interrupts_at_several_points_equals_an_uninterrupted_run(self):
        for after in (0.4, 1.2, 2.5):
            with self.subTest(interrupted_after=after):
                out = os.path.join(self.tmp, f"interrupted-{after}.h5")
                code, stderr = self.interrupted(
                    [ARGS.klynge, "run", self.scenario, "-o", out, "--replicates", REPLICATES,
                     "--threads", "2", "--quiet"], after)
                if code == 0:  # finished before the interrupt on a fast machine: still equal
                    self.assert_same_as_reference(out)
                    continue
                self.assertEqual(code, 130, stderr)
                self.assertEqual(self.status(out), "incomplete")
                finished = self.completed(out)
                resumed = subprocess.run([ARGS.klynge, "run", self.scenario, "-o", out, "--resume",
                                          "--threads", "1", "--quiet"],
                                         capture_output=True, text=True)
                self.assertEqual(resumed.returncode, 0, resumed.stderr)
                if finished:  # on a busy machine the first interrupt may come before any finished
                    self.assertIn(f": {finished} of ", resumed.stdout)
                    self.assertIn("replicates were already there", resumed.stdout)
                self.assertEqual(self.status(out), "complete")
                self.assert_same_as_reference(out)

    def test_an_interrupted_resume_can_be_resumed_again(self):
        out = os.path.join(self.tmp, "twice.h5")
        base = [ARGS.klynge, "run", self.scenario, "--quiet", "--threads", "2"]
        code, stderr = self.interrupted(base + ["-o", out, "--replicates", REPLICATES], 0.8)
        if code == 0:
            self.skipTest("the run finished before the interrupt")
        code, stderr = self.interrupted(base + ["-o", out, "--resume"], 0.8)
        self.assertIn(code, (0, 130), stderr)
        final = subprocess.run(base + ["-o", out, "--resume"], capture_output=True, text=True)
        self.assertEqual(final.returncode, 0, final.stderr)
        self.assert_same_as_reference(out)

    def test_a_file_from_another_seed_is_refused(self):
        out = os.path.join(self.tmp, "other-seed.h5")
        code, _ = self.interrupted([ARGS.klynge, "run", self.scenario, "-o", out, "--replicates",
                                    REPLICATES, "--threads", "2", "--quiet"], 0.8)
        before = self.samebits.digests(out)
        wrong = subprocess.run([ARGS.klynge, "run", self.scenario, "-o", out, "--resume", "--seed", "1"],
                               capture_output=True, text=True)
        self.assertEqual(wrong.returncode, 2)
        self.assertIn("another seed", wrong.stderr)
        self.assertEqual(self.samebits.digests(out), before)  # left as it was

    def test_a_complete_file_is_left_alone(self):
        out = os.path.join(self.tmp, "complete.h5")
        shutil.copy(self.reference, out)
        mtime = os.path.getmtime(out)
        again = subprocess.run([ARGS.klynge, "run", self.scenario, "-o", out, "--resume"],
                               capture_output=True, text=True)
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertEqual(os.path.getmtime(out), mtime)

    def test_resume_naming_two_files_is_a_usage_error(self):
        run = subprocess.run([ARGS.klynge, "run", self.scenario, f"--resume={self.reference}",
                              "-o", "x.h5"], capture_output=True, text=True)
        self.assertEqual(run.returncode, 2)
        self.assertIn("--resume", run.stderr)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--klynge", required=True)
    parser.add_argument("--source", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
