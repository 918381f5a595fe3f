"""Typing (PEP 561): the package is typed (py.typed) and its C extension has a stub (_core.pyi), both installed.

``mypy --strict`` (configured by [tool.mypy] in pyproject.toml) passes on the package, and on
tests/typing/tutorial_sample.py -- the tutorial's calls as a typed program makes them -- checked against the
*installed* package, as a user's program would be. The stub names exactly what the extension exports (mypy's
stubtest for the public names, a comparison of names for the private ones). The mypy tests skip when mypy is not
installed (``pip install '.[test]'`` brings it).
"""
import ast
import importlib.util
import os
import shutil
import subprocess
import sys

import pytest

from conftest import REPO

import boto_elb_c
from boto_elb_c import _core

HAVE_MYPY = importlib.util.find_spec("mypy") is not None
needs_mypy = pytest.mark.skipif(not HAVE_MYPY, reason="mypy is not installed (pip install '.[test]' brings it)")
PACKAGE_DIR = os.path.dirname(os.path.abspath(boto_elb_c.__file__))
SAMPLE = os.path.join(REPO, "tests", "typing", "tutorial_sample.py")


def _mypy(args, cwd, tmp_path):
    """Run mypy with this interpreter (so it sees this environment's site-packages); its cache stays in tmp_path."""
    return subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy-cache")] + args,
                          cwd=cwd, capture_output=True, text=True, timeout=600)


def test_the_installed_package_is_typed():
    assert PACKAGE_DIR != os.path.join(REPO, "boto_elb_c"), "the tests must run against the installed package"
    for name in ("py.typed", "_core.pyi"):
        assert os.path.isfile(os.path.join(PACKAGE_DIR, name)), "%s is not installed with the package" % name


def _stub_names(body):
    """Names a stub body defines (functions, classes, annotated names); plain assignments are type aliases."""
    names = set()
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def test_the_stub_names_what_the_extension_exports():
    with open(os.path.join(REPO, "boto_elb_c", "_core.pyi")) as f:
        tree = ast.parse(f.read())
    dunder = lambda name: name.startswith("__") and name.endswith("__")  # noqa: E731
    assert _stub_names(tree.body) == {n for n in dir(_core) if not dunder(n)}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            runtime = set(dir(getattr(_core, node.name))) - set(dir(object))
            assert {n for n in _stub_names(node.body) if not dunder(n)} == {n for n in runtime if not dunder(n)}, \
                node.name
    with open(os.path.join(PACKAGE_DIR, "_core.pyi")) as f:
        installed = f.read()
    with open(os.path.join(REPO, "boto_elb_c", "_core.pyi")) as f:
        assert installed == f.read(), "the installed _core.pyi is not the repository's (reinstall)"


@needs_mypy
def test_stubtest_agrees_with_the_extension(tmp_path):
    result = subprocess.run([sys.executable, "-m", "mypy.stubtest", "--mypy-config-file",
                             os.path.join(REPO, "pyproject.toml"), "boto_elb_c._core"], cwd=str(tmp_path),
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr


@needs_mypy
def test_mypy_strict_passes_on_the_package(tmp_path):
    result = _mypy([], REPO, tmp_path)  # the files and options of [tool.mypy]
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success" in result.stdout


# What a user of the installed package sees: revealed types, and mistakes that must be reported
EXPECTATIONS = '''\
import boto_elb_c
from boto_elb_c import _core
from boto_elb_c.ec2.elb import ELBConnection

conn = ELBConnection()
reveal_type(conn.get_all_load_balancers())  # 6
reveal_type(conn.get_all_load_balancers()[0].health_check)  # 7
reveal_type(conn.create_load_balancer("a", ["z"], [(80, 80, "http")]))  # 8
reveal_type(boto_elb_c.config)  # 9
reveal_type(_core.libcurl_version)  # 10
reveal_type(conn.get_all_load_balancers()[0].listeners[0][1])  # 11
conn.create_load_balancer(42, ["z"])  # 12
boto_elb_c.no_such_name  # 13
'''
REVEALED = {
    6: ["ResultSet[boto_elb_c.ec2.elb.loadbalancer.LoadBalancer]"],
    7: ["HealthCheck", "None"],
    8: ["LoadBalancer", "None"],
    9: ["boto_elb_c.pyami.config.Config"],
    10: ['str"'],  # "str" or "builtins.str" (older mypy), not Any
}
ERRORS = {11: "index", 12: "arg-type", 13: "attr-defined"}  # listeners may be None; a name must be a str


@needs_mypy
def test_mypy_strict_passes_on_the_tutorial_sample(tmp_path):
    # outside the repository, so that boto_elb_c is the installed package (found through its py.typed)
    work = tmp_path / "sample"
    work.mkdir()
    shutil.copy(SAMPLE, str(work))
    (work / "expectations.py").write_text(EXPECTATIONS)
    result = _mypy(["--config-file", os.path.join(REPO, "pyproject.toml"), "tutorial_sample.py",
                    "expectations.py"], str(work), tmp_path)
    lines = result.stdout.splitlines()
    # nothing about the sample: only the expected lines and the summary
    assert [line for line in lines if not line.startswith("expectations.py:")] == \
        ["Found %d errors in 1 file (checked 2 source files)" % len(ERRORS)], result.stdout + result.stderr
    for number, parts in REVEALED.items():
        found = [line for line in lines if line.startswith("expectations.py:%d: note: Revealed type is" % number)]
        assert len(found) == 1 and all(part in found[0] for part in parts), (number, result.stdout)
    for number, code in ERRORS.items():
        found = [line for line in lines if line.startswith("expectations.py:%d: error:" % number)]
        assert found and found[0].endswith("[%s]" % code), (number, result.stdout)


def test_the_generated_error_classes_are_declared_for_type_checkers():
    """boto_elb_c.ec2.elb.errors makes its classes at import time; its TYPE_CHECKING block spells them out."""
    from boto_elb_c.ec2.elb import errors

    with open(os.path.join(REPO, "boto_elb_c", "ec2", "elb", "errors.py")) as f:
        tree = ast.parse(f.read())
    blocks = [node for node in tree.body if isinstance(node, ast.If) and getattr(node.test, "id", None) ==
              "TYPE_CHECKING" and any(isinstance(n, ast.ClassDef) for n in node.body)]
    assert len(blocks) == 1
    classes = {n.name for n in blocks[0].body if isinstance(n, ast.ClassDef)}
    aliases = {n.targets[0].id: n.value.id for n in blocks[0].body if isinstance(n, ast.Assign)}
    assert classes == set(errors.CODES)
    assert aliases == {boto3: code for code, boto3 in errors.CODES.items() if boto3}
