"""MPI ensembles: `mpirun -np 3 klynge run` writes, bit for bit, the single-process results file
(every dataset and attribute but the run's time and command line), for several thread counts;
an interrupt leaves an incomplete file with complete pairs, and --resume under mpirun finishes it
to the same file; a rank that dies leaves an incomplete file and a message. Skipped when mpirun is missing or
klynge was built without MPI. As root (CI), OpenMPI needs OMPI_ALLOW_RUN_AS_ROOT(_CONFIRM).
Run by ctest with Debian's /usr/bin/python3 (h5py)."""
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
import numpy as np

ARGS = None
MPI_ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_rmaps_base_oversubscribe="1")


def mpi_available():
    if not shutil.which("mpirun"):
        return False
    version = subprocess.run([ARGS.klynge, "--version"], capture_output=True, text=True).stdout
    return "MPI ensembles: yes" in version


class Mpi(unittest.TestCase):
    def setUp(self):
        if not mpi_available():
            self.skipTest("mpirun or an MPI build of klynge is missing")
        sys.path.insert(0, os.path.join(ARGS.source, "scripts"))
        import samebits
        self.samebits = samebits
        self.tmp = tempfile.mkdtemp(prefix="klynge-mpi-")
        self.scenario = os.path.join(ARGS.source, "scenarios", "midtjylland.yaml")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def mpirun(self, ranks, args, **kwargs):
        return ["mpirun", "--oversubscribe", "-np", str(ranks), ARGS.klynge] + args

    def test_three_ranks_write_the_single_process_file(self):
        single = os.path.join(self.tmp, "single.h5")
        subprocess.run([ARGS.klynge, "run", self.scenario, "-o", single, "--replicates", "9",
                        "--threads", "2", "--quiet"], check=True, stdout=subprocess.DEVNULL)
        expected = self.samebits.digests(single)
        for threads in (1, 2):
            out = os.path.join(self.tmp, f"mpi-{threads}.h5")
            run = subprocess.run(self.mpirun(3, ["run", self.scenario, "-o", out, "--replicates",
                                                 "9", "--threads", str(threads), "--quiet"]),
                                 env=MPI_ENV, capture_output=True, text=True, timeout=300)
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertEqual(run.stdout.count("results:"), 1, run.stdout)  # rank 0 reports
            got = self.samebits.digests(out)
            changed = self.samebits.differences(expected, got)
            self.assertEqual(changed, [], f"differs from the single-process file ({threads} threads)")

    def test_interrupt_leaves_an_incomplete_file_with_pairs(self):
        out = os.path.join(self.tmp, "interrupted.h5")
        proc = subprocess.Popen(self.mpirun(3, ["run", self.scenario, "-o", out, "--replicates",
                                                "2000", "--threads", "1", "--quiet"]),
                                env=MPI_ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        time.sleep(4)
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=120)
        self.assertNotEqual(proc.returncode, 0)
        self.assertTrue(os.path.exists(out), stderr)
        with h5py.File(out, "r") as f:
            status = f.attrs["status"]
            self.assertEqual(status.decode() if isinstance(status, bytes) else status, "incomplete")
            done = [set(np.flatnonzero(f[f"variants/{n}/completed"][()])) for n in f["variants"]]
        common = set.intersection(*done)
        self.assertGreater(len(common), 0)
        # Units in flight on 3 ranks x 1 thread, plus the replicate being started.
        self.assertLessEqual(len(set.union(*done) - common), 4)

    def test_an_interrupted_mpi_run_resumes_to_the_single_process_file(self):
        single = os.path.join(self.tmp, "single.h5")
        subprocess.run([ARGS.klynge, "run", self.scenario, "-o", single, "--replicates", "24",
                        "--quiet"], check=True, stdout=subprocess.DEVNULL)
        out = os.path.join(self.tmp, "resumed.h5")
        proc = subprocess.Popen(self.mpirun(3, ["run", self.scenario, "-o", out, "--replicates",
                                                "24", "--threads", "1", "--quiet"]),
                                env=MPI_ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(2)
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=120)
        resumed = subprocess.run(self.mpirun(3, ["run", self.scenario, "-o", out, "--resume",
                                                 "--threads", "1", "--quiet"]),
                                 env=MPI_ENV, capture_output=True, text=True, timeout=300)
        self.assertEqual(resumed.returncode, 0, resumed.stderr)
        expected, got = self.samebits.digests(single), self.samebits.digests(out)
        self.assertEqual(self.samebits.differences(expected, got), [])

    def test_a_rank_that_dies_fails_the_run_and_leaves_an_incomplete_file(self):
        out = os.path.join(self.tmp, "died.h5")
        proc = subprocess.Popen(self.mpirun(3, ["run", self.scenario, "-o", out, "--replicates",
                                                "2000", "--threads", "1", "--quiet"]),
                                env=MPI_ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        time.sleep(4)
        ranks = subprocess.run(["pgrep", "-f", f"^{ARGS.klynge} run .* -o {out}"],
                               capture_output=True, text=True).stdout.split()
        self.assertEqual(len(ranks), 3)
        def rank_of(pid):
            with open(f"/proc/{pid}/environ", "rb") as environ:
                for item in environ.read().split(b"\0"):
                    if item.startswith(b"OMPI_COMM_WORLD_RANK="):
                        return int(item.split(b"=")[1])
            return -1
        os.kill(int(next(p for p in ranks if rank_of(p) == 2)), signal.SIGKILL)
        _, stderr = proc.communicate(timeout=120)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("did not report", stderr)
        self.assertTrue(os.path.exists(out), stderr)
        with h5py.File(out, "r") as f:
            status = f.attrs["status"]
            self.assertEqual(status.decode() if isinstance(status, bytes) else status, "incomplete")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--klynge", required=True)
    parser.add_argument("--source", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
