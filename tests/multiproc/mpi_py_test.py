"""mpirun -np 4 of tests/multiproc/mpi_py_example.py (mpi4py): the example
checks mpi_get()/mpi_get_tree() on every rank; here rank 0's merged exit
files are checked against the per-rank files of the same run."""

import os
import re
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mpi_files  # noqa: E402  pylint: disable=wrong-import-position

EXAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mpi_py_example.py")


def run(np, tmp_path, *args):
    env = {"PYTHONPATH": os.pathsep.join(sys.path), "PYTHONDONTWRITEBYTECODE": "1",
           "TIMEMORY_OUTPUT_PATH": str(tmp_path / "timemory-output")}
    proc = mpi_files.mpirun(np, ["/usr/bin/python3", EXAMPLE] + list(args), tmp_path, env)
    for r in range(np):
        assert "rank %d ok" % r in proc.stdout, proc.stdout + proc.stderr
    return str(tmp_path / "timemory-output")


def test_four_ranks(tmp_path):
    out = run(4, tmp_path)
    merged, per_rank = mpi_files.check_merged(out, "wall_clock", 4, expect_pids_in_tree=4)
    assert merged[("main", "work")]["inclusive"]["count"] == 1 + 2 + 3 + 4
    assert merged[("main", "rank1_only")]["ranks"] == [1]
    assert merged[("main", "thread_work")]["ranks"] == [0, 2]
    forked = [n for n in os.listdir(out) if re.fullmatch(r"wall_clock\.pid\d+\.json", n)]
    assert len(forked) == 1, os.listdir(out)  # rank 1's fork child
    assert ("forked_child",) not in merged


def test_empty_last_rank(tmp_path):
    out = run(4, tmp_path, "--empty-last")
    merged, per_rank = mpi_files.check_merged(out, "wall_clock", 4, expect_pids_in_tree=3)
    assert sorted(per_rank) == [0, 1, 2]


def test_without_mpi_equals_get(tmp_path):
    # one process, mpi4py not imported: mpi_get() is get()
    import timemory  # pylint: disable=import-outside-toplevel
    from timemory.storage import WallClockStorage  # pylint: disable=import-outside-toplevel
    from timemory.util import marker  # pylint: disable=import-outside-toplevel
    with marker(["wall_clock"], key="solo"):
        pass
    assert "mpi4py.MPI" not in sys.modules
    key = lambda e: (e.label(), e.pid(), e.tid(), e.stats().count)  # noqa: E731
    assert [key(e) for e in WallClockStorage.mpi_get()] == [key(e) for e in WallClockStorage.get()]
    assert len(WallClockStorage.mpi_get_tree()) == len(WallClockStorage.get_tree())
    timemory.settings.auto_output = False


# ---- bad input (docs/bad-input.md) ----

COMPACT_SCRIPT = """\
import os
import threading
import timemory
from mpi4py import MPI
from timemory.storage import WallClockStorage
from timemory.util import marker
timemory.settings.mpi_compact_merge = True
def work():
    with marker(["wall_clock"], key="work"):
        pass
work()
for _ in range(int(os.environ["EXTRA_THREADS"])):  # with one: a node's values per thread exist
    t = threading.Thread(target=work)
    t.start()
    t.join()
rank = MPI.COMM_WORLD.Get_rank()
try:
    print("rank %d flat %d" % (rank, len(WallClockStorage.mpi_get())))
except ValueError as err:
    print("rank %d ValueError: %s" % (rank, err))
tree = WallClockStorage.mpi_get_tree()
work = tree[0].children()[0].value()
print("rank %d tree %s count %d" % (rank, work.label(), work.inclusive().stats().count))
"""


@pytest.mark.parametrize("extra_threads", [0, 1])
def test_compact_merge_has_no_flat_layout_but_keeps_the_tree(tmp_path, extra_threads):
    """With one thread per rank every compacted node has one tid and one pid,
    which reads back like a thread's own record: the merge must compact again."""
    script = tmp_path / "compact.py"
    script.write_text(COMPACT_SCRIPT)
    env = {"PYTHONPATH": os.pathsep.join(sys.path), "PYTHONDONTWRITEBYTECODE": "1",
           "TIMEMORY_OUTPUT_PATH": str(tmp_path / "timemory-output"), "TIMEMORY_AUTO_OUTPUT": "0",
           "EXTRA_THREADS": str(extra_threads)}
    per_rank = 1 + extra_threads
    proc = mpi_files.mpirun(2, ["/usr/bin/python3", str(script)], tmp_path, env)
    out = proc.stdout
    # rank 0 holds the compact merge: node statistics and id sets only
    assert re.search(r"rank 0 ValueError: .*holds a merged tree .* so it has no flat layout; use the tree layout",
                     out), out + proc.stderr
    assert "rank 0 tree work count %d" % (2 * per_rank) in out, out  # nothing recorded is lost
    assert "rank 1 tree work count %d" % per_rank in out, out


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-v", "-p", "no:cacheprovider"]))
