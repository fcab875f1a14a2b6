"""Bad input to the Python API (docs/bad-input.md): the rows the other
suites do not already prove. Each test checks the exception type, that the
message names the input (and the valid choices where there are any), and
that what was recorded before is kept."""

import io
import json
import os
import re
import subprocess
import sys
import warnings

import pytest

import timemory
from timemory import settings
from timemory.component import (DataTrackerFloating, DataTrackerInteger, DataTrackerUnsigned,
                                HwCpuCycles, WallClock)
from timemory.profiler import Profiler
from timemory.storage import (DataTrackerFloatingStorage, DataTrackerIntegerStorage,
                              WallClockStorage)
from timemory.trace import Tracer
from timemory.util import marker

import helpers


def record_kept():
    with marker(["wall_clock"], key="kept"):
        pass


def assert_kept():
    kept = [e for e in WallClockStorage.get() if e.label() == "kept"]
    assert len(kept) == 1 and kept[0].stats().count == 1


# ---- labels ----

def test_labels_that_are_not_text_or_cannot_be_utf8():
    record_kept()
    with pytest.raises(TypeError, match="label must be str, not NoneType"):
        WallClock(None)
    with pytest.raises(TypeError, match="label must be str, not bytes"):
        WallClock(b"bytes")
    with pytest.raises(ValueError, match="region name is empty; give a non-empty string"):
        WallClock("")
    with pytest.raises(ValueError, match="label must not contain a NUL character"):
        WallClock("a\0b")
    # a lone surrogate has no UTF-8 form (UnicodeEncodeError is a ValueError)
    with pytest.raises(UnicodeEncodeError, match="surrogates not allowed"):
        WallClock("\udcff")
    with pytest.raises(UnicodeEncodeError):
        marker(["wall_clock"], key="\ud800")
    assert_kept()


def test_empty_marker_key_takes_the_function_name():
    @marker(["wall_clock"], key="")
    def decorated():
        pass

    def enclosing():
        with marker(["wall_clock"], key=""):
            pass

    decorated()
    enclosing()
    assert [e.label() for e in WallClockStorage.get()] == ["decorated", "enclosing"]


def test_long_and_control_character_labels_are_kept_exactly():
    long_label = "x" * 100000
    odd = "tab\there\nnewline \x01\x7f \u00e9\u20ac \U0001F600"
    for label in (long_label, odd):
        with marker(["wall_clock"], key=label):
            pass
    assert [e.label() for e in WallClockStorage.get()] == [long_label, odd]
    # and they survive the JSON round trip
    loaded = WallClockStorage.load(WallClockStorage.dumps(WallClockStorage.get()))
    assert [e.label() for e in loaded] == [long_label, odd]


# ---- store() values ----

def test_store_values_that_do_not_fit_the_tracker():
    i, u = DataTrackerInteger("i"), DataTrackerUnsigned("u")
    with marker(["wall_clock"], key="store"):
        i.store(7)
        for bad in (float("nan"), float("inf"), -float("inf"), 0.5, 2 ** 63, 2 ** 1000):
            with pytest.raises(ValueError, match="data_tracker_integer stores whole integers; .* is not one"):
                i.store(bad)
        with pytest.raises(ValueError, match="data_tracker_unsigned stores non-negative integers; -1 is not one"):
            u.store(-1)
        for bad in ("3", None, [1], 1j):
            with pytest.raises(TypeError):
                i.store(bad)
        i.store(-3)    # negative integers fit the signed tracker
        i.store(True)  # bool is an int: 1
    entry = [e for e in DataTrackerIntegerStorage.get() if e.label() == "store"]
    assert len(entry) == 1
    assert entry[0].stats().count == 3 and entry[0].stats().sum == 5.0


