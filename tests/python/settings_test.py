"""timemory.settings: typed attributes backed by the C settings."""

import sys

import pytest

import timemory
from timemory import _timemory, settings
from timemory.storage import WallClockStorage

import helpers

TYPES = {"bool": bool, "int": int, "str": str, "choice": str, "components": str}
REQUIRED = ("enabled", "auto_output", "output_path", "text_output", "json_output",
            "cout_output", "precision", "width", "timing_units", "memory_units")


@pytest.fixture(autouse=True)
def restore_settings():
    saved = {name: _timemory.settings_get(name) for name in settings.names()}
    yield
    for name, text in saved.items():
        _timemory.settings_set(name, text)


def test_every_c_setting_is_a_typed_attribute():
    rows = _timemory.settings_list()
    assert set(REQUIRED) <= {row[0] for row in rows}
    for name, _env, kind, _default, _choices, _desc in rows:
        assert isinstance(getattr(settings, name), TYPES[kind]), name
        assert name in dir(settings)


def test_round_trip_each_type():
    settings.auto_output = True
    assert settings.auto_output is True
    settings.auto_output = False
    assert settings.auto_output is False and _timemory.settings_get("auto_output") == "0"
    settings.precision = 6
    assert settings.precision == 6 and _timemory.settings_get("precision") == "6"
    settings.output_path = "elsewhere"
    assert settings.output_path == "elsewhere"
    settings.timing_units = "msec"
    assert settings.timing_units == "msec"
    settings.components = ["wall_clock", "cpu_clock"]
    assert settings.components.replace(" ", "") == "wall_clock,cpu_clock"


def test_settings_change_the_reported_text():
    helpers.spec_scenario(0.001)
    settings.precision = 5
    settings.width = 12
    text = str(WallClockStorage.get()[0].data())
    assert len(text.split()[0]) - text.split()[0].index(".") - 1 == 5
    assert text.index(".") >= 12 - 6
    settings.timing_units = "msec"
    assert WallClockStorage.get()[0].data().get() >= 6.5  # 6.5 ms, now in msec
    assert "msec" in str(WallClockStorage.get()[0].data())


def test_invalid_value_is_value_error_with_the_core_message():
    with pytest.raises(ValueError) as err:
        settings.timing_units = "fortnights"
    assert "timing_units" in str(err.value) and "msec" in str(err.value)
    with pytest.raises(ValueError):
        settings.components = ["wall_clock", "nope"]
    with pytest.raises(ValueError):
        settings.enabled = "maybe"
    assert settings.timing_units == "sec"


def test_wrong_python_type_is_type_error():
    with pytest.raises(TypeError):
        settings.precision = "3"
    with pytest.raises(TypeError):
        settings.precision = True
    with pytest.raises(TypeError):
        settings.auto_output = 1.5
    with pytest.raises(TypeError):
        settings.output_path = 5
    with pytest.raises(TypeError):
        settings.components = [3]


def test_unknown_setting_is_attribute_error():
    with pytest.raises(AttributeError) as err:
        settings.auto_ouput = False
    assert "auto_output" in str(err.value)
    with pytest.raises(AttributeError):
        settings.no_such_setting


def test_package_exposes_the_same_object():
    import timemory.settings as direct

    assert timemory.settings is direct is settings


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-v", "-p", "no:cacheprovider"]))


CHILD_SETS_BEFORE_FIRST_REGION = r"""
import timemory
from timemory.util import marker
timemory.settings.precision = 2
timemory.settings.auto_output = False
with marker(["wall_clock"], key="first"):
    pass
print(timemory.settings.precision, timemory.settings.auto_output, timemory.settings.width)
"""


def test_setting_made_before_the_first_region_wins_over_the_environment():
    import subprocess
    env = dict(helpers.python_env(), TIMEMORY_PRECISION="5", TIMEMORY_AUTO_OUTPUT="1",
               TIMEMORY_WIDTH="12")
    proc = subprocess.run([sys.executable, "-c", CHILD_SETS_BEFORE_FIRST_REGION], env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["2", "False", "12"], proc.stdout + proc.stderr
