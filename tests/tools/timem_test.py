"""End-to-end tests of //tools:timem.

The independent reference is GNU time (/usr/bin/time -v, Debian package
`time`, installed by tools/bazel) and the child's own /proc/self readings.
Tolerances are stated next to each comparison.
"""
import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest


def _find_timem():
    if os.environ.get("TIMEM"):
        return os.environ["TIMEM"]
    roots = [os.environ.get("RUNFILES_DIR"), os.environ.get("TEST_SRCDIR")]
    here = os.path.dirname(os.path.abspath(__file__))
    roots.append(os.path.join(here, "..", ".."))  # .../timemory/tests/tools
    for root in filter(None, roots):
        for rel in ("timemory/tools/timem", "tools/timem"):
            path = os.path.join(root, rel)
            if os.path.isfile(path) and os.access(path, os.X_OK):
                return path
    raise RuntimeError("timem binary not found in runfiles")


TIMEM = _find_timem()
GNU_TIME = "/usr/bin/time"
PYTHON = "/usr/bin/python3"

ALL_NAMES = [
    "wall_clock", "user_clock", "system_clock", "cpu_clock", "cpu_util",
    "peak_rss", "page_rss", "virtual_memory", "num_major_page_faults",
    "num_minor_page_faults", "priority_context_switch",
    "voluntary_context_switch", "read_char", "read_bytes", "written_char",
    "written_bytes",
]

# Text-report label of each name (the reference toolkit's timem labels).
LABELS = {
    "wall_clock": "sec wall", "user_clock": "sec user", "system_clock": "sec sys",
    "cpu_clock": "sec cpu", "cpu_util": "% cpu_util", "peak_rss": "MB peak_rss",
    "page_rss": "MB page_rss", "virtual_memory": "MB virtual_memory",
    "num_major_page_faults": "major_page_flts",
    "num_minor_page_faults": "minor_page_flts",
    "priority_context_switch": "prio_cxt_swch",
    "voluntary_context_switch": "vol_cxt_swch",
    "read_char": "MB char read", "read_bytes": "MB bytes read",
    "written_char": "MB char written", "written_bytes": "MB bytes written",
}

# Burns ~0.5 s of CPU while holding ~100 MB of touched memory.
BURN = (
    "import time\n"
    "b = b'\\x01' * 100_000_000\n"
    "t = time.process_time()\n"
    "while time.process_time() - t < 0.5: pass\n"
)


def _default_sigint():
    # A parent may have left SIGINT ignored; the child must see the default.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_timem(*args, **kw):
    return subprocess.run([TIMEM, *args], capture_output=True, text=True,
                          preexec_fn=_default_sigint, timeout=120, **kw)


def parse_report(stderr):
    """Values of the text report after '[CMD]> Measurement totals:'."""
    m = re.search(r"^\[([^\]]+)\]> Measurement totals:\n", stderr, re.M)
    assert m, "no report in:\n" + stderr
    values, rates = {}, {}
    for line in stderr[m.end():].splitlines():
        lm = re.match(r"^ *(-?[0-9.]+) (.+)$", line)
        if not lm:
            break
        value, label = float(lm.group(1)), lm.group(2)
        if label.startswith("MB/sec "):
            rates["MB " + label[len("MB/sec "):]] = value
        else:
            values[label] = value
    by_name = {n: values[l] for n, l in LABELS.items() if l in values}
    return m.group(1), by_name, rates


def parse_gnu_time(text):
    """wall, user, sys (seconds) and peak RSS (bytes) from `time -v`."""
    def field(name):
        m = re.search(r"^\s*" + re.escape(name) + r": (.+)$", text, re.M)
        assert m, f"'{name}' missing in GNU time output:\n{text}"
        return m.group(1).strip()

    wall = 0.0
    for part in field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":"):
        wall = wall * 60 + float(part)
    return {
        "wall_clock": wall,
        "user_clock": float(field("User time (seconds)")),
        "system_clock": float(field("System time (seconds)")),
        "peak_rss": int(field("Maximum resident set size (kbytes)")) * 1024,
    }


