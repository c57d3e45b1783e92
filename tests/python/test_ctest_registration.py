"""Every Catch2 test case is registered with ctest exactly once, under its own name.

catch_discover_tests turns the test list into a CMake list, so a ';' in a test name once split
six test cases into names that matched nothing: ctest reported them "Passed" without running
them. Two guards: the registered tests run with `--warn NoTests` (a name that matches nothing
fails), and this test compares ctest's list with the binary's own list.
"""
import argparse
import os
import re
import subprocess
import sys
import unittest

ARGS = None
# Tests added by add_test() rather than discovered: "python.test_x", "package.consumer", ...
NON_CATCH = re.compile(r"^[a-z_]+\.[a-z0-9_]+$")


class Registration(unittest.TestCase):
    def test_every_catch2_test_is_registered_once(self):
        binary = os.path.join(os.getcwd(), "tests", "klynge_tests")
        # Catch2 v2 exits with the number of tests listed, so the exit code says nothing here.
        listed = subprocess.run([binary, "--list-test-names-only"],
                                capture_output=True, text=True).stdout.splitlines()
        catch_names = sorted(n for n in listed if n.strip())
        ctest = subprocess.run(["ctest", "-N"], check=True, capture_output=True,
                               text=True).stdout.splitlines()
        registered = sorted(m.group(1) for m in
                            (re.match(r"\s*Test\s+#\d+: (.*)$", line) for line in ctest)
                            if m and not NON_CATCH.match(m.group(1)))
        self.assertGreater(len(catch_names), 100)
        missing = sorted(set(catch_names) - set(registered))
        extra = sorted(set(registered) - set(catch_names))
        self.assertEqual(missing, [], "Catch2 tests that ctest does not run")
        self.assertEqual(extra, [], "ctest names that match no Catch2 test")
        self.assertEqual(len(registered), len(catch_names))

    def test_registered_tests_fail_when_their_name_matches_nothing(self):
        # The same argument catch_discover_tests passes to every registered test.
        binary = os.path.join(os.getcwd(), "tests", "klynge_tests")
        run = subprocess.run([binary, "no such test; split by a list", "--warn", "NoTests"],
                             capture_output=True, text=True)
        self.assertNotEqual(run.returncode, 0)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--klynge", required=True)
    parser.add_argument("--source", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
