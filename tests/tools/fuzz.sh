#!/usr/bin/env bash
# Build the libFuzzer targets (tests/c/fuzz_*.c) against the pure-C ext/ sources and run each for SECONDS.
#
#   tests/tools/fuzz.sh [SECONDS] [TARGET...]        SECONDS default 60; TARGETs: xml encode sigv4 (default all)
#   tests/tools/fuzz.sh replay [TARGET...]           run the seed corpora and the regressions once, no fuzzing
#
# Each target is built with Debian's clang: -fsanitize=fuzzer,address,undefined (UBSan does not recover, so any
# undefined behaviour is a crash; LeakSanitizer checks every input). The seeds are tests/c/corpus/<target>/, the
# minimized inputs of past crashes tests/c/regressions/<target>/; new inputs the fuzzer finds go to
# $FUZZ_OUT/corpus/<target>/ (kept between local runs), crashes to $FUZZ_OUT/artifacts/<target>/ and are minimized
# there (minimized-*). A crash makes the script fail; copy the minimized input to tests/c/regressions/<target>/
# (tests/hardening/test_fuzz_corpus.py then replays it through the extension too).
#
# Environment: FUZZ_OUT (default build/fuzz), FUZZ_CC (default clang), FUZZ_PARALLEL (targets run at once,
# default: the number of CPUs). The last lines printed are one summary line per target:
#   fuzz <target>: <executions> executions in <seconds> s, <n> crash(es)
set -euo pipefail
cd "$(dirname "$0")/../.."

mode=fuzz
seconds=60
if [ "${1:-}" = replay ]; then
    mode=replay
    shift
elif [[ "${1:-}" =~ ^[0-9]+$ ]]; then
    seconds=$1
    shift
fi
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(xml encode sigv4)

out=${FUZZ_OUT:-build/fuzz}
cc=${FUZZ_CC:-clang}
parallel=${FUZZ_PARALLEL:-$(nproc)}
mkdir -p "$out"

# the pure-C files each target links (none includes Python.h)
declare -A SOURCES=(
    [xml]="ext/saxtape.c ext/buf.c"
    [encode]="ext/encode.c ext/buf.c"
    [sigv4]="ext/sigv4.c ext/encode.c ext/buf.c"
)
declare -A MAX_LEN=([xml]=65536 [encode]=4096 [sigv4]=4096)

if ! command -v "$cc" >/dev/null; then
    echo "fuzz.sh: $cc not found (apt-get install clang libclang-rt-14-dev)" >&2
    exit 2
fi
cflags=(-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
        -Wall -Wextra -Werror -Iext -Itests/c)
read -r -a pkg_cflags <<<"$(pkg-config --cflags libxml-2.0 libcrypto)"
read -r -a pkg_libs <<<"$(pkg-config --libs libxml-2.0 libcrypto)"

for t in "${targets[@]}"; do
    if [ -z "${SOURCES[$t]:-}" ]; then
        echo "fuzz.sh: unknown target '$t' (xml, encode, sigv4)" >&2
        exit 2
    fi
    # shellcheck disable=SC2086
    "$cc" "${cflags[@]}" "${pkg_cflags[@]}" -o "$out/fuzz_$t" "tests/c/fuzz_$t.c" ${SOURCES[$t]} "${pkg_libs[@]}"
done

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

run_target() {
    local t=$1 log=$out/$t.log art=$out/artifacts/$t work=$out/corpus/$t
    local dict=() regressions=()
    mkdir -p "$art" "$work"
    [ -f "tests/c/$t.dict" ] && dict=(-dict="tests/c/$t.dict")
    [ -d "tests/c/regressions/$t" ] && regressions=("tests/c/regressions/$t")
    if [ "$mode" = replay ]; then
        "$out/fuzz_$t" -runs=0 -print_final_stats=1 -artifact_prefix="$art/" \
            "tests/c/corpus/$t" "${regressions[@]}" >"$log" 2>&1
    else
        "$out/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="${MAX_LEN[$t]}" \
            -print_final_stats=1 -artifact_prefix="$art/" "${dict[@]}" \
            "$work" "tests/c/corpus/$t" "${regressions[@]}" >"$log" 2>&1
    fi
}

# run the targets, $parallel at a time
declare -A pids=() status=()
for t in "${targets[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$parallel" ]; do
        wait -n || true
    done
    run_target "$t" &
    pids[$t]=$!
done
for t in "${targets[@]}"; do
    if wait "${pids[$t]}"; then status[$t]=0; else status[$t]=$?; fi
done

failed=0
summary=()
for t in "${targets[@]}"; do
    log=$out/$t.log art=$out/artifacts/$t
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
    crashes=0
    for f in "$art"/crash-* "$art"/leak-* "$art"/timeout-* "$art"/oom-*; do
        [ -e "$f" ] || continue
        # only this run's artifacts count: older ones were reported when they were found
        [ "$f" -nt "$out/fuzz_$t" ] || continue
        crashes=$((crashes + 1))
        if [ ! -e "$art/minimized-$(basename "$f")" ]; then
            "$out/fuzz_$t" -minimize_crash=1 -max_total_time=60 -runs=100000 \
                -exact_artifact_path="$art/minimized-$(basename "$f")" "$f" >"$out/$t.minimize.log" 2>&1 || true
        fi
        echo "fuzz $t: CRASH $f (minimized: $art/minimized-$(basename "$f"))" >&2
    done
    if [ "${status[$t]}" -ne 0 ] || [ "$crashes" -ne 0 ]; then
        failed=1
        [ "$crashes" -eq 0 ] && crashes="exit status ${status[$t]}, see $log:"
        tail -40 "$log" >&2
    fi
    summary+=("fuzz $t: ${execs:-0} executions in ${secs:-?} s, $crashes crash(es)")
done
printf '%s\n' "${summary[@]}"
exit $failed
