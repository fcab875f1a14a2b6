"""timemory.profiler: call counts and call trees equal the real ones, the three
forms, threads, filters decided once per code object, generators, coroutines,
exceptions, sys.exit, markers inside, and `python3 -m timemory.profiler`."""

import asyncio
import os
import re
import subprocess
import sys
import threading

import pytest

import timemory
from timemory import _timemory
from timemory.profiler import Profiler
from timemory.storage import CpuClockStorage, WallClockStorage
from timemory.util import marker

import helpers


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def fib_tree(n, depth=0, out=None):
    """Calls of fib(n) per depth: the real call tree of a recursion on one label."""
    out = {} if out is None else out
    out[depth] = out.get(depth, 0) + 1
    if n >= 2:
        fib_tree(n - 1, depth + 1, out)
        fib_tree(n - 2, depth + 1, out)
    return out


def flat():
    return [(e.prefix(), e.stats().count) for e in WallClockStorage.get()]


def short(prefix):
    """A flat prefix without the qualification of local functions."""
    head, sep, tail = prefix.rpartition(".<locals>.")
    return head[:len(head) - len(head.lstrip(">|_ "))] + tail if sep else prefix


def short_flat():
    return [(short(p), n) for p, n in flat()]


def assert_balanced(before_warnings):
    """Nothing left open and no repair warning: a region opened now is a root."""
    with marker(["wall_clock"], key="after"):
        pass
    entries = WallClockStorage.get()
    assert [e.depth() for e in entries if e.label() == "after"] == [0]
    assert _timemory.warning_count() == before_warnings


def test_fib_call_counts_and_tree_are_the_real_ones():
    with Profiler(["wall_clock"]):
        fib(12)
    entries = WallClockStorage.get()
    assert all(e.label() == "fib" for e in entries)
    assert {e.depth(): e.stats().count for e in entries} == fib_tree(12)
    assert sum(e.stats().count for e in entries) == sum(fib_tree(12).values()) == 465
    incl = [e.data().get() for e in entries]
    assert incl == sorted(incl, reverse=True)  # a parent contains its children


def test_deep_recursion_grows_the_stack():
    def down(n):
        return 0 if n == 0 else 1 + down(n - 1)

    with Profiler():
        assert down(400) == 400
    entries = WallClockStorage.get()
    assert [e.depth() for e in entries] == list(range(401))
    assert all(e.stats().count == 1 for e in entries)


def leaf():
    return 1


def middle():
    return leaf() + leaf()


def top():
    return middle() + leaf()


def test_nesting_is_the_call_tree_and_labels_are_qualified_names():
    class Shape:
        def area(self):
            return leaf()

    p = Profiler()
    p.start()
    top()
    Shape().area()
    p.stop()
    assert flat() == [
        (">>> top", 1),
        (">>> |_middle", 1),
        (">>>   |_leaf", 2),
        (">>> |_leaf", 1),
        (">>> test_nesting_is_the_call_tree_and_labels_are_qualified_names.<locals>.Shape.area", 1),
        (">>> |_leaf", 1),
    ]
    assert not p.running


def test_decorator_profiles_each_call_and_is_reentrant():
    prof = Profiler(["wall_clock"])

    @prof
    def rec(n):
        return 0 if n == 0 else 1 + rec(n - 1)

    assert rec.__name__ == "rec"
    assert rec(3) == 3 and rec(1) == 1
    # the wrapper is invisible: rec's calls nest directly under rec
    assert [short(e.prefix()) for e in WallClockStorage.get()] == [
        ">>> rec", ">>> |_rec", ">>>   |_rec", ">>>     |_rec"]
    assert [e.stats().count for e in WallClockStorage.get()] == [2, 2, 1, 1]
    assert not prof.running