def test_same_run_agrees_with_gnu_time(tmp_path):
    # timem runs `time -v python3 ...`: both observe the same execution of
    # python3, so they must agree closely.
    tfile = tmp_path / "gnu_time.txt"
    r = run_timem(GNU_TIME, "-o", str(tfile), "-v", PYTHON, "-c", BURN)
    assert r.returncode == 0, r.stderr
    name, t, _ = parse_report(r.stderr)
    assert name == "time"
    g = parse_gnu_time(tfile.read_text())

    # Sanity: the workload did what it says.
    assert g["user_clock"] + g["system_clock"] >= 0.45
    assert g["peak_rss"] >= 100e6

    # wall: timem's interval encloses GNU time's (which prints 1/100 s, so
    # -0.01), plus GNU time's own exec and startup: at most 0.15 s more.
    assert g["wall_clock"] - 0.011 <= t["wall_clock"] <= g["wall_clock"] + 0.15
    # user, sys: GNU time prints 1/100 s; timem's totals add GNU time's own
    # few milliseconds of CPU. Tolerance 0.03 s each.
    assert abs(t["user_clock"] - g["user_clock"]) <= 0.03
    assert abs(t["system_clock"] - g["system_clock"]) <= 0.03
    # peak_rss: both are the children's ru_maxrss (max over the tree), so
    # equal up to the 10^-6 MB print rounding; allow 1 %.
    assert t["peak_rss"] * 1e6 == pytest.approx(g["peak_rss"], rel=0.01)


def test_separate_runs_agree_with_gnu_time(tmp_path):
    # Two runs of the same command, one under timem and one under GNU time.
    # Run-to-run noise (other builds share this machine) needs wider bounds:
    # wall within 0.5 s + 50 %, user and sys within 0.25 s + 30 %, peak_rss
    # within 10 %.
    r = run_timem(PYTHON, "-c", BURN)
    assert r.returncode == 0, r.stderr
    _, t, _ = parse_report(r.stderr)
    tfile = tmp_path / "gnu_time.txt"
    subprocess.run([GNU_TIME, "-o", str(tfile), "-v", PYTHON, "-c", BURN],
                   check=True, timeout=120)
    g = parse_gnu_time(tfile.read_text())

    def close(a, b, abs_tol, rel):
        return abs(a - b) <= abs_tol + rel * max(a, b)

    assert close(t["wall_clock"], g["wall_clock"], 0.5, 0.5), (t, g)
    assert close(t["user_clock"], g["user_clock"], 0.25, 0.3), (t, g)
    assert close(t["system_clock"], g["system_clock"], 0.25, 0.3), (t, g)
    assert t["peak_rss"] * 1e6 == pytest.approx(g["peak_rss"], rel=0.10)
    # Derived lines are consistent with the ones they derive from (the
    # report prints 6 decimals).
    assert t["cpu_clock"] == pytest.approx(t["user_clock"] + t["system_clock"], abs=2e-6)
    assert t["cpu_util"] == pytest.approx(100 * t["cpu_clock"] / t["wall_clock"], rel=1e-3)


def test_report_lists_every_measurement_and_keeps_stdout_clean():
    r = run_timem("echo", "hello")
    assert r.returncode == 0
    assert r.stdout == "hello\n"  # the report goes to stderr only
    name, t, rates = parse_report(r.stderr)
    assert name == "echo"
    assert sorted(t) == sorted(ALL_NAMES)
    assert sorted(rates) == sorted(LABELS[n] for n in ALL_NAMES if "char" in n or "bytes" in n)


def test_command_name_is_basename():
    r = run_timem("/bin/true")
    assert r.returncode == 0
    assert "[true]> Measurement totals:" in r.stderr


def test_exit_status_propagates():
    r = run_timem("sh", "-c", "exit 3")
    assert r.returncode == 3
    parse_report(r.stderr)  # the report is printed all the same


def test_killed_by_sigkill_gives_137():
    r = run_timem("sh", "-c", "kill -KILL $$")
    assert r.returncode == 128 + 9
    parse_report(r.stderr)


def test_command_not_found_gives_127():
    r = run_timem("no_such_command_for_timem_test", "arg")
    assert r.returncode == 127
    assert "timem: no_such_command_for_timem_test: command not found" in r.stderr
    assert "Measurement totals" not in r.stderr


def test_not_executable_gives_126(tmp_path):
    f = tmp_path / "script.sh"
    f.write_text("#!/bin/sh\necho hi\n")
    os.chmod(f, 0o644)
    r = run_timem(str(f))
    assert r.returncode == 126
    assert f"timem: {f}: Permission denied" in r.stderr


def test_json_output(tmp_path):
    out = tmp_path / "m.json"
    r = run_timem("-o", str(out), "sh", "-c", "echo x; exit 5")
    assert r.returncode == 5
    doc = json.loads(out.read_text())["timem"]
    assert doc["command"] == ["sh", "-c", "echo x; exit 5"]
    assert doc["exit_status"] == 5
    assert isinstance(doc["pid"], int) and doc["pid"] > 0
    m = doc["measurements"]
    assert sorted(m) == sorted(ALL_NAMES)
    _, text, _ = parse_report(r.stderr)
    for n in ALL_NAMES:
        assert {"label", "value", "unit"} <= set(m[n]), n
        # same value as the text report (which prints 6 decimals)
        assert m[n]["value"] == pytest.approx(text[n], abs=1e-6), n
        expected_unit = LABELS[n].split(" ")[0] if " " in LABELS[n] else ""
        assert m[n]["unit"] == expected_unit, n
    for n in ("read_char", "read_bytes", "written_char", "written_bytes"):
        assert m[n]["rate_unit"] == "MB/sec"
        assert m[n]["rate"] == pytest.approx(m[n]["value"] / m["wall_clock"]["value"], rel=1e-6, abs=1e-9)


