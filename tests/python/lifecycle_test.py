"""init/finalize and the report written at interpreter exit (auto_output)."""

import os
import subprocess
import sys

import pytest

import helpers

SCRIPT = r"""
import sys, timemory
from timemory.util import marker
timemory.settings.output_path = sys.argv[1]
timemory.settings.auto_output = sys.argv[2] == "on"
timemory.settings.cout_output = sys.argv[3] == "explicit"
timemory.init("lifecycle")
print("started")
@marker(["wall_clock"])
def region():
    return 1
region()
if sys.argv[3] == "explicit":
    timemory.finalize()
    print("finalized")
"""


def run_child(tmp_path, auto_output, mode="exit"):
    out = tmp_path / "reports"
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(out), auto_output, mode],
                          env=helpers.python_env(), capture_output=True, text=True,
                          timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    files = sorted(os.listdir(out)) if out.exists() else []
    return proc, files


def test_reports_written_at_exit_when_auto_output(tmp_path):
    _, files = run_child(tmp_path, "on")
    assert any(f.startswith("wall_clock") for f in files), files


def test_nothing_written_without_auto_output(tmp_path):
    _, files = run_child(tmp_path, "off")
    assert files == []


def test_explicit_finalize_writes_once(tmp_path):
    proc, files = run_child(tmp_path, "on", "explicit")
    assert "finalized" in proc.stdout
    # the report printed by finalize() is not printed again at exit
    assert proc.stdout.count(">>> region") == 1, proc.stdout
    # Python's buffered output and the core's report keep their order
    out = proc.stdout
    assert out.index("started") < out.index(">>> region") < out.index("finalized"), out
    assert any(f.startswith("wall_clock") for f in files), files


def test_init_rejects_non_str_name():
    import timemory

    with pytest.raises(TypeError):
        timemory.init(5)


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-v", "-p", "no:cacheprovider"]))
