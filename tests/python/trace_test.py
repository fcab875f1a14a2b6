"""timemory.trace: exact line counts of a known function, lines of callees
nested under the calling line, filters, the three forms, threads, balance,
and `python3 -m timemory.trace`."""

import os
import re
import subprocess
import sys
import threading

import pytest

import timemory
from timemory import _timemory
from timemory.storage import WallClockStorage
from timemory.trace import Tracer

import helpers

HERE = os.path.basename(__file__)


def summed(n):
    total = 0
    for i in range(n):
        total += i
    return total


def line_of(func, offset):
    """Label of line `offset` (1 = the first line of the body) of func."""
    import linecache
    lineno = func.__code__.co_firstlineno + offset
    return "{}:{} {}".format(HERE, lineno, linecache.getline(__file__, lineno).strip())


def counts():
    out = {}
    for e in WallClockStorage.get():
        out[e.label()] = out.get(e.label(), 0) + e.stats().count
    return out


def test_start_traces_the_rest_of_the_calling_frame():
    def caller():
        t = Tracer()
        t.start()
        summed(1)
        t.stop()

    caller()
    c = counts()
    assert c[line_of(caller, 3)] == 1 and c[line_of(caller, 4)] == 1
    assert c[line_of(summed, 3)] == 1
    assert line_of(caller, 2) not in c


def test_counts_the_lines_of_a_known_function_exactly():
    t = Tracer(["wall_clock"], only_functions=["^summed$"])
    t.start()
    summed(4)
    t.stop()
    assert counts() == {
        line_of(summed, 1): 1,  # total = 0
        line_of(summed, 2): 5,  # the loop header: 4 iterations and the exit
        line_of(summed, 3): 4,  # total += i
        line_of(summed, 4): 1,  # return total
    }
    assert all(e.depth() == 0 for e in WallClockStorage.get())


def calls_summed():
    a = summed(2)
    return a + 1


def test_lines_of_a_callee_nest_under_the_calling_line():
    with Tracer(only_functions=["^(calls_summed|summed)$"]):
        calls_summed()
    flat = [(e.depth(), e.label(), e.stats().count) for e in WallClockStorage.get()]
    assert flat == [
        (0, line_of(calls_summed, 1), 1),
        (1, line_of(summed, 1), 1),
        (1, line_of(summed, 2), 3),
        (1, line_of(summed, 3), 2),
        (1, line_of(summed, 4), 1),
        (0, line_of(calls_summed, 2), 1),
    ]


def test_with_block_lines_are_traced_and_filters_apply():
    def block():
        with Tracer(skip_functions=["^summed$"]):
            x = summed(3)
            y = x * 2
        return y

    assert block() == 6
    labels = counts()
    assert labels[line_of(block, 2)] == 1 and labels[line_of(block, 3)] == 1
    assert not any(":{} ".format(summed.__code__.co_firstlineno + 1) in l for l in labels)

    timemory.storage.reset()
    with Tracer(only_filenames=[r"trace_test\.py$"]):
        summed(1)
        os.path.join("a", "b")  # posixpath.py: not traced
    assert all(l.startswith(HERE) for l in counts())
    assert line_of(summed, 3) in counts()


def test_decorator_and_generators_stay_balanced():
    before = _timemory.warning_count()

    def gen(n):
        for i in range(n):
            yield i

    @Tracer(only_functions=["gen", "consume"])
    def consume():
        return sum(gen(3))

    assert consume() == 3 and consume() == 3
    c = counts()
    assert c[line_of(gen, 2)] == 2 * 3  # yield i: three values per run
    assert c[line_of(consume.__wrapped__, 2)] == 2  # return sum(gen(3)) (line 0 = decorator)
    with timemory.util.marker(["wall_clock"], key="after"):
        pass
    assert [e.depth() for e in WallClockStorage.get() if e.label() == "after"] == [0]
    assert _timemory.warning_count() == before
    assert sys.gettrace() is None


def test_threads_started_inside_are_traced():
    def work():
        return summed(2)

    with Tracer(only_functions=["^summed$"]):
        t = threading.Thread(target=work)
        t.start()
        t.join()
    tids = {e.tid() for e in WallClockStorage.get() if e.label() == line_of(summed, 3)}
    assert len(tids) == 1 and threading.gettrace() is None


def test_exceptions_close_the_open_line():
    def fails():
        x = 1
        raise ValueError(x)

    before = _timemory.warning_count()
    with Tracer(only_functions=["fails"]):
        try:
            fails()
        except ValueError:
            pass
    assert counts() == {line_of(fails, 1): 1, line_of(fails, 2): 1}
    assert _timemory.warning_count() == before


SCRIPT = """
import sys
def work(n):
    total = 0
    for i in range(n):
        total += i
    return total
work(3)
sys.exit(int(sys.argv[1]))
"""


def test_dash_m_traces_a_script_and_propagates_its_exit_code(tmp_path):
    script = tmp_path / "script.py"
    script.write_text(SCRIPT)
    proc = subprocess.run(
        [sys.executable, "-m", "timemory.trace", "-o", str(tmp_path / "out"), str(script), "5"],
        env=helpers.python_env(), cwd=str(tmp_path), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 5, proc.stderr
    assert re.search(r"script\.py:6 total \+= i\s*\|\s*3\s*\|", proc.stdout), proc.stdout
    assert re.search(r"script\.py:5 for i in range\(n\):\s*\|\s*4\s*\|", proc.stdout)
    assert (tmp_path / "out" / "wall_clock.json").is_file()


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-v", "-p", "no:cacheprovider"]))
