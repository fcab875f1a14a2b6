"""//:install puts a working prefix on disk: a plain Makefile consumer builds
against it with pkg-config (also after the prefix is moved) and runs, and the
installed programs run."""

import os
import shutil
import subprocess
import sys

import pytest

VERSION = os.environ["TIMEMORY_VERSION"]
RUNFILES = os.path.join(os.environ["TEST_SRCDIR"], os.environ["TEST_WORKSPACE"])
TMP = os.environ["TEST_TMPDIR"]
PREFIX = os.path.join(TMP, "prefix")


def run(*cmd, cwd=TMP, env=None, check=True):
    r = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    if check and r.returncode != 0:
        pytest.fail("{} exited {}\nstdout:\n{}\nstderr:\n{}".format(
            " ".join(cmd), r.returncode, r.stdout, r.stderr))
    return r


@pytest.fixture(scope="module")
def prefix():
    # The install target itself (its launcher; `bazel run` adds --tar the same way).
    installer = os.path.join(RUNFILES, "tools", "install", "install")
    tar = os.path.join(RUNFILES, "tools", "install", "timemory-{}-prefix.tar".format(VERSION))
    r = run(installer, "--tar", tar, "--prefix", "prefix")  # relative: to the working dir
    assert "installed " + os.path.join(PREFIX, "lib", "libtimemory.a") in r.stdout
    return PREFIX


def test_prefix_has_the_library_headers_pkgconfig_and_programs(prefix):
    for rel in ["lib/libtimemory.a", "lib/pkgconfig/timemory.pc", "include/timemory/timemory.h",
                "include/timemory/api.h", "include/timemory/components.h", "bin/timem",
                "bin/timemory-avail"]:
        assert os.path.isfile(os.path.join(prefix, rel)), rel
    for program in ["timem", "timemory-avail"]:
        assert os.access(os.path.join(prefix, "bin", program), os.X_OK), program


def build_and_run_consumer(prefix, name):
    src = os.path.join(RUNFILES, "examples", "make_consumer")
    work = os.path.join(TMP, name)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    for f in ["Makefile", "hello.c"]:
        shutil.copy(os.path.join(src, f), work)
    env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(prefix, "lib", "pkgconfig"))
    # Under --config=asan/tsan the installed archive is instrumented: its
    # consumer links the sanitizer runtimes as well.
    with open(os.path.join(prefix, "lib", "libtimemory.a"), "rb") as f:
        archive = f.read()
    if b"__asan_" in archive:
        env["LDFLAGS"] = "-fsanitize=address,undefined"
    elif b"__tsan_" in archive:
        env["LDFLAGS"] = "-fsanitize=thread"
    assert run("pkg-config", "--modversion", "timemory", env=env).stdout.strip() == VERSION
    run("make", cwd=work, env=env)
    out = run(os.path.join(work, "hello"), cwd=work).stdout.splitlines()
    assert out[0] == "timemory " + VERSION  # tm_version()
    hello, nap = out[1].split(), out[2].split()
    assert hello[:3] == [">>>", "hello", "count=1"]
    assert nap[:3] == [">>>", "|_nap", "count=3"]
    assert float(nap[3].split("=")[1]) >= 0.03  # three 10 ms naps


def test_makefile_consumer_builds_with_pkg_config_and_runs(prefix):
    build_and_run_consumer(prefix, "consumer")


def test_prefix_is_relocatable(prefix):
    moved = os.path.join(TMP, "moved-prefix")
    shutil.copytree(prefix, moved)
    build_and_run_consumer(moved, "consumer-moved")


def test_installed_timem_runs(prefix):
    timem = os.path.join(prefix, "bin", "timem")
    assert run(timem, "--version").stdout == "timem {}\n".format(VERSION)
    r = run(timem, "true")
    assert "sec wall" in r.stderr and "peak_rss" in r.stderr
    assert run(timem, "sh", "-c", "exit 3", check=False).returncode == 3


def test_installed_timemory_avail_runs(prefix):
    avail = os.path.join(prefix, "bin", "timemory-avail")
    assert run(avail, "--version").stdout == "timemory-avail {}\n".format(VERSION)
    assert "wall_clock" in run(avail).stdout


def test_every_installed_program_reports_the_version(prefix):
    programs = sorted(os.listdir(os.path.join(prefix, "bin")))
    assert {"timem", "timemory-avail"} <= set(programs)
    for program in programs:
        r = run(os.path.join(prefix, "bin", program), "--version")
        assert r.stdout == "{} {}\n".format(program, VERSION), program


def test_install_without_prefix_names_the_option():
    installer = os.path.join(RUNFILES, "tools", "install", "install")
    r = run(installer, "--tar", "x.tar", check=False)
    assert r.returncode != 0 and "--prefix" in r.stderr


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-v", "-p", "no:cacheprovider"]))
