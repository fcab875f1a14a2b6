"""Strict parser of the project's two tables, shared by every generator:
components.def (TM_COMPONENT rows) and core/settings.def (TM_SETTING rows).

Each row becomes an object that validates itself; the first bad row stops
the build with `FILE:LINE: reason`. Nothing else reads the tables: the C
sources, Python modules and stubs are all generated from these rows.
"""

import re
import sys

COLUMNS = (
    "id", "pyclass", "label", "unit", "scale", "type", "kind",
    "sampler", "avail", "category", "description",
)
UNITS = ("sec", "MB", "%", "")
TYPES = ("I64", "U64", "F64")
KINDS = ("DELTA", "HWM", "LEVEL", "TALLY", "RATIO", "STORE")
CATEGORIES = ("TIMING", "MEMORY", "IO", "CONTEXT_SWITCH", "HW_COUNTER", "USER")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_C_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_PYCLASS = re.compile(r"^[A-Z][A-Za-z0-9]*$")


class TableError(Exception):
    """A malformed row: carries the file name and line for the message."""

    def __init__(self, path, line, reason):
        super().__init__("{}:{}: {}".format(path, line, reason))


def _split_args(text):
    """Splits the inside of TM_COMPONENT(...) on commas outside quotes."""
    args, cur, quoted, i = [], [], False, 0
    while i < len(text):
        ch = text[i]
        if quoted:
            cur.append(ch)
            if ch == "\\" and i + 1 < len(text):
                cur.append(text[i + 1])
                i += 1
            elif ch == '"':
                quoted = False
        elif ch == '"':
            quoted = True
            cur.append(ch)
        elif ch == ",":
            args.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
        i += 1
    if quoted:
        return None
    args.append("".join(cur).strip())
    return args


def _unquote(value):
    if len(value) < 2 or value[0] != '"' or value[-1] != '"':
        return None
    inner = value[1:-1]
    if '"' in inner.replace('\\"', ""):
        return None
    return inner.replace('\\"', '"')


class Component:
    """One validated row of the table."""

    def __init__(self, path, line, args):
        self.line = line
        if len(args) != len(COLUMNS):
            raise TableError(path, line, "expected {} columns ({}), found {}".format(
                len(COLUMNS), ", ".join(c.upper() for c in COLUMNS), len(args)))
        values = dict(zip(COLUMNS, args))
        fail = lambda reason: TableError(path, line, reason)

        self.id = values["id"]
        if not _C_ID.match(self.id):
            raise fail("ID '{}' is not a lower-case C identifier".format(self.id))
        self.pyclass = values["pyclass"]
        if not _PYCLASS.match(self.pyclass):
            raise fail("PYCLASS '{}' is not a CamelCase identifier".format(self.pyclass))
        for col in ("label", "unit", "description"):
            text = _unquote(values[col])
            if text is None:
                raise fail("{} must be a quoted string, found {}".format(col.upper(), values[col]))
            setattr(self, col, text)
        if not self.label:
            raise fail("LABEL is empty")
        if self.unit not in UNITS:
            raise fail("unknown UNIT \"{}\" (valid: {})".format(
                self.unit, ", ".join('"{}"'.format(u) for u in UNITS)))
        if not self.description:
            raise fail("DESCRIPTION is empty")
        try:
            self.scale = float(values["scale"])
        except ValueError:
            raise fail("SCALE '{}' is not a number".format(values["scale"])) from None
        if not self.scale > 0:
            raise fail("SCALE must be positive, found {}".format(values["scale"]))
        self.scale_text = values["scale"]
        for col, choices in (("type", TYPES), ("kind", KINDS), ("category", CATEGORIES)):
            if values[col] not in choices:
                raise fail("unknown {} '{}' (valid: {})".format(
                    col.upper(), values[col], ", ".join(choices)))
            setattr(self, col, values[col])
        self.sampler = values["sampler"]
        if not _IDENT.match(self.sampler):
            raise fail("SAMPLER '{}' is not an identifier".format(self.sampler))
        if (self.kind == "STORE") != (self.sampler == "none"):
            raise fail("SAMPLER must be 'none' exactly when KIND is STORE")
        self.avail = values["avail"]
        if not _IDENT.match(self.avail):
            raise fail("AVAIL '{}' is not an identifier".format(self.avail))

    @property
    def enum(self):
        return "TM_" + self.id.upper()


