"""Judges the sanitizer logs of one test run (see sanitized_python.sh).

Usage: sanitizer_logs.py LOGDIR. Prints every report the processes of the run
wrote to LOGDIR (files <tool>.<pid>) and exits 1 when one of them fails the
run:
- any ASan, UBSan or TSan error report;
- a LeakSanitizer direct leak allocated by our code. CPython frees little at
  exit by design, so leaks are judged by who allocated the block: walking the
  allocation stack from malloc outwards, past the C library, the sanitizer
  runtime and other libraries, the first frame that is either ours (core/,
  bindings/python/, mpi/, tools/, or the _timemory extension's module) or the
  interpreter's (python3.11) decides. An indirect leak is reachable from a
  direct one, so it is ours only through a direct leak of ours, which is
  reported.
"""

import os
import re
import sys

# A symbolized frame: "#3 0x7f.. in func path/file.c:12:5"; an unsymbolized
# one: "#3 0x7f..  (/path/module.so+0x1234)".
FRAME = re.compile(r"^\s*#\d+ 0x[0-9a-f]+ +(?:in (?P<func>\S+) ?)?(?P<where>.*)$")
OURS = re.compile(r"(^|[/(])(core|bindings/python|mpi|tools)/\S+\.(c|h):\d+|/_timemory\.so\+0x")
PYTHON = re.compile(r"/python3(\.\d+)?\+0x|/libpython3[^/]*\+0x")
LEAK_HEADER = re.compile(r"^(Direct|Indirect) leak of (\d+) byte\(s\) in (\d+) object\(s\) allocated from:")


def owner(frames):
    """'ours', 'python' or None: who allocated a leaked block."""
    for func, where in frames:
        if OURS.search(where):
            return "ours"
        if PYTHON.search(where):
            return "python"
    return None


def leak_blocks(text):
    """(kind, header line, [(func, where)], text) of each leak in a report."""
    blocks, current = [], None
    for line in text.splitlines():
        m = LEAK_HEADER.match(line)
        if m:
            current = (m.group(1), line, [], [line])
            blocks.append(current)
            continue
        if current is None:
            continue
        f = FRAME.match(line)
        if f:
            current[2].append((f.group("func") or "", f.group("where")))
            current[3].append(line)
        elif line.strip():
            current = None
    return blocks


def judge(path):
    """(failed, summary counts) of one log file, printing what it reports."""
    with open(path, errors="replace") as f:
        text = f.read()
    name = os.path.basename(path)
    if "ERROR: LeakSanitizer" not in text or re.search(
            r"ERROR: (AddressSanitizer|ThreadSanitizer|UndefinedBehaviorSanitizer)|runtime error:|"
            r"WARNING: ThreadSanitizer", text):
        # An error report (or something unexpected): always fatal.
        print("==== sanitizer report {} ====\n{}".format(name, text.rstrip()), file=sys.stderr)
        return True, {"errors": 1}
    counts = {"direct": 0, "indirect": 0, "ours": 0}
    ours = []
    for kind, header, frames, lines in leak_blocks(text):
        counts[kind.lower()] += 1
        if kind == "Direct" and owner(frames) == "ours":
            counts["ours"] += 1
            ours.append("\n".join(lines))
    if ours:
        print("==== {}: leaks allocated by timemory ====\n{}".format(name, "\n\n".join(ours)),
              file=sys.stderr)
    return bool(ours), counts


def main(argv):
    if len(argv) != 2:
        print("usage: sanitizer_logs.py LOGDIR", file=sys.stderr)
        return 2
    logdir = argv[1]
    failed = False
    total = {"errors": 0, "direct": 0, "indirect": 0, "ours": 0}
    files = sorted(os.listdir(logdir)) if os.path.isdir(logdir) else []
    for name in files:
        bad, counts = judge(os.path.join(logdir, name))
        failed = failed or bad
        for k, v in counts.items():
            total[k] += v
    print("sanitizer logs: {} file(s), {} error report(s), {} direct and {} indirect leak(s) "
          "at exit, {} of them allocated by timemory".format(
              len(files), total["errors"], total["direct"], total["indirect"], total["ours"]),
          file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
