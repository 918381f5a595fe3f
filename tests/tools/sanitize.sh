#!/usr/bin/env bash
# The whole pytest suite against an -fsanitize=address,undefined build of the extension.
#
#   tests/tools/sanitize.sh [pytest arguments...]
#
# The extension is built by gcc with BOTO_ELB_C_SANITIZE=1 (setup.py: -fsanitize=address,undefined
# -fno-sanitize-recover=undefined) into its own venv ($SANITIZE_VENV, default build/venv-asan), from a clean copy
# of the working tree (an in-tree build/ left by a normal install would otherwise be reused as "up to date").
# The script checks that the installed _core really links libasan, then runs pytest with:
#
#   LD_PRELOAD=<gcc's libasan.so>  python is not instrumented: the ASan runtime must be loaded first so that it
#                                  intercepts malloc/free from the start (libubsan comes in as a dependency of
#                                  _core and needs no preload).
#   PYTHONMALLOC=malloc            every Python object goes through malloc, so ASan sees a use-after-free or an
#                                  overflow of a Python object made by C code (pymalloc would hide it in arenas).
#   ASAN_OPTIONS:
#     detect_leaks=0               CPython does not free everything at exit; LeakSanitizer would report the
#                                  interpreter's own never-freed objects by the thousand. Leaks are checked
#                                  elsewhere: LSan in the fuzz targets (the C parts, every input), valgrind
#                                  (tests/tools/valgrind.sh, definite leaks in ext/), RSS and weakref tests
#                                  (tests/hardening/test_leaks.py).
#     allocator_may_return_null=1  malloc returns NULL for an impossible size, as glibc does, so the code's
#                                  out-of-memory paths run instead of ASan stopping on allocation-size-too-big.
#     detect_stack_use_after_return=1, strict_string_checks=1, check_initialization_order=1: stricter checks.
#     halt_on_error=1, log_path    the first report stops that process and is written to a file; the pytest
#                                  child processes (run_python) inherit the preload and write there too.
#   UBSAN_OPTIONS                  halt_on_error=1:print_stacktrace=1 and the same log directory.
#
# moto's server (a subprocess of the suite) runs WITHOUT the preload (tests/conftest.py drops LD_PRELOAD when it
# starts it): it is not our code, and its native extensions are not ours to judge.
# The script fails if pytest fails or if any sanitizer report was written, by any process.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)

venv=${SANITIZE_VENV:-build/venv-asan}
python=${PYTHON:-python3}
logs=${SANITIZE_LOGS:-build/sanitizer-logs}

asan_rt=$(gcc -print-file-name=libasan.so)
if [ ! -e "$asan_rt" ]; then
    echo "sanitize.sh: gcc has no libasan.so (apt-get install gcc)" >&2
    exit 2
fi
asan_rt=$(readlink -f "$asan_rt")

[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
venv=$(cd "$venv" && pwd)
src=$(mktemp -d)
trap 'rm -rf "$src"' EXIT
tar -C "$repo" --exclude=./build --exclude=./.git --exclude='./.venv*' --exclude='*.egg-info' \
    --exclude=__pycache__ --exclude='*.so' -cf - . | tar -C "$src" -xf -
BOTO_ELB_C_SANITIZE=1 BOTO_ELB_C_WERROR=1 "$venv/bin/pip" install -q --force-reinstall --no-deps "$src"
"$venv/bin/pip" install -q "$src[test]"

# (found by path: importing boto_elb_c here, without the preload, would abort)
site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["platlib"])')
core=$(ls "$site"/boto_elb_c/_core*.so)
if ! readelf -d "$core" | grep -q 'NEEDED.*libasan'; then
    echo "sanitize.sh: $core is not an ASan build" >&2
    exit 2
fi

rm -rf "$logs"
mkdir -p "$logs"
logs=$(cd "$logs" && pwd)
set +e
env LD_PRELOAD="$asan_rt" PYTHONMALLOC=malloc \
    ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=1:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1:halt_on_error=1:log_path=$logs/asan" \
    UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$logs/ubsan" \
    BOTO_ELB_C_SANITIZED=1 \
    "$venv/bin/pytest" -p no:cacheprovider "$@"
status=$?
set -e

reports=$(find "$logs" -type f | sort)
if [ -n "$reports" ]; then
    echo "sanitize.sh: sanitizer reports:" >&2
    for f in $reports; do
        echo "=== $f" >&2
        head -60 "$f" >&2
    done
    [ $status -eq 0 ] && status=1
fi
echo "sanitize.sh: pytest exit status $status, $(echo -n "$reports" | grep -c . || true) sanitizer report(s)"
exit $status