def test_store_of_nan_and_infinity_into_a_real_tracker_is_kept_as_given():
    f = DataTrackerFloating("f")
    with marker(["wall_clock"], key="real"):
        f.store(-2.5)
        f.store(float("inf"))
    with marker(["wall_clock"], key="nan"):
        f.store(float("nan"))
    by_label = {e.label(): e for e in DataTrackerFloatingStorage.get()}
    assert by_label["real"].stats().count == 2 and by_label["real"].stats().sum == float("inf")
    assert by_label["nan"].stats().count == 1 and by_label["nan"].stats().sum != by_label["nan"].stats().sum
    # the JSON keeps them (docs/json-format.md) and reads them back
    loaded = DataTrackerFloatingStorage.load(DataTrackerFloatingStorage.dumps(DataTrackerFloatingStorage.get()))
    assert {e.label(): e.stats().count for e in loaded} == {"real": 2, "nan": 1}


# ---- component objects used in the wrong order ----

def test_push_twice_warns_and_start_twice_restarts_the_lap():
    record_kept()
    wc = WallClock("twice")
    wc.push()
    with pytest.warns(RuntimeWarning, match="wall_clock 'twice' is already pushed"):
        wc.push()
    wc.start()
    wc.start()  # restarts: one lap
    wc.stop()
    assert wc.laps() == 1
    wc.pop()
    with pytest.warns(RuntimeWarning, match="pop\\(\\) of wall_clock 'twice' without push\\(\\)"):
        wc.pop()
    twice = [e for e in WallClockStorage.get() if e.label() == "twice"]
    assert len(twice) == 1 and twice[0].stats().count == 1
    assert_kept()


def test_pop_with_an_inner_region_open_closes_it_and_says_so():
    record_kept()
    wc = WallClock("outer_obj")
    wc.push()
    inner = marker(["wall_clock"], key="inner_left_open")
    inner.__enter__()
    with pytest.warns(RuntimeWarning, match="pop\\(\\) of wall_clock 'outer_obj' while 1 inner region\\(s\\) "
                                            "were open; closed them first"):
        wc.pop()
    counts = {e.label(): e.stats().count for e in WallClockStorage.get()}
    assert counts == {"kept": 1, "outer_obj": 1, "inner_left_open": 1}


def test_misuse_warnings_can_be_made_errors():
    wc = WallClock("strict")
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.raises(RuntimeWarning, match="stop\\(\\) of wall_clock 'strict' without start\\(\\)"):
            wc.stop()


def test_marker_exit_without_enter_warns_and_records_nothing():
    record_kept()
    m = marker(["wall_clock"], key="never_entered")
    with pytest.warns(RuntimeWarning, match="end of region 'never_entered' without a matching begin"):
        m.__exit__(None, None, None)
    assert [e.label() for e in WallClockStorage.get()] == ["kept"]


def test_unavailable_component_class_raises_naming_why():
    if not HwCpuCycles.unavailable:
        HwCpuCycles("ok").start()  # a machine with a PMU: it measures
        return
    with pytest.raises(RuntimeError, match="component 'hw_cpu_cycles' is not available here: "):
        HwCpuCycles("x")


# ---- settings ----

def test_setting_types_and_values():
    settings.enabled = 2          # an int is a bool by truth
    assert settings.enabled is True
    settings.enabled = "off"      # the C spellings are accepted as text
    assert settings.enabled is False
    settings.enabled = True
    with pytest.raises(TypeError, match="timemory.settings.precision takes an int, not float"):
        settings.precision = 3.5
    for bad in (-1, 1000001):
        with pytest.raises(ValueError, match="is not a number \\(valid: an integer from 0 to 1000000\\)"):
            settings.precision = bad
    assert settings.precision == 3


def test_empty_output_path_is_rejected():
    with pytest.raises(ValueError, match='output_path="" is empty \\(valid: a non-empty path\\)'):
        settings.output_path = ""
    assert settings.output_path == "timemory-output"


def test_components_setting_that_names_nothing_usable():
    with pytest.raises(ValueError, match="no component named in"):
        settings.components = []
    with pytest.raises(ValueError, match="no component named in"):
        settings.components = " , "
    if HwCpuCycles.unavailable:
        with pytest.raises(ValueError, match="none of the components named is available here: hw_cpu_cycles"):
            settings.components = ["hw_cpu_cycles"]
    assert settings.components == "wall_clock"


