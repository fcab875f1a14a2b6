#!/usr/bin/env python3
"""Installs timemory-c under a prefix:

    tools/bazel run //:install -- --prefix DIR

puts lib/libtimemory.a, include/timemory/*.h, lib/pkgconfig/timemory.pc and
bin/ (timem, timemory-avail) under DIR, replacing older copies, and lists
what it installed. A relative DIR is taken from where the command was typed.
Then: PKG_CONFIG_PATH=DIR/lib/pkgconfig pkg-config --cflags --libs timemory
"""

import argparse
import os
import shutil
import sys
import tarfile


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="install", description="Installs timemory-c under a prefix.")
    parser.add_argument("--prefix", required=True, help="directory to install into")
    parser.add_argument("--tar", required=True, help=argparse.SUPPRESS)  # set by the BUILD rule
    args = parser.parse_args(argv)

    # `bazel run` starts us in the runfiles tree; the user's relative paths
    # are relative to where they typed the command.
    here = os.environ.get("BUILD_WORKING_DIRECTORY") or os.getcwd()
    prefix = os.path.abspath(os.path.join(here, os.path.expanduser(args.prefix)))
    tar_path = os.path.abspath(args.tar)

    try:
        with tarfile.open(tar_path) as tar:
            for member in tar.getmembers():
                name = os.path.normpath(member.name)
                if not member.isfile() or name.startswith(("/", "..")):
                    sys.exit("install: unexpected entry '{}' in {}".format(member.name, tar_path))
                dest = os.path.join(prefix, name)
                os.makedirs(os.path.dirname(dest), exist_ok=True)
                # Write a new file and rename it over the old one, so a program
                # that is running from the prefix is not overwritten in place.
                tmp = dest + ".tmp-install"
                with tar.extractfile(member) as src, open(tmp, "wb") as out:
                    shutil.copyfileobj(src, out)
                os.chmod(tmp, member.mode)
                os.replace(tmp, dest)
                print("installed", dest)
    except OSError as err:
        sys.exit("install: cannot install into '{}': {}".format(prefix, err))
    print("pkg-config: PKG_CONFIG_PATH={} pkg-config --cflags --libs timemory".format(
        os.path.join(prefix, "lib", "pkgconfig")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
