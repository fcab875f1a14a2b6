#!/usr/bin/env python3
"""Memory and time of a very deep call graph, in C and in Python.

First runs deep_graph_c (a recursion 100,000 deep in C: flat and tree views
and every report file, see deep_graph_c.c), then a Python recursion 20,000
deep under timemory.util.marker (in a thread with a 1 GB stack, the
recursion limit raised: the recursion itself needs them), then
WallClockStorage.get() (touching prefix() and hierarchy() of a few
entries), get_tree(), timemory.finalize() writing every report file (text,
JSON, tree JSON, folded stacks, SVG, timeline trace) to a temporary
directory, and last Storage.dumps() of both views written to files.
graph_mb is the peak RSS growth while recording (the engine's own graph,
plus the Python frames); peak_mb the peak RSS growth through the views and
the report files (the deep_graph_py line also gives it with the dumps, whose
str holds about twice its text). The last
line is

  deep_graph: depth=<d> view_ms=<t> peak_mb=<m>

    tools/bazel run -c opt //bench:deep_graph [-- --c-depth N --py-depth N]
"""

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time


def maxrss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def c_binary():
    here = os.path.dirname(os.path.abspath(__file__))
    for path in (os.path.join(here, "deep_graph_c"),
                 os.path.join(os.environ.get("RUNFILES_DIR", ""), "timemory/bench/deep_graph_c")):
        if os.path.exists(path):
            return path
    return None


def write_text(path, text):
    """`text` to `path` in 1 MB slices: one write() of the whole string
    would encode a copy of it at once, a cost of the io module, not of
    timemory."""
    with open(path, "w", encoding="utf-8") as f:
        for at in range(0, len(text), 1 << 20):
            f.write(text[at:at + (1 << 20)])


def python_part(depth, out):
    import timemory  # pylint: disable=import-outside-toplevel
    from timemory.storage import WallClockStorage  # pylint: disable=import-outside-toplevel
    from timemory.util import marker  # pylint: disable=import-outside-toplevel

    tmp = tempfile.mkdtemp(prefix="deep_graph_py_")
    timemory.settings.output_path = tmp
    timemory.settings.auto_output = True
    timemory.settings.cout_output = False
    # every file format; folded stacks are bounded by flamegraph_max_depth
    for name in ("text_output", "json_output", "tree_output", "flamegraph_output",
                 "timeline_profile"):
        setattr(timemory.settings, name, True)

    @marker(["wall_clock"])
    def rec(n):
        return rec(n - 1) + 1 if n > 1 else 1

    rss0 = maxrss_mb()
    t0 = time.perf_counter()
    assert rec(depth) == depth
    out["record_ms"] = 1e3 * (time.perf_counter() - t0)
    out["graph_mb"] = maxrss_mb() - rss0

    t0 = time.perf_counter()
    flat = WallClockStorage.get()
    out["flat_ms"] = 1e3 * (time.perf_counter() - t0)
    assert len(flat) == depth
    out["flat_mb"] = maxrss_mb() - rss0
    for i in (0, 1, depth // 2, depth - 1):
        entry = flat[i]
        assert entry.depth() == i and len(entry.hierarchy()) == i + 1
        assert entry.prefix() == ">>> " + ("  " * (i - 1) + "|_" if i else "") + entry.label()
    del flat
    t0 = time.perf_counter()
    tree = WallClockStorage.get_tree()
    out["tree_ms"] = 1e3 * (time.perf_counter() - t0)
    out["tree_mb"] = maxrss_mb() - rss0
    del tree
    t0 = time.perf_counter()
    timemory.finalize()
    files_ms = 1e3 * (time.perf_counter() - t0)
    out["views_files_mb"] = maxrss_mb() - rss0
    # then Storage.dumps() of both views: a str, so it holds ~2x its text
    t0 = time.perf_counter()
    write_text(os.path.join(tmp, "get.dumps.json"), WallClockStorage.dumps(WallClockStorage.get()))
    write_text(os.path.join(tmp, "get_tree.dumps.json"), WallClockStorage.dumps(WallClockStorage.get_tree()))
    out["files_ms"] = files_ms + 1e3 * (time.perf_counter() - t0)
    total = 0
    for name in sorted(os.listdir(tmp)):
        size = os.path.getsize(os.path.join(tmp, name))
        total += size
        print("  file {:<28} {:12d} bytes".format(name, size))
    shutil.rmtree(tmp, ignore_errors=True)
    out["files_mb"] = total / 1048576.0
    out["peak_mb"] = maxrss_mb() - rss0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--c-depth", type=int, default=100_000)
    parser.add_argument("--py-depth", type=int, default=20_000)
    args = parser.parse_args()

    binary = c_binary()
    if args.c_depth > 0 and binary:
        subprocess.run([binary, str(args.c_depth)], check=True)
    elif args.c_depth > 0:
        print("deep_graph: deep_graph_c not found next to", __file__, file=sys.stderr)

    out = {}
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 4 * args.py_depth + 1000))
    threading.stack_size(1 << 30)
    errors = []

    def body():
        try:
            python_part(args.py_depth, out)
        except BaseException as exc:  # reported below, the thread must not swallow it
            errors.append(exc)

    thread = threading.Thread(target=body)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    print("deep_graph_py: depth={} record_ms={:.1f} graph_mb={:.1f} flat_ms={:.1f} tree_ms={:.1f} "
          "files_ms={:.1f} files_mb={:.1f} peak_mb={:.1f} (after get {:.1f}, get_tree {:.1f}, "
          "report files {:.1f}, dumps {:.1f}) peak/graph={:.2f} (with dumps {:.2f})".format(
              args.py_depth, out["record_ms"], out["graph_mb"], out["flat_ms"], out["tree_ms"],
              out["files_ms"], out["files_mb"], out["views_files_mb"], out["flat_mb"], out["tree_mb"],
              out["views_files_mb"], out["peak_mb"],
              out["views_files_mb"] / out["graph_mb"] if out["graph_mb"] > 0 else 0.0,
              out["peak_mb"] / out["graph_mb"] if out["graph_mb"] > 0 else 0.0))
    # peak_mb: the views and the report files (what the issue measures); the
    # line above also gives the peak with Storage.dumps() of both views
    print("deep_graph: depth={} view_ms={:.1f} peak_mb={:.1f}".format(
        args.py_depth, out["flat_ms"] + out["tree_ms"], out["views_files_mb"]))


if __name__ == "__main__":
    main()
