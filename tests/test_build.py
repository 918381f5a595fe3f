"""The build: pkg-config finds the libraries, a missing one stops the build naming its Debian package, and the
C sources compile without a warning under -Wall -Wextra."""
import glob
import os
import shutil
import stat
import subprocess
import sys
import sysconfig

import pytest

from conftest import REPO


def _fake_pkg_config(tmp_path, missing):
    script = tmp_path / "pkg-config"
    real = shutil.which("pkg-config") or "false"
    script.write_text('#!/bin/sh\nfor a in "$@"; do [ "$a" = "%s" ] && exit 1; done\nexec %s "$@"\n'
                      % (missing, real))
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


@pytest.mark.parametrize("module, package", [("libcurl", "libcurl4-openssl-dev"), ("libxml-2.0", "libxml2-dev"),
                                             ("libcrypto", "libssl-dev")])
def test_missing_library_names_the_debian_package(tmp_path, module, package):
    pytest.importorskip("setuptools")
    env = dict(os.environ, PKG_CONFIG=_fake_pkg_config(tmp_path, module))
    result = subprocess.run([sys.executable, "setup.py", "build_ext", "--build-temp", str(tmp_path / "t"),
                             "--build-lib", str(tmp_path / "l")], cwd=REPO, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode != 0
    assert module in result.stderr and ("apt-get install pkg-config %s" % package) in result.stderr


def test_no_pkg_config_at_all(tmp_path):
    pytest.importorskip("setuptools")
    env = dict(os.environ, PKG_CONFIG=str(tmp_path / "no-such-pkg-config"))
    result = subprocess.run([sys.executable, "setup.py", "build_ext", "--build-temp", str(tmp_path / "t"),
                             "--build-lib", str(tmp_path / "l")], cwd=REPO, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode != 0 and "apt-get install pkg-config" in result.stderr


@pytest.mark.skipif(not shutil.which("cc") or not shutil.which("pkg-config"), reason="needs cc and pkg-config")
def test_sources_compile_without_warnings():
    cflags = subprocess.run(["pkg-config", "--cflags", "libcurl", "libxml-2.0", "libcrypto"], capture_output=True,
                            text=True, check=True).stdout.split()
    include = sysconfig.get_paths()["include"]
    sources = sorted(glob.glob(os.path.join(REPO, "ext", "*.c")))
    assert len(sources) >= 8
    for src in sources:
        result = subprocess.run(["cc", "-fsyntax-only", "-Wall", "-Wextra",
                                 "-Werror", "-I" + include,
                                 "-I" + os.path.join(REPO, "ext")] + cflags + [src], capture_output=True, text=True)
        assert result.returncode == 0, "%s:\n%s" % (src, result.stderr)


def test_the_versions_one_liner():
    """issue 8's one-liner: the package version and the libraries' versions, the running one first and the one the
    extension was compiled against after it when they differ."""
    import boto_elb_c
    from boto_elb_c import _core

    assert boto_elb_c.__version__ == boto_elb_c.Version
    for name in ("libcurl", "libxml2", "openssl"):
        running, built = getattr(_core, name + "_version"), getattr(_core, name + "_build_version")
        shown = getattr(boto_elb_c, name + "_version")
        assert running and built
        assert shown == running if running == built else shown == "%s (built with %s)" % (running, built)
    assert boto_elb_c._runs_and_built("8.0.0", "7.88.1") == "8.0.0 (built with 7.88.1)"
    assert boto_elb_c._runs_and_built("2.9.14", "2.9.14") == "2.9.14"
