"""End-to-end tests of //tools:timemory-report.

The input files are written here from the documented format
(docs/json-format.md), independently of the library, with values chosen so
every printed figure can be checked: the text report, --merge (statistics
combined as if one process had recorded every sample), --diff (absolute and
% change, sorted by impact) and --threshold's exit status, and bad input.
"""
import json
import os
import re
import subprocess
import sys

import pytest


def _runfile(rel):
    roots = [os.environ.get("RUNFILES_DIR"), os.environ.get("TEST_SRCDIR")]
    roots.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    for root in filter(None, roots):
        for prefix in ("timemory", ""):
            path = os.path.join(root, prefix, rel)
            if os.path.isfile(path):
                return path
    raise RuntimeError(f"{rel} not found in runfiles")


REPORT = os.environ.get("TIMEMORY_REPORT") or _runfile("tools/timemory-report")


def fnv1a(label):
    h = 14695981039346656037
    for b in label.encode():
        h = ((h ^ b) * 1099511628211) % 2**64
    return h


def value(samples):
    return {"data": sum(samples), "count": len(samples), "sum": sum(samples),
            "min": min(samples) if samples else 0, "max": max(samples) if samples else 0,
            "sqr": sum(s * s for s in samples)}


def profile(regions, pid=1000, unit="sec", component="wall_clock"):
    """A profile of one thread: regions = [(path tuple, [samples])], parents first.
    Exclusive values equal inclusive ones (not what the tests look at)."""
    nodes = [{"parent": -1, "kind": "root", "label": "[root]", "hash": "0",
              "rolling_hash": "0", "depth": -1, "tids": [0], "pids": [pid],
              "inclusive": value([]), "exclusive": value([])}]
    index, rolling = {(): 0}, {(): 0}
    for path, samples in regions:
        h = fnv1a(path[-1])
        rolling[path] = (rolling[path[:-1]] + h) % 2**64
        index[path] = len(nodes)
        nodes.append({"parent": index[path[:-1]], "kind": "region", "label": path[-1],
                      "hash": str(h), "rolling_hash": str(rolling[path]),
                      "depth": len(path) - 1, "tids": [0], "pids": [pid],
                      "inclusive": value(samples), "exclusive": value(samples)})
    return {"format": "timemory-c", "format_version": 1,
            "metadata": {"component": component, "label": "wall", "unit": unit, "kind": "DELTA",
                         "description": "test", "timemory_version": "0.1.0", "pid": pid,
                         "hostname": "h", "command_line": ["app"],
                         "start_time": "2026-01-01T00:00:00.000Z",
                         "end_time": "2026-01-01T00:00:01.000Z", "thread_count": 1, "runs": 1,
                         "settings": {}},
            "nodes": nodes}


RUN_A = [(("main",), [10.0]), (("main", "solve"), [2.0, 4.0]), (("main", "io"), [1.0])]
RUN_B = [(("main",), [12.0]), (("main", "solve"), [3.0, 5.0]), (("main", "io"), [0.5]),
         (("main", "plot"), [1.0])]


def write(tmp_path, name, doc):
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return str(path)


def run(*args):
    return subprocess.run([REPORT, *args], capture_output=True, text=True, timeout=60,
                          check=False)


def rows(text, columns=8):
    """Table rows as lists of cells (labels may hold '|': split from the right)."""
    return [[c.strip() for c in line.strip()[1:-1].rsplit("|", columns - 1)]
            for line in text.splitlines() if line.startswith("|")]


def test_text_report_of_a_file(tmp_path):
    a = write(tmp_path, "a.json", profile(RUN_A))
    proc = run(a)
    assert proc.returncode == 0, proc.stderr
    table = {r[0]: r for r in rows(proc.stdout)}
    assert table[">>> |_solve"][1:3] == ["2", "6.000"]
    assert table[">>> main"][2] == "10.000"


def test_text_report_uses_the_files_unit(tmp_path):
    msec = write(tmp_path, "msec.json", profile([(("main",), [1500.0])], unit="msec"))
    proc = run(msec)
    assert proc.returncode == 0, proc.stderr
    assert "(msec)" in proc.stdout.splitlines()[0]
    assert rows(proc.stdout)[1][2] == "1500.000"


