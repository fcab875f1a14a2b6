"""Per-component classes: one per components.def row, stand-alone measuring,
storing only through push()/pop()."""

import os
import re
import subprocess
import sys
import time
import warnings

import pytest

import timemory
from timemory import component, storage
from timemory.component import Component, WallClock
from timemory.storage import WallClockStorage
from timemory.util import marker

import helpers


def test_every_table_row_has_both_classes():
    rows = helpers.table_rows()
    assert [r.id for r in rows] == timemory.components()
    for row in rows:
        cls = getattr(component, row.pyclass)
        assert issubclass(cls, Component)
        assert cls.__name__ == row.pyclass
        assert cls.__module__ == "timemory.component"
        assert cls.name == row.id and cls.label == row.label and cls.unit == row.unit
        assert row.description in cls.__doc__
        scls = getattr(storage, row.pyclass + "Storage")
        assert issubclass(scls, storage.Storage) and scls.component == row.id
        assert row.description in scls.__doc__
        assert row.pyclass in component.__all__
        assert row.pyclass + "Storage" in storage.__all__


def test_every_class_measures():
    for row in helpers.table_rows():
        cls = getattr(component, row.pyclass)
        if cls.unavailable:
            continue
        c = cls("probe")
        if row.kind == "STORE":  # fed by the user, not sampled
            c.store(1.0)
        else:
            c.start()
            sum(range(1000))
            c.stop()
        assert isinstance(c.get(), float) and isinstance(c.get_raw(), float)
        assert str(c).endswith(" " + row.label)


def test_start_stop_measures_without_storing():
    wc = WallClock("solo")
    wc.start()
    time.sleep(0.02)
    wc.stop()
    assert 0.02 <= wc.get() < 1.0
    assert wc.get_raw() == pytest.approx(wc.get() * 1e9)
    assert WallClockStorage.get() == []


def test_laps_accumulate_and_reset_clears():
    wc = WallClock("laps")
    for _ in range(3):
        wc.start()
        time.sleep(0.005)
        wc.stop()
    assert wc.get() >= 0.015
    wc.reset()
    assert wc.get() == 0.0


def test_push_pop_records_one_sample():
    wc = WallClock("pushed")
    wc.push()
    for _ in range(2):
        wc.start()
        time.sleep(0.005)
        wc.stop()
    wc.pop()
    (entry,) = WallClockStorage.get()
    assert entry.prefix() == ">>> pushed"
    assert entry.stats().count == 1
    assert entry.data().get() == pytest.approx(wc.get())


def test_str_is_formatted_value():
    wc = WallClock("text")
    assert re.fullmatch(r" *0\.000 sec wall", str(wc))
    assert "'text'" in repr(wc) and wc.key == "text"


def test_constructor_checks_types():
    with pytest.raises(TypeError):
        WallClock(42)
    with pytest.raises(TypeError):
        WallClock()
    with pytest.raises(TypeError):
        Component("abstract")
    with pytest.raises(ValueError):
        WallClock("")
    with pytest.raises(ValueError):
        WallClock("nul\0inside")


def test_store_on_a_timer_is_type_error():
    with pytest.raises(TypeError):
        WallClock("x").store(1.0)
    with pytest.raises(TypeError):
        WallClock("x").store("one")


def test_unbalanced_use_warns_and_records_nothing():
    wc = WallClock("unbalanced")
    with pytest.warns(RuntimeWarning, match="start"):
        wc.stop()
    with pytest.warns(RuntimeWarning, match="push"):
        wc.pop()
    assert WallClockStorage.get() == []


def test_store_component_records_into_the_open_region():
    rows = [r for r in helpers.table_rows() if r.kind == "STORE"]
    if not rows:
        pytest.skip("components.def has no STORE row")
    cls = getattr(component, rows[0].pyclass)
    tracker = cls("tracked")
    with pytest.raises(TypeError):
        tracker.start()
    with marker(["wall_clock"], key="region"):
        tracker.store(2.0)
        tracker.store(3.0)
    assert tracker.get() == pytest.approx(5.0)
    flat = getattr(storage, rows[0].pyclass + "Storage").get()
    assert [e.prefix() for e in flat] == [">>> region"]
    assert flat[0].data().get() == pytest.approx(5.0)


