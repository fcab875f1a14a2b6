"""Checks shared by the MPI tests: rank 0's merged <component>.json against
the per-rank files (<component>.rank<r>.json) the same run wrote. Reads the
documented JSON with the json module, independently of the C reader."""

import glob
import json
import math
import os
import re
import subprocess

MPIRUN = ["mpirun", "--allow-run-as-root", "--oversubscribe", "--mca", "btl_vader_single_copy_mechanism", "none"]

# OpenMPI in a container: shared memory and loopback only, no ssh agent.
MPI_ENV = {
    "OMPI_MCA_btl": "self,vader",
    "OMPI_MCA_plm_rsh_agent": "",
    "OMPI_MCA_rmaps_base_oversubscribe": "1",
    "OMPI_MCA_mpi_yield_when_idle": "1",  # oversubscribed on a shared machine: do not spin
    "OMPI_ALLOW_RUN_AS_ROOT": "1",
    "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
}


def mpirun(np, argv, cwd, extra_env=None, timeout=240):
    env = dict(os.environ, **MPI_ENV)
    env.update({"TIMEMORY_MPI_PER_RANK_OUTPUT": "1", "TIMEMORY_COUT_OUTPUT": "0"})
    env.update(extra_env or {})
    proc = subprocess.run(MPIRUN + ["-np", str(np)] + argv, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def paths(nodes):
    """{label path: node} of a file's region nodes (dummies skipped)."""
    out, at = {}, []
    for n in nodes:
        parent_path = at[n["parent"]] if n["parent"] >= 0 else ()
        path = parent_path + ((n["label"],) if n["kind"] == "region" else ())
        at.append(path)
        if n["kind"] == "region":
            out[path] = n
    return out


def node_stats(n):
    """(count, sum, min, max, sqr) of the node's inclusive values."""
    v = n["inclusive"]
    return v["count"], v["sum"], v["min"], v["max"], v["sqr"]


def check_merged(out_dir, component, np, expect_pids_in_tree):
    """Asserts the merged file of `component` combines the np per-rank files
    exactly; returns (merged paths, per-rank paths by rank)."""
    merged = json.load(open(os.path.join(out_dir, component + ".json")))
    meta = merged["metadata"]
    assert meta["file_suffix"] == ""
    ranks = {e["rank"]: e["pid"] for e in meta["ranks"]}
    assert sorted(ranks) == list(range(np)), meta["ranks"]
    assert len(set(ranks.values())) == np
    per_rank = {}
    for path in glob.glob(os.path.join(out_dir, component + ".rank*.json")):
        m = re.fullmatch(re.escape(component) + r"\.rank(\d+)\.json", os.path.basename(path))
        if not m:  # .rank<r>.tree.json and the like
            continue
        r = int(m.group(1))
        d = json.load(open(path))
        assert d["metadata"]["file_suffix"] == ".rank%d" % r
        assert [e["rank"] for e in d["metadata"]["ranks"]] == [r]
        per_rank[r] = paths(d["nodes"])
    mp = paths(merged["nodes"])
    all_paths = set().union(*per_rank.values()) if per_rank else set()
    assert set(mp) == all_paths
    root = merged["nodes"][0]
    assert root["kind"] == "root"
    assert len(root["pids"]) == expect_pids_in_tree, root["pids"]
    for path, n in mp.items():
        have = {r: p[path] for r, p in per_rank.items() if path in p}
        count, total, lo, hi, sqr = node_stats(n)
        assert count == sum(node_stats(m)[0] for m in have.values()), path
        assert math.isclose(total, sum(node_stats(m)[1] for m in have.values()), rel_tol=1e-12), path
        assert math.isclose(sqr, sum(node_stats(m)[4] for m in have.values()), rel_tol=1e-12), path
        assert lo == min(node_stats(m)[2] for m in have.values()), path
        assert hi == max(node_stats(m)[3] for m in have.values()), path
        assert sorted(n["ranks"]) == sorted(have), path
        assert sorted(n["pids"]) == sorted({ranks[r] for r in have}), path
    return mp, per_rank
