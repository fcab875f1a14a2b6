#!/usr/bin/env bash
# The Python interpreter of py_test/py_binary under --config=asan and
# --config=tsan (see BUILD): /usr/bin/python3 is not instrumented, so the
# runtime of the instrumented _timemory extension must be preloaded into it,
# or the extension cannot load. Usage: sanitized_python.sh asan|tsan ARGS...
#
# Every process of the test inherits the preload (the Python children need it;
# for bash, mpirun or the instrumented tools ASan's is the runtime they have or
# a harmless interposer; TSan's is given only to tests that load the
# extension, see below), and every process logs to one directory instead of
# stderr, so output the tests compare stays clean. After Python exits,
# sanitizer_logs.py prints what was logged and fails the run for any error
# report and for any leak allocated by our code (not CPython's exit leaks).
set -u
mode=$1
shift
here=$(cd "$(dirname "$0")" && pwd)

logdir=$(mktemp -d "${TEST_TMPDIR:-${TMPDIR:-/tmp}}/sanitizer-logs.XXXXXX")
symbolizer=
preload=yes
[ -x /usr/bin/llvm-symbolizer ] && symbolizer=:external_symbolizer_path=/usr/bin/llvm-symbolizer

case "$mode" in
asan)
    runtime=$(gcc -print-file-name=libasan.so)
    # exitcode=0: a leak never changes a process's exit status (CPython leaks
    # at exit by design); abort_on_error=1: every other report kills the
    # process with SIGABRT, and sanitizer_logs.py judges the leaks.
    export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1:exitcode=0:abort_on_error=1:log_path=$logdir/asan$symbolizer"
    # UBSan of gcc's combined runtime ignores log_path and writes to stderr:
    # pytest captures sys.stdout/err only, so a report written just before
    # the abort reaches the test log instead of a lost capture file.
    export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:abort_on_error=1:print_stacktrace=1$symbolizer"
    export PYTEST_ADDOPTS="${PYTEST_ADDOPTS:+$PYTEST_ADDOPTS }--capture=sys"
    # Every Python object in malloc'd memory, which LSan scans: pymalloc's
    # mmap'd arenas would hide the pointers they hold to our allocations.
    export PYTHONMALLOC=malloc
    ;;
tsan)
    # libtsan preloaded into an uninstrumented shell crashes it at startup,
    # so only a test that loads the extension (it is in its runfiles) gets it.
    # Its instrumented C programs still log to $logdir.
    runfiles=${RUNFILES_DIR:-${TEST_SRCDIR:-}}
    if [ -n "$runfiles" ] && [ ! -e "$runfiles/timemory/bindings/python/site/timemory/_timemory.so" ]; then
        preload=no
    fi
    runtime=$(gcc -print-file-name=libtsan.so)
    export TSAN_OPTIONS="${TSAN_OPTIONS:+$TSAN_OPTIONS:}halt_on_error=1:second_deadlock_stack=1:suppressions=$here/tsan.supp:log_path=$logdir/tsan$symbolizer"
    ;;
*)
    echo "sanitized_python.sh: unknown mode '$mode' (valid: asan, tsan)" >&2
    exit 2
    ;;
esac
runtime=$(readlink -f "$runtime")
if [ ! -e "$runtime" ]; then
    echo "sanitized_python.sh: no $mode runtime (gcc -print-file-name gave '$runtime')" >&2
    exit 2
fi

if [ "$preload" = yes ]; then
    LD_PRELOAD="$runtime${LD_PRELOAD:+ $LD_PRELOAD}" /usr/bin/python3 "$@"
else
    /usr/bin/python3 "$@"
fi
status=$?
env -u LD_PRELOAD /usr/bin/python3 -B -I "$here/sanitizer_logs.py" "$logdir"
logs=$?
rm -rf "$logdir" # printed above
[ "$status" -ne 0 ] && exit "$status"
exit "$logs"