# A child that reserves 1 TiB of address space (no memory: PROT_NONE,
# MAP_NORESERVE) and lives for several samples, as an ASan or JIT runtime does.
BIG_VM_CHILD = """
import mmap, time
m = mmap.mmap(-1, 1 << 40, flags=mmap.MAP_PRIVATE | 0x4000, prot=0)  # 0x4000: MAP_NORESERVE
time.sleep(0.3)
"""


def test_json_keeps_every_digit_of_large_values(tmp_path):
    out = tmp_path / "m.json"
    r = run_timem("-o", str(out), "/usr/bin/python3", "-c", BIG_VM_CHILD)
    assert r.returncode == 0, r.stderr
    m = json.loads(out.read_text())["timem"]["measurements"]
    _, text, _ = parse_report(r.stderr)
    assert text["virtual_memory"] > 1 << 20  # MB: over 13 significant digits with 6 decimals
    assert m["virtual_memory"]["value"] == pytest.approx(text["virtual_memory"], abs=1e-6)
    assert m["virtual_memory"]["max_sampled"] >= m["virtual_memory"]["value"]


def test_json_records_signal(tmp_path):
    out = tmp_path / "m.json"
    r = run_timem("-o", str(out), "sh", "-c", "kill -TERM $$")
    assert r.returncode == 128 + 15
    doc = json.loads(out.read_text())["timem"]
    assert doc["exit_status"] == 143
    assert doc["signal"] == 15


def test_select_with_e(tmp_path):
    out = tmp_path / "m.json"
    r = run_timem("-e", "wall_clock,peak_rss", "-e", "read_char", "-o", str(out), "true")
    assert r.returncode == 0
    _, t, rates = parse_report(r.stderr)
    assert sorted(t) == ["peak_rss", "read_char", "wall_clock"]
    assert list(rates) == ["MB char read"]
    m = json.loads(out.read_text())["timem"]["measurements"]
    assert sorted(m) == ["peak_rss", "read_char", "wall_clock"]


def test_bad_e_name_is_an_error_listing_valid_names(tmp_path):
    marker = tmp_path / "ran"
    r = run_timem("-e", "wall_clock,bogus_name", "touch", str(marker))
    assert r.returncode == 2
    assert "bogus_name" in r.stderr
    for n in ALL_NAMES:
        assert n in r.stderr, n
    assert not marker.exists(), "the command must not run after a usage error"


def test_usage_errors():
    r = run_timem()
    assert r.returncode == 2 and "no command given" in r.stderr
    r = run_timem("-q", "true")
    assert r.returncode == 2 and "'-q'" in r.stderr
    r = run_timem("-h")
    assert r.returncode == 0 and "usage: timem" in r.stdout
    for n in ALL_NAMES:
        assert n in r.stdout


def test_double_dash_and_options_after_command():
    # `--` ends timem's options; what follows the command is the command's.
    r = run_timem("--", "sh", "-c", "echo $1", "sh", "-e")
    assert r.returncode == 0 and r.stdout == "-e\n"
    r = run_timem("sh", "-c", "echo $1", "sh", "-o")
    assert r.returncode == 0 and r.stdout == "-o\n"


def test_io_counts_match_child_own_proc_io(tmp_path):
    # The child writes and fsyncs 8 MiB and reads it back, then reports its
    # own /proc/self/io as its last act. timem's final totals must include
    # all of that: at least the child's own numbers, and at most 64 KiB more
    # (the report line the child prints after reading them).
    data = tmp_path / "data.bin"
    code = (
        "import os\n"
        f"p = {str(data)!r}\n"
        "fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)\n"
        "for _ in range(8): os.write(fd, b'x' * (1 << 20))\n"
        "os.fsync(fd); os.close(fd)\n"
        "with open(p, 'rb') as f: f.read()\n"
        "io = dict(l.split(': ') for l in open('/proc/self/io').read().split('\\n') if l)\n"
        "print(io['rchar'], io['wchar'], flush=True)\n"
    )
    out = tmp_path / "m.json"
    r = run_timem("-o", str(out), PYTHON, "-c", code)
    assert r.returncode == 0, r.stderr
    rchar, wchar = map(int, r.stdout.split())
    m = json.loads(out.read_text())["timem"]["measurements"]
    assert wchar >= 8 << 20
    assert wchar <= m["written_char"]["value"] * 1e6 <= wchar + 65536
    assert rchar >= 8 << 20
    assert rchar <= m["read_char"]["value"] * 1e6 <= rchar + 65536


