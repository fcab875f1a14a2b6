"""<Class>Storage.dumps / load / load_json / load_json_tree: a get() or
get_tree() result (live or loaded) -> documented JSON text -> the same
result back, field by field; paths, file objects, strings and dicts; a
dumped tree refuses the flat layout; bad input errors name the input."""

import io
import json
import os
import threading

import pytest

import timemory
from timemory.storage import PeakRssStorage, WallClockStorage
from timemory.util import marker

import helpers


@pytest.fixture(autouse=True)
def fresh_storage():
    timemory.storage.reset()
    yield
    timemory.storage.reset()


def stats_fields(s):
    return (s.count, s.sum, s.min, s.max, s.sqr, s.mean, s.stddev)


def value_fields(v):
    return (v.data().get(), stats_fields(v.stats()))


def flat_fields(e):
    return (e.tid(), e.pid(), e.depth(), e.hash(), e.rolling_hash(), e.label(), e.prefix(),
            e.hierarchy(), value_fields(e.inclusive()), value_fields(e.exclusive()))


def tree_fields(nodes):
    out = []
    for node in nodes:
        v = node.value()
        out.append((v.is_dummy(), v.tid(), v.pid(), v.depth(), v.hash(), v.rolling_hash(),
                    v.label(), v.prefix(), value_fields(v.inclusive()),
                    value_fields(v.exclusive()), tree_fields(node.children())))
    return out


def record_threads():
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


SCENARIOS = {"single": helpers.spec_scenario, "threads": record_threads}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_flat_round_trip(scenario):
    SCENARIOS[scenario]()
    live = WallClockStorage.get()
    assert live
    text = WallClockStorage.dumps(live)
    doc = json.loads(text)
    assert doc["format"] == "timemory-c" and doc["metadata"]["layout"] == "flat"
    assert doc["metadata"]["component"] == "wall_clock"
    back = WallClockStorage.load(text)
    assert [flat_fields(e) for e in back] == [flat_fields(e) for e in live]
    assert [flat_fields(e) for e in WallClockStorage.load_json(text)] == \
        [flat_fields(e) for e in live]
    # loaded, dumped again: the same text's result
    again = WallClockStorage.load(WallClockStorage.dumps(back))
    assert [flat_fields(e) for e in again] == [flat_fields(e) for e in live]
    # a flat dump has every thread's values: its tree is the live tree's
    # values and ids (the dummies of the live tree are not in a flat result)
    tree = WallClockStorage.load_json_tree(text)
    live_tree = WallClockStorage.get_tree()

    def regions(nodes):
        out = {}
        for n in nodes:
            v = n.value()
            if not v.is_dummy():
                out[v.rolling_hash()] = (v.tid(), v.pid(), value_fields(v.inclusive())[1][:5])
            out.update(regions(n.children()))
        return out
    assert regions(tree).keys() == regions(live_tree).keys()
    for k, (tids, pids, stats) in regions(tree).items():
        ltids, lpids, lstats = regions(live_tree)[k]
        assert (tids, pids) == (ltids, lpids)
        assert stats[0] == lstats[0] and stats[2:4] == lstats[2:4]
        assert stats[1] == pytest.approx(lstats[1])


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_tree_round_trip(scenario):
    SCENARIOS[scenario]()
    live = WallClockStorage.get_tree()
    text = WallClockStorage.dumps(live)
    assert json.loads(text)["metadata"]["layout"] == "tree"
    back = WallClockStorage.load(text)
    assert tree_fields(back) == tree_fields(live)
    assert tree_fields(WallClockStorage.load_json_tree(text)) == tree_fields(live)
    again = WallClockStorage.load(WallClockStorage.dumps(back))
    assert tree_fields(again) == tree_fields(live)


def test_threaded_tree_has_no_flat_layout(tmp_path):
    record_threads()
    path = tmp_path / "tree.json"
    path.write_text(WallClockStorage.dumps(WallClockStorage.get_tree()))
    # nodes of several threads list them without each thread's values
    doc = json.loads(path.read_text())
    several = [n for n in doc["nodes"] if len(n["tids"]) > 1]
    assert several and all("threads" not in n for n in several)
    with pytest.raises(ValueError) as err:
        WallClockStorage.load_json(str(path))
    assert str(path) in str(err.value) and "merged tree" in str(err.value)
    with pytest.raises(ValueError, match="merged tree"):
        timemory.load(str(path)).get()
    # the tree stays readable, and merging keeps the sets
    merged = timemory.load([str(path), str(path)])
    assert merged.metadata["layout"] == "tree"
    top = merged.get_tree()[0].value()
    assert len(top.tid()) == 4


