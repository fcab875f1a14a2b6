"""Python os.fork and multiprocessing (fork start method): each child starts
with empty storage of its own (tid 0, its pid), the parent's data is
untouched, every child's results are written (.pid<pid> files, the parent
keeps the plain names) and timemory.load / timemory-report --merge combine
them into one tree with the pid set of every process.

The programs run as separate interpreters (a child must leave as real
programs do: sys.exit, or multiprocessing's os._exit)."""

import json
import os
import re
import subprocess
import sys
import textwrap

import pytest

import timemory

PYTHON = "/usr/bin/python3"


def _report_tool():
    for root in filter(None, [os.environ.get("RUNFILES_DIR"), os.environ.get("TEST_SRCDIR")]):
        path = os.path.join(root, "timemory", "tools", "timemory-report")
        if os.access(path, os.X_OK):
            return path
    raise RuntimeError("timemory-report not found in runfiles")


def run_script(tmp_path, body):
    script = tmp_path / "prog.py"
    script.write_text(textwrap.dedent("""\
        import os, sys
        import timemory
        from timemory.util import marker
        from timemory.storage import WallClockStorage
        timemory.settings.output_path = sys.argv[1]
        timemory.settings.cout_output = False

        def region(name):
            with marker(["wall_clock"], key=name):
                sum(range(2000))
        """) + textwrap.dedent(body))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path), PYTHONDONTWRITEBYTECODE="1")
    out = tmp_path / "out"
    proc = subprocess.run([PYTHON, str(script), str(out)], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out, proc.stdout


def files_by_pid(out):
    """{pid: path} of every <component>.json written, checked against its name."""
    found = {}
    for name in os.listdir(out):
        if not re.fullmatch(r"wall_clock(\.pid\d+)?\.json", name):
            continue
        meta = json.load(open(out / name))["metadata"]
        assert name == "wall_clock" + meta["file_suffix"] + ".json"
        found[meta["pid"]] = out / name
    return found


def test_os_fork_child_is_isolated_and_written(tmp_path):
    out, stdout = run_script(tmp_path, """\
        region("before_fork")
        pid = os.fork()
        if pid == 0:
            assert WallClockStorage.get() == [], "the child copied the parent's records"
            region("child")
            e = WallClockStorage.get()
            assert [(x.label(), x.tid(), x.pid()) for x in e] == [("child", 0, os.getpid())], e
            sys.exit(0)  # atexit writes the child's files
        _, status = os.waitpid(pid, 0)
        assert status == 0, status
        region("after_fork")
        labels = sorted((x.label(), x.pid()) for x in WallClockStorage.get())
        assert labels == [("after_fork", os.getpid()), ("before_fork", os.getpid())], labels
        print(os.getpid(), pid)
        """)
    parent, child = map(int, stdout.split())
    files = files_by_pid(out)
    assert sorted(files) == sorted([parent, child])
    assert files[parent].name == "wall_clock.json"
    assert files[child].name == "wall_clock.pid%d.json" % child
    assert (out / ("wall_clock.pid%d.txt" % child)).exists()
    run = timemory.load([files[parent], files[child]])
    seen = sorted((e.label(), e.pid()) for e in run.get())
    assert seen == sorted([("before_fork", parent), ("after_fork", parent), ("child", child)])
    assert run.metadata["thread_count"] == 2 and run.metadata["runs"] == 2


MP_BODY = """\
    import multiprocessing

    def work(n):
        for _ in range(n):
            region("mp_work")
        return os.getpid()

    def proc_main(n):
        work(n)

    if __name__ == "__main__":
        ctx = multiprocessing.get_context("fork")
        region("parent_before")
        procs = [ctx.Process(target=proc_main, args=(i + 1,)) for i in range(3)]
        for p in procs:
            p.start()
        for p in procs:
            p.join()
            assert p.exitcode == 0
        pool = ctx.Pool(2)
        pool_pids = set(pool.map(work, [1] * 6))
        pool.close()
        pool.join()
        labels = sorted({x.label() for x in WallClockStorage.get()})
        assert labels == ["parent_before"], labels
        print(os.getpid(), *[p.pid for p in procs], *sorted(pool_pids))
    """


def test_multiprocessing_children_written_and_merged(tmp_path):
    out, stdout = run_script(tmp_path, MP_BODY)
    pids = list(map(int, stdout.split()))
    parent, procs, pool = pids[0], pids[1:4], pids[4:]
    files = files_by_pid(out)
    assert sorted(files) == sorted([parent] + procs + pool), (files, pids)
    assert files[parent].name == "wall_clock.json"
    run = timemory.load(list(files.values()))
    tree = run.get_tree()
    root = tree[0].value()
    assert sorted(root.pid()) == sorted(files)
    counts = {}
    for e in run.get():
        counts.setdefault(e.label(), {})[e.pid()] = e.stats().count
    # Process i recorded i + 1 samples; the pool's 6 in all
    assert [counts["mp_work"][p] for p in procs] == [1, 2, 3]
    assert sum(counts["mp_work"][p] for p in pool) == 6
    assert counts["parent_before"] == {parent: 1}
    # the command-line merge agrees
    merged = tmp_path / "merged.json"
    proc = subprocess.run([_report_tool(), "--merge", "--format", "json", "-o", str(merged)] +
                          [str(p) for p in files.values()], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    nodes = json.load(open(merged))["nodes"]
    work = [n for n in nodes if n["label"] == "mp_work"]
    assert len(work) == 1 and work[0]["inclusive"]["count"] == 1 + 2 + 3 + 6
    assert sorted(work[0]["pids"]) == sorted(procs + pool)


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-v", "-p", "no:cacheprovider"]))
