"""End-to-end tests of //tools:timemory-avail.

The expected rows come from parsing components.def and core/settings.def
here, independently of gen/ and of the library: every row of the tables must
show up in the listing, so a new row is covered with no edit to this test.
"""
import json
import os
import re
import subprocess
import sys

import pytest


def _runfile(*rels):
    roots = [os.environ.get("RUNFILES_DIR"), os.environ.get("TEST_SRCDIR")]
    roots.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    for root in filter(None, roots):
        for rel in rels:
            for prefix in ("timemory", ""):
                path = os.path.join(root, prefix, rel)
                if os.path.isfile(path):
                    return path
    raise RuntimeError(f"{rels[0]} not found in runfiles")


AVAIL = os.environ.get("TIMEMORY_AVAIL") or _runfile("tools/timemory-avail")
COMPONENTS_DEF = _runfile("components.def")
SETTINGS_DEF = _runfile("core/settings.def")


def _rows(path, macro):
    """Argument lists of the `MACRO(...)` rows of an X-macro table."""
    rows = []
    with open(path) as f:
        for line in f:
            if not line.startswith(macro + "("):
                continue  # comments, the empty default #define, #undef
            body = line.strip()[len(macro) + 1:]
            assert body.endswith(")"), f"{path}: row does not end with ')': {line}"
            # split on commas outside double quotes
            args = [a.strip() for a in re.findall(r'(?:"(?:[^"\\]|\\.)*"|[^,])+', body[:-1])]
            rows.append([a[1:-1] if a.startswith('"') else a for a in args])
    return rows


COMPONENTS = [
    {"name": r[0], "pyclass": r[1], "label": r[2], "unit": r[3],
     "category": r[9].lower(), "description": r[10]}
    for r in _rows(COMPONENTS_DEF, "TM_COMPONENT")
]
SETTINGS = [
    {"name": r[0], "type": r[1].lower(), "default": r[2], "description": r[4]}
    for r in _rows(SETTINGS_DEF, "TM_SETTING")
]


def run(*args, env=None):
    e = dict(os.environ)
    for k in list(e):
        if k.startswith("TIMEMORY_") and k != "TIMEMORY_AVAIL":
            del e[k]
    e.update(env or {})
    return subprocess.run([AVAIL, *args], capture_output=True, text=True,
                          env=e, timeout=60)


def table(text):
    """Data rows of the first '| a | b |' table in `text`, as dicts."""
    lines = [l for l in text.splitlines() if l.startswith("| ")]
    cells = [[c.strip() for c in l[2:].split(" | ")] for l in lines]
    header, data = cells[0], cells[1:]
    for row in data:
        assert len(row) == len(header), row
    return [dict(zip(header, row)) for row in data]


def test_tables_were_parsed():
    # Guards the parser above: the foundation rows are in the table.
    names = [c["name"] for c in COMPONENTS]
    assert "wall_clock" in names and "peak_rss" in names
    assert len(names) == len(set(names))
    assert "enabled" in [s["name"] for s in SETTINGS]


def test_component_table_lists_every_row_of_components_def():
    r = run()
    assert r.returncode == 0, r.stderr
    rows = table(r.stdout)
    assert [row["COMPONENT"] for row in rows] == [c["name"] for c in COMPONENTS]
    for i, (row, c) in enumerate(zip(rows, COMPONENTS)):
        assert row["ID"] == str(i)
        assert row["PYTHON CLASS"] == c["pyclass"]
        assert row["LABEL"] == c["label"]
        assert row["UNIT"] == (c["unit"] or "-")
        assert row["CATEGORY"] == c["category"]
        assert row["DESCRIPTION"] == c["description"]
        assert row["AVAILABLE"], c["name"]  # "yes" or a reason


def test_columns_are_aligned():
    # Every line, rules included, has its '|' separators at the same places
    # (the last column is not padded, so line lengths may differ).
    for args in ((), ("-s",)):
        r = run(*args)
        lines = [l for l in r.stdout.splitlines() if l.startswith("|")]
        assert len(lines) >= 4
        bars = {tuple(i for i, ch in enumerate(l) if ch == "|") for l in lines}
        assert len(bars) == 1, "column separators not aligned:\n" + r.stdout


def test_units_follow_the_settings():
    r = run(env={"TIMEMORY_TIMING_UNITS": "msec", "TIMEMORY_MEMORY_UNITS": "KB"})
    assert r.returncode == 0, r.stderr
    rows = {row["COMPONENT"]: row for row in table(r.stdout)}
    assert rows["wall_clock"]["UNIT"] == "msec"
    assert rows["peak_rss"]["UNIT"] == "KB"


