#!/usr/bin/env python3
"""Packs the files //:install puts under a prefix into one tar (standard
library only): lib/libtimemory.a, include/timemory/*.h, lib/pkgconfig/timemory.pc
and bin/<program>. Deterministic (sorted, fixed owner and time)."""

import argparse
import io
import os
import sys
import tarfile


def fail(message):
    sys.exit("make_prefix_tar.py: " + message)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--version", required=True)
    parser.add_argument("--pc-template", required=True)
    parser.add_argument("--library-files", nargs="+", required=True,
                        help="the public headers and the static archive of //core:timemory")
    parser.add_argument("--programs", nargs="+", required=True)
    args = parser.parse_args()

    members = {}  # path in the prefix -> (source file or bytes, mode)
    for path in args.library_files:
        base = os.path.basename(path)
        if base.endswith(".h"):
            if os.path.basename(os.path.dirname(path)) != "timemory":
                fail("{}: public headers are expected under include/timemory/".format(path))
            members["include/timemory/" + base] = (path, 0o644)
        elif base in ("libtimemory.a", "libtimemory.pic.a"):
            members["lib/libtimemory.a"] = (path, 0o644)
        else:
            fail("{}: neither a header nor the static archive".format(path))
    if "lib/libtimemory.a" not in members:
        fail("no libtimemory.a among --library-files")
    for path in args.programs:
        members["bin/" + os.path.basename(path)] = (path, 0o755)

    with open(args.pc_template, encoding="utf-8") as handle:
        pc = handle.read().replace("@VERSION@", args.version)
    members["lib/pkgconfig/timemory.pc"] = (pc.encode("utf-8"), 0o644)

    with tarfile.open(args.out, "w", format=tarfile.PAX_FORMAT) as tar:
        for name in sorted(members):
            source, mode = members[name]
            if isinstance(source, bytes):
                data = source
            else:
                with open(source, "rb") as handle:
                    data = handle.read()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = mode
            info.mtime = 0
            info.uname = info.gname = "root"
            tar.addfile(info, io.BytesIO(data))


if __name__ == "__main__":
    main()