def test_components_and_file_line_labels():
    with Profiler(["wall_clock", "cpu_clock"], file_line=True):
        leaf()
    line = leaf.__code__.co_firstlineno
    label = "leaf [profiler_test.py:{}]".format(line)
    assert [e.label() for e in WallClockStorage.get()] == [label]
    assert [e.label() for e in CpuClockStorage.get()] == [label]
    assert Profiler("wall_clock, cpu_clock").components == ["wall_clock", "cpu_clock"]

    timemory.storage.reset()
    timemory.settings.profiler_file_line = True
    try:
        prof = Profiler()
    finally:
        timemory.settings.profiler_file_line = False
    with prof:
        leaf()
    assert [e.label() for e in WallClockStorage.get()] == [label]


def test_default_components_come_from_the_setting():
    timemory.settings.profiler_components = "cpu_clock"
    try:
        prof = Profiler()
    finally:
        timemory.settings.profiler_components = "wall_clock"
    assert prof.components == ["cpu_clock"]
    with prof:
        leaf()
    assert [e.label() for e in CpuClockStorage.get()] == ["leaf"]
    assert WallClockStorage.get() == []


def test_bad_arguments_are_clear_errors():
    with pytest.raises(ValueError) as err:
        Profiler(["wall_clok"])
    assert "wall_clok" in str(err.value) and "wall_clock" in str(err.value)
    with pytest.raises(ValueError) as err:
        Profiler(only_functions=["("])
    assert "only_functions" in str(err.value)
    with pytest.raises(TypeError):
        Profiler(skip_filenames=[3])
    with pytest.raises(TypeError):
        Profiler()(42)


def test_only_one_profiler_runs_at_a_time():
    a, b = Profiler(only_functions=["leaf"]), Profiler()
    a.start()
    try:
        b.start()
    except RuntimeError as exc:
        err = exc
    a.stop()
    assert "another timemory profiler is running" in str(err)
    with b:
        leaf()
    assert flat() == [(">>> leaf", 1)]