def test_merge_combines_statistics(tmp_path):
    a = write(tmp_path, "a.json", profile(RUN_A, pid=1))
    b = write(tmp_path, "b.json", profile(RUN_B, pid=2))
    proc = run("--merge", a, b, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    merged = json.loads(proc.stdout)
    assert merged["metadata"]["runs"] == 2
    by_label = {n["label"]: n for n in merged["nodes"]}
    solve = by_label["solve"]
    assert solve["pids"] == [1, 2]
    s = solve["inclusive"]
    assert (s["count"], s["sum"], s["min"], s["max"], s["sqr"]) == (4, 14.0, 2.0, 5.0, 54.0)
    assert by_label["plot"]["pids"] == [2]
    # text output of the same merge
    text = run("--merge", a, b)
    assert {r[0]: r for r in rows(text.stdout)}[">>> |_solve"][1:3] == ["4", "14.000"]


def test_merge_writes_to_file_that_loads_again(tmp_path):
    a = write(tmp_path, "a.json", profile(RUN_A, pid=1))
    b = write(tmp_path, "b.json", profile(RUN_B, pid=2))
    out = str(tmp_path / "merged.json")
    assert run("--merge", a, b, "--format", "json", "-o", out).returncode == 0
    again = run(out)
    assert again.returncode == 0, again.stderr
    assert ">>> |_plot" in again.stdout


def test_diff_sorted_by_impact(tmp_path):
    a = write(tmp_path, "a.json", profile(RUN_A))
    b = write(tmp_path, "b.json", profile(RUN_B))
    proc = run("--diff", a, b)
    assert proc.returncode == 0, proc.stderr
    table = rows(proc.stdout, 5)
    assert [r[0] for r in table[1:]] == ["main", "main/solve", "main/plot", "main/io"]
    solve = table[2]
    assert solve[1:] == ["6", "8", "+2", "+33.3%"]
    assert table[3][4] == "added"
    assert table[4][1:] == ["1", "0.5", "-0.5", "-50.0%"]


def test_diff_json(tmp_path):
    a = write(tmp_path, "a.json", profile(RUN_A))
    b = write(tmp_path, "b.json", profile(RUN_B))
    diff = json.loads(run("--diff", a, b, "--format=json").stdout)
    regions = {r["path"]: r for r in diff["regions"]}
    assert regions["main/solve"]["change"] == 2.0
    assert regions["main/solve"]["change_pct"] == pytest.approx(100 / 3)
    assert regions["main/plot"]["status"] == "added" and regions["main/plot"]["a"] is None


@pytest.mark.parametrize("threshold,status", [("40", 0), ("30", 3), ("19.9", 3), ("100", 0)])
def test_threshold_exit_status(tmp_path, threshold, status):
    a = write(tmp_path, "a.json", profile(RUN_A))
    b = write(tmp_path, "b.json", profile(RUN_B))
    proc = run("--diff", a, b, "--threshold", threshold)
    assert proc.returncode == status, proc.stderr
    if status:
        assert "main/solve" in proc.stderr and "33.3%" in proc.stderr
    else:
        assert proc.stderr == ""


def test_version_and_help():
    v = run("--version")
    assert v.returncode == 0 and re.fullmatch(r"timemory-report \d+\.\d+\.\d+\n", v.stdout), v.stdout
    h = run("--help")
    assert h.returncode == 0 and "--diff" in h.stdout and "--threshold" in h.stdout


@pytest.mark.parametrize("args,expect", [
    (["--format", "xml", "x.json"], "--format 'xml' is not valid (valid: text, json)"),
    (["--bogus", "x.json"], "unknown option '--bogus' (valid: --merge, --diff"),
    (["--diff", "x.json"], "--diff compares exactly two files"),
    (["--threshold", "abc", "--diff", "a", "b"], "--threshold 'abc' is not valid"),
    (["--threshold", "5", "x.json"], "--threshold only applies to --diff"),
    ([], "no FILE.json given"),
    (["-o"], "-o needs a file name"),
])
def test_bad_arguments(args, expect):
    proc = run(*args)
    assert proc.returncode == 2
    assert expect in proc.stderr, proc.stderr


def test_bad_files_name_file_and_position(tmp_path):
    good = json.dumps(profile(RUN_A), indent=1)
    cut = tmp_path / "cut.json"
    cut.write_text(good[: len(good) // 2])
    proc = run(str(cut))
    assert proc.returncode == 1
    assert f"{cut}:" in proc.stderr and "truncated" in proc.stderr, proc.stderr
    foreign = write(tmp_path, "foreign.json", {"traceEvents": []})
    proc = run(foreign)
    assert proc.returncode == 1 and "not a timemory-c profile" in proc.stderr
    proc = run(str(tmp_path / "missing.json"))
    assert proc.returncode == 1 and "No such file or directory" in proc.stderr
    for garbage in [b"\x00\xff\xfe", b"{" * 100000, b'{"format": "timemory-c", "format_version": 1}']:
        (tmp_path / "garbage.json").write_bytes(garbage)
        proc = run(str(tmp_path / "garbage.json"))
        assert proc.returncode == 1 and "garbage.json" in proc.stderr, proc.stderr


def test_units_must_match(tmp_path):
    a = write(tmp_path, "a.json", profile(RUN_A))
    b = write(tmp_path, "b.json", profile(RUN_B, unit="msec"))
    proc = run("--merge", a, b)
    assert proc.returncode == 1 and "units differ" in proc.stderr
    proc = run("--diff", a, b)
    assert proc.returncode == 1 and "msec" in proc.stderr


def test_unwritable_output(tmp_path):
    a = write(tmp_path, "a.json", profile(RUN_A))
    proc = run(a, "-o", str(tmp_path / "no" / "dir" / "out.txt"))
    assert proc.returncode == 1
    assert "no/dir/out.txt" in proc.stderr and "No such file or directory" in proc.stderr


# ---- bad input (docs/bad-input.md) ----

@pytest.mark.parametrize("args,expect", [
    (["--threshold", "nan", "--diff", "a", "b"], "--threshold 'nan' is not valid (valid: a percentage >= 0"),
    (["--threshold", "-1", "--diff", "a", "b"], "--threshold '-1' is not valid"),
    (["--threshold", "inf", "--diff", "a", "b"], "--threshold 'inf' is not valid"),
    (["--merge", "--diff", "a", "b"], "--merge and --diff cannot be combined: choose one"),
    (["--format", "json", "a", "b"], "--format json writes one profile: give one file, or --merge the files"),
    (["--format"], "--format needs a value (valid: text, json)"),
    (["--output=", "a"], "--output= needs a file name"),
])
def test_bad_argument_values(args, expect):
    proc = run(*args)
    assert proc.returncode == 2
    assert expect in proc.stderr, proc.stderr


def test_empty_file_directory_and_dash_are_unreadable_inputs(tmp_path):
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    proc = run(str(empty))
    assert proc.returncode == 1
    assert f"{empty}:1:1: not valid JSON at byte 0 of 0" in proc.stderr, proc.stderr
    proc = run(str(tmp_path))
    assert proc.returncode == 1 and f"cannot read {tmp_path}: Is a directory" in proc.stderr
    proc = subprocess.run([REPORT, "-"], capture_output=True, text=True, timeout=60,
                          cwd=str(tmp_path))  # a file name, not standard input
    assert proc.returncode == 1 and "cannot read -: No such file or directory" in proc.stderr


def test_file_of_a_component_this_build_does_not_have(tmp_path):
    f = write(tmp_path, "other.json", profile(RUN_A, component="bogus_clock"))
    proc = run(f)
    assert proc.returncode == 1
    assert f"{f}: component 'bogus_clock' is not in this build's table (use --format json)" in proc.stderr
    proc = run(f, "--format", "json")
    assert proc.returncode == 0 and '"component": "bogus_clock"' in proc.stdout, proc.stderr


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-v", "-p", "no:cacheprovider"]))
