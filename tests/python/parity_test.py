"""Names of the reference toolkit's (NERSC/timemory) Python API, with its
documented behaviour: component classes, storage classes, timemory.util,
timemory.units and the reference's setting names."""

import os
import re
import subprocess
import sys
import time

import pytest

import timemory
import timemory.component as component
from timemory import settings, units
from timemory.component import (CpuClock, CpuUtil, CurrentPeakRss, DataTrackerFloating,
                                DataTrackerInteger, WallClock)
from timemory.storage import CpuClockStorage, PeakRssStorage, WallClockStorage
from timemory.util import (Marker, auto_timer, auto_tuple, base_decorator, marker,
                           rss_usage, timer)

import helpers

ROWS = [getattr(component, name) for name in component.__all__
        if isinstance(getattr(component, name), type) and name != "Component"]

INSTANCE_NAMES = ["laps", "get_value", "get_accum", "get_last", "hash", "rekey", "mark_begin",
                  "mark_end", "get", "get_raw", "start", "stop", "push", "pop", "measure",
                  "reset", "store"]
CLASS_NAMES = ["is_available", "display_unit", "id", "index", "record", "sample",
               "global_init", "global_finalize", "thread_init", "thread_finalize", "configure"]


def _lap(comp, seconds=0.002):
    comp.start()
    time.sleep(seconds)
    comp.stop()


# ---- component classes ----

@pytest.mark.parametrize("cls", ROWS, ids=lambda c: c.__name__)
def test_every_row_has_every_name(cls):
    for name in CLASS_NAMES + ["available", "has_value"]:
        assert hasattr(cls, name), name
    assert cls.available is cls.is_available() is (cls.unavailable is None)
    assert cls.has_value is True
    assert cls.id() == cls.name
    assert timemory.components()[cls.index()] == cls.name
    assert isinstance(cls.display_unit(), str)
    if cls.is_available():
        obj = cls("row")
        for name in INSTANCE_NAMES + ["value"]:
            assert hasattr(obj, name), name
        assert obj.laps() == 0 and obj.value == 0.0
        for name in ("global_init", "thread_init", "global_finalize", "thread_finalize"):
            assert getattr(cls, name)() is None  # documented no-ops
        assert cls.configure(1, verbose=True) is None


def test_laps_value_accum_and_last_of_a_timer():
    wc = WallClock("laps")
    _lap(wc)
    _lap(wc)
    assert wc.laps() == 2
    assert wc.get_accum() == wc.get_value() == wc.get_raw() == wc.value
    assert wc.get_accum() >= 4e6  # two 2 ms laps, in ns
    assert wc.get_value() == pytest.approx(wc.get() * 1e9)
    wc.start()
    time.sleep(0.002)
    # get_value() includes the running lap; get_accum() only completed laps.
    assert wc.get_value() > wc.get_accum() + 1e6
    wc.stop()
    assert wc.get_last() == 0.0  # a DELTA timer keeps no level reading
    wc.measure()
    assert wc.get_last() == wc.get_value() > 0  # measure() is a reading
    wc.reset()
    assert wc.laps() == 0 and wc.get_accum() == 0.0


def test_get_last_of_a_level_and_a_data_tracker():
    cur = CurrentPeakRss("level")
    _lap(cur, 0)
    assert cur.get_last() == cur.get_accum() > 0
    tracker = DataTrackerFloating("stored")
    tracker.store(1.5)
    tracker.store(4.0)
    assert tracker.get_last() == 4.0 and tracker.get_accum() == 5.5 and tracker.laps() == 2


def test_hash_is_the_storage_hash_and_rekey_relabels():
    wc = WallClock("first")
    h = wc.hash()
    wc.rekey("second")
    assert wc.key == "second" and wc.hash() != h
    wc.push()
    _lap(wc, 0)
    wc.pop()
    (entry,) = WallClockStorage.get()
    assert entry.prefix() == ">>> second" and entry.hash() == wc.hash()
    assert WallClock("first").hash() == h  # a pure function of the label
    with pytest.raises(TypeError):
        wc.rekey(3)


