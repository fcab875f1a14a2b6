"""The include graph of core/src is a DAG: each module (x.c with its x.h)
includes only the headers of layers below it, so the engine can be read
bottom-up. A cycle fails with the modules on it."""

import os
import re
import unittest

HERE = os.getcwd()  # Bazel runs py_test from the workspace's runfiles root
SRC = os.path.join(HERE, "core", "src")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def module_of(path):
    """core/src/frame.c and core/src/frame.h are module 'frame'."""
    rel = os.path.relpath(path, SRC)
    return os.path.splitext(rel)[0]


def include_graph(root):
    """{module: set of modules whose headers it includes} for root's files."""
    graph = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(dirpath, name)
            mod = module_of(path)
            graph.setdefault(mod, set())
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
            for target in INCLUDE.findall(text):
                if target.startswith("core/src/"):
                    resolved = os.path.join(HERE, target)
                else:
                    resolved = os.path.normpath(os.path.join(dirpath, target))
                if not resolved.startswith(root + os.sep):
                    continue  # public headers and generated code outside the tree
                dep = module_of(resolved)
                if dep != mod:
                    graph[mod].add(dep)
    return graph


def find_cycle(graph):
    """A list of modules forming a cycle, or None."""
    state, stack = {}, []

    def visit(mod):
        state[mod] = 1
        stack.append(mod)
        for dep in sorted(graph.get(mod, ())):
            if state.get(dep) == 1:
                return stack[stack.index(dep):] + [dep]
            if not state.get(dep):
                found = visit(dep)
                if found:
                    return found
        stack.pop()
        state[mod] = 2
        return None

    for mod in sorted(graph):
        if not state.get(mod):
            found = visit(mod)
            if found:
                return found
    return None


class IncludeGraph(unittest.TestCase):
    def test_core_src_include_graph_has_no_cycle(self):
        graph = include_graph(SRC)
        self.assertIn("frame", graph, "core/src was not found in the runfiles")
        cycle = find_cycle(graph)
        self.assertIsNone(cycle, "include cycle: " + " -> ".join(cycle or []))

    def test_the_layers_are_in_their_order(self):
        graph = include_graph(SRC)
        # the lowest layers know nothing of the call graph or the API
        for low in ("base", "errors", "arena", "kinds", "labels", "registry", "settings_cache"):
            self.assertFalse(graph[low] & {"graph", "thread", "frame", "region", "internal"},
                             "{} includes {}".format(low, sorted(graph[low])))
        self.assertNotIn("frame", graph["thread"], "threads must not depend on frames")
        self.assertNotIn("lifecycle", graph["thread"])

    def test_a_cycle_is_found(self):
        self.assertEqual(find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}), ["a", "b", "c", "a"])
        self.assertIsNone(find_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}))


if __name__ == "__main__":
    unittest.main()
