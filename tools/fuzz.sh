#!/usr/bin/env bash
# Fuzzes timemory-c's parsers with clang's libFuzzer under ASan+UBSan.
#
#   tools/fuzz.sh [--runs N] [TARGET...]   N executions per target (default 10000000)
#   tools/fuzz.sh --time S [TARGET...]     also stop each target after S seconds
#   tools/fuzz.sh --ci [TARGET...]         every corpus and regression input once, then
#                                          20000 executions per target
#
# Targets (tests/fuzz/fuzz_<target>.c): settings, component_set, profile,
# timem_options. Seeds: tests/fuzz/corpus/<target>/ (read only; new inputs go to
# a scratch corpus); inputs that once crashed: tests/fuzz/regressions/<target>/.
# The targets are built with clang straight from the sources, outside Bazel
# (whose toolchain is gcc); Bazel only generates the tables core/ needs.
# Prints "fuzz <target>: execs=<n> crashes=<k>" per target, then a summary;
# exits non-zero on any crash. A crashing input is copied to
# $FUZZ_OUT/crashes/<target>/ (default FUZZ_OUT: a directory under /tmp).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD

all_targets=(settings component_set profile timem_options)
runs=10000000
max_time=0
ci=0
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs)
      [ $# -ge 2 ] && [[ "$2" =~ ^[0-9]+$ ]] || { echo "fuzz.sh: --runs needs a number" >&2; exit 2; }
      runs=$2
      shift 2
      ;;
    --time)
      [ $# -ge 2 ] && [[ "$2" =~ ^[0-9]+$ ]] || { echo "fuzz.sh: --time needs seconds" >&2; exit 2; }
      max_time=$2
      shift 2
      ;;
    --ci) ci=1; runs=20000; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz.sh: unknown option '$1' (valid: --runs N, --ci)" >&2; exit 2 ;;
    *)
      [[ " ${all_targets[*]} " == *" $1 "* ]] ||
        { echo "fuzz.sh: unknown target '$1' (valid: ${all_targets[*]})" >&2; exit 2; }
      targets+=("$1")
      shift
      ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

clang=/usr/bin/clang
[ -x "$clang" ] || { echo "fuzz.sh: $clang missing (tools/bazel installs clang and libclang-rt-14-dev)" >&2; exit 1; }

# The generated headers and tables (gen/ expands components.def and settings.def).
tools/bazel build //core:components_gen //:version_h_gen >&2 || { echo "fuzz.sh: generating tables failed" >&2; exit 1; }
bin=$(tools/bazel info bazel-bin 2>/dev/null)

out=${FUZZ_OUT:-${TMPDIR:-/tmp}/timemory-fuzz.$(id -u).$(printf '%s' "$root" | md5sum | cut -c1-8)}
mkdir -p "$out/obj" "$out/gen/core/src/samplers" "$out/gen/core/include/timemory" "$out/gen/version"
cp "$bin/core/include/timemory/components.h" "$out/gen/core/include/timemory/"
cp "$bin/core/src/component_table.c" "$bin/core/src/settings_table.c" "$bin/core/src/settings_table.h" "$out/gen/core/src/"
cp "$bin/core/src/samplers/samplers.h" "$out/gen/core/src/samplers/"
cp "$bin/version/timemory_version.h" "$out/gen/version/"

san=(-fsanitize=address,undefined -fno-sanitize-recover=undefined -g -O1 -fno-omit-frame-pointer)
cflags=(-std=gnu11 -D_GNU_SOURCE -I"$root" -I"$out/gen" -I"$root/core/include" -I"$out/gen/core/include"
  -I"$root/core/src" -I"$out/gen/version" -w)