def test_context_manager_is_a_lap():
    with WallClock("with") as wc:
        time.sleep(0.005)
    assert wc.get() >= 0.005


def test_subclass_keeps_its_row():
    class Mine(WallClock):
        pass

    m = Mine("sub")
    m.push()
    m.pop()
    assert [e.prefix() for e in WallClockStorage.get()] == [">>> sub"]


CHILD_FREES_PUSHED = r"""
import gc, time, timemory
from timemory.component import WallClock
from timemory.util import marker
from timemory.storage import WallClockStorage
timemory.settings.auto_output = False
with marker(["wall_clock"], key="outer"):
    wc = WallClock("inner")
    wc.push()
    wc.start()
    time.sleep(0.01)
    wc.stop()
    del wc          # the core's frame still points at it
    gc.collect()
    junk = [WallClock("junk%d" % i) for i in range(1000)]
for e in WallClockStorage.get():
    print(e.prefix(), e.data().get())
"""


def test_freeing_a_pushed_component_does_not_crash():
    # In a child interpreter: a crash must fail this test, not end the run.
    # PYTHONMALLOC=debug overwrites freed objects, so a use after free shows.
    env = dict(helpers.python_env(), PYTHONMALLOC="debug")
    proc = subprocess.run([sys.executable, "-c", CHILD_FREES_PUSHED], env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    rows = [line.rsplit(" ", 1) for line in proc.stdout.splitlines()]
    assert [prefix for prefix, _ in rows] == [">>> outer", ">>> |_inner"]
    assert 0.01 <= float(rows[1][1]) <= float(rows[0][1]) < 60.0, proc.stdout


CHILD_POPS_ON_OTHER_THREAD = r"""
import gc, threading, warnings, timemory
from timemory.component import WallClock
warnings.simplefilter("ignore")
timemory.settings.auto_output = False
wc = WallClock("cross")
wc.push()
t = threading.Thread(target=wc.pop)   # wrong thread: the main frame stays
t.start(); t.join()
wc.pop()                              # the core no longer matches it
del wc
gc.collect()
junk = [WallClock("junk%d" % i) for i in range(1000)]
timemory.finalize()                   # closes the frame still open on main
print("done")
"""


def test_pop_on_another_thread_does_not_crash():
    env = dict(helpers.python_env(), PYTHONMALLOC="debug")
    proc = subprocess.run([sys.executable, "-c", CHILD_POPS_ON_OTHER_THREAD], env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "done"


def test_stubs_list_every_class():
    here = os.path.dirname(timemory.__file__)
    with open(os.path.join(here, "component.pyi"), encoding="utf-8") as handle:
        stub = handle.read()
    with open(os.path.join(here, "storage.pyi"), encoding="utf-8") as handle:
        sstub = handle.read()
    for row in helpers.table_rows():
        assert "class {}(Component):".format(row.pyclass) in stub
        assert "class {}Storage(Storage):".format(row.pyclass) in sstub


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-v", "-p", "no:cacheprovider"]))


@pytest.mark.skipif(sys.version_info >= (3, 12),
                    reason="None is immortal from Python 3.12: its count no longer shows a leak")
def test_repaired_misuse_leaks_no_reference():
    # stop() inside `with wc:` makes __exit__'s stop unbalanced: a warning,
    # and (before the fix) a new reference to None dropped on every exit.
    wc = WallClock("refleak")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        before = sys.getrefcount(None)
        for _ in range(10000):
            with wc:
                wc.stop()
        after = sys.getrefcount(None)
    assert after - before < 100, "leaked {} references to None".format(after - before)