def test_json_has_every_component_and_setting():
    r = run("--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    comps = doc["components"]
    assert [c["name"] for c in comps] == [c["name"] for c in COMPONENTS]
    for i, (got, want) in enumerate(zip(comps, COMPONENTS)):
        assert got["id"] == i
        for key in ("pyclass", "label", "category", "description"):
            assert got[key] == want[key], (want["name"], key)
        assert got["table_unit"] == want["unit"]
        assert isinstance(got["available"], bool)
        # unavailable <=> a reason is given
        assert (got["unavailable_reason"] is None) == got["available"], got
        if not got["available"]:
            assert got["unavailable_reason"].strip()
    # text and JSON agree on availability
    rows = {row["COMPONENT"]: row["AVAILABLE"] for row in table(run().stdout)}
    for c in comps:
        assert rows[c["name"]] == ("yes" if c["available"] else c["unavailable_reason"])

    settings = doc["settings"]
    assert [s["name"] for s in settings] == [s["name"] for s in SETTINGS]
    for got, want in zip(settings, SETTINGS):
        assert got["env"] == "TIMEMORY_" + want["name"].upper()
        assert got["type"] == want["type"]
        assert got["default"] == want["default"]
        assert got["description"] == want["description"]
        assert isinstance(got["value"], str)


def test_settings_listing_shows_env_names_and_current_values():
    r = run("-s", env={"TIMEMORY_PRECISION": "7", "TIMEMORY_OUTPUT_PATH": "/tmp/avail-out"})
    assert r.returncode == 0, r.stderr
    rows = {row["SETTING"]: row for row in table(r.stdout)}
    assert list(rows) == [s["name"] for s in SETTINGS]
    for s in SETTINGS:
        assert rows[s["name"]]["ENVIRONMENT VARIABLE"] == "TIMEMORY_" + s["name"].upper()
        assert rows[s["name"]]["DESCRIPTION"] == s["description"]
    assert "TIMEMORY_ENABLED" in r.stdout
    assert rows["precision"]["VALUE"] == "7"
    assert rows["output_path"]["VALUE"] == "/tmp/avail-out"
    assert rows["enabled"]["VALUE"] == "1"
    # without the environment, the defaults
    rows = {row["SETTING"]: row for row in table(run("-s").stdout)}
    assert rows["precision"]["VALUE"] == rows["precision"]["DEFAULT"]


def test_components_and_settings_together():
    r = run("-c", "-s")
    assert r.returncode == 0
    assert "| COMPONENT " in r.stdout and "| SETTING " in r.stdout


def test_bad_option():
    r = run("--bogus")
    assert r.returncode == 2
    assert "'--bogus'" in r.stderr and "--json" in r.stderr


def _tsc_safe_here():
    """auto's rule, probed here: invariant TSC and the kernel uses it."""
    try:
        with open("/sys/devices/system/clocksource/clocksource0/current_clocksource") as f:
            kernel_tsc = f.read().split() == ["tsc"]
        with open("/proc/cpuinfo") as f:
            flags = next((l for l in f if l.startswith("flags")), "").split()
    except OSError:
        return False
    return kernel_tsc and "constant_tsc" in flags and "nonstop_tsc" in flags


def test_timing_source_is_shown():
    r = run()
    assert r.returncode == 0, r.stderr
    m = re.search(r"^timing source of wall_clock and regions: (\S+) \((.*)\)$", r.stdout, re.M)
    assert m, r.stdout
    assert m.group(1) == ("tsc" if _tsc_safe_here() else "clock_gettime"), m.group(0)
    assert m.group(2).startswith("auto: "), m.group(0)
    doc = json.loads(run("--json").stdout)
    assert doc["timing_source"] == m.group(1)
    assert doc["timing_source_info"].startswith(m.group(1) + " (auto: ")
    forced = {"TIMEMORY_TIMING_SOURCE": "clock_gettime"}
    assert "regions: clock_gettime (timing_source=clock_gettime)" in run(env=forced).stdout
    assert json.loads(run("--json", env=forced).stdout)["timing_source"] == "clock_gettime"
    bad = run(env={"TIMEMORY_TIMING_SOURCE": "rdtsc"})
    assert "TIMEMORY_TIMING_SOURCE" in bad.stderr and "auto|tsc|clock_gettime" in bad.stderr, bad.stderr


# ---- bad input (docs/bad-input.md) ----

def test_bad_environment_warns_and_lists_the_default():
    env = dict(os.environ, TIMEMORY_TIMING_UNITS="hours", TIMEMORY_PRECISON="6")
    r = subprocess.run([AVAIL, "-s"], capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 0, r.stderr
    assert ('TIMEMORY_TIMING_UNITS="hours" is not a valid choice (valid: sec|msec|usec|nsec|min); '
            'using the default "sec"') in r.stderr
    assert "TIMEMORY_PRECISON is not a timemory-c setting; ignored (did you mean TIMEMORY_PRECISION?)" in r.stderr
    row = [line for line in r.stdout.splitlines() if line.split("|")[1:2] and line.split("|")[1].strip() == "timing_units"]
    assert len(row) == 1 and row[0].split("|")[3].strip() == "sec", r.stdout


def test_positional_argument_is_an_unknown_option():
    r = run("extra")
    assert r.returncode == 2
    assert "unknown option 'extra'; valid options: -c/--components" in r.stderr


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-v", "-p", "no:cacheprovider"]))
