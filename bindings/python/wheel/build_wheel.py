#!/usr/bin/env python3
"""Builds a binary wheel (PEP 427) of the timemory package, standard library only.

    build_wheel.py --out timemory_c-0.1.0-cp311-cp311-linux_x86_64.whl \
        --name timemory-c --version 0.1.0 --tag cp311-cp311-linux_x86_64 \
        --file timemory/__init__.py=path/to/__init__.py ... \
        --tool timemory-avail=path/to/timemory-avail \
        --extension timemory/_timemory.so

Each --file DEST=SRC is stored at DEST. Each --tool NAME=SRC is stored,
executable, at timemory/_bin/NAME and gets a console script NAME that runs it
(timemory._tools). The tag is checked against what was really built: the
Python tag against this interpreter (the one whose headers built the
extension) and the platform against the extension's ELF header, so a wheel is
never named for a platform it cannot run on. The zip is deterministic (sorted
entries, fixed timestamps): the same inputs give the same bytes.
"""

import argparse
import base64
import hashlib
import re
import sys
import zipfile

ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# ELF e_machine -> the machine part of a linux_<machine> platform tag.
ELF_MACHINES = {3: "i686", 62: "x86_64", 183: "aarch64", 243: "riscv64", 21: "ppc64"}


def fail(message):
    sys.exit("build_wheel.py: " + message)


def pair(text):
    dest, sep, src = text.partition("=")
    if not sep or not dest or not src:
        raise argparse.ArgumentTypeError("expected DEST=SRC, got '{}'".format(text))
    return dest, src


def elf_machine(path):
    with open(path, "rb") as handle:
        header = handle.read(20)
    if header[:4] != b"\x7fELF":
        fail("{}: not an ELF shared object".format(path))
    order = "little" if header[5] == 1 else "big"
    return int.from_bytes(header[18:20], order)


def check_tag(tag, extension):
    parts = tag.split("-")
    if len(parts) != 3:
        fail("--tag '{}': expected PYTHON-ABI-PLATFORM, e.g. cp311-cp311-linux_x86_64".format(tag))
    python, abi, platform = parts
    here = "cp{}{}".format(*sys.version_info[:2])
    if python != here or abi != here:
        fail("--tag '{}': the extension is built for this interpreter ({}), so the tag must "
             "start with {}-{}".format(tag, sys.version.split()[0], here, here))
    machine = ELF_MACHINES.get(elf_machine(extension))
    if platform != "linux_{}".format(machine):
        fail("--tag '{}': {} is built for linux_{}; name the wheel for that platform".format(
            tag, extension, machine))


def record_hash(data):
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def metadata(args):
    lines = [
        "Metadata-Version: 2.1",
        "Name: " + args.name,
        "Version: " + args.version,
        "Summary: " + args.summary,
        "Requires-Python: ==" + "{}.{}.*".format(*sys.version_info[:2]),
    ]
    if args.description:
        with open(args.description, encoding="utf-8") as handle:
            text = handle.read()
        lines += ["Description-Content-Type: text/markdown", "", text]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--version", required=True)
    parser.add_argument("--tag", required=True)
    parser.add_argument("--summary", default="")
    parser.add_argument("--description", help="markdown file for the long description")
    parser.add_argument("--extension", required=True, help="DEST of the compiled extension")
    parser.add_argument("--file", type=pair, action="append", default=[])
    parser.add_argument("--tool", type=pair, action="append", default=[])
    args = parser.parse_args()

    if not re.fullmatch(r"[0-9]+(\.[0-9]+)*", args.version):
        fail("--version '{}': expected numbers separated by dots".format(args.version))
    dist = re.sub(r"[-_.]+", "_", args.name).lower()
    expected = "{}-{}-{}.whl".format(dist, args.version, args.tag)
    if not args.out.endswith("/" + expected) and args.out != expected:
        fail("--out '{}': a wheel of these arguments must be named {}".format(args.out, expected))

    files = dict(args.file)
    if args.extension not in files:
        fail("--extension '{}' is not among the --file destinations".format(args.extension))
    check_tag(args.tag, files[args.extension])

    executable = set()
    scripts = []
    for name, src in args.tool:
        dest = "timemory/_bin/" + name
        files[dest] = src
        executable.add(dest)
        scripts.append("{} = timemory._tools:{}".format(name, name.replace("-", "_")))

    info = "{}-{}.dist-info/".format(dist, args.version)
    generated = {
        info + "METADATA": metadata(args),
        info + "WHEEL": "Wheel-Version: 1.0\nGenerator: timemory-c build_wheel.py\n"
                        "Root-Is-Purelib: false\nTag: {}\n".format(args.tag),
        info + "entry_points.txt": "[console_scripts]\n" + "".join(s + "\n" for s in scripts),
        info + "top_level.txt": "timemory\n",
    }

    record = []
    with zipfile.ZipFile(args.out, "w", zipfile.ZIP_DEFLATED) as whl:
        def add(dest, data, mode):
            entry = zipfile.ZipInfo(dest, ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = (0o100000 | mode) << 16
            whl.writestr(entry, data)
            record.append("{},{},{}".format(dest, record_hash(data), len(data)))

        for dest in sorted(files):
            with open(files[dest], "rb") as handle:
                data = handle.read()
            mode = 0o755 if dest in executable or dest == args.extension else 0o644
            add(dest, data, mode)
        for dest in sorted(generated):
            add(dest, generated[dest].encode("utf-8"), 0o644)
        record.append(info + "RECORD,,")
        add_record = zipfile.ZipInfo(info + "RECORD", ZIP_TIME)
        add_record.compress_type = zipfile.ZIP_DEFLATED
        add_record.external_attr = 0o100644 << 16
        whl.writestr(add_record, "\n".join(record) + "\n")


if __name__ == "__main__":
    main()
