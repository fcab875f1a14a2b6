"""Keeps docs/bad-input.md honest.

Every row of a table with a "proof" column must name at least one test as
`tests/<file>::<name>` (GoogleTest `Suite.Name` in a .cc file, a pytest
function name in a .py file), and every test named must exist in that file.
Every test of the bad-input suites (tests/c/bad_input_*_test.cc,
tests/python/bad_input_test.py) must in turn be named by some row, so a new
case cannot be added without documenting it.
"""

import glob
import os
import re
import sys

import pytest

REF = re.compile(r"`(tests/[^`:\s]+)::([^`\s]+)`")


def _root():
    """The directory holding docs/ and tests/: the runfiles tree under Bazel,
    else the repository above this file."""
    roots = [os.environ.get("RUNFILES_DIR"), os.environ.get("TEST_SRCDIR")]
    for root in filter(None, roots):
        for prefix in ("timemory", ""):
            path = os.path.join(root, prefix)
            if os.path.isfile(os.path.join(path, "docs", "bad-input.md")):
                return path
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


ROOT = _root()
PAGE = os.path.join(ROOT, "docs", "bad-input.md")


def cells(line):
    return [c.strip() for c in line.strip().strip("|").split("|")]


def proof_rows(text):
    """(line number, row text, proof cell) of every data row of every table
    whose header has a "proof" column (the last one)."""
    rows, lines = [], text.splitlines()
    i = 0
    while i < len(lines):
        if (lines[i].startswith("|") and i + 1 < len(lines)
                and re.fullmatch(r"\|(\s*-+\s*\|)+", lines[i + 1].strip())):
            header = [c.lower() for c in cells(lines[i])]
            i += 2
            while i < len(lines) and lines[i].startswith("|"):
                if header[-1] == "proof":
                    # a cell's own pipes are escaped (\|), as GitHub's tables need
                    parts = re.split(r"(?<!\\)\|", lines[i].strip().strip("|"))
                    rows.append((i + 1, lines[i], parts[-1].strip()))
                i += 1
            continue
        i += 1
    return rows


def defined(path, name):
    """Whether test `name` is defined in the file at `path`."""
    with open(path, encoding="utf-8") as f:
        source = f.read()
    if path.endswith(".cc"):
        if "." not in name:
            return False
        suite, test = name.split(".", 1)
        pattern = r"\bTEST(?:_F|_P)?\(\s*{}\s*,\s*{}\s*\)".format(re.escape(suite), re.escape(test))
    elif path.endswith(".py"):
        pattern = r"^\s*def {}\(".format(re.escape(name))
    else:
        return False
    return re.search(pattern, source, re.M) is not None


def problems(text, root):
    """Every way the page's proof column is wrong, as messages."""
    out = []
    rows = proof_rows(text)
    if not rows:
        out.append("no table with a proof column")
    for lineno, row, proof in rows:
        refs = REF.findall(proof)
        if not refs:
            out.append("line {}: names no test: {}".format(lineno, row[:100]))
        leftover = REF.sub("", proof).strip()
        if leftover:
            out.append("line {}: proof cell has text that is not a test reference: {!r}".format(
                lineno, leftover))
        for rel, name in refs:
            path = os.path.join(root, rel)
            if not os.path.isfile(path):
                out.append("line {}: {} does not exist (or is not in this test's data)".format(lineno, rel))
            elif not defined(path, name):
                out.append("line {}: {} defines no test {}".format(lineno, rel, name))
    return out


def named_tests(text):
    return {(rel, name) for _, _, proof in proof_rows(text) for rel, name in REF.findall(proof)}


def test_every_row_names_tests_that_exist():
    with open(PAGE, encoding="utf-8") as f:
        text = f.read()
    found = problems(text, ROOT)
    assert not found, "docs/bad-input.md:\n" + "\n".join(found)
    assert len(proof_rows(text)) >= 100, "the page lost rows"


def test_every_bad_input_test_is_on_the_page():
    with open(PAGE, encoding="utf-8") as f:
        named = named_tests(f.read())
    missing = []
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "c", "bad_input_*_test.cc"))):
        rel = os.path.relpath(path, ROOT)
        with open(path, encoding="utf-8") as f:
            for suite, test in re.findall(r"\bTEST(?:_F)?\(\s*(\w+)\s*,\s*(\w+)\s*\)", f.read()):
                if (rel, suite + "." + test) not in named:
                    missing.append("{}::{}.{}".format(rel, suite, test))
    py = os.path.join(ROOT, "tests", "python", "bad_input_test.py")
    with open(py, encoding="utf-8") as f:
        for test in re.findall(r"^def (test_\w+)\(", f.read(), re.M):
            if ("tests/python/bad_input_test.py", test) not in named:
                missing.append("tests/python/bad_input_test.py::" + test)
    assert len(glob.glob(os.path.join(ROOT, "tests", "c", "bad_input_*_test.cc"))) >= 2
    assert not missing, "tests not named by docs/bad-input.md:\n" + "\n".join(missing)


# The checker itself: each kind of mistake is reported.

PAGE_TEMPLATE = """\
| input | what happens | data | proof |
|---|---|---|---|
| x | y | kept | {} |
"""


@pytest.mark.parametrize("proof,expect", [
    ("`tests/python/bad_input_test.py::test_no_such_thing`", "defines no test test_no_such_thing"),
    ("`tests/c/bad_input_api_test.cc::BadInput.NoSuchCase`", "defines no test BadInput.NoSuchCase"),
    ("`tests/c/bad_input_api_test.cc::NoSuite`", "defines no test NoSuite"),
    ("`tests/nowhere/none_test.py::test_x`", "tests/nowhere/none_test.py does not exist"),
    ("", "names no test"),
    ("see the code", "names no test"),
    ("`tests/c/bad_input_api_test.cc::BadInput.ComponentObjectMisuse` and more",
     "text that is not a test reference"),
])
def test_the_checker_reports_each_kind_of_mistake(proof, expect):
    found = problems(PAGE_TEMPLATE.format(proof), ROOT)
    assert any(expect in p for p in found), found


def test_the_checker_accepts_real_tests_and_tables_without_proof():
    good = PAGE_TEMPLATE.format("`tests/c/bad_input_api_test.cc::BadInput.ComponentObjectMisuse` "
                                "`tests/python/bad_input_test.py::test_empty_output_path_is_rejected`")
    other = "| layer | form |\n|---|---|\n| C | codes `a\\|b` |\n"
    assert problems(other + "\n" + good, ROOT) == []
    assert len(proof_rows(other + "\n" + good)) == 1


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-v", "-p", "no:cacheprovider"]))
