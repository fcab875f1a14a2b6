#!/usr/bin/env bash
# Checks the C sources of core/, mpi/ and tools/ against .clang-format (Debian's
# clang-format, 14 on Debian 12). Prints the files that differ and exits 1
# if any does; --fix rewrites them in place instead.
#   tools/check_format.sh [--fix] [FILE...]
set -uo pipefail
cd "$(dirname "$0")/.."

fmt=$(command -v clang-format-14 || command -v clang-format || true)
if [ -z "$fmt" ]; then
  echo "check_format: clang-format not found (apt-get install clang-format)" >&2
  exit 2
fi

fix=0
if [ "${1:-}" = "--fix" ]; then
  fix=1
  shift
fi
if [ $# -gt 0 ]; then
  files=("$@")
else
  mapfile -t files < <(git ls-files 'core/*.c' 'core/*.h' 'tools/*.c' 'tools/*.h' 'mpi/*.c' 'mpi/*.h')
fi

bad=0
for f in "${files[@]}"; do
  if [ "$fix" -eq 1 ]; then
    "$fmt" -i --style=file "$f"
  elif ! "$fmt" --style=file --dry-run -Werror "$f" >/dev/null 2>&1; then
    echo "needs clang-format: $f"
    bad=1
  fi
done
[ "$fix" -eq 1 ] || [ "$bad" -eq 0 ] || echo "check_format: run tools/check_format.sh --fix" >&2
exit $bad
