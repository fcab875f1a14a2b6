"""A Python program under mpirun (mpi4py): the same uneven work as
mpi_example.c. Rank 0 checks mpi_get_tree() / mpi_get() (every rank's
results merged); the others check they get their own. The exit reports are
collective (rank 0 writes the merged files; tests/multiproc/mpi_py_test.py
checks them against the per-rank files)."""

import os
import sys
import threading

from mpi4py import MPI

import timemory
from timemory.storage import WallClockStorage
from timemory.util import marker

world = MPI.COMM_WORLD
rank, size = world.Get_rank(), world.Get_size()
empty = "--empty-last" in sys.argv and rank == size - 1


def region(name, n=2000):
    with marker(["wall_clock"], key=name):
        sum(range(n))


def thread_main():
    for _ in range(3):
        region("thread_work")


if not empty:
    with marker(["wall_clock"], key="main"):
        for _ in range(rank + 1):
            region("work", 1000 * (rank + 1))
        if rank == 1:
            region("rank1_only")
            # a fork child of a rank writes its own files and joins no
            # collective; it leaves through os._exit, as multiprocessing's
            # children do (a normal exit would run mpi4py's MPI_Finalize)
            child = os.fork()
            if child == 0:
                region("forked_child")
                timemory.finalize()
                os._exit(0)
            assert os.waitpid(child, 0)[1] == 0
        if rank in (0, 2):
            threads = [threading.Thread(target=thread_main) for _ in range(2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()

pids = world.allgather(os.getpid())
own = {(e.label(), e.pid(), e.tid()): e.stats().count for e in WallClockStorage.get()}
flat = {(e.label(), e.pid(), e.tid()): e.stats().count for e in WallClockStorage.mpi_get()}
tree = WallClockStorage.mpi_get_tree()


def find(nodes, label):
    for n in nodes:
        if n.value().label() == label:
            return n
        hit = find(n.children(), label)
        if hit:
            return hit
    return None


if rank == 0:
    recorded = [p for r, p in enumerate(pids) if not ("--empty-last" in sys.argv and r == size - 1)]
    assert sorted(tree[0].value().pid()) == sorted(recorded), (tree[0].value().pid(), recorded)
    work = find(tree, "work").value()
    n_work = sum(r + 1 for r in range(size) if pids[r] in recorded)
    assert work.inclusive().stats().count == n_work, work.inclusive().stats()
    only = find(tree, "rank1_only").value()
    assert sorted(only.pid()) == [pids[1]], only.pid()
    tw = find(tree, "thread_work").value()
    assert sorted(tw.pid()) == sorted([pids[0], pids[2]]) and sorted(tw.tid()) == [1, 2]
    assert tw.inclusive().stats().count == 12
    for key, count in own.items():  # rank 0's own records are in the merged flat layout
        assert flat[key] == count
    assert sum(c for (label, _, _), c in flat.items() if label == "work") == n_work
else:
    assert flat == own, (flat, own)
    mine = [] if empty else [os.getpid()]
    assert (sorted(tree[0].value().pid()) if tree else []) == mine, tree
print("rank %d ok" % rank)
