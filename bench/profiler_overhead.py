#!/usr/bin/env python3
"""Per-call overhead of timemory.profiler against cProfile, measured in one run
on the same call-heavy workload (recursive fib):

  plain     fib(N) with no profiler;
  cprofile  the same under cProfile.Profile (a flat table per function);
  timemory  the same under timemory.profiler.Profiler(["wall_clock"]) (a full
            call graph with statistics);
  hook      the same under a Profiler that skips fib: the interpreter's own
            cost of running with a profile function (frame objects, two hook
            calls and unspecialized bytecode per call), which both profilers
            pay and neither can avoid with the public C API of Python 3.11.

Times are the CPU time of the benchmark thread (time.thread_time_ns), so
time spent preempted by other processes is not counted. Each round runs the
variants in turn (interleaved, so drift hits all alike); the best round of
each is kept. The overhead of a profiler is its
best time minus the plain best, per Python call. The profiler must have
recorded exactly the number of calls fib makes. The last line is

  profiler_overhead: timemory_ns_per_call=<a> cprofile_ns_per_call=<b> ratio=<a/b>

    tools/bazel run -c opt //bench:profiler_overhead
"""

import cProfile
import sys
import time

import timemory
from timemory.profiler import Profiler
from timemory.storage import WallClockStorage

N = 22
ROUNDS = 25

# The CPU time of this thread: on a machine shared with other work, time
# spent preempted is not charged to the variant that happened to be running.
now_ns = time.thread_time_ns


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def fib_calls(n):
    """Number of calls fib(n) makes: c(n) = 1 + c(n-1) + c(n-2), c(0) = c(1) = 1."""
    a, b = 1, 1
    for _ in range(n - 1):
        a, b = b, 1 + a + b
    return b if n >= 1 else 1


def run_plain():
    start = now_ns()
    fib(N)
    return now_ns() - start


def run_cprofile():
    prof = cProfile.Profile()
    start = now_ns()
    prof.enable()
    fib(N)
    prof.disable()
    return now_ns() - start


def run_timemory(profiler):
    start = now_ns()
    profiler.start()
    fib(N)
    profiler.stop()
    return now_ns() - start


def recorded_calls():
    return sum(e.stats().count for e in WallClockStorage.get() if e.label() == "fib")


def main():
    timemory.settings.auto_output = False
    calls = fib_calls(N)
    profiler = Profiler(["wall_clock"])
    skipping = Profiler(["wall_clock"], skip_functions=["^fib$"])
    variants = {
        "plain": run_plain,
        "cprofile": run_cprofile,
        "timemory": lambda: run_timemory(profiler),
        "hook": lambda: run_timemory(skipping),
    }
    for run in variants.values():  # warm-up: caches, first regions
        run()
    best = {name: float("inf") for name in variants}
    for _ in range(ROUNDS):
        timemory.storage.reset()
        for name, run in variants.items():
            best[name] = min(best[name], run())
        got = recorded_calls()
        if got != calls:
            print("profiler recorded {} calls of fib({}), expected {}".format(got, N, calls))
            return 1

    per_call = {name: ns / calls for name, ns in best.items()}
    timemory_ns = per_call["timemory"] - per_call["plain"]
    cprofile_ns = per_call["cprofile"] - per_call["plain"]
    for name in variants:
        print("{:<9} {:8.1f} ns/call".format(name, per_call[name]))
    floor_ns = per_call["hook"] - per_call["plain"]
    print("interpreter floor (a hook recording nothing): {:.1f} ns/call; beyond it timemory "
          "adds {:.1f}, cProfile {:.1f}".format(floor_ns, timemory_ns - floor_ns,
                                                 cprofile_ns - floor_ns))
    print("fib({}) = {} calls; the profiler recorded {} (checked every round)".format(
        N, calls, recorded_calls()))
    print("profiler_overhead: timemory_ns_per_call={:.1f} cprofile_ns_per_call={:.1f} "
          "ratio={:.3f}".format(timemory_ns, cprofile_ns, timemory_ns / cprofile_ns))
    return 0


if __name__ == "__main__":
    sys.exit(main())
