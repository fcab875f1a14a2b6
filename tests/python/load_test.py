"""timemory.load: record -> write <component>.json -> load gives every field
of the live storage back exactly (the spec's scenario, threads, recursion);
lists merge; bad files raise errors naming the file and position."""

import json
import os
import subprocess
import sys
import threading

import pytest

import timemory
from timemory.component import WallClock
from timemory.storage import WallClockStorage
from timemory.util import marker

import helpers


@pytest.fixture(autouse=True)
def json_only_output():
    """finalize() writes only the JSON; settings restored afterwards."""
    saved = {k: getattr(timemory.settings, k) for k in
             ("output_path", "cout_output", "text_output", "json_output")}
    timemory.settings.cout_output = False
    timemory.settings.text_output = False
    timemory.settings.json_output = True
    yield
    for k, v in saved.items():
        setattr(timemory.settings, k, v)
    timemory.settings.auto_output = False


def write_json(directory):
    """Writes the reports as finalize() does and returns the JSON path."""
    timemory.settings.output_path = str(directory)
    timemory.settings.auto_output = True
    timemory.finalize()
    timemory.settings.auto_output = False
    return os.path.join(str(directory), "wall_clock.json")


def stats_fields(s):
    return (s.count, s.sum, s.min, s.max, s.sqr, s.mean, s.stddev, str(s))


def value_fields(v):
    return (v.data().get(), str(v.data()), stats_fields(v.stats()))


def flat_fields(e):
    return (e.tid(), e.pid(), e.depth(), e.hash(), e.rolling_hash(), e.label(), e.prefix(),
            e.hierarchy(), value_fields(e.inclusive()), value_fields(e.exclusive()),
            str(e.data()), stats_fields(e.stats()))


def tree_fields(nodes):
    out = []
    for node in nodes:
        v = node.value()
        out.append((v.is_dummy(), v.tid(), v.pid(), v.depth(), v.hash(), v.rolling_hash(),
                    v.label(), v.prefix(), value_fields(v.inclusive()),
                    value_fields(v.exclusive()), tree_fields(node.children())))
    return out


def assert_round_trip(tmp_path):
    live_flat, live_tree = WallClockStorage.get(), WallClockStorage.get_tree()
    saved = timemory.load(write_json(tmp_path))
    assert [flat_fields(e) for e in saved.get()] == [flat_fields(e) for e in live_flat]
    assert tree_fields(saved.get_tree()) == tree_fields(live_tree)
    # the same classes as a live run
    assert all(isinstance(e, type(live_flat[0])) for e in saved.get())
    assert isinstance(saved.get_tree()[0], type(live_tree[0]))
    return saved


def test_spec_scenario_round_trip(tmp_path):
    helpers.spec_scenario()
    saved = assert_round_trip(tmp_path)
    assert [e.prefix() for e in saved.get()] == [">>> foo", ">>> |_bar"]
    assert saved.get()[1].stats().count == 5
    root = saved.get_tree()[0].value()
    assert root.is_dummy() and root.depth() == -1 and root.hash() == 0