def test_display_unit_follows_settings():
    old = settings.timing_units
    try:
        settings.timing_units = "msec"
        assert WallClock.display_unit() == WallClock("x").display_unit() == "msec"
    finally:
        settings.timing_units = old
    assert WallClock.display_unit() == old
    assert CpuUtil.display_unit() == "%"


def test_is_available_on_the_module_and_the_classes():
    assert component.is_available("wall_clock") and component.is_available(WallClock)
    assert component.is_available("WallClock")
    names = component.get_types()
    assert names == timemory.components()
    available = component.get_available_types()
    assert set(available) <= set(names) and "wall_clock" in available
    assert [n for n in names if n not in available] == \
        [c.name for c in ROWS if c.unavailable is not None]
    with pytest.raises(ValueError) as err:
        component.is_available("wall_clok")
    assert "wall_clock" in str(err.value)
    with pytest.raises(TypeError):
        component.Component.is_available()  # the abstract base has no row


def test_record_and_sample_read_now_without_changing_objects():
    before = time.monotonic_ns()
    now = WallClock.record()
    after = time.monotonic_ns()
    assert before <= now <= after  # CLOCK_MONOTONIC in ns
    wc = WallClock("r")
    assert wc.sample() >= now and wc.laps() == 0 and wc.get_raw() == 0.0
    cpu, wall = CpuUtil.record()  # a ratio: its two counters
    assert cpu >= 0 and wall > 0
    with pytest.raises(TypeError):
        DataTrackerInteger.record()  # stores values: nothing to read


def test_mark_begin_and_mark_end_are_no_ops():
    wc = WallClock("marks")
    assert wc.mark_begin() is None and wc.mark_end() is None
    assert wc.laps() == 0 and WallClockStorage.get() == []


def test_arithmetic_between_instances_of_one_class():
    a, b = WallClock("a"), WallClock("b")
    _lap(a)
    _lap(a)
    _lap(b)
    total = a + b
    assert type(total) is WallClock and total is not a and total.key == "a"
    assert total.get_raw() == a.get_raw() + b.get_raw() and total.laps() == 3
    diff = a - b
    assert diff.get_raw() == a.get_raw() - b.get_raw() and diff.laps() == 1
    a_raw, same = a.get_raw(), a
    a += b
    assert a is same and a.get_raw() == a_raw + b.get_raw() and a.laps() == 3
    a -= b
    assert a.get_raw() == pytest.approx(a_raw) and a.laps() == 2
    assert "sec wall" in str(total)  # __str__: the value with unit and label


def test_arithmetic_does_not_change_what_was_recorded():
    a = WallClock("rec")
    a.push()
    _lap(a)
    recorded = a.get_raw()
    a += a
    a.pop()
    (entry,) = WallClockStorage.get()
    assert entry.data().get() == pytest.approx(recorded / 1e9)


def test_arithmetic_with_another_class_is_a_type_error():
    wc, cpu = WallClock("w"), CpuClock("c")
    for op in (lambda: wc + cpu, lambda: wc - cpu, lambda: wc + 1, lambda: 1.0 - wc):
        with pytest.raises(TypeError):
            op()
    with pytest.raises(TypeError):
        wc += cpu


# ---- storage classes ----

def test_dmp_get_is_get_without_mpi():
    helpers.spec_scenario(unit=0.002)
    flat, dmp = WallClockStorage.get(), WallClockStorage.dmp_get()
    assert [(e.prefix(), e.stats().count) for e in dmp] == \
        [(e.prefix(), e.stats().count) for e in flat] == [(">>> foo", 1), (">>> |_bar", 5)]
    tree = [(d, v.prefix()) for d, v in helpers.walk_tree(WallClockStorage.dmp_get_tree())]
    assert tree == [(d, v.prefix()) for d, v in helpers.walk_tree(WallClockStorage.get_tree())]
    assert ("foo" in [p for _, p in tree]) and ("bar" in [p for _, p in tree])


# ---- timemory.util ----

def test_plain_forms_return_the_c_marker():
    assert type(marker(["wall_clock"])) is Marker
    assert type(marker(["wall_clock"], "key")) is Marker
    assert type(marker(components=[WallClock], key="")) is Marker
    assert marker(WallClock).components == ["wall_clock"]
    assert auto_tuple is marker


