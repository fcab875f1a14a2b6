#!/usr/bin/env python3
"""Reads timemory's call-graph storage from Python: a small pipeline is
recorded with a decorator, a context manager and a hand-pushed component,
then printed in both layouts (flat, then tree).

    tools/bazel run //examples:storage
    PYTHONPATH=bazel-bin/bindings/python/site python3 examples/storage.py
"""

import time

import timemory
from timemory.component import WallClock
from timemory.storage import CpuClockStorage, WallClockStorage
from timemory.util import marker

RULE = "-" * 40


def spin(seconds):
    """Busy work, so cpu_clock has something to see."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


@marker(["wall_clock", "cpu_clock"])
def load():
    time.sleep(0.2)


@marker(["wall_clock", "cpu_clock"])
def transform(batches):
    # One sample of "batch" per pair of chunks: push() opens the node,
    # start()/stop() time the laps that count, pop() records the sample.
    batch = WallClock("batch")
    for chunk in range(2 * batches):
        if chunk % 2 == 0:
            batch.push()
        batch.start()
        spin(0.05 * (chunk + 1))
        batch.stop()
        if chunk % 2 == 1:
            batch.pop()


@marker(["wall_clock", "cpu_clock"], key="pipeline")
def run():
    load()
    transform(batches=3)
    with marker(["wall_clock"], key="save"):
        time.sleep(0.3)


def print_flat(storage):
    print("\n#{}#\n# {} (flat)".format(RULE, storage.__name__))
    for entry in storage.get():
        print("#{}#".format(RULE))
        print("  {:<16}: tid {}  pid {}  depth {}".format(
            entry.prefix(), entry.tid(), entry.pid(), entry.depth()))
        print("  {:<16}: {} (rolling {})".format("hash", entry.hash(), entry.rolling_hash()))
        print("  {:<16}: {}".format("hierarchy", entry.hierarchy()))
        print("  {:<16}: {}".format("inclusive", entry.data()))
        print("  {:<16}: {}".format("statistics", entry.stats()))


def print_tree(nodes, depth=0):
    indent = "  " * depth
    for node in nodes:
        value = node.value()
        if value.is_dummy():  # root / thread-fork bookmark: print its children in its place
            print_tree(node.children(), depth)
            continue
        print("{}#{}#".format(indent, RULE))
        print("{}{} (tids {}, depth {})".format(indent, value.prefix(), sorted(value.tid()),
                                                value.depth()))
        print("{}  inclusive : {}  {}".format(indent, value.inclusive().data(),
                                              value.inclusive().stats()))
        print("{}  exclusive : {}  {}".format(indent, value.exclusive().data(),
                                              value.exclusive().stats()))
        print_tree(node.children(), depth + 1)


if __name__ == "__main__":
    timemory.settings.auto_output = False
    run()
    print_flat(WallClockStorage)
    print_flat(CpuClockStorage)
    print("\n#{}#\n# WallClockStorage (tree)".format(RULE))
    print_tree(WallClockStorage.get_tree())