def test_threads_round_trip(tmp_path):
    def work(n):
        for _ in range(n):
            with marker(["wall_clock"], key="thread_work"):
                with marker(["wall_clock"], key="thread_inner"):
                    pass

    with marker(["wall_clock"], key="main"):
        threads = [threading.Thread(target=work, args=(i + 1,)) for i in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    saved = assert_round_trip(tmp_path)
    assert len({e.tid() for e in saved.get()}) == 4
    assert saved.metadata["thread_count"] == 4


def test_recursion_round_trip(tmp_path):
    def recurse(n):
        wc = WallClock("recurse")
        wc.push()
        wc.start()
        if n:
            recurse(n - 1)
        wc.stop()
        wc.pop()

    recurse(150)
    saved = assert_round_trip(tmp_path)
    assert saved.get()[-1].depth() == 150
    assert len(saved.get()[-1].hierarchy()) == 151


def test_labels_that_need_escaping_round_trip(tmp_path):
    for label in ['quote"d', "back\\slash", "new\nline", "semi;colon", "with space", "é€"]:
        with marker(["wall_clock"], key=label):
            pass
    saved = assert_round_trip(tmp_path)
    assert "new\nline" in [e.label() for e in saved.get()]


def test_metadata(tmp_path):
    helpers.spec_scenario()
    timemory.settings.precision = 5
    try:
        saved = timemory.load(write_json(tmp_path))
    finally:
        timemory.settings.precision = 3
    m = saved.metadata
    assert m["component"] == "wall_clock" and m["unit"] == "sec" and m["label"] == "wall"
    assert isinstance(m["name"], str) and m["name"]
    assert m["pid"] == os.getpid()
    assert m["format_version"] == 1
    assert m["timemory_version"]
    assert m["settings"]["precision"] == "5"
    assert m["settings"]["output_path"] == str(tmp_path)
    assert m["start_time"] <= m["end_time"] and m["end_time"].endswith("Z")
    assert m["command_line"] and m["thread_count"] == 1 and m["runs"] == 1
    assert saved.component == "wall_clock"


def test_values_print_in_the_saved_unit(tmp_path):
    helpers.spec_scenario()
    path = write_json(tmp_path)
    timemory.settings.timing_units = "msec"
    try:
        saved = timemory.load(path)
        assert " sec wall" in str(saved.get()[0].data())
    finally:
        timemory.settings.timing_units = "sec"


def test_list_of_paths_merges(tmp_path):
    helpers.spec_scenario()
    path = write_json(tmp_path)
    one = timemory.load(path)
    two = timemory.load([path, path])
    assert two.metadata["runs"] == 2
    a, b = one.get()[1].stats(), two.get()[1].stats()
    assert (b.count, b.sum, b.min, b.max, b.sqr) == (2 * a.count, 2 * a.sum, a.min, a.max, 2 * a.sqr)


CHILD_SCRIPT = r"""
import sys, timemory
from timemory.util import marker
timemory.settings.output_path = sys.argv[1]
timemory.settings.cout_output = False
with marker(["wall_clock"], key="child_run"):
    with marker(["wall_clock"], key="child_step"):
        pass
"""


def test_files_of_two_processes_merge(tmp_path):
    paths = []
    for name in ("p1", "p2"):
        subprocess.run([sys.executable, "-c", CHILD_SCRIPT, str(tmp_path / name)],
                       env=helpers.python_env(), check=True, timeout=60)
        paths.append(str(tmp_path / name / "wall_clock.json"))
    pids = {timemory.load(p).metadata["pid"] for p in paths}
    assert len(pids) == 2
    merged = timemory.load(paths)
    assert merged.metadata["runs"] == 2 and merged.metadata["thread_count"] == 2
    flat = merged.get()
    assert sorted((e.pid(), e.prefix()) for e in flat) == sorted(
        (p, prefix) for p in pids for prefix in (">>> child_run", ">>> |_child_step"))
    step = [n for d, n in helpers.walk_tree(merged.get_tree()) if n.label() == "child_step"]
    assert len(step) == 1 and step[0].pid() == pids and step[0].tid() == {0}
    assert step[0].inclusive().stats().count == 2


def test_merging_different_components_is_valueerror(tmp_path):
    with marker(["wall_clock", "cpu_clock"], key="two"):
        pass
    write_json(tmp_path)
    with pytest.raises(ValueError, match="cpu_clock.json: cannot merge component"):
        timemory.load([tmp_path / "wall_clock.json", tmp_path / "cpu_clock.json"])


def test_missing_file_is_oserror(tmp_path):
    with pytest.raises(OSError, match="no_such.json"):
        timemory.load(tmp_path / "no_such.json")


def test_truncated_file_names_file_and_position(tmp_path):
    helpers.spec_scenario()
    text = open(write_json(tmp_path)).read()
    cut = tmp_path / "cut.json"
    for length in range(0, len(text) - 2, 7):
        cut.write_text(text[:length])
        with pytest.raises(ValueError, match=r"cut\.json"):
            timemory.load(cut)
    cut.write_text(text[: len(text) // 2])
    with pytest.raises(ValueError, match=r"cut\.json:\d+:\d+: .*truncated"):
        timemory.load(cut)


def test_foreign_json_is_valueerror(tmp_path):
    foreign = tmp_path / "trace.json"
    foreign.write_text(json.dumps({"traceEvents": []}))
    with pytest.raises(ValueError, match="not a timemory-c profile"):
        timemory.load(foreign)


def test_unwritable_output_keeps_the_data(tmp_path):
    (tmp_path / "file").write_text("x")
    with marker(["wall_clock"], key="kept"):
        pass
    bad = tmp_path / "file" / "sub"
    with pytest.raises(OSError, match="Not a directory") as err:
        write_json(bad)
    assert str(tmp_path / "file") in str(err.value)
    assert [e.label() for e in WallClockStorage.get()] == ["kept"]
    saved = timemory.load(write_json(tmp_path / "elsewhere"))
    assert [e.label() for e in saved.get()] == ["kept"]


EXIT_SCRIPT = r"""
import sys, timemory
from timemory.util import marker
timemory.settings.output_path = sys.argv[1]
timemory.settings.cout_output = False
with marker(["wall_clock"], key="at_exit"):
    pass
"""


def test_unwritable_output_at_exit_is_one_line(tmp_path):
    (tmp_path / "file").write_text("x")
    bad = str(tmp_path / "file" / "out")
    proc = subprocess.run([sys.executable, "-c", EXIT_SCRIPT, bad], env=helpers.python_env(),
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert bad in lines[0] and "Not a directory" in lines[0], lines[0]
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-v", "-p", "no:cacheprovider"]))
