"""Python threads, the profiler and markers at once: threads started while a
Profiler runs each call profiled functions that open markers (context
manager and decorator), while the main thread reads the storage and records
marker regions from a Python signal handler (SIGALRM, every millisecond).
Every count is exact per thread and merged, every node under the right
parent, nothing warned about. TM_STRESS_SCALE=full: 64 threads x 10,000
calls; otherwise 8 x 1,000."""

import os
import signal
import sys
import threading

import pytest

import timemory
from timemory import _timemory
from timemory.profiler import Profiler
from timemory.storage import WallClockStorage
from timemory.util import marker

FULL = os.environ.get("TM_STRESS_SCALE") == "full"
THREADS = 64 if FULL else 8
CALLS = 10_000 if FULL else 1_000


def leaf():
    return 1


@marker(["wall_clock"], key="decorated")
def decorated():
    return leaf()


def work(i):
    with marker(["wall_clock"], key="mk"):
        leaf()
    return decorated() + i


def worker(go):
    go.wait()
    for i in range(CALLS):
        work(i)


def parents(entries):
    """(tid, parent label, label) -> count; the parent of a flat entry is the
    nearest earlier entry of its thread one level up."""
    out, stack = {}, {}
    for e in entries:
        path = stack.setdefault(e.tid(), [])
        del path[e.depth():]
        key = (e.tid(), path[-1] if path else "", e.label())
        assert key not in out, f"duplicate node {key}"
        out[key] = e.stats().count
        path.append(e.label())
    return out


@pytest.fixture(autouse=True)
def clean():
    timemory.settings.auto_output = False
    timemory.storage.reset()
    yield
    timemory.storage.reset()


def test_threads_profiler_and_markers_at_once():
    warnings = _timemory.warning_count()
    handled = [0]

    def on_alarm(signum, frame):
        with marker(["wall_clock"], key="in_handler"):
            handled[0] += 1

    go = threading.Event()
    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, 0.001, 0.001)
    snapshots = 0
    try:
        with Profiler(["wall_clock"], only_functions=[r"^(worker|work|leaf)$"]):
            threads = [threading.Thread(target=worker, args=(go,)) for _ in range(THREADS)]
            for t in threads:
                t.start()
            go.set()
            with marker(["wall_clock"], key="main_reading"):
                while any(t.is_alive() for t in threads):
                    for e in WallClockStorage.get():
                        assert e.stats().count <= max(CALLS, 1_000_000)
                    snapshots += 1
            for t in threads:
                t.join()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0, 0)
        signal.signal(signal.SIGALRM, old)

    got = parents(WallClockStorage.get())
    tids = {tid for tid, _, label in got if label == "worker"}
    assert len(tids) == THREADS
    main_tid = {tid for tid, _, label in got if label == "main_reading"}
    assert len(main_tid) == 1 and not main_tid & tids
    want = {}
    for tid in tids:
        want[(tid, "", "worker")] = 1
        want[(tid, "worker", "work")] = CALLS
        want[(tid, "work", "mk")] = CALLS
        want[(tid, "mk", "leaf")] = CALLS
        want[(tid, "work", "decorated")] = CALLS
        want[(tid, "decorated", "leaf")] = CALLS
    (main,) = main_tid
    want[(main, "", "main_reading")] = 1
    in_handler = {k: n for k, n in got.items() if k[2] == "in_handler"}
    for (tid, parent, _), n in in_handler.items():
        assert tid == main and parent in ("", "main_reading"), (tid, parent)
    assert sum(in_handler.values()) == handled[0] > 0
    assert {k: n for k, n in got.items() if k[2] != "in_handler"} == want

    merged = {}

    def walk(nodes):
        for node in nodes:
            v = node.value()
            if not v.is_dummy():
                merged[v.label()] = merged.get(v.label(), 0) + v.inclusive().stats().count
            walk(node.children())

    walk(WallClockStorage.get_tree())
    assert merged["work"] == merged["mk"] == merged["decorated"] == THREADS * CALLS
    assert merged["leaf"] == 2 * THREADS * CALLS
    assert _timemory.warning_count() == warnings
    print(f"python_stress: threads={THREADS} calls={CALLS} signals={handled[0]} snapshots={snapshots}")


def test_fork_inside_markers_while_threads_record():
    """os.fork() inside two markers while another thread records. The child
    leaves the markers it was forked inside (the with blocks end in it too)
    silently -- they are the parent's -- and records only its own regions;
    the parent's counts stay exact."""
    import warnings

    warned = _timemory.warning_count()
    stop = threading.Event()

    def busy():
        while not stop.is_set():
            with marker(["wall_clock"], key="busy"):
                pass

    t = threading.Thread(target=busy)
    t.start()
    forks = 40 if FULL else 8
    pid, code = None, 1
    try:
        with marker(["wall_clock"], key="outer"):
            for _ in range(forks):
                with marker(["wall_clock"], key="mid"):
                    pid = os.fork()
                    if pid == 0:
                        warnings.simplefilter("error")  # a repair warning raises
                        code = 2 if WallClockStorage.get() else 0
                        for _ in range(100):
                            with marker(["wall_clock"], key="child_work"):
                                pass
                        break  # leaves mid, then outer, as the parent's code does
                    _, status = os.waitpid(pid, 0)
                    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, status
        if pid == 0:
            got = [(e.depth(), e.label(), e.stats().count, e.pid()) for e in WallClockStorage.get()]
            if got != [(0, "child_work", 100, os.getpid())]:
                code = code or 3
            if _timemory.warning_count() != warned:
                code = code or 4
    except BaseException:
        if pid == 0:
            os._exit(5)
        raise
    finally:
        if pid == 0:
            os._exit(code)
        stop.set()
        t.join()
    counts = {(e.depth(), e.label()): e.stats().count for e in WallClockStorage.get() if e.label() != "busy"}
    assert counts == {(0, "outer"): 1, (1, "mid"): forks}
    assert _timemory.warning_count() == warned


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q", "-s"]))
