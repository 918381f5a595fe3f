"""When tests/tools/sanitize.sh runs the suite: the build under test really is the sanitized one, the ASan
runtime really is active, and a report really stops a process and lands where the script looks. (Skipped in an
ordinary run.)"""
import ctypes
import os
import subprocess
import sys

import pytest

from boto_elb_c import _core

PRELOAD = os.environ.get("LD_PRELOAD", "")
pytestmark = pytest.mark.skipif(os.environ.get("BOTO_ELB_C_SANITIZED") != "1" or "libasan" not in PRELOAD,
                                reason="only under tests/tools/sanitize.sh")


def test_the_extension_is_the_sanitized_build():
    with open("/proc/self/maps") as f:
        maps = f.read()
    assert "libasan" in maps and "libubsan" in maps
    out = subprocess.run(["readelf", "-d", _core.__file__], capture_output=True, text=True).stdout
    assert "libasan" in out and "libubsan" in out


def test_a_report_stops_the_process_and_is_logged(tmp_path):
    env = dict(os.environ)
    env["ASAN_OPTIONS"] = "detect_leaks=0:halt_on_error=1:log_path=%s" % (tmp_path / "asan")
    code = ("import ctypes; libc = ctypes.CDLL(None); libc.malloc.restype = ctypes.c_void_p; "
            "libc.free.argtypes = [ctypes.c_void_p]; p = libc.malloc(32); libc.free(p); ctypes.string_at(p, 32)")
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    logs = [p.read_text() for p in tmp_path.iterdir() if p.name.startswith("asan")]
    assert logs and "heap-use-after-free" in logs[0]
    assert ctypes  # (the parent is unharmed)
