#!/bin/sh
# The py_runtime of --config=tsan: see sanitized_python.sh.
exec "$(dirname "$0")/sanitized_python.sh" tsan "$@"