def test_default_components_are_the_setting():
    old = settings.components
    try:
        settings.components = ["cpu_clock"]
        assert marker().components == ["cpu_clock"]
    finally:
        settings.components = old


def test_add_args_appends_argument_values():
    @marker(components=["wall_clock", component.PeakRss], add_args=True)
    def fib(n, scale=2, *rest, **extra):
        return n

    fib(5)
    fib(5, 3, 4, tag="x")
    labels = helpers.labels(WallClockStorage)
    assert labels == [">>> fib(n=5, scale=2, *rest=(), **extra={})",
                      ">>> fib(n=5, scale=3, *rest=(4,), **extra={'tag': 'x'})"]
    assert helpers.labels(PeakRssStorage) == labels

    def enclosing(a, b=1):
        with marker(["wall_clock"], add_args=True):
            pass

    timemory.storage.reset()
    enclosing(7)
    assert helpers.labels(WallClockStorage) == [">>> enclosing(a=7, b=1)"]


def test_is_class_names_the_class():
    class Solver:
        @marker(["wall_clock"], is_class=True)
        def step(self):
            return 1

    Solver().step()
    assert helpers.labels(WallClockStorage) == [">>> step[Solver]"]


def test_modes_build_the_reference_labels():
    line = None

    def run(mode, key):
        nonlocal line
        line = sys._getframe().f_lineno + 1
        @marker(["wall_clock"], key=key, mode=mode)
        def work():
            pass
        work()

        def ctx():
            with marker(["wall_clock"], key=key, mode=mode):
                pass
        ctx()

    expected = {
        ("blank", "k"): ["k"],                  # both blocks: one node, two samples
        ("basic", "k"): ["work/k", "ctx/k"],
        ("basic", ""): ["work", "ctx"],
        ("defer", "k"): ["work/k", "k"],       # decorator: basic, with: blank
        ("defer", ""): ["work", "ctx"],         # empty label: the function name
        ("blank", ""): ["work", "ctx"],
    }
    for (mode, key), labels in expected.items():
        timemory.storage.reset()
        run(mode, key)
        flat = WallClockStorage.get()
        assert [e.label() for e in flat] == labels, (mode, key)
        assert sum(e.stats().count for e in flat) == 2
    timemory.storage.reset()
    run("full", "k")
    got = [e.label() for e in WallClockStorage.get()]
    assert got[0] == "work@parity_test.py:{}/k".format(line)
    assert re.fullmatch(r"ctx@parity_test\.py:\d+/k", got[1])


def test_default_labels_are_ours():
    # Without a mode: key, else the function (decorator) or the enclosing
    # function (context manager); the reference would give "work/k" and "".
    @marker(["wall_clock"], key="k", add_args=True)
    def work(x):
        pass

    work(1)
    assert helpers.labels(WallClockStorage) == [">>> k(x=1)"]


def test_callable_components_are_read_at_each_call():
    chosen = [["wall_clock"]]

    @marker(lambda: chosen[0])
    def work():
        pass

    work()
    chosen[0] = ["cpu_clock", lambda: [CpuUtil]]
    work()
    assert [e.stats().count for e in WallClockStorage.get()] == [1]
    assert [e.stats().count for e in CpuClockStorage.get()] == [1]
    assert marker(lambda: ["wall_clock", "cpu_clock"]).components == ["wall_clock", "cpu_clock"]


def test_bad_names_and_modes_raise():
    with pytest.raises(ValueError) as err:
        marker(["wall_clok"], add_args=True)  # the reference drops it silently
    assert "wall_clock" in str(err.value)
    with pytest.raises(ValueError) as err:
        marker(["wall_clock"], mode="fancy")
    assert "blank" in str(err.value) and "defer" in str(err.value)
    with pytest.raises(ValueError):
        marker(lambda: ["nope"])(lambda: None)()
    with pytest.raises(TypeError):
        marker(["wall_clock"], mode="basic")("not callable")