def test_threads_started_inside_are_profiled_with_their_tid():
    def work():
        return fib(5)

    def main():
        threads = [threading.Thread(target=work) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        work()

    with Profiler():
        main()
    entries = WallClockStorage.get()
    main_tid = {e.tid() for e in entries if short(e.label()) == "main"}
    work = [e for e in entries if short(e.label()) == "work"]
    assert len(main_tid) == 1 and len(work) == 3
    assert len({e.tid() for e in work}) == 3
    # every thread recorded the whole recursion under its own work()
    for tid in {e.tid() for e in work}:
        fibs = sum(e.stats().count for e in entries if e.tid() == tid and e.label() == "fib")
        assert fibs == sum(fib_tree(5).values())
    tree = [v for _, v in helpers.walk_tree(WallClockStorage.get_tree()) if not v.is_dummy()]
    tids = set().union(*(v.tid() for v in tree if short(v.label()) == "work"))
    assert tids == {e.tid() for e in work}
    assert threading.getprofile() is None and sys.getprofile() is None


def test_filters_on_names_and_files_are_decided_once_per_code_object():
    decided = []

    class Counting(Profiler):
        def _decide(self, code):
            decided.append(code.co_name)
            return super()._decide(code)

    with Counting(skip_functions=["^leaf$"]):
        for _ in range(50):
            middle()
    assert flat() == [(">>> middle", 50)]
    assert decided.count("middle") == 1 and decided.count("leaf") == 1
    timemory.storage.reset()

    with Profiler(only_functions=[r"leaf"]):
        top()
    assert flat() == [(">>> leaf", 2), (">>> leaf", 1)] or flat() == [(">>> leaf", 3)]
    timemory.storage.reset()

    with Profiler(only_filenames=[r"profiler_test\.py$"], skip_functions=["middle"]):
        top()
        os.path.join("a", "b")  # another file: left out
    # middle is skipped, so its leaves nest under top
    assert flat() == [(">>> top", 1), (">>> |_leaf", 3)]
    timemory.storage.reset()

    with Profiler(skip_filenames=[r"profiler_test\.py$"]):
        top()
        os.path.join("a", "b")
    assert [e.label() for e in WallClockStorage.get()] == ["join", "_get_sep"]


def test_trace_c_records_builtins_and_keeps_markers_balanced():
    before = _timemory.warning_count()

    def uses_builtins():
        with marker(["wall_clock"], key="mk"):
            return len([1, 2]) + sorted([2, 1])[0]

    with Profiler(trace_c=True):
        uses_builtins()
    assert short_flat() == [
        (">>> uses_builtins", 1),
        (">>> |_mk", 1),
        (">>>   |_len", 1),
        (">>>   |_sorted", 1),
    ]
    assert_balanced(before)

    timemory.storage.reset()
    with Profiler(trace_c=True, only_functions=["uses_builtins$", "^len$", "^sorted$"],
                  skip_filenames=["^builtins$"]):
        uses_builtins()
    # len and sorted are left out by their module name; the marker still records
    assert short_flat() == [(">>> uses_builtins", 1), (">>> |_mk", 1)]


def test_markers_nest_inside_profiled_functions():
    @marker(["wall_clock"])
    def marked():
        return leaf()

    def caller():
        with marker(["wall_clock"], key="block"):
            return marked()

    with Profiler():
        caller()
    assert short_flat() == [
        (">>> caller", 1),
        (">>> |_block", 1),
        (">>>   |_marked", 1),  # the marker's region
        (">>>     |_marked", 1),  # the function it wraps
        (">>>       |_leaf", 1),
    ]


def test_stop_lets_running_threads_close_what_they_opened():
    before = _timemory.warning_count()
    inside, go = threading.Event(), threading.Event()

    def blocked():
        inside.set()
        go.wait()
        return leaf()  # after stop(): not recorded

    def after():
        return 1

    def work():
        blocked()
        after()

    prof = Profiler(only_functions=["blocked", "after", "leaf"])
    prof.start()
    t = threading.Thread(target=work)
    t.start()
    inside.wait()
    prof.stop()
    go.set()
    t.join()
    assert [(short(p), n) for p, n in flat()] == [(">>> blocked", 1)]
    assert WallClockStorage.get()[0].data().get() > 0
    assert _timemory.warning_count() == before


def numbers(n):
    for i in range(n):
        yield leaf() + i


def consume():
    return sum(numbers(3))


def test_generators_stay_balanced_and_nest_under_their_consumer():
    before = _timemory.warning_count()
    with Profiler():
        assert consume() == 6
        gen = numbers(5)
        next(gen)  # left suspended: not open
        leaf()
        gen.close()
    assert flat() == [
        (">>> consume", 1),
        (">>> |_numbers", 4),  # one sample per resumption: 3 values and the end
        (">>>   |_leaf", 3),
        (">>> numbers", 2),  # next(gen), then close() inside the frame
        (">>> |_leaf", 1),
        (">>> leaf", 1),
    ]
    assert_balanced(before)


async def child(k):
    await asyncio.sleep(0)
    return leaf() + k


async def parent():
    return sum(await asyncio.gather(child(1), child(2)))


def test_coroutines_stay_balanced():
    before = _timemory.warning_count()
    with Profiler(only_functions=["^(parent|child|leaf)$"]):
        assert asyncio.run(parent()) == 5
    entries = WallClockStorage.get()
    counts = {}
    for e in entries:
        counts[e.label()] = counts.get(e.label(), 0) + e.stats().count
    # each await is a suspension, each step a resumption: parent runs in two
    # steps, each child in two; leaf is called once per child
    assert counts == {"parent": 2, "child": 4, "leaf": 2}
    leafs = [e for e in entries if e.label() == "leaf"]
    assert all(e.prefix().endswith("|_leaf") for e in leafs)  # under a child step
    assert_balanced(before)


def raises():
    leaf()
    raise KeyError("x")


def catches():
    try:
        raises()
    except KeyError:
        return leaf()


def test_exceptions_stay_balanced():
    before = _timemory.warning_count()
    with pytest.raises(KeyError):
        with Profiler():
            catches()
            raises()
    assert flat() == [
        (">>> catches", 1),
        (">>> |_raises", 1),
        (">>>   |_leaf", 1),
        (">>> |_leaf", 1),
        (">>> raises", 1),
        (">>> |_leaf", 1),
    ]
    assert_balanced(before)


def test_sys_exit_inside_a_profiled_region_closes_it():
    before = _timemory.warning_count()
    prof = Profiler()

    @prof
    def leaves():
        middle()
        sys.exit(4)

    with pytest.raises(SystemExit) as exc:
        leaves()
    assert exc.value.code == 4
    assert not prof.running and sys.getprofile() is None
    assert short_flat() == [(">>> leaves", 1), (">>> |_middle", 1), (">>>   |_leaf", 2)]
    assert_balanced(before)


def test_start_stop_from_inside_a_function():
    def starts(prof):
        prof.start()
        return leaf()

    prof = Profiler()
    starts(prof)  # the frame that started returns: ignored
    middle()
    prof.stop()
    assert flat() == [(">>> leaf", 1), (">>> middle", 1), (">>> |_leaf", 2)]


SCRIPT = """
import sys
def work(n):
    return sum(range(n))
print("argv=" + ",".join(sys.argv) + " name=" + __name__)
work(10)
work(20)
sys.exit(int(sys.argv[1]))
"""


def run_module(module, tmp_path, *args):
    script = tmp_path / "script.py"
    script.write_text(SCRIPT)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", module, "-o", str(out)] + list(args) + [str(script), "7", "x"]
    proc = subprocess.run(cmd, env=helpers.python_env(), cwd=str(tmp_path),
                          capture_output=True, text=True, timeout=120)
    return proc, out


def test_dash_m_runs_the_script_as_main_and_propagates_its_exit_code(tmp_path):
    proc, out = run_module("timemory.profiler", tmp_path, "-c", "wall_clock,cpu_clock")
    assert proc.returncode == 7, proc.stderr
    assert "argv={},7,x name=__main__".format(tmp_path / "script.py") in proc.stdout
    report = proc.stdout
    assert ">>> <module>" in report and ">>> |_work" in report
    assert "runpy" not in report and "profiler" not in report.split("name=__main__")[1]
    assert (out / "wall_clock.json").is_file() and (out / "cpu_clock.json").is_file()
    assert re.search(r"\|_work\s*\|\s*2\s*\|", report)  # the count column: two calls


def test_dash_m_runs_a_module_and_reports_uncaught_exceptions(tmp_path):
    (tmp_path / "modx.py").write_text(
        "import sys\ndef f():\n    return 2\nprint(sys.argv[1:], __name__)\nf()\n")
    proc = subprocess.run([sys.executable, "-m", "timemory.profiler", "-o", str(tmp_path / "o"),
                           "-m", "modx", "a", "-c"],
                          env=helpers.python_env(), cwd=str(tmp_path), capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "['a', '-c'] __main__" in proc.stdout
    labels = re.findall(r"^\| (>>> \S+)", proc.stdout, re.M)
    assert labels == [">>> <module>", ">>> |_f"]  # no runpy or import machinery

    (tmp_path / "boom.py").write_text("def g():\n    raise KeyError('boom')\ng()\n")
    proc = subprocess.run([sys.executable, "-m", "timemory.profiler", "-o", str(tmp_path / "o"),
                           "boom.py"], env=helpers.python_env(), cwd=str(tmp_path),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "KeyError: 'boom'" in proc.stderr and "run_main" not in proc.stderr
    assert ">>> |_g" in proc.stdout  # the report is still written


def test_dash_m_errors(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "timemory.profiler", str(tmp_path / "nope.py")],
                          env=helpers.python_env(), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "nope.py" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "timemory.profiler", "-c", "bogus", "x.py"],
                          env=helpers.python_env(), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "bogus" in proc.stderr and "wall_clock" in proc.stderr


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-v", "-p", "no:cacheprovider"]))
