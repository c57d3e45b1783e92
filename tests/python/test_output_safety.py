"""Output safety of `klynge run` and `klynge report` as a process sees it (docs/reliability.md,
"Results files and output paths"): a full disk or a file size limit gives exit 1 with a message
naming the file and the cause, keeps an existing file byte for byte and leaves no temporary;
concurrent runs to one -o never corrupt the file; -o naming a folder fails at once (exit 2).
The tmpfs variant needs root (mount) and is skipped otherwise. Run by ctest with
/usr/bin/python3 (h5py)."""
import argparse
import glob
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import h5py

ARGS = None


def scenario():
    return os.path.join(ARGS.source, "scenarios", "midtjylland.yaml")


def limit_file_size(limit):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
    return apply


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def status_of(path):
    with h5py.File(path, "r") as f:
        s = f.attrs["status"]
        return s.decode() if isinstance(s, bytes) else s


class OutputSafety(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="klynge-outsafe-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def run_klynge(self, *args, timeout=300, preexec=None):
        return subprocess.run([ARGS.klynge, *args], capture_output=True, text=True,
                              timeout=timeout, preexec_fn=preexec)

    def small_results(self, path):
        r = self.run_klynge("run", scenario(), "-o", path, "--replicates", "1", "--quiet",
                            "--variant", "baseline")
        self.assertEqual(r.returncode, 0, r.stderr)

    def check_full_disk(self, folder, preexec=None):
        good = os.path.join(folder, "good.h5")
        self.small_results(good)
        before = read_bytes(good)
        for target, force in ((good, ["--force"]), (os.path.join(folder, "new.h5"), [])):
            with self.subTest(force=bool(force)):
                r = self.run_klynge("run", scenario(), "-o", target, "--replicates", "12",
                                    "--quiet", "--threads", "2", *force, preexec=preexec)
                self.assertEqual(r.returncode, 1, r.stderr)
                self.assertIn(target, r.stderr)
                self.assertRegex(r.stderr, "No space left on device|File too large")
                self.assertEqual(read_bytes(good), before)  # the old file, byte for byte
                self.assertFalse(os.path.exists(os.path.join(folder, "new.h5")))
                self.assertEqual(glob.glob(os.path.join(folder, "*.tmp*")), [])
        self.assertEqual(status_of(good), "complete")

    def test_file_size_limit_as_a_full_disk(self):
        self.check_full_disk(self.dir, preexec=limit_file_size(512 * 1024))

    def test_full_tmpfs(self):
        if os.geteuid() != 0:
            self.skipTest("mounting a tmpfs needs root")
        mount = os.path.join(self.dir, "full")
        os.mkdir(mount)
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount],
                          capture_output=True).returncode != 0:
            self.skipTest("cannot mount a tmpfs here")
        try:
            # good.h5 (~270 KB) fits in 1 MB; 12 replicates of 7 variants (~2 MB) do not.
            self.check_full_disk(mount)
        finally:
            subprocess.run(["umount", mount], capture_output=True)

    def concurrent(self, force):
        out = os.path.join(self.dir, "r.h5")
        cmd = [ARGS.klynge, "run", scenario(), "-o", out, "--replicates", "10", "--quiet",
               "--threads", "1"] + (["--force"] if force else [])
        procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for _ in range(2)]
        results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
        for p in procs:
            p.stdout.close()
            p.stderr.close()
        codes = sorted(code for code, _ in results)
        self.assertIn(0, codes, results)
        for code, err in results:
            if code != 0:  # the later finisher without --force: refused, nothing replaced
                self.assertEqual(code, 2, err)
                self.assertIn("--force", err)
        if force:
            self.assertEqual(codes, [0, 0], results)
        self.assertEqual(status_of(out), "complete")  # readable, whole
        self.assertEqual(glob.glob(out + ".tmp*"), [])

    def test_concurrent_runs_to_one_output(self):
        self.concurrent(force=False)

    def test_concurrent_runs_to_one_output_with_force(self):
        self.concurrent(force=True)

    def test_output_folder_with_force_fails_before_the_simulation(self):
        start = time.time()
        # 100000 replicates would run for many minutes: the refusal must come first.
        r = self.run_klynge("run", scenario(), "-o", self.dir, "--force", "--replicates",
                            "100000", "--quiet", timeout=60)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("is a directory", r.stderr)
        self.assertLess(time.time() - start, 30)
        self.assertEqual(os.listdir(self.dir), [])

    def test_report_over_its_results_file_is_refused(self):
        path = os.path.join(self.dir, "r.h5")
        self.small_results(path)
        before = read_bytes(path)
        r = self.run_klynge("report", path, "-o", path, "--quiet")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(read_bytes(path), before)

    def test_report_on_a_full_disk_keeps_the_old_report(self):
        path = os.path.join(self.dir, "r.h5")
        self.small_results(path)
        page = os.path.join(self.dir, "report.html")
        with open(page, "w") as f:
            f.write("old report")
        r = self.run_klynge("report", path, "-o", page, "--quiet",
                            preexec=limit_file_size(16 * 1024))
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn(page, r.stderr)
        self.assertEqual(read_bytes(page), b"old report")
        self.assertEqual(glob.glob(page + ".tmp*"), [])


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--klynge", required=True)
    parser.add_argument("--source", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
