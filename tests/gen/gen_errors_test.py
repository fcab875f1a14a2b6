"""Runs gen/gen_c.py on the real components.def and on malformed copies.

Each malformed copy must make the generator exit non-zero with one line
`components.def:LINE: reason`, LINE being the bad row's line in the copy.
"""

import os
import re
import subprocess
import sys
import tempfile
import unittest

HERE = os.getcwd()  # Bazel runs py_test from the workspace's runfiles root
GEN = os.path.join(HERE, "gen", "gen_c.py")
TABLE = os.path.join(HERE, "components.def")

with open(TABLE, encoding="utf-8") as _handle:
    REAL = _handle.read()
LINES = REAL.splitlines()
ROW_LINES = [i + 1 for i, line in enumerate(LINES) if line.startswith("TM_COMPONENT(")]
WALL = next(n for n in ROW_LINES if LINES[n - 1].startswith("TM_COMPONENT(wall_clock,"))
LAST_ROW = ROW_LINES[-1]


def run_gen(text):
    """Writes `text` as components.def in a fresh directory and runs gen_c.py."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "components.def")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        header = os.path.join(tmp, "components.h")
        source = os.path.join(tmp, "component_table.c")
        samplers = os.path.join(tmp, "samplers.h")
        proc = subprocess.run(
            [sys.executable, "-B", GEN, path, "--header", header, "--table-source", source,
             "--samplers-header", samplers],
            capture_output=True, text=True, check=False)
        outputs = {}
        for name in (header, source, samplers):
            if os.path.exists(name):
                with open(name, encoding="utf-8") as handle:
                    outputs[os.path.basename(name)] = handle.read()
        return proc, outputs


def replace_line(number, new_line):
    lines = list(LINES)
    lines[number - 1] = new_line
    return "\n".join(lines) + "\n"


def insert_after(number, new_line):
    """Returns the table with `new_line` inserted as line number + 1."""
    lines = list(LINES)
    lines.insert(number, new_line)
    return "\n".join(lines) + "\n"


def split_row(line):
    """The columns of a TM_COMPONENT(...) line (the real table has no commas in
    strings except in descriptions, which are the last column)."""
    inner = line[len("TM_COMPONENT("):line.rindex(")")]
    head = inner.split(",", 10)
    return [c.strip() for c in head]


def make_row(cols):
    return "TM_COMPONENT(" + ", ".join(cols) + ")"


class RealTable(unittest.TestCase):
    def test_real_table_generates_every_row(self):
        proc, out = run_gen(REAL)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stderr, "")
        header, source = out["components.h"], out["component_table.c"]
        for number in ROW_LINES:
            cid = split_row(LINES[number - 1])[0]
            enum = "TM_" + cid.upper()
            # The enum entry names the row's line, so a debugger leads back to it.
            self.assertRegex(header, r"\b{}, /\* components\.def:{} {} \*/".format(enum, number, cid))
            self.assertIn("typedef struct tm_{0} {{ tm_component_t base; }} tm_{0}_t;".format(cid), header)
            self.assertIn('"{}"'.format(cid), source)
        self.assertIn("TM_COMPONENT_COUNT", header)
        self.assertEqual(header.count("_BIT ((tm_component_set_t)1 <<"), len(ROW_LINES))

    def test_every_sampler_and_availability_check_has_one_prototype(self):
        proc, out = run_gen(REAL)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        samplers = out["samplers.h"]
        for number in ROW_LINES:
            cols = split_row(LINES[number - 1])
            sampler, avail = cols[7], cols[8]
            if sampler != "none":
                self.assertEqual(samplers.count("void {}(int64_t out[2]);".format(sampler)), 1, sampler)
            if avail != "always":
                self.assertEqual(samplers.count("const char *{}(void);".format(avail)), 1, avail)
        self.assertNotIn("int64_t out[2]);", out["component_table.c"], "prototypes live in samplers.h")

    def test_each_kind_gets_the_wrappers_it_has(self):
        proc, out = run_gen(REAL)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        header = out["components.h"]
        types = {"I64": "int64_t", "U64": "uint64_t", "F64": "double"}
        for number in ROW_LINES:
            cols = split_row(LINES[number - 1])
            cid, kind = cols[0], cols[6]
            has_start = "tm_{0}_start(tm_{0}_t *c)".format(cid) in header
            store = "tm_{0}_store(tm_{0}_t *c, {1} v)".format(cid, types[cols[5]])
            self.assertEqual(has_start, kind != "STORE", cid)
            self.assertEqual(store in header, kind == "STORE", cid)
            self.assertIn("tm_{0}_push(tm_{0}_t *c)".format(cid), header)
        # the family is documented once, not per row
        self.assertEqual(header.count("begins a lap"), 1)
        self.assertIn("TM_ALL_COMPONENTS ((tm_component_set_t)0x", header)

    def test_descriptor_table_uses_designated_initializers(self):
        proc, out = run_gen(REAL)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        source = out["component_table.c"]
        self.assertEqual(source.count(".kind = TM_KIND_"), len(ROW_LINES))
        self.assertIn("[TM_WALL_CLOCK] =", source)

    def test_generation_is_deterministic(self):
        first = run_gen(REAL)[1]
        second = run_gen(REAL)[1]
        self.assertEqual(first, second)

    def test_copying_a_row_under_a_new_name_is_enough(self):
        cols = split_row(LINES[WALL - 1])
        cols[0], cols[1] = "wall_clock_copy", "WallClockCopy"
        proc, out = run_gen(insert_after(LAST_ROW, make_row(cols)))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("TM_WALL_CLOCK_COPY", out["components.h"])
        self.assertIn("tm_wall_clock_copy_start(tm_wall_clock_copy_t *c)", out["components.h"])


class MalformedRows(unittest.TestCase):
    def assert_error(self, text, line, *fragments):
        proc, _ = run_gen(text)
        self.assertNotEqual(proc.returncode, 0, "generator accepted a bad table")
        message = proc.stderr.strip()
        self.assertEqual(len(message.splitlines()), 1, message)
        self.assertRegex(message, r"^components\.def:{}: \S".format(line))
        for fragment in fragments:
            self.assertIn(fragment, message)
        return message

    def test_missing_column(self):
        cols = split_row(LINES[WALL - 1])
        del cols[4]  # SCALE
        self.assert_error(replace_line(WALL, make_row(cols)), WALL, "expected 11 columns", "found 10")

    def test_extra_column(self):
        cols = split_row(LINES[WALL - 1])
        cols.insert(5, "EXTRA")
        self.assert_error(replace_line(WALL, make_row(cols)), WALL, "found 12")

    def test_duplicate_id(self):
        cols = split_row(LINES[WALL - 1])
        cols[1] = "OtherClass"
        line = LAST_ROW + 1
        self.assert_error(insert_after(LAST_ROW, make_row(cols)), line,
                          "duplicate ID 'wall_clock'", "line {}".format(WALL))

    def test_duplicate_python_class(self):
        cols = split_row(LINES[WALL - 1])
        cols[0] = "other_clock"
        line = LAST_ROW + 1
        self.assert_error(insert_after(LAST_ROW, make_row(cols)), line,
                          "duplicate PYCLASS 'WallClock'", "line {}".format(WALL))

    def test_unknown_kind_lists_valid_kinds(self):
        cols = split_row(LINES[WALL - 1])
        cols[6] = "DELTAX"
        message = self.assert_error(replace_line(WALL, make_row(cols)), WALL, "KIND", "DELTAX")
        for kind in ("DELTA", "HWM", "LEVEL", "RATIO", "STORE"):
            self.assertIn(kind, message.split("DELTAX", 1)[1])

    def test_bad_unit_lists_valid_units(self):
        cols = split_row(LINES[WALL - 1])
        cols[3] = '"hours"'
        self.assert_error(replace_line(WALL, make_row(cols)), WALL, "UNIT", "hours", '"sec"', '"MB"')

    def test_bad_scale(self):
        cols = split_row(LINES[WALL - 1])
        cols[4] = "lots"
        self.assert_error(replace_line(WALL, make_row(cols)), WALL, "SCALE", "lots")

    def test_unknown_type_and_category(self):
        cols = split_row(LINES[WALL - 1])
        cols[5] = "I32"
        self.assert_error(replace_line(WALL, make_row(cols)), WALL, "TYPE", "I32")
        cols = split_row(LINES[WALL - 1])
        cols[9] = "TIMER"
        self.assert_error(replace_line(WALL, make_row(cols)), WALL, "CATEGORY", "TIMER")

    def test_unterminated_string(self):
        bad = LINES[WALL - 1][:LINES[WALL - 1].rindex('"')] + ")"
        self.assert_error(replace_line(WALL, bad), WALL, "unterminated string")

    def test_sampler_none_only_for_store(self):
        cols = split_row(LINES[WALL - 1])
        cols[7] = "none"
        self.assert_error(replace_line(WALL, make_row(cols)), WALL, "SAMPLER", "STORE")

    def test_error_names_the_first_bad_row_after_comments(self):
        # A multi-line comment before the bad row must not shift the count.
        lines = list(LINES)
        lines.insert(LAST_ROW, "/* a comment\n   over two lines */")
        text = "\n".join(lines) + "\n"
        bad_line = LAST_ROW + 3
        cols = split_row(LINES[WALL - 1])
        cols[0], cols[1], cols[6] = "late_clock", "LateClock", "SOMETIMES"
        text_lines = text.splitlines()
        text_lines.insert(bad_line - 1, make_row(cols))
        text_lines.insert(bad_line, make_row(cols).replace("SOMETIMES", "NEVER"))
        self.assert_error("\n".join(text_lines) + "\n", bad_line, "SOMETIMES")

    def test_stray_text_is_rejected(self):
        self.assert_error(insert_after(WALL, "TM_COMPONENT(broken"), WALL + 1, "TM_COMPONENT")


if __name__ == "__main__":
    unittest.main()