def test_python_path_closes_regions_on_exceptions_and_nests():
    m = marker(["wall_clock"], mode="blank", key="blk")

    with pytest.raises(KeyError):
        with m:
            with m:
                raise KeyError("x")
    assert [(e.prefix(), e.stats().count) for e in WallClockStorage.get()] == \
        [(">>> blk", 1), (">>> |_blk", 1)]

    @marker(["wall_clock"], mode="basic")
    def rec(n):
        return 0 if n == 0 else 1 + rec(n - 1)

    timemory.storage.reset()
    assert rec(2) == 2
    assert helpers.labels(WallClockStorage) == [">>> rec", ">>> |_rec", ">>>   |_rec"]


def test_timer_records_and_prints(capsys):
    @timer()
    def timed():
        time.sleep(0.002)

    timed()
    with timer("block"):
        pass
    out = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"timed : [\d.]+ sec wall, [\d.]+ sec cpu, [\d.]+ % cpu_util, "
                        r"-?[\d.]+ MB peak_rss", out[0]), out
    assert out[1].startswith("block : ")
    assert helpers.labels(WallClockStorage) == [">>> timed", ">>> block"]
    assert helpers.labels(CpuClockStorage) == [">>> timed", ">>> block"]


def test_rss_usage_prints_the_change_and_records_nothing(capsys):
    with rss_usage("alloc"):
        block = bytearray(32 * units.megabyte)
        block[::4096] = b"x" * len(block[::4096])  # touch every page
    out = capsys.readouterr().out.strip()
    match = re.match(r"alloc : ([\d.]+) MB page_rss, ", out)
    assert match and float(match.group(1)) >= 30, out
    assert "minor_faults" in out and "vol_cxt_swch" in out
    assert WallClockStorage.get() == [] and PeakRssStorage.get() == []
    del block


def test_base_decorator_is_exported():
    assert issubclass(timer, base_decorator) and issubclass(rss_usage, base_decorator)


def test_report_at_exit_prints_the_marker_regions():
    script = (
        "import timemory\n"
        "from timemory.util import auto_timer\n"
        "timemory.settings.auto_output = False\n"
        "@auto_timer(report_at_exit=True)\n"
        "def job():\n"
        "    pass\n"
        "job(); job()\n")
    out = subprocess.run([sys.executable, "-c", script], env=helpers.python_env(),
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    for name in ("wall_clock", "cpu_clock", "cpu_util", "peak_rss"):
        assert any(l.startswith("[{}] >>> job : ".format(name)) and "[count: 2]" in l
                   for l in lines), out.stdout


# ---- timemory.units and timemory.settings ----

def test_units_match_the_reference():
    assert (units.nsec, units.usec, units.msec, units.csec, units.dsec, units.sec) == \
        (1, 10**3, 10**6, 10**7, 10**8, 10**9)
    assert units.min == 60 * units.sec and units.hr == 3600 * units.sec
    assert [units.byte, units.kilobyte, units.megabyte, units.gigabyte, units.terabyte,
            units.petabyte] == [1000 ** i for i in range(6)]
    assert [units.kibibyte, units.mebibyte, units.gibibyte, units.tebibyte,
            units.pebibyte] == [1024 ** i for i in range(1, 6)]
    wc = WallClock("u")
    _lap(wc)
    assert wc.get_raw() / units.sec == pytest.approx(wc.get())


def test_reference_setting_names_are_aliases():
    saved = {n: getattr(settings, n) for n in ("precision", "width", "components",
                                               "text_output", "json_output")}
    try:
        settings.timing_precision = 5
        assert settings.precision == settings.memory_precision == 5
        settings.memory_width = 12
        assert settings.width == settings.timing_width == 12
        settings.global_components = ["wall_clock", "cpu_clock"]
        assert settings.components == "wall_clock,cpu_clock"
        settings.file_output = False
        assert settings.text_output is False and settings.json_output is False
        assert settings.file_output is False
        settings.text_output = True
        assert settings.file_output is True
        with pytest.raises(ValueError):
            settings.global_components = ["wall_clok"]
        with pytest.raises(TypeError):
            settings.timing_precision = "high"
        assert "timing_precision" in dir(settings)
        assert "timing_precision" not in settings.names()  # not a setting of ours
    finally:
        for name, value in saved.items():
            setattr(settings, name, value)


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-v", "-p", "no:cacheprovider"]))
