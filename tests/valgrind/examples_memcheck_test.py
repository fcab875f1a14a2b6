"""Runs the C and Python examples under valgrind memcheck.

Each must exit 0 with no memcheck error and no definite or indirect leak
(valgrind exits 99 otherwise), and still print right values: under valgrind
everything runs ~50x slower and the TSC is calibrated by measurement, so the
sleeps the examples make are checked as lower bounds of what they report.
Python runs with PYTHONMALLOC=malloc and tools/valgrind/python.supp, which
may hold CPython's own noise only; this test checks that no entry names our
code. The three runs go in parallel (each is mostly the interpreter's start).
"""

import os
import re
import subprocess
import sys
import importlib.util

RUNFILES = os.path.join(os.environ["TEST_SRCDIR"], os.environ["TEST_WORKSPACE"])
TMP = os.environ.get("TEST_TMPDIR", "/tmp")
SUPP = os.path.join(RUNFILES, "tools", "valgrind", "python.supp")
EXAMPLES = os.path.join(RUNFILES, "examples")

# The memcheck command the README documents (plus a log file per run).
MEMCHECK = [
    "valgrind", "--tool=memcheck", "--error-exitcode=99", "--leak-check=full",
    "--show-leak-kinds=definite,indirect", "--errors-for-leak-kinds=definite,indirect",
    "--num-callers=40", "--show-error-list=yes",
]


def ours(line):
    """Whether a suppression frame line names timemory's code."""
    return bool(re.search(r"timemory|_timemory|\btm_|/core/|bindings/python", line))


def check_suppressions():
    failures = []
    depth = 0
    with open(SUPP) as f:
        for n, line in enumerate(f, 1):
            text = line.strip()
            if text.startswith("#"):
                continue
            depth += text.count("{") - text.count("}")
            if depth and (text.startswith("fun:") or text.startswith("obj:")) and ours(text):
                failures.append("python.supp:{}: a suppression names our code: {}".format(n, text))
    return failures


def start(name, argv, python):
    env = dict(os.environ)
    cmd = list(MEMCHECK)
    if python:
        env["PYTHONMALLOC"] = "malloc"
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        cmd.append("--suppressions=" + SUPP)
    log = os.path.join(TMP, "memcheck.{}.log".format(name))
    cmd += ["--log-file=" + log] + argv
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=TMP)
    return name, proc, log


def finish(name, proc, log):
    out, err = proc.communicate(timeout=800)
    with open(log) as f:
        report = f.read()
    failures = []
    if proc.returncode != 0:
        failures.append("{}: exit status {} (99: memcheck found errors)".format(name, proc.returncode))
    summary = re.findall(r"ERROR SUMMARY: (\d+) errors", report)
    if summary[-1:] != ["0"]:
        failures.append("{}: memcheck reports {} errors".format(name, summary[-1:] or "no"))
    if failures:
        print("---- {} stdout\n{}\n---- {} stderr\n{}\n---- {} memcheck\n{}".format(
            name, out, name, err, name, report))
    used = re.findall(r"used_suppression:\s+(\d+) (\S+)", report)
    print("{}: memcheck ERROR SUMMARY {}; suppressions used: {}".format(
        name, summary[-1] if summary else "?", used or "none"))
    return out, failures


def row_values(out, section, label):
    """(count, sum) of `label` in the text report table `section`."""
    lines = out.splitlines()
    try:
        first = next(i for i, l in enumerate(lines) if l.startswith("[{}]".format(section)))
    except StopIteration:
        return None
    for line in lines[first + 2:]:
        if not line.startswith("|"):
            break
        # "| >>>   |_label | count | sum | ...": the label holds a '|' of its own
        m = re.match(r"\|\s*>>>\s*(?:\|_)?(\S+)\s*\|\s*(\d+)\s*\|\s*([\d.e+-]+)\s*\|", line)
        if m and m.group(1) == label:
            return int(m.group(2)), float(m.group(3))
    return None


