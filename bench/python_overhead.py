#!/usr/bin/env python3
"""Per-call overhead of timemory.util.marker against the simplest pure-Python
timer, measured in one run:

  plain      an undecorated function;
  decorator  the same under a time.perf_counter decorator adding into a dict;
  marker     the same under timemory.util.marker(["wall_clock"]), which
             records a full call graph.

Overheads are per call, over the undecorated call (best of several rounds,
variants interleaved so drift hits all alike). The last line is

  python_overhead: marker_ns=<a> perf_counter_decorator_ns=<b> ratio=<a/b>

    tools/bazel run -c opt //bench:python_overhead
"""

import sys
import time
from time import perf_counter

import timemory
from timemory.util import marker

CALLS = 200_000
ROUNDS = 9


def perf_counter_decorator(func):
    """The simplest pure-Python timer: total seconds per function name."""
    totals = {}
    name = func.__name__

    def wrapper(*args, **kwargs):
        start = perf_counter()
        result = func(*args, **kwargs)
        totals[name] = totals.get(name, 0.0) + (perf_counter() - start)
        return result

    wrapper.totals = totals
    return wrapper


def work(x):
    return x


def loop_ns(func, calls=CALLS):
    """Nanoseconds per call of func(1) in a tight loop."""
    start = time.perf_counter_ns()
    for _ in range(calls):
        func(1)
    return (time.perf_counter_ns() - start) / calls


def main():
    timemory.settings.auto_output = False
    variants = {
        "plain": work,
        "decorator": perf_counter_decorator(work),
        "marker": marker(["wall_clock"])(work),
    }
    best = {name: float("inf") for name in variants}
    for name, func in variants.items():  # warm-up: first region, caches
        loop_ns(func, 10_000)
    for _ in range(ROUNDS):
        for name, func in variants.items():
            best[name] = min(best[name], loop_ns(func))
    (entry,) = timemory.storage.WallClockStorage.get()  # the marker really recorded
    calls = entry.stats().count

    marker_ns = best["marker"] - best["plain"]
    decorator_ns = best["decorator"] - best["plain"]
    for name in variants:
        print("{:<10} {:8.1f} ns/call".format(name, best[name]))
    print("marker recorded {} calls of '{}'".format(calls, entry.label()))
    print("python_overhead: marker_ns={:.1f} perf_counter_decorator_ns={:.1f} ratio={:.3f}".format(
        marker_ns, decorator_ns, marker_ns / decorator_ns))
    return 0


if __name__ == "__main__":
    sys.exit(main())
