"""gen/table.py reads core/settings.def (the parser of both tables): the real
table generates the C settings table and the Python stub; a malformed row
fails with `settings.def:LINE: reason`."""

import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.getcwd()  # Bazel runs py_test from the workspace's runfiles root
GEN_C = os.path.join(HERE, "gen", "gen_c.py")
GEN_PYI = os.path.join(HERE, "gen", "gen_settings_pyi.py")
COMPONENTS = os.path.join(HERE, "components.def")
SETTINGS = os.path.join(HERE, "core", "settings.def")

with open(SETTINGS, encoding="utf-8") as _handle:
    REAL = _handle.read()
LINES = REAL.splitlines()
ROWS = [i + 1 for i, line in enumerate(LINES) if line.startswith("TM_SETTING(")]
PRECISION = next(n for n in ROWS if LINES[n - 1].startswith("TM_SETTING(precision,"))


def run(text):
    """Runs both generators on `text` as settings.def: (rc, stderr, outputs)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "settings.def")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        outs = {name: os.path.join(tmp, name) for name in
                ("components.h", "component_table.c", "samplers.h", "settings_table.c",
                 "settings_table.h", "settings.pyi")}
        c = subprocess.run(
            [sys.executable, "-B", GEN_C, COMPONENTS, "--header", outs["components.h"],
             "--table-source", outs["component_table.c"], "--samplers-header", outs["samplers.h"],
             "--settings", path, "--settings-source", outs["settings_table.c"],
             "--settings-header", outs["settings_table.h"]],
            capture_output=True, text=True, check=False)
        py = subprocess.run([sys.executable, "-B", GEN_PYI, path, "-o", outs["settings.pyi"]],
                            capture_output=True, text=True, check=False)
        texts = {}
        for name, out in outs.items():
            if os.path.exists(out):
                with open(out, encoding="utf-8") as handle:
                    texts[name] = handle.read()
        return c, py, texts


class SettingsTable(unittest.TestCase):
    def test_real_table_generates_c_and_the_stub(self):
        c, py, out = run(REAL)
        self.assertEqual(c.returncode, 0, c.stderr)
        self.assertEqual(py.returncode, 0, py.stderr)
        self.assertIn("#define TM_SETTING_COUNT {}".format(len(ROWS)), out["settings_table.h"])
        self.assertIn('.name = "precision", .env = "TIMEMORY_PRECISION", .type = TM_SETTING_INT',
                      out["settings_table.c"])
        self.assertIn("precision: int", out["settings.pyi"])

    def test_bad_row_fails_both_generators_on_its_line(self):
        bad = LINES[PRECISION - 1].replace("INT,", "NUMBER,")
        lines = list(LINES)
        lines[PRECISION - 1] = bad
        c, py, _ = run("\n".join(lines) + "\n")
        for proc in (c, py):
            self.assertNotEqual(proc.returncode, 0)
            self.assertRegex(proc.stderr.strip(), r"^settings\.def:{}: unknown TYPE 'NUMBER'".format(PRECISION))
            self.assertIn("BOOL, INT, STRING, CHOICE, COMPONENTS", proc.stderr)

    def test_choice_default_must_be_a_choice(self):
        row = next(n for n in ROWS if LINES[n - 1].startswith("TM_SETTING(timing_units,"))
        lines = list(LINES)
        lines[row - 1] = lines[row - 1].replace('"sec",', '"hours",', 1)
        c, _, _ = run("\n".join(lines) + "\n")
        self.assertNotEqual(c.returncode, 0)
        self.assertIn("settings.def:{}: DEFAULT \"hours\" is not one of the CHOICES".format(row), c.stderr)


if __name__ == "__main__":
    unittest.main()