def test_bad_environment_variable_warns_once_at_first_use(tmp_path):
    code = ("import timemory; print(timemory.settings.precision, timemory.settings.timing_units)")
    env = dict(helpers.python_env(), TIMEMORY_PRECISION="lots", TIMEMORY_TIMING_UNITS="hours",
               TIMEMORY_PRECISON="6", TIMEMORY_AUTO_OUTPUT="0")
    proc = subprocess.run([sys.executable, "-c", code], env=env, cwd=str(tmp_path),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "3 sec\n"
    err = proc.stderr
    assert err.count('TIMEMORY_PRECISION="lots" is not a number') == 1, err
    assert 'TIMEMORY_TIMING_UNITS="hours" is not a valid choice (valid: sec|msec|usec|nsec|min)' in err
    assert "TIMEMORY_PRECISON is not a timemory-c setting; ignored (did you mean TIMEMORY_PRECISION?)" in err


# ---- marker / profiler / tracer misuse ----

def test_profiler_and_tracer_arguments():
    with pytest.raises(TypeError, match="only_functions must be a regular expression \\(str\\) or a list of them, "
                                        "not int"):
        Profiler(only_functions=5)
    with pytest.raises(TypeError, match="skip_filenames must be regular expressions \\(str\\), not int"):
        Tracer(skip_filenames=[5])
    with pytest.raises(ValueError, match="only_filenames: invalid regular expression '\\(': "):
        Tracer(only_filenames=["("])
    with pytest.raises(ValueError, match="unknown component 'nope' \\(valid: wall_clock"):
        Profiler(["nope"])


def test_stop_without_start_is_a_no_op():
    record_kept()
    Profiler(["wall_clock"]).stop()
    Tracer().stop()
    assert_kept()


def test_second_tracer_is_refused_while_one_runs():
    t = Tracer(only_filenames=[r"bad_input_test\.py$"])
    t.start()
    try:
        with pytest.raises(RuntimeError, match="another timemory tracer is running; stop it first"):
            Tracer().start()
    finally:
        t.stop()


# ---- JSON in, JSON out ----

def test_dumps_of_something_that_is_not_a_result():
    for bad in (5, "text", {"a": 1}):
        with pytest.raises(TypeError, match="dumps\\(\\) takes a get\\(\\) result .* not "):
            WallClockStorage.dumps(bad)


def _fnv1a(data):
    h = 14695981039346656037
    for byte in data:
        h = ((h ^ byte) * 1099511628211) % 2 ** 64
    return h


def test_load_keeps_bytes_that_are_not_utf8(tmp_path):
    timemory.init("runname")
    record_kept()
    text = WallClockStorage.dumps(WallClockStorage.get()).encode()
    # in the metadata: loads, the byte kept as a lone surrogate (os.fsdecode's way)
    bad_name = text.replace(b'"runname"', b'"r\xffn"')
    path = tmp_path / "bad_name.json"
    path.write_bytes(bad_name)
    assert timemory.load(str(path)).metadata["name"] == "r\udcffn"
    for obj in (io.BytesIO(bad_name), bad_name):
        assert [e.label() for e in WallClockStorage.load(obj)] == ["kept"]
    # in a label (hash updated to match): the label reads with U+FFFD, as live labels do
    bad_label = text.replace(b'"kept"', b'"k\xffpt"').replace(
        str(_fnv1a(b"kept")).encode(), str(_fnv1a(b"k\xffpt")).encode())
    assert [e.label() for e in WallClockStorage.load(bad_label)] == ["k\ufffdpt"]
    # a label whose bytes do not match its hash is refused, naming the input and field
    with pytest.raises(ValueError, match="<JSON string>: nodes\\[0\\].hash: is not the label's hash"):
        WallClockStorage.load(text.replace(b'"kept"', b'"k\xffpt"'))
    timemory.init("timemory")


def test_load_of_a_dict_that_is_not_json():
    with pytest.raises(ValueError, match="<dict>: not a JSON document: Out of range float"):
        WallClockStorage.load({"format": "timemory-c", "x": float("nan")})
    with pytest.raises(TypeError, match="<dict>: not a JSON document: .*not JSON serializable"):
        WallClockStorage.load({"format": object()})


def test_load_of_wrong_field_types_and_versions_names_the_field():
    record_kept()
    doc = json.loads(WallClockStorage.dumps(WallClockStorage.get()))
    newer = dict(doc, format_version=99)
    with pytest.raises(ValueError, match="<dict>: format_version 99 is not one this build reads \\(1 to 1\\)"):
        WallClockStorage.load(newer)
    bad_label = json.loads(json.dumps(doc))
    bad_label["nodes"][0]["label"] = 5
    with pytest.raises(ValueError, match="<dict>: nodes\\[0\\].label: expected a string"):
        WallClockStorage.load(bad_label)
    bad_count = json.loads(json.dumps(doc))
    bad_count["nodes"][0]["inclusive"]["count"] = "x"
    with pytest.raises(ValueError, match="<dict>: nodes\\[0\\].inclusive.count: expected an integer"):
        WallClockStorage.load(bad_count)


def test_load_of_text_that_is_not_json_or_a_path():
    with pytest.raises(ValueError, match="<JSON string>:1:1: .*truncated"):
        WallClockStorage.load("{")
    # text that does not start with '{' is a path
    with pytest.raises(OSError, match="cannot read \\[1\\]: No such file or directory"):
        WallClockStorage.load("[1]")
    with pytest.raises(OSError, match="Is a directory"):
        timemory.load(os.getcwd())
    with pytest.raises(ValueError, match="load\\(\\) needs at least one path"):
        timemory.load([])


# ---- finalize ----

def test_finalize_with_a_region_open_warns_closes_it_and_keeps_it():
    record_kept()
    m = marker(["wall_clock"], key="left_open")
    m.__enter__()
    with pytest.warns(RuntimeWarning, match="tm_finalize\\(\\) with 1 region\\(s\\) still open "
                                            "\\(innermost 'left_open'\\); closed them"):
        timemory.finalize()
    counts = {e.label(): e.stats().count for e in WallClockStorage.get()}
    assert counts == {"kept": 1, "left_open": 1}
    timemory.init()  # let the interpreter's exit hook run normally again


# ---- python -m timemory.profiler / timemory.trace ----

def _dash_m(tool, *args, cwd):
    return subprocess.run([sys.executable, "-m", tool, *args], env=helpers.python_env(), cwd=str(cwd),
                          capture_output=True, text=True, timeout=120)


def test_dash_m_output_directory_that_cannot_be_used(tmp_path):
    (tmp_path / "s.py").write_text("print('ran')\nraise SystemExit(3)\n")
    (tmp_path / "a_file").write_text("x")
    for tool in ("timemory.profiler", "timemory.trace"):
        proc = _dash_m(tool, "-o", "", "s.py", cwd=tmp_path)
        assert proc.returncode == 2, proc.stderr
        assert "-o '': output_path=\"\" is empty (valid: a non-empty path)" in proc.stderr, proc.stderr
        assert "ran" not in proc.stdout
        # a file where the directory should be: the script runs, its status is
        # kept, and one warning line names the path (no traceback)
        proc = _dash_m(tool, "-o", "a_file", "s.py", cwd=tmp_path)
        assert proc.returncode == 3, proc.stderr
        assert "ran" in proc.stdout
        assert "Traceback" not in proc.stderr, proc.stderr
        assert re.search(r"\[timemory\] warning: cannot write .*a_file/.*: Not a directory", proc.stderr), proc.stderr


def test_dash_m_usage_errors_exit_2(tmp_path):
    for tool in ("timemory.profiler", "timemory.trace"):
        proc = _dash_m(tool, cwd=tmp_path)
        assert proc.returncode == 2 and "the following arguments are required: target" in proc.stderr
        proc = _dash_m(tool, "-m", "no_such_module_here", cwd=tmp_path)
        assert proc.returncode == 2
        assert "cannot run 'no_such_module_here': no module named 'no_such_module_here'" in proc.stderr


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-v", "-p", "no:cacheprovider"]))
