"""The wheel installs into a fresh venv with pip, runs the spec's storage
example from outside the checkout with correct values, brings its console
script, and `pip uninstall` leaves the venv as it found it."""

import base64
import csv
import glob
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import zipfile

import pytest

VERSION = os.environ["TIMEMORY_VERSION"]
RUNFILES = os.path.join(os.environ["TEST_SRCDIR"], os.environ["TEST_WORKSPACE"])
TMP = os.environ["TEST_TMPDIR"]
VENV = os.path.join(TMP, "venv")
OUTSIDE = os.path.join(TMP, "user")  # the user's directory: no checkout, no runfiles
PY = os.path.join(VENV, "bin", "python")


def wheel_path():
    wheels = glob.glob(os.path.join(RUNFILES, "bindings", "python", "*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def clean_env():
    """The environment of a user's shell: nothing from Bazel or this checkout,
    no pip configuration pointing at local wheel folders, no network."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "PIP_", "RUNFILES", "TEST_", "BUILD_", "BAZEL"))}
    env.update(HOME=TMP, PIP_CONFIG_FILE=os.devnull, PIP_NO_CACHE_DIR="1",
               PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1",
               PATH=os.path.join(VENV, "bin") + os.pathsep + env.get("PATH", "/usr/bin:/bin"))
    return env


def run(*cmd, check=True):
    r = subprocess.run(cmd, cwd=OUTSIDE, env=clean_env(), capture_output=True, text=True,
                       timeout=240)
    if check and r.returncode != 0:
        pytest.fail("{} exited {}\nstdout:\n{}\nstderr:\n{}".format(
            " ".join(cmd), r.returncode, r.stdout, r.stderr))
    return r


def venv_files():
    found = set()
    for root, dirs, files in os.walk(VENV):
        for name in dirs + files:
            found.add(os.path.relpath(os.path.join(root, name), VENV))
    return found


@pytest.fixture(scope="module")
def venv():
    os.makedirs(OUTSIDE, exist_ok=True)
    run("/usr/bin/python3", "-m", "venv", VENV)
    before = venv_files()
    r = run(PY, "-m", "pip", "install", "--no-index", wheel_path())
    assert "Successfully installed timemory-c-" + VERSION in r.stdout
    assert "WARNING" not in r.stderr, r.stderr
    return before


def test_wheel_is_named_for_the_version_and_this_interpreter():
    tag = "cp{0}{1}-cp{0}{1}".format(*sys.version_info[:2])
    assert os.path.basename(wheel_path()) == "timemory_c-{}-{}-linux_x86_64.whl".format(VERSION, tag)


def test_record_lists_every_file_with_its_sha256_and_size():
    with zipfile.ZipFile(wheel_path()) as whl:
        info = "timemory_c-{}.dist-info/".format(VERSION)
        rows = list(csv.reader(io.StringIO(whl.read(info + "RECORD").decode())))
        listed = {row[0]: row for row in rows}
        assert set(listed) == set(whl.namelist())
        assert listed[info + "RECORD"][1:] == ["", ""]
        for name, algo_digest, size in rows:
            if name == info + "RECORD":
                continue
            data = whl.read(name)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            assert algo_digest == "sha256=" + digest.decode(), name
            assert int(size) == len(data), name
        wheel_meta = whl.read(info + "WHEEL").decode()
        assert "Root-Is-Purelib: false" in wheel_meta
        assert "Tag: " + os.path.basename(wheel_path())[len("timemory_c-" + VERSION) + 1:-4] in wheel_meta
        names = set(whl.namelist())
        for stub in ("component.pyi", "storage.pyi", "settings.pyi", "util.pyi", "py.typed",
                     "_timemory.so"):
            assert "timemory/" + stub in names


def test_installed_package_is_imported_from_the_venv(venv):
    r = run(PY, "-c", "import json, importlib.metadata as m, timemory; print(json.dumps("
            "[timemory.__file__, timemory.__version__, m.version('timemory-c')]))")
    path, version, dist_version = json.loads(r.stdout)
    assert path.startswith(VENV + os.sep)
    assert version == dist_version == VERSION


def parse_entries(text):
    """Blocks of '  Key   : value' lines separated by '#---#' rules."""
    entries = []
    for line in text.splitlines():
        if re.fullmatch(r"\s*#-+#", line):
            entries.append({})
        m = re.fullmatch(r"\s*([A-Z][A-Za-z ]+?)\s+: (.*)", line)
        if m and entries:
            entries[-1][m.group(1)] = m.group(2)
    return [e for e in entries if e]  # the title's rules enclose no fields


def seconds(text):
    m = re.match(r"\s*(-?[0-9.]+) sec wall", text)
    assert m, text
    return float(m.group(1))


def test_spec_storage_example_runs_unmodified_with_correct_values(venv):
    script = os.path.join(RUNFILES, "tests", "install", "spec_storage_example.py")
    r = run(PY, script)
    flat_text, tree_text = r.stdout.split("# Storage Tree")
    flat = parse_entries(flat_text)
    assert [e["Prefix"] for e in flat] == [">>> foo", ">>> |_bar"]
    foo, bar = flat
    assert foo["Depth"] == "0" and bar["Depth"] == "1"
    assert foo["Thread id"] == bar["Thread id"] == "0"
    foo_hash, bar_hash = int(foo["Hash"]), int(bar["Hash"])
    assert int(bar["Rolling hash"]) == (foo_hash + bar_hash) % 2**64
    assert bar["Hierarchy"] == "[{}, {}]".format(foo_hash, bar_hash)
    # foo sleeps 1 s then bar's 10 laps (0.1 .. 1.0 s, 5.5 s) in 5 samples.
    assert 6.5 <= seconds(foo["Data object"]) < 9.5
    assert 5.5 <= seconds(bar["Data object"]) < 8.0
    assert "[count: 5]" in bar["Statistics"] and "[count: 1]" in foo["Statistics"]

    tree = parse_entries(tree_text)
    assert tree[0]["Depth"] == "-1" and tree[0]["Hash"] == "0"  # the dummy root
    tree_foo = next(e for e in tree if e["Depth"] == "0")
    assert 1.0 <= seconds(tree_foo["Exclusive data"]) < 2.5


def test_repository_storage_example_runs(venv):
    r = run(PY, os.path.join(RUNFILES, "examples", "storage.py"))
    assert "# WallClockStorage (tree)" in r.stdout
    assert ">>> pipeline" in r.stdout and "|_batch" in r.stdout


def test_console_script_runs_the_bundled_program(venv):
    exe = os.path.join(VENV, "bin", "timemory-avail")
    assert run(exe, "--version").stdout == "timemory-avail {}\n".format(VERSION)
    listing = json.loads(run(exe, "--json").stdout)
    assert "wall_clock" in json.dumps(listing)
    bad = run(exe, "--no-such-option", check=False)
    assert bad.returncode == 2 and "--no-such-option" in bad.stderr


def test_every_console_script_reports_the_version(venv):
    with zipfile.ZipFile(wheel_path()) as whl:
        text = whl.read("timemory_c-{}.dist-info/entry_points.txt".format(VERSION)).decode()
    scripts = [line.split("=")[0].strip() for line in text.splitlines()[1:] if "=" in line]
    assert "timemory-avail" in scripts
    for script in scripts:
        r = run(os.path.join(VENV, "bin", script), "--version")
        assert r.stdout == "{} {}\n".format(script, VERSION), script


def test_uninstall_removes_every_installed_file(venv):
    run(PY, "-m", "pip", "uninstall", "-y", "timemory-c")
    assert venv_files() == venv
    assert run(PY, "-c", "import timemory", check=False).returncode != 0


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-v", "-p", "no:cacheprovider"]))
