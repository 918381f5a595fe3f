"""Test fixtures: moto's server as the real ELB peer, and an environment that cannot leak the developer's.

The peer: one moto server per session (a free port on 127.0.0.1), reset before every test that uses it, stopped
at the end. Every test runs with no AWS_* variables, an empty HOME and a missing boto config, so nothing on the
machine changes what a test sees.
"""
import os
import subprocess
import sys
import tempfile

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)  # tests/servers.py

REPO = os.path.dirname(HERE)
SHARED = os.path.normpath(os.path.join(REPO, "..", "shared"))


DATA = os.path.join(HERE, "data")


def reference_path(name):
    """A file or folder of the reference material: ../shared/reference/<name> from the repository root when it
    is there, else the copy in tests/data (the same files; tests/test_reference_copy.py checks they agree)."""
    path = os.path.join(SHARED, "reference", name)
    if os.path.exists(path):
        return path
    return os.path.join(DATA, name)


def run_python(args, env=None, timeout=120):
    """Run this interpreter in a subprocess, outside the repository (so the source tree, which has no built
    extension in CI, never shadows the installed package)."""
    with tempfile.TemporaryDirectory() as cwd:
        return subprocess.run([sys.executable] + list(args), capture_output=True, text=True, cwd=cwd,
                              env=dict(os.environ) if env is None else env, timeout=timeout)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for name in list(os.environ):
        if (name.startswith(("AWS_", "BOTO_")) and not name.startswith("BOTO_ELB_C_")) or name.lower() in (
                "http_proxy", "https_proxy", "all_proxy", "no_proxy"):
            monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("BOTO_CONFIG", str(tmp_path / "no-boto-config"))
    # never ask the real instance metadata service (on an EC2 runner it would answer with real credentials)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    yield


@pytest.fixture(scope="session")
def moto_server():
    from boto_elb_c.emulator import EmulatorUnavailable, MotoServer

    # moto is not our code: a sanitizer runtime preloaded into this process (tests/tools/sanitize.sh) stays out
    # of moto's (MotoServer copies os.environ)
    preload = os.environ.pop("LD_PRELOAD", None)
    try:
        server = MotoServer(log_path=os.environ.get("MOTO_LOG"))  # BOTO_ELB_C_MOTO_PYTHON may name its Python
    except EmulatorUnavailable as exc:
        if os.environ.get("BOTO_ELB_C_REQUIRE_EMULATOR"):  # CI: a missing emulator is a failure, not a skip
            pytest.fail("no ELB emulator: %s" % exc)
        pytest.skip("no ELB emulator: %s" % exc)
    finally:
        if preload is not None:
            os.environ["LD_PRELOAD"] = preload
    try:
        server.warm_up()
        yield server
    finally:
        server.stop()


@pytest.fixture
def moto(moto_server):
    """moto's server, wiped clean for this test."""
    moto_server.disable_auth()  # reset wipes IAM users: with checks still on we would be locked out
    moto_server.reset()
    return moto_server


@pytest.fixture
def endpoint(moto):
    return moto.endpoint


@pytest.fixture
def conn(endpoint):
    """An ELBConnection to the moto peer, us-east-1, dummy keys."""
    import boto_elb_c

    c = boto_elb_c.connect_elb("AKIDEXAMPLE", "testing-secret", endpoint_url=endpoint)
    c.retry_base_delay = 0.001  # moto's 500s are retried: keep the backoff short in tests
    yield c
    c.close()


@pytest.fixture
def canned():
    from servers import CannedServer

    servers = []

    def start(responder=None):
        s = CannedServer(responder)
        servers.append(s)
        return s

    yield start
    for s in servers:
        s.stop()
