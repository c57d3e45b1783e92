#!/usr/bin/python3
"""One results layout: the table in sim/io/results_layout.hpp against real files, the Python
helper and docs/results-layout.md.

Run by ctest as
    /usr/bin/python3 test_results_layout.py --klynge <klynge binary> --source <repository>
The table comes as JSON from the test-only executable klynge_results_layout (ctest passes its path
in KLYNGE_RESULTS_LAYOUT; by hand it is found next to klynge, in tests/). The test runs
`klynge run` on the golden scenario (detail replicates, --reveal-names) and on the Morris and
Saltelli test scenarios, walks every group, dataset and attribute of the files, and checks:
  - each is in the table, with the table's type, shape (dimension labels or rank), units and
    description, and each table entry appears in some file (entries without a condition in
    every file);
  - every path in analysis/python/klynge_results.py's LAYOUT is in the table;
  - docs/results-layout.md's generated tables equal the table and list every entry.
So renaming a dataset in the table fails here until the helper and the doc follow.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import unittest

import h5py
import numpy as np

ARGS = None
# Attributes that HDF5 itself keeps for dimension scales (H5DS): not part of klynge's layout.
HDF5_OWN = {"CLASS", "NAME", "REFERENCE_LIST", "DIMENSION_LIST", "DIMENSION_LABELS"}


def layout_tool():
    tool = os.environ.get("KLYNGE_RESULTS_LAYOUT")
    if not tool:
        tool = os.path.join(os.path.dirname(os.path.abspath(ARGS.klynge)), "tests",
                            "klynge_results_layout")
    return tool


def load_doc_module():
    sys.path.insert(0, os.path.join(ARGS.source, "scripts"))
    import results_layout_doc  # noqa: E402
    return results_layout_doc


def type_name(dtype):
    if h5py.check_string_dtype(dtype) is not None:
        return "string"
    return {"f8": "float64", "f4": "float32", "i4": "int32", "i8": "int64", "u1": "uint8",
            "u8": "uint64"}.get(dtype.str[1:], dtype.str)


def template(path, variants):
    """/variants/<name>/... -> /variants/<variant>/..."""
    parts = path.split("/")
    if len(parts) > 2 and parts[1] == "variants" and parts[2] in variants:
        parts[2] = "<variant>"
    return "/".join(parts)


def walk(path):
    """Every object and attribute of a file: {template path: (kind, object or attribute info)}."""
    found = {}
    with h5py.File(path, "r") as f:
        variants = set(str(v) for v in f.attrs["variants"])

        def attributes(obj, obj_path):
            for name in obj.attrs:
                if name in HDF5_OWN:
                    continue
                aid = obj.attrs.get_id(name)
                value = obj.attrs[name]
                found.setdefault((obj_path, name), []).append(
                    {"type": type_name(aid.dtype), "rank": len(aid.shape), "value": value,
                     "owner_kind": "dataset" if isinstance(obj, h5py.Dataset) else "group"})

        attributes(f, "/")

        def visit(name, obj):
            p = template("/" + name, variants)
            if isinstance(obj, h5py.Dataset):
                labels = [d.label for d in obj.dims]
                found.setdefault((p, None), []).append(
                    {"kind": "dataset", "type": type_name(obj.dtype), "rank": obj.ndim,
                     "labels": labels})
            else:
                found.setdefault((p, None), []).append({"kind": "group"})
            attributes(obj, p)

        f.visititems(visit)
    return found


def text(value):
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return text(value[()])
    return value if isinstance(value, str) else None


class Layout(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.entries = json.loads(subprocess.run([layout_tool()], check=True, capture_output=True,
                                                text=True).stdout)
        cls.by_path = {e["path"]: e for e in cls.entries}
        cls.tmp = tempfile.TemporaryDirectory(prefix="klynge-layout-")
        cls.files = {}
        runs = {"golden": (os.path.join("tests", "golden", "golden.yaml"), "--reveal-names"),
                "morris": (os.path.join("tests", "scenarios", "morris_small.yaml"),),
                "saltelli": (os.path.join("tests", "scenarios", "sobol_small.yaml"),)}
        for name, (scenario, *extra) in runs.items():
            out = os.path.join(cls.tmp.name, name + ".h5")
            subprocess.run([os.path.abspath(ARGS.klynge), "run", scenario, "-o", out, "--quiet",
                            "--threads", "2", *extra],
                           check=True, cwd=ARGS.source, stdout=subprocess.DEVNULL)
            cls.files[name] = walk(out)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_the_table_is_sound(self):
        self.assertEqual(len(self.by_path), len(self.entries), "paths must be unique")
        for e in self.entries:
            with self.subTest(path=e["path"]):
                self.assertTrue(e["path"].endswith(e["name"]) and e["name"])
                self.assertTrue(e["meaning"])
                if e["kind"] != "group":
                    self.assertIn(e["type"], {"int32", "int64", "uint8", "uint64", "float32",
                                              "float64", "string"})
                    self.assertTrue(e["shape"])
                if e["kind"] == "dataset":
                    self.assertTrue(e["unit"], "every dataset has units")

    def check_dataset(self, e, info, attrs):
        self.assertEqual(info["type"], e["type"])
        axes = e["shape"].split(" x ")
        self.assertEqual(info["rank"], len(axes), f"shape {e['shape']}")
        if any(info["labels"]):  # dimension scales attached: their names are the shape's words
            self.assertEqual(info["labels"], axes)
        units = attrs.get("units")
        description = attrs.get("description")
        self.assertIsNotNone(units, "every dataset has units")
        self.assertIsNotNone(description, "every dataset has a description")
        if e["unit"].startswith("["):
            self.assertEqual(units["rank"], 1, "units: an array over " + e["unit"])
        else:
            self.assertEqual(units["rank"], 0)
            self.assertEqual(text(units["value"]), e["unit"])
        if e["path"] != "/uncertainty/design":  # its description depends on the sampling
            self.assertEqual(text(description["value"]), e["meaning"])

    def test_every_object_and_attribute_of_the_files_is_in_the_table(self):
        for run, found in self.files.items():
            for (path, attribute), infos in found.items():
                info = infos[0]
                if attribute is None:
                    with self.subTest(run=run, path=path):
                        self.assertTrue(path in self.by_path, "not in sim/io/results_layout.hpp")
                        e = self.by_path[path]
                        self.assertEqual(e["kind"], info["kind"])
                        attrs = {a: found[(path, a)][0] for (p, a) in found if p == path and a}
                        if e["kind"] == "dataset":
                            self.check_dataset(e, info, attrs)
                        elif "description" in attrs:
                            self.assertEqual(text(attrs["description"]["value"]), e["meaning"])
                    continue
                own = path + "@" + attribute
                with self.subTest(run=run, attribute=own):
                    if own in self.by_path:
                        e = self.by_path[own]
                        self.assertEqual(info["type"], e["type"])
                        self.assertEqual(info["rank"], 0 if e["shape"] == "scalar" else 1)
                    else:  # the attributes that datasets (and some groups) have: *@units, ...
                        self.assertTrue("*@" + attribute in self.by_path,
                                        "not in sim/io/results_layout.hpp")
                        self.assertEqual(info["type"], "string")
                        if attribute == "units":
                            self.assertEqual(info["owner_kind"], "dataset")

    def test_every_entry_of_the_table_is_in_a_file(self):
        seen = {}
        for run, found in self.files.items():
            for (path, attribute) in found:
                key = path if attribute is None else path + "@" + attribute
                seen.setdefault(key, set()).add(run)
        for e in self.entries:
            if e["path"].startswith("*@"):
                continue
            with self.subTest(path=e["path"]):
                self.assertTrue(e["path"] in seen, "written by no run: stale entry?")
                if not e["when"]:
                    self.assertEqual(seen[e["path"]], set(self.files),
                                     "an entry without a condition must be in every file")

    def test_the_python_helper_reads_names_of_the_table(self):
        sys.path.insert(0, os.path.join(ARGS.source, "analysis", "python"))
        import klynge_results as kr
        for key, path in kr.LAYOUT.items():
            with self.subTest(key=key):
                self.assertTrue(path in self.by_path,
                                f"analysis/python/klynge_results.py LAYOUT[{key!r}] = {path!r} "
                                f"is not in sim/io/results_layout.hpp")
                self.assertEqual(kr._name(key), self.by_path[path]["name"])
        self.assertEqual(kr.SCHEMA_VERSION, 1)

    def test_the_doc_lists_the_table(self):
        doc = load_doc_module()
        with open(os.path.join(ARGS.source, "docs", "results-layout.md"), encoding="utf-8") as f:
            text_ = f.read()
        self.assertEqual(doc.problems(self.entries, text_), [],
                         "regenerate with: /usr/bin/python3 scripts/results_layout_doc.py "
                         "build/tests/klynge_results_layout docs/results-layout.md")

    def test_the_doc_check_fails_on_a_renamed_or_missing_entry(self):
        doc = load_doc_module()
        with open(os.path.join(ARGS.source, "docs", "results-layout.md"), encoding="utf-8") as f:
            text_ = f.read()
        renamed = [dict(e) for e in self.entries]
        for e in renamed:
            if e["path"] == "/variants/<variant>/metrics":
                e["path"], e["name"] = "/variants/<variant>/metric_values", "metric_values"
        self.assertTrue(doc.problems(renamed, text_))
        extra = self.entries + [dict(self.entries[-1], path="/nowhere/x", name="x")]
        self.assertIn("dataset /nowhere/x is in no generated block of the doc",
                      doc.problems(extra, text_))


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--klynge", required=True)
    parser.add_argument("--source", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0], *rest])


if __name__ == "__main__":
    main()
