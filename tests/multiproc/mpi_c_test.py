"""mpirun -np 4 of tests/multiproc/mpi_example.c (//:timemory_mpi): rank 0's
merged files combine every rank's exactly; each run also writes the
per-rank files (mpi_per_rank_output) the checks compare against."""

import json
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mpi_files  # noqa: E402  pylint: disable=wrong-import-position


def _example():
    for root in filter(None, [os.environ.get("RUNFILES_DIR"), os.environ.get("TEST_SRCDIR")]):
        path = os.path.join(root, "timemory", "tests", "multiproc", "mpi_example")
        if os.access(path, os.X_OK):
            return path
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "mpi_example")


def test_four_ranks_merge_on_rank0(tmp_path):
    proc = mpi_files.mpirun(4, [_example()], tmp_path)
    out = tmp_path / "timemory-output"
    merged, per_rank = mpi_files.check_merged(str(out), "wall_clock", 4, expect_pids_in_tree=4)
    assert sorted(per_rank) == [0, 1, 2, 3]
    # uneven: rank r ran "work" r + 1 times
    assert merged[("main", "work")]["inclusive"]["count"] == 1 + 2 + 3 + 4
    assert merged[("main",)]["ranks"] == [0, 1, 2, 3]
    # one rank only
    assert merged[("main", "rank1_only")]["ranks"] == [1]
    assert merged[("main", "rank1_only")]["inclusive"]["count"] == 1
    # threads inside ranks 0 and 2: tids 1 and 2 of each, 3 samples per thread
    tw = merged[("main", "thread_work")]
    assert tw["ranks"] == [0, 2] and tw["tids"] == [1, 2]
    assert tw["inclusive"]["count"] == 2 * 2 * 3
    assert len(tw["threads"]) == 4
    meta = json.load(open(out / "wall_clock.json"))["metadata"]
    assert meta["runs"] == 4 and meta["thread_count"] == 4 + 4
    # written once: no per-process (.pid) files beside the merged and per-rank
    # ones, but for the fork child of rank 1, which is no rank
    child = int(proc.stdout.split("forked_child ")[1].split()[0])
    names = sorted(os.listdir(out))
    pid_files = [n for n in names if ".pid" in n]
    assert all(n.startswith("wall_clock.pid%d." % child) for n in pid_files), pid_files
    assert {"wall_clock.pid%d.json" % child, "wall_clock.pid%d.txt" % child} <= set(pid_files)
    forked = json.load(open(out / ("wall_clock.pid%d.json" % child)))
    assert [n["label"] for n in forked["nodes"] if n["kind"] == "region"] == ["forked_child"]
    assert "ranks" not in forked["metadata"]
    assert ("forked_child",) not in merged
    assert "wall_clock.txt" in names and "main" in (out / "wall_clock.txt").read_text()


def test_empty_last_rank(tmp_path):
    mpi_files.mpirun(4, [_example(), "--empty-last"], tmp_path)
    out = str(tmp_path / "timemory-output")
    merged, per_rank = mpi_files.check_merged(out, "wall_clock", 4, expect_pids_in_tree=3)
    assert sorted(per_rank) == [0, 1, 2]  # the empty rank writes no file of its own
    assert merged[("main",)]["ranks"] == [0, 1, 2]
    assert merged[("main", "work")]["inclusive"]["count"] == 1 + 2 + 3


def test_without_per_rank_files(tmp_path):
    mpi_files.mpirun(3, [_example()], tmp_path, {"TIMEMORY_MPI_PER_RANK_OUTPUT": "0"})
    names = sorted(n for n in os.listdir(tmp_path / "timemory-output") if ".pid" not in n)
    assert {"wall_clock.json", "wall_clock.txt"} <= set(names)
    assert not [n for n in names if ".rank" in n], names  # the merged files only
    merged = json.load(open(tmp_path / "timemory-output" / "wall_clock.json"))
    assert len(merged["nodes"][0]["pids"]) == 3


def test_compact_merge(tmp_path):
    """mpi_compact_merge: rank 0 keeps node statistics and tid/pid/rank sets
    (no values per thread), combined exactly as the full merge does."""
    mpi_files.mpirun(4, [_example()], tmp_path, {"TIMEMORY_MPI_COMPACT_MERGE": "1"})
    out = tmp_path / "timemory-output"
    merged, per_rank = mpi_files.check_merged(str(out), "wall_clock", 4, expect_pids_in_tree=4)
    assert sorted(per_rank) == [0, 1, 2, 3]
    doc = json.load(open(out / "wall_clock.json"))
    assert doc["metadata"]["layout"] == "tree"
    assert not [n for n in doc["nodes"] if "threads" in n]
    tw = merged[("main", "thread_work")]
    assert tw["ranks"] == [0, 2] and tw["tids"] == [1, 2]
    assert tw["inclusive"]["count"] == 2 * 2 * 3
    assert doc["metadata"]["runs"] == 4 and doc["metadata"]["thread_count"] == 4 + 4
    # the per-rank files keep every thread's values
    rank0 = json.load(open(out / "wall_clock.rank0.json"))
    assert "layout" not in rank0["metadata"]
    assert [n for n in rank0["nodes"] if "threads" in n]


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-v", "-p", "no:cacheprovider"]))
