#!/usr/bin/python3
"""The reference tables of docs/results-layout.md, generated from the results layout table.

The table is declared once in sim/io/results_layout.hpp; the test-only executable
build/tests/klynge_results_layout prints it as JSON. Each generated block of the doc sits between
    <!-- layout: KIND PATH -->   and   <!-- /layout -->
where KIND is `attributes` (the attributes of the group PATH), `contents` (the datasets and groups
directly in PATH, each dataset's own attributes folded into its row) or `conventions` (the
attributes every dataset has; PATH `*`). Text outside the blocks is written by hand.

Regenerate the blocks in place:
    /usr/bin/python3 scripts/results_layout_doc.py build/tests/klynge_results_layout docs/results-layout.md
tests/python/test_results_layout.py fails when a block is out of date, when an entry of the table
is in no block, or when a block names a group that has nothing to list.
"""
import json
import re
import subprocess
import sys

BLOCK = re.compile(r"(<!-- layout: (\w+) (\S+) -->\n)(.*?)(<!-- /layout -->)", re.S)


def load(tool):
    """The table: a list of dicts (kind, path, name, type, shape, unit, meaning, when, note)."""
    out = subprocess.run([tool], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def parent(entry):
    """The group or dataset an entry belongs to: "/" for "/replicate" and "/@format"."""
    path = entry["path"]
    if entry["kind"] == "attribute":
        owner = path.rsplit("@", 1)[0]
        return owner or "/"
    owner = path.rsplit("/", 1)[0]
    return owner or "/"


def _shape(shape):
    return shape if shape.startswith("scalar") else "[" + shape + "]"


def _units(unit):
    if unit.startswith("["):
        return f"per `{unit[1:-1]}` (array)"
    return f"`{unit}`" if unit else ""


def _meaning(entry, own_attributes=()):
    parts = [entry["meaning"].rstrip(".") + "."]
    if entry["note"]:
        parts.append(entry["note"])
    for a in own_attributes:
        parts.append(f"Attribute `{a['name']}` ({a['type']} {_shape(a['shape'])}): "
                     f"{a['meaning'].rstrip('.')}.")
    if entry["when"]:
        parts.append(f"Only when {entry['when']}.")
    return " ".join(parts).replace("|", "\\|")


def covered(entries, kind, path):
    """The entries that the block (kind, path) lists."""
    if kind == "conventions":
        return [e for e in entries if e["kind"] == "attribute" and parent(e) == "*"]
    if kind == "attributes":
        return [e for e in entries if e["kind"] == "attribute" and parent(e) == path]
    if kind == "contents":
        rows = [e for e in entries if e["kind"] != "attribute" and parent(e) == path]
        owned = {e["path"] for e in rows if e["kind"] == "dataset"}
        return rows + [e for e in entries if e["kind"] == "attribute" and parent(e) in owned]
    raise ValueError(f"unknown block kind {kind!r}")


def render(entries, kind, path):
    """The markdown table of one block (ending in a newline), or "" when it lists nothing."""
    rows = covered(entries, kind, path)
    if not rows:
        return ""
    if kind in ("conventions", "attributes"):
        lines = ["| attribute | type | shape | meaning |", "|---|---|---|---|"]
        for e in rows:
            lines.append(f"| `{e['name']}` | {e['type']} | {_shape(e['shape'])} | "
                         f"{_meaning(e)} |")
    else:
        lines = ["| name | type | shape | units | meaning |", "|---|---|---|---|---|"]
        for e in rows:
            if e["kind"] == "attribute":
                continue  # in its dataset's row
            if e["kind"] == "group":
                lines.append(f"| `{e['name']}/` | group | | | {_meaning(e)} |")
                continue
            attrs = [a for a in rows if a["kind"] == "attribute" and parent(a) == e["path"]]
            lines.append(f"| `{e['name']}` | {e['type']} | {_shape(e['shape'])} | "
                         f"{_units(e['unit'])} | {_meaning(e, attrs)} |")
    return "\n".join(lines) + "\n"


def blocks(text):
    """(kind, path, body) of every generated block of the doc."""
    return [(m.group(2), m.group(3), m.group(4)) for m in BLOCK.finditer(text)]


def regenerate(entries, text):
    return BLOCK.sub(lambda m: m.group(1) + render(entries, m.group(2), m.group(3)) + m.group(5),
                     text)


def problems(entries, text):
    """What is wrong with the doc's generated blocks, as a list of sentences ([] if nothing)."""
    found = []
    listed = set()
    for kind, path, body in blocks(text):
        try:
            expected = render(entries, kind, path)
        except ValueError as e:
            found.append(str(e))
            continue
        if not expected:
            found.append(f"block 'layout: {kind} {path}' lists nothing: no such group in the "
                         f"layout table")
        elif body != expected:
            found.append(f"block 'layout: {kind} {path}' is out of date")
        listed.update(e["path"] for e in covered(entries, kind, path))
    for e in entries:
        if e["path"] not in listed:
            found.append(f"{e['kind']} {e['path']} is in no generated block of the doc")
    return found


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: results_layout_doc.py KLYNGE_RESULTS_LAYOUT docs/results-layout.md")
    entries = load(sys.argv[1])
    with open(sys.argv[2], encoding="utf-8") as f:
        text = f.read()
    text = regenerate(entries, text)
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        f.write(text)
    left = problems(entries, text)
    for p in left:
        print(p, file=sys.stderr)
    sys.exit(1 if left else 0)


if __name__ == "__main__":
    main()
