"""Runs examples/reference_style.py unchanged and checks what it prints."""

import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

EXPECTED_LINES = [
    "wall_clock available: True",
    "display unit: sec",
    "laps: first=2 second=1 total=3",
    "total == first + second: True",
    "first after -= second: 1 laps",
    "adding a CpuClock to a WallClock: TypeError",
    "hash matches storage: True",
]

# The flat storage it prints last: the reference's labels for each form.
EXPECTED_STORAGE = [
    ">>> run_fib(n=12)",
    ">>> run_auto_timer",
    ">>> |_auto_timer_ctx_manager",
    ">>> run_marker/custom",
    ">>> |_auto_tuple_ctx_manager",
    ">>> solve[Solver]",
    ">>> push-pop",
    ">>> timer_ctx_manager",
]


def main():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    run = subprocess.run([sys.executable, os.path.join(HERE, "reference_style.py"), "-n", "12"],
                         env=env, capture_output=True, text=True, timeout=120)
    out = run.stdout.splitlines()
    failures = []
    if run.returncode != 0:
        failures.append("exit status {}: {}".format(run.returncode, run.stderr))
    failures += ["missing line: " + line for line in EXPECTED_LINES if line not in out]
    if not any(re.fullmatch(r"total in msec: \d+\.\d{3}", line) for line in out):
        failures.append("missing 'total in msec' line")
    if not any(re.fullmatch(r"timer_ctx_manager : [\d.]+ sec wall, [\d.]+ sec cpu, .*peak_rss",
                            line) for line in out):
        failures.append("missing the timer's report line")
    if not any(re.fullmatch(r"rss_ctx_manager : [\d.]+ MB page_rss, .*prio_cxt_swch", line)
               for line in out):
        failures.append("missing the rss_usage report line")
    storage = [re.sub(r"\s+: 1 laps$", "", line) for line in out if line.startswith(">>>")]
    if storage != EXPECTED_STORAGE:
        failures.append("storage labels {} != {}".format(storage, EXPECTED_STORAGE))
    if failures:
        print(run.stdout)
        print("\n".join(failures), file=sys.stderr)
        return 1
    print("reference_style.py: {} lines checked".format(len(out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
