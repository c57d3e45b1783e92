"""The golden results: every dataset and attribute of a small fixed scenario, bit for bit.

tests/golden/golden.yaml is run on 1 and on 2 threads; each dataset's and attribute's SHA-256
(scripts/samebits.py's digests) must equal tests/golden/digests.txt. A failure names what
changed. When the model changes on purpose, update the digests with --update and add a line to
tests/golden/CHANGES.md.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import unittest

ARGS = None


def load_samebits():
    sys.path.insert(0, os.path.join(ARGS.source, "scripts"))
    import samebits  # noqa: E402
    return samebits


def run_golden(threads, directory):
    out = os.path.join(directory, f"golden-{threads}.h5")
    # Run from the source folder with a relative path: the resolved configuration stores the
    # data paths as reached from the working directory, so the digests hold in any checkout.
    subprocess.run([os.path.abspath(ARGS.klynge), "run", os.path.join("tests", "golden", "golden.yaml"),
                    "-o", out, "--threads", str(threads), "--quiet", "--force"], check=True,
                   cwd=ARGS.source, stdout=subprocess.DEVNULL)
    return load_samebits().digests(out)


def digest_file():
    return os.path.join(ARGS.source, "tests", "golden", "digests.txt")


def read_digests():
    with open(digest_file()) as f:
        return dict(line.rstrip("\n").rsplit(" ", 1) for line in f if line.strip())


class Golden(unittest.TestCase):
    def test_every_dataset_equals_the_golden_digests_on_1_and_2_threads(self):
        expected = read_digests()
        with tempfile.TemporaryDirectory(prefix="klynge-golden-") as tmp:
            for threads in (1, 2):
                got = run_golden(threads, tmp)
                changed = load_samebits().differences(expected, got)
                self.assertEqual(changed, [], f"results that differ from tests/golden/digests.txt "
                                 f"on {threads} thread(s); if the model changed on purpose, "
                                 f"update with --update and note it in tests/golden/CHANGES.md")
        self.assertGreater(len(expected), 50)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--klynge", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--update", action="store_true", help="rewrite tests/golden/digests.txt")
    ARGS, rest = parser.parse_known_args()
    if ARGS.update:
        with tempfile.TemporaryDirectory(prefix="klynge-golden-") as tmp:
            got = run_golden(1, tmp)
        with open(digest_file(), "w") as f:
            for key in sorted(got):
                f.write(f"{key} {got[key]}\n")
        print(f"wrote {len(got)} digests to {digest_file()}")
        sys.exit(0)
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
