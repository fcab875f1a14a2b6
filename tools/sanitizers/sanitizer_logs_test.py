"""sanitizer_logs.py judges a run's logs as sanitized_python.sh relies on:
error reports always fail, a leak fails only when our code allocated it."""

import os
import subprocess
import sys

import pytest

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sanitizer_logs.py")

HEAD = "=================================================================\n==4242==ERROR: LeakSanitizer: detected memory leaks\n\n"
MALLOC = "    #0 0x7f5fd8cb89cf in __interceptor_malloc ../../../../src/libsanitizer/asan/asan_malloc_linux.cpp:69\n"

# Shapes taken from real runs (gcc 12, llvm-symbolizer).
CPYTHON_LEAK = HEAD + "Direct leak of 14466 byte(s) in 7 object(s) allocated from:\n" + MALLOC + \
    "    #1 0x629c0e  (/usr/bin/python3.11+0x629c0e)\n\n" \
    "Indirect leak of 96 byte(s) in 1 object(s) allocated from:\n" + MALLOC + \
    "    #1 0x7f77cd0c6903 in tm_py_marker_enter bindings/python/marker_type.c:264\n" \
    "    #2 0x51f62a  (/usr/bin/python3.11+0x51f62a)\n\n" \
    "SUMMARY: AddressSanitizer: 14562 byte(s) leaked in 8 allocation(s).\n"
FFI_LEAK = HEAD + "Direct leak of 77 byte(s) in 1 object(s) allocated from:\n" + MALLOC + \
    "    #1 0x7f5fd8306f79  (/lib/x86_64-linux-gnu/libffi.so.8+0x6f79)\n" \
    "    #2 0x7fffcad83bbf  ([stack]+0x1fbbf)\n\n"
OUR_LEAK_UNSYMBOLIZED = HEAD + "Direct leak of 16528 byte(s) in 1 object(s) allocated from:\n" + \
    "    #0 0x7ff4cd4b83b7 in __interceptor_calloc ../../../../src/libsanitizer/asan/asan_malloc_linux.cpp:77\n" \
    "    #1 0x7ff4cb4f52e2 in tm_thread_slow (/x/runfiles/timemory/bindings/python/site/timemory/_timemory.so+0xdd2e2)\n" \
    "    #2 0x51f62a  (/usr/bin/python3.11+0x51f62a)\n\n"
OUR_LEAK_VIA_CJSON = HEAD + "Direct leak of 64 byte(s) in 1 object(s) allocated from:\n" + MALLOC + \
    "    #1 0x7f00aa001234  (/lib/x86_64-linux-gnu/libcjson.so.1+0x1234)\n" \
    "    #2 0x55aa00112233 in tm_profile_parse /proc/self/cwd/core/src/profile_read.c:88\n\n"
OUR_OBJECT_VIA_CPYTHON = HEAD + "Direct leak of 56 byte(s) in 1 object(s) allocated from:\n" + MALLOC + \
    "    #1 0x5a1b2c in PyUnicode_New (/usr/bin/python3.11+0x5a1b2c)\n" \
    "    #2 0x7f77cd0c6903 in tm_py_label bindings/python/convert.c:40\n\n"
ASAN_ERROR = "=================================================================\n" \
    "==7835==ERROR: AddressSanitizer: heap-use-after-free on address 0x602000157c11\n" \
    "WRITE of size 1 at 0x602000157c11 thread T0\n" \
    "    #0 0x7f94382c6a46 in tm_py_marker_enter bindings/python/marker_type.c:264\n"
TSAN_RACE = "==================\nWARNING: ThreadSanitizer: data race (pid=32006)\n" \
    "  Read of size 4 at 0x7f461c3564c4 by thread T3:\n" \
    "    #0 tm_py_load_one bindings/python/load.c:23 (_timemory.so+0x11563)\n"


def judge(tmp_path, logs):
    for name, text in logs.items():
        (tmp_path / name).write_text(text)
    return subprocess.run([sys.executable, SCRIPT, str(tmp_path)], capture_output=True, text=True)


def test_no_logs_pass(tmp_path):
    r = judge(tmp_path, {})
    assert r.returncode == 0, r.stderr
    assert "0 file(s), 0 error report(s)" in r.stderr


def test_cpython_and_foreign_leaks_pass_and_are_counted(tmp_path):
    r = judge(tmp_path, {"asan.1": CPYTHON_LEAK, "asan.2": FFI_LEAK, "asan.3": OUR_OBJECT_VIA_CPYTHON})
    assert r.returncode == 0, r.stderr
    assert "3 file(s), 0 error report(s), 3 direct and 1 indirect leak(s) at exit, 0 of them" in r.stderr


@pytest.mark.parametrize("log", [OUR_LEAK_UNSYMBOLIZED, OUR_LEAK_VIA_CJSON], ids=["module", "via_cjson"])
def test_a_leak_our_code_allocated_fails_and_is_printed(tmp_path, log):
    r = judge(tmp_path, {"asan.1": CPYTHON_LEAK, "asan.9": log})
    assert r.returncode == 1
    assert "asan.9: leaks allocated by timemory" in r.stderr
    assert log.splitlines()[3] in r.stderr  # the leak's header line
    assert "1 of them allocated by timemory" in r.stderr


@pytest.mark.parametrize("log", [ASAN_ERROR, TSAN_RACE], ids=["asan", "tsan"])
def test_an_error_report_fails_and_is_printed(tmp_path, log):
    r = judge(tmp_path, {"x.5": log})
    assert r.returncode == 1
    assert "==== sanitizer report x.5 ====" in r.stderr and log.strip().splitlines()[1] in r.stderr
    assert "1 error report(s)" in r.stderr


def test_missing_directory_is_no_logs(tmp_path):
    r = subprocess.run([sys.executable, SCRIPT, str(tmp_path / "none")], capture_output=True, text=True)
    assert r.returncode == 0 and "0 file(s)" in r.stderr


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-v", "-p", "no:cacheprovider"]))
