"""The spec's storage example, scaled down in time: flat and tree layouts."""

import os
import re
import sys

import pytest

import timemory
from timemory import _timemory
from timemory.storage import WallClockStorage

import helpers

U = 0.1  # seconds per spec second: 0.65 s for the scenario
SLACK = 1.0 * U  # sleeps overrun on a loaded machine; they never undershoot


@pytest.fixture(scope="module")
def layouts():
    """Flat and tree snapshots of one run of the scenario."""
    timemory.settings.auto_output = False
    timemory.storage.reset()
    helpers.spec_scenario(U)
    return WallClockStorage.get(), WallClockStorage.get_tree()


def within(value, expected, slack=SLACK):
    return expected * 0.995 <= value <= expected + slack


def test_flat_lists_foo_then_bar(layouts):
    flat, _ = layouts
    assert [e.prefix() for e in flat] == [">>> foo", ">>> |_bar"]
    assert [e.depth() for e in flat] == [0, 1]
    assert [e.label() for e in flat] == ["foo", "bar"]


def test_foo_inclusive_is_whole_call(layouts):
    foo = layouts[0][0]
    assert foo.stats().count == 1
    assert within(foo.data().get(), 6.5 * U)
    assert foo.stats().sum == pytest.approx(foo.data().get())
    assert foo.stats().min == foo.stats().max == pytest.approx(foo.stats().sum)


def test_foo_exclusive_is_its_own_sleep(layouts):
    foo = layouts[0][0]
    bar = layouts[0][1]
    assert within(foo.exclusive().data().get(), 1.0 * U, slack=0.3 * U)
    assert foo.exclusive().stats().count == 1
    # exclusive = the sample minus its children's samples taken during it
    assert foo.exclusive().data().get() == pytest.approx(
        foo.data().get() - bar.data().get(), abs=1e-6)


def test_bar_has_five_two_lap_samples(layouts):
    bar = layouts[0][1]
    stats = bar.stats()
    assert stats.count == 5
    assert within(stats.sum, 5.5 * U)
    # 0.35 U of slack still tells laps 1+2 (0.3 U) from laps 3+4 (0.7 U)
    assert within(stats.min, 0.3 * U, slack=0.35 * U)  # laps 1+2
    assert within(stats.max, 1.9 * U, slack=0.35 * U)  # laps 9+10
    squares = sum((x * U) ** 2 for x in (0.3, 0.7, 1.1, 1.5, 1.9))
    assert stats.sqr == pytest.approx(squares, rel=0.15)
    assert stats.mean == pytest.approx(stats.sum / 5)
    assert stats.stddev > 0


def test_rolling_hash_is_wrapping_sum_of_hierarchy(layouts):
    for entry in layouts[0]:
        assert entry.rolling_hash() == sum(entry.hierarchy()) % 2**64
        assert entry.hierarchy()[-1] == entry.hash()
        assert len(entry.hierarchy()) == entry.depth() + 1
    foo, bar = layouts[0]
    assert bar.hierarchy() == [foo.hash(), bar.hash()]


def test_hash_is_the_label_hash(layouts):
    foo, bar = layouts[0]
    assert foo.hash() == _timemory.hash_string("foo")
    assert bar.hash() == _timemory.hash_string("bar")
    assert 0 <= bar.rolling_hash() < 2**64


def test_flat_ids_are_this_process_and_thread(layouts):
    for entry in layouts[0]:
        assert entry.pid() == os.getpid()
        assert entry.tid() == layouts[0][0].tid()


def test_tree_has_dummy_root_flat_has_none(layouts):
    flat, tree = layouts
    assert len(tree) == 1
    root = tree[0].value()
    assert root.is_dummy()
    assert root.depth() == -1 and root.hash() == 0
    for value in (root.inclusive(), root.exclusive()):
        assert value.data().get() == 0.0
        assert value.stats().count == 0
    assert all(e.depth() >= 0 and e.hash() != 0 for e in flat)


def test_tree_nests_bar_under_foo(layouts):
    _, tree = layouts
    shape = [(d, v.prefix(), v.is_dummy()) for d, v in helpers.walk_tree(tree)]
    assert shape[1:] == [(1, "foo", False), (2, "bar", False)]


def test_tree_values_match_flat(layouts):
    flat, tree = layouts
    values = [v for _, v in helpers.walk_tree(tree) if not v.is_dummy()]
    for entry, value in zip(flat, values):
        assert value.hash() == entry.hash()
        assert value.rolling_hash() == entry.rolling_hash()
        assert value.depth() == entry.depth()
        assert value.tid() == {entry.tid()}
        assert value.pid() == {os.getpid()}
        assert value.inclusive().data().get() == pytest.approx(entry.data().get())
        assert value.exclusive().stats().sum == pytest.approx(entry.exclusive().stats().sum)
    bar = values[1]
    assert bar.exclusive().data().get() == pytest.approx(bar.inclusive().data().get())


def test_text_of_data_and_stats(layouts):
    foo = layouts[0][0]
    assert re.fullmatch(r" *\d+\.\d{3} sec wall", str(foo.data()))
    text = str(foo.stats())
    assert re.fullmatch(r"\[sum: \S+\] \[min: \S+\] \[max: \S+\] \[sqr: \S+\] \[count: 1\]", text)
    assert float(text.split("]")[0].split()[-1]) == pytest.approx(foo.stats().sum, rel=1e-4)


def test_layouts_are_empty_after_reset():
    helpers.spec_scenario(0.001)
    assert len(WallClockStorage.get()) == 2
    timemory.storage.reset()
    assert WallClockStorage.get() == []
    assert all(v.is_dummy() for _, v in helpers.walk_tree(WallClockStorage.get_tree()))


def test_other_component_storage_stays_empty():
    helpers.spec_scenario(0.001)
    assert timemory.storage.CpuClockStorage.get() == []


def test_abstract_storage_is_type_error():
    with pytest.raises(TypeError):
        timemory.storage.Storage.get()


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-v", "-p", "no:cacheprovider"]))