def _rows(path, text, macro):
    """Yields (line number, argument list) of every `macro(...)` row of the
    file at `path`; comments, blank lines and the guard lines of an X-macro
    file (#ifndef/#define/#endif/#undef) are skipped, anything else fails."""
    if text is None:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    name = path.rsplit("/", 1)[-1]
    in_comment = False
    row = re.compile(r"^" + macro + r"\((.*)\)\s*$")
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if in_comment:
            if "*/" in line:
                in_comment = False
                line = line.split("*/", 1)[1].strip()
            else:
                continue
        if line.startswith("/*"):
            if "*/" not in line:
                in_comment = True
            continue
        if not line or line.startswith("//"):
            continue
        if line.startswith("#"):
            if re.match(r"#\s*(ifndef|define|endif|undef)\b", line):
                continue
            raise TableError(name, number, "unexpected preprocessor line: " + line)
        match = row.match(line)
        if not match:
            raise TableError(name, number, "expected {}(...) on one line, found: {}".format(macro, line))
        args = _split_args(match.group(1))
        if args is None:
            raise TableError(name, number, "unterminated string")
        yield name, number, args


def parse(path, text=None):
    """Returns the rows of the component table at `path`, in order, or
    raises TableError."""
    rows, ids, classes = [], {}, {}
    name = path.rsplit("/", 1)[-1]
    for name, number, args in _rows(path, text, "TM_COMPONENT"):
        row = Component(name, number, args)
        if row.id in ids:
            raise TableError(name, number, "duplicate ID '{}' (first on line {})".format(row.id, ids[row.id]))
        if row.pyclass in classes:
            raise TableError(name, number, "duplicate PYCLASS '{}' (first on line {})".format(
                row.pyclass, classes[row.pyclass]))
        ids[row.id] = number
        classes[row.pyclass] = number
        rows.append(row)
    if not rows:
        raise TableError(name, 1, "the table has no TM_COMPONENT rows")
    if len(rows) > 64:
        raise TableError(name, rows[64].line, "at most 64 components fit the engine's component sets")
    return rows


SETTING_COLUMNS = ("name", "type", "default", "choices", "description")
SETTING_TYPES = ("BOOL", "INT", "STRING", "CHOICE", "COMPONENTS")


class Setting:
    """One validated row of core/settings.def."""

    def __init__(self, path, line, args):
        self.line = line
        fail = lambda reason: TableError(path, line, reason)
        if len(args) != len(SETTING_COLUMNS):
            raise fail("expected {} columns ({}), found {}".format(
                len(SETTING_COLUMNS), ", ".join(c.upper() for c in SETTING_COLUMNS), len(args)))
        values = dict(zip(SETTING_COLUMNS, args))
        self.name = values["name"]
        if not _C_ID.match(self.name):
            raise fail("NAME '{}' is not a lower-case C identifier".format(self.name))
        self.type = values["type"]
        if self.type not in SETTING_TYPES:
            raise fail("unknown TYPE '{}' (valid: {})".format(self.type, ", ".join(SETTING_TYPES)))
        for col in ("default", "description"):
            text = _unquote(values[col])
            if text is None:
                raise fail("{} must be a quoted string, found {}".format(col.upper(), values[col]))
            setattr(self, col, text)
        if values["choices"] == "NULL":
            self.choices = None
        else:
            self.choices = _unquote(values["choices"])
            if not self.choices:
                raise fail("CHOICES must be NULL or a quoted '|'-separated list, found {}".format(
                    values["choices"]))
        if (self.type == "CHOICE") != (self.choices is not None):
            raise fail("CHOICES must be given exactly when TYPE is CHOICE")
        if self.choices and self.default not in self.choices.split("|"):
            raise fail("DEFAULT \"{}\" is not one of the CHOICES ({})".format(self.default, self.choices))
        if self.type == "BOOL" and self.default not in ("0", "1"):
            raise fail("a BOOL DEFAULT is \"0\" or \"1\", found \"{}\"".format(self.default))
        if self.type == "INT" and not self.default.isdigit():
            raise fail("an INT DEFAULT is a non-negative integer, found \"{}\"".format(self.default))
        if not self.description:
            raise fail("DESCRIPTION is empty")

    @property
    def env(self):
        return "TIMEMORY_" + self.name.upper()


def parse_settings(path, text=None):
    """Returns the rows of the settings table at `path`, in order, or raises
    TableError."""
    rows, names = [], {}
    name = path.rsplit("/", 1)[-1]
    for name, number, args in _rows(path, text, "TM_SETTING"):
        row = Setting(name, number, args)
        if row.name in names:
            raise TableError(name, number, "duplicate NAME '{}' (first on line {})".format(row.name, names[row.name]))
        names[row.name] = number
        rows.append(row)
    if not rows:
        raise TableError(name, 1, "the table has no TM_SETTING rows")
    return rows


def main_guard(fn):
    """Runs a generator's main, turning TableError into a one-line build error."""
    try:
        fn()
    except TableError as err:
        sys.stderr.write("{}\n".format(err))
        sys.exit(1)
