"""Strict parser for components.def, shared by the generators.

Each row becomes a Component that validates itself; the first bad row stops
the build with `components.def:LINE: reason`.
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


def parse(path, text=None):
    """Returns the rows of the table at `path`, in order, or raises TableError."""
    if text is None:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    name = path.rsplit("/", 1)[-1]
    rows, ids, classes = [], {}, {}
    in_comment = False
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
        match = re.match(r"^TM_COMPONENT\((.*)\)\s*$", line)
        if not match:
            raise TableError(name, number, "expected TM_COMPONENT(...) on one line, found: " + line)
        args = _split_args(match.group(1))
        if args is None:
            raise TableError(name, number, "unterminated string")
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


def main_guard(fn):
    """Runs a generator's main, turning TableError into a one-line build error."""
    try:
        fn()
    except TableError as err:
        sys.stderr.write("{}\n".format(err))
        sys.exit(1)