def check_regions(out):
    """examples/regions.c: 5 steps of solve (a 10 ms nap each) and 3 laps of 5 ms."""
    failures = []
    want = {"main": 1, "solve": 5, "assemble": 5, "exchange": 5, "checkpoint": 1}
    got = {label: row_values(out, "wall_clock", label) for label in want}
    for label, count in want.items():
        if not got[label] or got[label][0] != count:
            failures.append("regions: wall_clock '{}' count {} != {}".format(label, got[label], count))
    if failures:
        return failures
    if got["exchange"][1] < 0.050:
        failures.append("regions: exchange {} s < the 5 x 10 ms it slept".format(got["exchange"][1]))
    if got["checkpoint"][1] < 0.015:
        failures.append("regions: checkpoint {} s < the 3 x 5 ms it slept".format(got["checkpoint"][1]))
    parts = got["solve"][1] + got["checkpoint"][1]
    if got["main"][1] + 0.002 < parts:  # printed to 3 decimals
        failures.append("regions: main {} s < its children's {} s".format(got["main"][1], parts))
    if "workload result: 1.682e+09" not in out:
        failures.append("regions: the workload's result line is missing or wrong")
    return failures


def flat_entries(out, storage):
    """{label: (inclusive seconds, count)} of a flat section of storage.py."""
    section = out.split("# {} (flat)".format(storage), 1)
    if len(section) < 2:
        return {}
    entries = {}
    label = None
    for line in section[1].split("\n# ", 1)[0].splitlines():
        m = re.match(r"\s+>>>\s*(?:\|_)?(\S+)\s*: tid", line)
        if m:
            label = m.group(1)
        m = re.match(r"\s+inclusive\s+:\s+([\d.e+-]+) sec", line)
        if m and label:
            entries[label] = [float(m.group(1)), None]
        m = re.search(r"\[count: (\d+)\]", line)
        if m and label in entries:
            entries[label][1] = int(m.group(1))
    return entries


def check_storage(out):
    """examples/storage.py: sleeps 0.2 s (load) and 0.3 s (save), spins 1.05 s in 3 batches."""
    failures = []
    wall = flat_entries(out, "WallClockStorage")
    want = {"pipeline": 1, "load": 1, "transform": 1, "batch": 3, "save": 1}
    for label, count in want.items():
        if label not in wall or wall[label][1] != count:
            failures.append("storage: WallClockStorage '{}' is {} (want count {})".format(
                label, wall.get(label), count))
    if failures:
        return failures
    for label, least in (("load", 0.2), ("save", 0.3), ("batch", 1.05)):
        if wall[label][0] < least:
            failures.append("storage: {} {} s < the {} s it took".format(label, wall[label][0], least))
    parts = wall["load"][0] + wall["transform"][0] + wall["save"][0]
    if wall["pipeline"][0] < parts - 0.001:
        failures.append("storage: pipeline {} s < its children's {} s".format(wall["pipeline"][0], parts))
    cpu = flat_entries(out, "CpuClockStorage")
    if "transform" not in cpu or cpu["transform"][0] <= 0:
        failures.append("storage: CpuClockStorage has no CPU time for transform: {}".format(cpu))
    if "# WallClockStorage (tree)" not in out:
        failures.append("storage: the tree layout is missing")
    return failures


def check_reference_style(out):
    """examples/reference_style.py: what reference_style_test checks without valgrind."""
    spec = importlib.util.spec_from_file_location(
        "reference_style_test", os.path.join(EXAMPLES, "reference_style_test.py"))
    ref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ref)
    lines = out.splitlines()
    failures = ["reference_style: missing line: " + l for l in ref.EXPECTED_LINES if l not in lines]
    total = [float(m.group(1)) for m in (re.fullmatch(r"total in msec: (\d+\.\d{3})", l) for l in lines) if m]
    if not total or total[0] <= 0:
        failures.append("reference_style: no positive 'total in msec' line")
    storage = [re.sub(r"\s+: 1 laps$", "", l) for l in lines if l.startswith(">>>")]
    if storage != ref.EXPECTED_STORAGE:
        failures.append("reference_style: storage labels {} != {}".format(storage, ref.EXPECTED_STORAGE))
    return failures


def main():
    failures = check_suppressions()
    runs = [
        (start("regions", [os.path.join(EXAMPLES, "regions")], python=False), check_regions),
        (start("storage", [sys.executable, os.path.join(EXAMPLES, "storage.py")], python=True),
         check_storage),
        (start("reference_style",
               [sys.executable, os.path.join(EXAMPLES, "reference_style.py"), "-n", "12"], python=True),
         check_reference_style),
    ]
    for (name, proc, log), check in runs:
        out, run_failures = finish(name, proc, log)
        run_failures += check(out)
        if run_failures and not any(f.startswith(name + ": exit") for f in run_failures):
            print("---- {} stdout\n{}".format(name, out))
        failures += run_failures
    if failures:
        print("\n".join(failures), file=sys.stderr)
        return 1
    print("examples_memcheck_test: 3 examples clean under memcheck")
    return 0


if __name__ == "__main__":
    sys.exit(main())