def test_single_thread_tree_reads_flat_too():
    helpers.spec_scenario()
    text = WallClockStorage.dumps(WallClockStorage.get_tree())
    flat = WallClockStorage.load_json(text)
    assert [e.label() for e in flat] == [e.label() for e in WallClockStorage.get()]
    assert [value_fields(e.inclusive()) for e in flat] == \
        [value_fields(e.inclusive()) for e in WallClockStorage.get()]


def test_inputs_path_file_object_str_dict(tmp_path):
    helpers.spec_scenario()
    live = [flat_fields(e) for e in WallClockStorage.get()]
    text = WallClockStorage.dumps(WallClockStorage.get())
    path = tmp_path / "flat.json"
    path.write_text(text)
    assert [flat_fields(e) for e in WallClockStorage.load(path)] == live
    assert [flat_fields(e) for e in WallClockStorage.load(str(path))] == live
    with open(path) as f:
        assert [flat_fields(e) for e in WallClockStorage.load(f)] == live
    with open(path, "rb") as f:
        assert [flat_fields(e) for e in WallClockStorage.load(f)] == live
    assert [flat_fields(e) for e in WallClockStorage.load(io.StringIO(text))] == live
    assert [flat_fields(e) for e in WallClockStorage.load(json.loads(text))] == live


def test_saved_report_file_loads_flat(tmp_path):
    helpers.spec_scenario()
    live = [flat_fields(e) for e in WallClockStorage.get()]
    saved = {k: getattr(timemory.settings, k) for k in
             ("output_path", "cout_output", "text_output", "json_output", "auto_output")}
    try:
        timemory.settings.cout_output = timemory.settings.text_output = False
        timemory.settings.json_output = True
        timemory.settings.output_path = str(tmp_path)
        timemory.settings.auto_output = True
        timemory.finalize()
    finally:
        for k, v in saved.items():
            setattr(timemory.settings, k, v)
    path = os.path.join(str(tmp_path), "wall_clock.json")
    assert [flat_fields(e) for e in WallClockStorage.load(path)] == live


def test_bad_inputs_name_the_input(tmp_path):
    missing = tmp_path / "missing.json"
    with pytest.raises(OSError, match="missing.json"):
        WallClockStorage.load(missing)
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "timemory-c", "format_version": 1, "metadata": {')
    with pytest.raises(ValueError, match="broken.json"):
        WallClockStorage.load(str(broken))
    with open(broken) as f:
        with pytest.raises(ValueError, match="broken.json"):
            WallClockStorage.load(f)
    with pytest.raises(ValueError, match="<JSON string>"):
        WallClockStorage.load('{"format": "other"}')
    with pytest.raises(ValueError, match="<dict>"):
        WallClockStorage.load({"format": "timemory-c"})
    with pytest.raises(TypeError, match="path, a file object, a JSON string or a dict"):
        WallClockStorage.load(42)
    helpers.spec_scenario()
    with pytest.raises(ValueError, match="holds component 'wall_clock', not 'peak_rss'"):
        PeakRssStorage.load(WallClockStorage.dumps(WallClockStorage.get()))
    with pytest.raises(TypeError, match="get\\(\\) result"):
        WallClockStorage.dumps([1, 2])


def test_compact_profile_keeps_the_tree():
    """What settings.mpi_compact_merge sends between ranks: the live tree's
    values and ids without values per thread."""
    from timemory import _timemory
    record_threads()
    cid = _timemory.component_id("wall_clock")
    _, text = _timemory.profile_json(cid)
    compact = _timemory.compact_json(text)
    doc = json.loads(compact)
    assert doc["metadata"]["layout"] == "tree" and doc["metadata"]["thread_count"] == 4
    assert not [n for n in doc["nodes"] if "threads" in n]
    assert tree_fields(WallClockStorage.load(compact)) == tree_fields(WallClockStorage.get_tree())
    with pytest.raises(ValueError, match="merged tree"):
        WallClockStorage.load_json(compact)


def test_empty_result_round_trips():
    assert WallClockStorage.load(WallClockStorage.dumps([])) == []


if __name__ == "__main__":
    import sys
    sys.exit(pytest.main([__file__, "-v", "-p", "no:cacheprovider"]))