def test_page_rss_is_last_sample_while_running(tmp_path):
    # The child holds 100 MB for 0.3 s (15 sample intervals) and leaves with
    # os._exit, freeing nothing first, so the last sample sees the 100 MB.
    code = (
        "import os, time\n"
        "b = b'\\x01' * 100_000_000\n"
        "time.sleep(0.3)\n"
        "os._exit(0)\n"
    )
    out = tmp_path / "m.json"
    r = run_timem("-o", str(out), PYTHON, "-c", code)
    assert r.returncode == 0, r.stderr
    doc = json.loads(out.read_text())["timem"]
    m = doc["measurements"]
    assert doc["samples"] >= 5
    assert 100.0 <= m["page_rss"]["value"] <= m["peak_rss"]["value"] + 0.5
    assert m["page_rss"]["max_sampled"] >= m["page_rss"]["value"]
    assert m["virtual_memory"]["value"] >= m["page_rss"]["value"]
    assert m["virtual_memory"]["max_sampled"] >= m["virtual_memory"]["value"]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signals_are_forwarded(sig, tmp_path):
    # A signal sent to timem reaches the child: a shell that reports it and
    # dies by it. timem then prints the report and exits 128+N.
    ready = tmp_path / "ready"
    script = (
        f"trap 'echo got{int(sig)}; trap - {int(sig)}; kill -{int(sig)} $$' {int(sig)}\n"
        f"touch {ready}\n"
        "while :; do sleep 0.05; done\n"
    )
    # Own process group, so that a failure can clean up timem and the shell.
    p = subprocess.Popen([TIMEM, "sh", "-c", script], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True,
                         preexec_fn=_default_sigint, start_new_session=True)
    try:
        deadline = time.monotonic() + 10
        while not ready.exists():
            assert time.monotonic() < deadline, "child did not start"
            time.sleep(0.02)
        p.send_signal(sig)
        out, err = p.communicate(timeout=20)
    finally:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
    assert p.returncode == 128 + int(sig), err
    assert f"got{int(sig)}" in out
    parse_report(err)


def test_no_zombie_left_behind():
    # A helper process makes itself a child subreaper (prctl), so a child
    # that timem left unreaped would be re-parented to it when timem exits
    # and show up in its waitpid(-1). It runs timem on a command that forks
    # nothing itself and checks that timem was its only child to collect.
    helper = (
        "import ctypes, os, subprocess, sys\n"
        "libc = ctypes.CDLL(None, use_errno=True)\n"
        "assert libc.prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER\n"
        "p = subprocess.Popen([sys.argv[1], 'sleep', '0.1'], stderr=subprocess.DEVNULL)\n"
        "p.wait()\n"
        "try:\n"
        "    pid, status = os.waitpid(-1, os.WNOHANG)\n"
        "    print('orphan' if pid else 'running-child')\n"
        "except ChildProcessError:\n"
        "    print('clean')\n"
    )
    r = subprocess.run([PYTHON, "-c", helper, TIMEM], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "clean"


# ---- bad input (docs/bad-input.md) ----

def test_o_needs_a_writable_file_before_the_command_runs(tmp_path):
    marker = tmp_path / "ran"
    r = run_timem("-o")  # the value would be the command: there is none
    assert r.returncode == 2 and "timem: option -o needs a value" in r.stderr
    for args, expect in [
        (["-o", ""], "timem: option -o needs a value"),
        (["-o", str(tmp_path / "no" / "dir" / "m.json")],
         f"timem: -o: cannot open '{tmp_path}/no/dir/m.json': No such file or directory"),
        (["-o", str(tmp_path)], f"timem: -o: cannot open '{tmp_path}': Is a directory"),
    ]:
        r = run_timem(*args, "touch", str(marker))
        assert r.returncode == 2, (args, r.stderr)
        assert expect in r.stderr, r.stderr
        assert not marker.exists(), "the command must not run after a usage error"


def test_e_without_names_lists_the_valid_ones(tmp_path):
    marker = tmp_path / "ran"
    r = run_timem("-e", ",,", "touch", str(marker))
    assert r.returncode == 2
    assert "timem: -e: no measurement named in ',,'; valid names: wall_clock," in r.stderr
    r = run_timem("-e")
    assert r.returncode == 2 and "timem: option -e needs a value" in r.stderr
    assert not marker.exists()


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-v", "-p", "no:cacheprovider"]))
