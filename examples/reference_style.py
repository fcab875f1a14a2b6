#!/usr/bin/env python
"""A script written the way the reference toolkit's (NERSC/timemory) Python
examples are, running unchanged on timemory-c:

    tools/bazel run //examples:reference_style -- -n 18

Its test (//examples:reference_style_test) checks the lines it prints.
"""

import argparse
import time

import timemory
import timemory.units as units
from timemory.component import CpuClock, PeakRss, WallClock
from timemory.storage import WallClockStorage
from timemory.util import auto_timer, auto_tuple, marker, rss_usage, timer


def get_config(items=["wall_clock", "cpu_clock"]):
    return [getattr(timemory.component, x) for x in ("WallClock", "CpuClock")
            if getattr(timemory.component, x).id() in items]


def fib(n):
    return n if n < 2 else (fib(n - 1) + fib(n - 2))


@marker(components=["wall_clock", PeakRss], add_args=True)
def run_fib(n):
    """Decorator with the arguments in the label"""
    return fib(n)


@auto_timer()
def run_auto_timer(n):
    """Decorator and context manager for the pre-defined collection"""
    fib(n)
    with auto_timer(key="auto_timer_ctx_manager"):
        fib(n)


@marker(["wall_clock", "peak_rss"], mode="basic", key="custom")
def run_marker(n):
    """Decorator and context manager for custom collection"""
    fib(n)
    with auto_tuple(get_config, key="auto_tuple_ctx_manager"):
        fib(n)


class Solver(object):
    @marker(["wall_clock"], is_class=True)
    def solve(self, n):
        return fib(n)


def run_components(n):
    """Stand-alone components: measured by hand, combined, compared"""
    print("wall_clock available: {}".format(WallClock.is_available()))
    print("display unit: {}".format(WallClock.display_unit()))

    first = WallClock("first")
    second = WallClock("second")
    for comp in (first, first, second):
        comp.start()
        fib(n)
        comp.stop()

    total = first + second
    print("laps: first={} second={} total={}".format(first.laps(), second.laps(),
                                                     total.laps()))
    print("total == first + second: {}".format(
        abs(total.get_accum() - (first.get_accum() + second.get_accum())) < 1.0))
    print("total in msec: {:.3f}".format(total.get_accum() / units.msec))

    first -= second
    print("first after -= second: {} laps".format(first.laps()))

    try:
        total + CpuClock("other")
    except TypeError:
        print("adding a CpuClock to a WallClock: TypeError")

    comp = WallClock("push-pop")
    comp.push()
    comp.start()
    time.sleep(0.001)
    comp.stop()
    comp.pop()
    print("hash matches storage: {}".format(
        comp.hash() in [itr.hash() for itr in WallClockStorage.get()]))


if __name__ == "__main__":

    parser = argparse.ArgumentParser()
    parser.add_argument("-n", "--nfib", type=int, default=15, help="Fibonacci depth")
    args = parser.parse_args()
    n = args.nfib

    # disable output in timemory_finalize
    timemory.settings.auto_output = False
    timemory.settings.timing_precision = 6

    run_fib(n)
    run_auto_timer(n)
    run_marker(n)
    Solver().solve(n)
    run_components(n)

    with timer(key="timer_ctx_manager"):
        fib(n)

    with rss_usage(key="rss_ctx_manager"):
        data = bytearray(16 * units.megabyte)

    print("")
    for itr in WallClockStorage.dmp_get():
        print("{:40} : {} laps".format(itr.prefix(), itr.stats().count))

    timemory.finalize()
