#!/usr/bin/env bash
# valgrind memcheck over the integration tests: no definite leak and no invalid access attributed to ext/.
#
#   tests/tools/valgrind.sh [pytest arguments...]     default: the integration tests listed below
#
# Runs the installed package of $VALGRIND_VENV (default .venv: the normal build, which keeps -g from Python's
# CFLAGS) with PYTHONMALLOC=malloc (so that memcheck sees every Python object allocation) under
#   valgrind --tool=memcheck --leak-check=full --track-origins=yes --num-callers=40
# writing one XML file per process to $VALGRIND_OUT (default build/valgrind). moto's server and the other child
# processes are not traced (--trace-children=no): they are not our code. tests/tools/valgrind_report.py then
# counts every error and leak record and fails if any error, or any definite leak, has a frame in _core*.so or
# in ext/. BOTO_ELB_C_SANITIZED=1 shortens the leak tests' loops (valgrind is ~30x slower) and turns off
# their memory-figure checks.
set -euo pipefail
cd "$(dirname "$0")/../.."

venv=${VALGRIND_VENV:-.venv}
out=${VALGRIND_OUT:-build/valgrind}
if ! command -v valgrind >/dev/null; then
    echo "valgrind.sh: valgrind not found (apt-get install valgrind)" >&2
    exit 2
fi
if [ $# -eq 0 ]; then
    # the integration tests: the whole stack against moto and against our canned servers
    set -- tests/elb/test_actions.py tests/elb/test_canned_responses.py tests/elb/test_model_examples.py \
        tests/core/test_xml.py tests/hardening/test_hostile_xml.py tests/hardening/test_leaks.py \
        tests/hardening/test_secrets_memory.py
fi
rm -rf "$out"
mkdir -p "$out"

set +e
PYTHONMALLOC=malloc BOTO_ELB_C_SANITIZED=1 \
    valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite,possible --track-origins=yes \
    --num-callers=40 --trace-children=no --xml=yes --xml-file="$out/memcheck.%p.xml" \
    --suppressions=tests/tools/valgrind-python.supp \
    "$venv/bin/python" "$venv/bin/pytest" -p no:cacheprovider -q "$@"
status=$?
set -e
if ! "$venv/bin/python" tests/tools/valgrind_report.py "$out"/memcheck.*.xml; then
    [ $status -eq 0 ] && status=1
fi
echo "valgrind.sh: exit status $status"
exit $status
