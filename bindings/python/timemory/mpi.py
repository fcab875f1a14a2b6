"""Many processes: fork children and MPI ranks (mpi4py).

fork (os.fork, multiprocessing with the fork start method): the C core
gives the child empty storage of its own; this module makes the child write
its reports when it ends, including through os._exit at the end of a
multiprocessing child (multiprocessing's own exit finalizers). Its files
carry ".pid<pid>"; the parent keeps the plain names.

MPI: when mpi4py's MPI is initialized, <Class>Storage.mpi_get() and
mpi_get_tree() (collective: every rank calls them) merge every rank's
profile into one on rank 0 by a reduction tree (ceil(log2 P) rounds; in
round k, rank r with bit k set sends its profile's JSON text to rank
r - 2^k, which merges it), and the exit reports are collective too: rank 0
writes the merged <component>.json/.txt, each rank its own
<component>.rank<r>.* when settings.mpi_per_rank_output is on. With
settings.mpi_compact_merge on, each rank's profile is compacted before the
reduction (node statistics and tid/pid/rank sets, no values per thread), so
rank 0 holds O(nodes + sets); mpi_get() then raises (no flat layout), and
mpi_get_tree() works.
"""

import os
import sys
import tempfile

from timemory import _timemory

__all__ = ["comm", "reduce_profile", "merged_storage"]

_TAG = 0x746D  # "tm"

# A fork child of a rank is no MPI process of its own: it writes its own files.
_forked = False


def _after_fork_in_child():
    global _forked  # pylint: disable=global-statement
    _forked = True


os.register_at_fork(after_in_child=_after_fork_in_child)


def comm():
    """mpi4py's COMM_WORLD while MPI is initialized (and not finalized), else None.
    mpi4py is only used when the program imported it."""
    mpi = sys.modules.get("mpi4py.MPI")
    if mpi is None or _forked or not mpi.Is_initialized() or mpi.Is_finalized():
        return None
    return mpi.COMM_WORLD


def reduce_profile(world, text):
    """Collective: merges every rank's JSON text into rank 0's (returned
    there); other ranks get their own text back. A rank with nothing (None)
    or a merge that fails still takes every turn, so no rank waits forever;
    the failure is one line on stderr and the partner's data is left out."""
    rank, size = world.Get_rank(), world.Get_size()
    mine = text
    step = 1
    while step < size:
        if rank & step:
            world.send(text, dest=rank - step, tag=_TAG)
            break
        if rank + step < size:
            theirs = world.recv(source=rank + step, tag=_TAG)
            if text is None:
                text = theirs
            elif theirs is not None:
                try:
                    # compact again: a compacted node of one thread and one
                    # pid reads back as that thread's own record
                    text = _compact(_timemory.merge_json(text, theirs))
                except ValueError as e:
                    sys.stderr.write("[timemory] warning: rank %d: cannot merge rank %d's results: %s\n"
                                     % (rank, rank + step, e))
        step <<= 1
    return text if rank == 0 else mine


def _compact(text):
    """The text compacted when settings.mpi_compact_merge is on."""
    from timemory import settings  # pylint: disable=import-outside-toplevel
    if text is None or not settings.mpi_compact_merge:
        return text
    return _timemory.compact_json(text)


def merged_storage(component_id):
    """Collective under MPI: a SavedStorage of the merged profile on rank 0,
    of the rank's own on the others. None without MPI."""
    world = comm()
    if world is None:
        return None
    from timemory._load import load  # pylint: disable=import-outside-toplevel
    _timemory.set_mpi_rank(world.Get_rank())
    _, text = _timemory.profile_json(component_id)
    text = reduce_profile(world, _compact(text))
    fd, path = tempfile.mkstemp(suffix=".json", prefix="timemory-mpi-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write(text)
        return load(path)
    finally:
        os.unlink(path)


def finalize_collective(world):
    """The exit reports under MPI (called by timemory.finalize on every rank)."""
    from timemory import settings  # pylint: disable=import-outside-toplevel
    rank = world.Get_rank()
    _timemory.set_mpi_rank(rank)
    auto = settings.auto_output
    try:
        if auto and settings.mpi_per_rank_output:
            _timemory.set_output_suffix(".rank%d" % rank)
        else:
            settings.auto_output = False  # close open regions only
        try:
            _timemory.finalize()
        finally:
            settings.auto_output = auto
        if not auto:
            return
        _timemory.set_output_suffix("")
        mine = {}
        for cid in range(len(_timemory.components())):
            try:
                mine[cid] = _timemory.profile_json(cid)
            except (OSError, ValueError, MemoryError):  # takes part with nothing
                mine[cid] = (0, None)
        recorded = set()
        for ids in world.allgather([cid for cid, (n, _) in mine.items() if n]):
            recorded.update(ids)
        for cid in sorted(recorded):
            text = reduce_profile(world, _compact(mine[cid][1]))
            if rank == 0 and text is not None:
                try:
                    _timemory.write_reports_json(text)
                except OSError:
                    pass  # the core printed one line naming the path and the reason
    finally:
        _timemory.set_output_suffix(None)