# The engine as one archive (sanitized, with coverage for the fuzzer).
sources=("$root"/core/src/*.c "$root"/core/src/samplers/*.c "$out/gen/core/src/component_table.c"
  "$out/gen/core/src/settings_table.c" "$root/tools/timem/options.c" "$root/tools/timem/metrics.c")
objs=()
for src in "${sources[@]}"; do
  obj="$out/obj/$(printf '%s' "$src" | sed "s|^$root/||; s|^$out/||; s|/|_|g").o"
  objs+=("$obj")
  if [ ! -e "$obj" ] || [ "$src" -nt "$obj" ] || [ "$0" -nt "$obj" ]; then
    "$clang" "${cflags[@]}" "${san[@]}" -fsanitize=fuzzer-no-link -c "$src" -o "$obj" ||
      { echo "fuzz.sh: compiling $src failed" >&2; exit 1; }
  fi
done
rm -f "$out/libtimemory_fuzz.a"
ar rcs "$out/libtimemory_fuzz.a" "${objs[@]}"

for t in "${targets[@]}"; do
  "$clang" "${cflags[@]}" "${san[@]}" -fsanitize=fuzzer "$root/tests/fuzz/fuzz_$t.c" "$out/libtimemory_fuzz.a" \
    -lcjson -lm -pthread -o "$out/fuzz_$t" || { echo "fuzz.sh: building fuzz_$t failed" >&2; exit 1; }
done

# Findings are reported, not hidden; leaks count as crashes.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
flags=(-timeout=10 -rss_limit_mb=2048 -close_fd_mask=3 -print_final_stats=1)
# Longest input per target: a profile seed is ~3 KB; a setting's value is at
# most 1023 bytes, so 2 KB holds the longest line (and one too long) with
# room for more, and settings inputs twice that size only repeat lines at
# twice the cost per execution.
max_len() { case "$1" in settings) echo 2048 ;; *) echo 4096 ;; esac; }

total_execs=0
total_crashes=0
for t in "${targets[@]}"; do
  exe="$out/fuzz_$t"
  crashdir="$out/crashes/$t"
  work="$out/corpus/$t"
  mkdir -p "$crashdir" "$work"
  log="$out/$t.log"
  : >"$log"
  execs=0
  crashes=0
  seeds=("$root/tests/fuzz/corpus/$t")
  # regressions: every kept input, run once each
  inputs=()
  for d in "$root/tests/fuzz/corpus/$t" "$root/tests/fuzz/regressions/$t"; do
    [ -d "$d" ] && while IFS= read -r f; do inputs+=("$f"); done < <(find "$d" -type f | sort)
  done
  if [ "$ci" -eq 1 ] && [ ${#inputs[@]} -gt 0 ]; then
    if "$exe" "${flags[@]}" -max_len="$(max_len "$t")" -artifact_prefix="$crashdir/" "${inputs[@]}" >>"$log" 2>&1; then
      execs=$((execs + ${#inputs[@]}))
    else
      crashes=$((crashes + 1))
      echo "fuzz $t: a corpus or regression input fails:" >&2
      tail -n 40 "$log" >&2
    fi
  fi
  if [ "$crashes" -eq 0 ]; then
    [ -d "$root/tests/fuzz/regressions/$t" ] && seeds+=("$root/tests/fuzz/regressions/$t")
    "$exe" "${flags[@]}" -max_len="$(max_len "$t")" -runs="$runs" -max_total_time="$max_time" -artifact_prefix="$crashdir/" "$work" "${seeds[@]}" >>"$log" 2>&1
    rc=$?
    n=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*$')
    execs=$((execs + ${n:-0}))
    if [ $rc -ne 0 ]; then
      crashes=$((crashes + 1))
      echo "fuzz $t: crash (exit $rc); input kept in $crashdir/:" >&2
      ls "$crashdir" >&2
      grep -E 'ERROR|SUMMARY|runtime error|abort|#[0-9] ' "$log" | head -n 30 >&2
    fi
  fi
  echo "fuzz $t: execs=$execs crashes=$crashes"
  total_execs=$((total_execs + execs))
  total_crashes=$((total_crashes + crashes))
done
echo "fuzz: targets=${#targets[@]} execs=$total_execs crashes=$total_crashes"
[ "$total_crashes" -eq 0 ]
