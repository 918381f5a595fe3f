"""The boto ELB tutorial, three ways: our Python 3 version as a doctest (docs/elb_tut.rst), the original's
snippets as written (shared/reference/elb_tut.rst) after install_as_boto(), and the walk-through program
``python -m boto_elb_c.tutorial``. All against moto's server."""
import codeop
import doctest
import io
import os
import re
import sys
import textwrap

import pytest

import boto_elb_c
from conftest import REPO, reference_path, run_python

DOC = os.path.join(REPO, "docs", "elb_tut.rst")


@pytest.fixture
def restore_boto_modules():
    saved = {k: v for k, v in sys.modules.items() if k == "boto" or k.startswith("boto.")}
    yield
    for k in [k for k in sys.modules if k == "boto" or k.startswith("boto.")]:
        del sys.modules[k]
    sys.modules.update(saved)


def test_docs_tutorial_doctest(endpoint, monkeypatch, restore_boto_modules):
    monkeypatch.setenv("AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING", endpoint)
    out = io.StringIO()
    real_stdout = sys.stdout
    sys.stdout = out
    try:
        result = doctest.testfile(DOC, module_relative=False, optionflags=doctest.ELLIPSIS, report=True)
    finally:
        sys.stdout = real_stdout
    assert result.attempted > 40
    assert result.failed == 0, out.getvalue()


def original_snippets(path):
    """The original tutorial's ``>>>`` snippets, in order, as (section title, source) pairs.

    The snippets continue onto unprompted lines (``conn = boto.connect_elb(`` ... ``)``); a snippet takes lines
    until it compiles. Lines after a complete snippet are the tutorial's sample output and are skipped.
    Python 2's ``print x`` becomes ``print(x)``; nothing else is changed."""
    lines = open(path).read().split("\n")
    section = None
    snippets = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if i + 1 < len(lines) and re.fullmatch(r"[-^=]{3,}", lines[i + 1]) and line.strip():
            section = line.strip()
        if line.startswith(">>> "):
            source = [line[4:]]
            i += 1
            while True:
                text = "\n".join(source)
                text = re.sub(r"^print (.+)$", r"print(\1)", text, flags=re.M)
                try:
                    code = codeop.compile_command(textwrap.dedent(text) if not source[0].startswith(" ") else text,
                                                  symbol="single")
                except SyntaxError:
                    code = None
                    if i >= len(lines) or lines[i].startswith(">>> "):
                        raise
                if code is not None or i >= len(lines) or lines[i].startswith(">>> ") or not lines[i].strip():
                    break
                source.append(lines[i])
                i += 1
            snippets.append((section, text))
            continue
        i += 1
    return snippets


SCRIPT = r'''
import os, sys, traceback
import boto_elb_c
boto_elb_c.install_as_boto()
snippets = %r
namespace = {"__name__": "__main__"}
aside = None
for section, source in snippets:
    # The "A Note About Regions and Endpoints" section is an aside: run as written, it rebinds `conn` to an
    # eu-west-1 connection, and the tutorial then creates "a load balancer in the US region" with us-east-1
    # zones on it, which no ELB (AWS or emulator) accepts. The aside runs in its own copy of the namespace.
    if section == "A Note About Regions and Endpoints":
        if aside is None:
            aside = dict(namespace)
        ns = aside
    else:
        ns = namespace
    print(">>> " + source.replace("\n", "\n... "))
    if source.lstrip().startswith("#") and "\n" not in source:
        continue  # a comment alone: the REPL shows nothing
    exec(compile(source, "<elb_tut.rst>", "single"), ns)
print("ALL SNIPPETS RAN")
'''


def test_original_tutorial_as_written(moto, restore_boto_modules):
    snippets = original_snippets(reference_path("elb_tut.rst"))
    sources = [s for _, s in snippets]
    assert "lb.degregister_instances(instance_ids)" in sources and "print(lb.dns_name)" in sources
    assert len(snippets) >= 20
    # the tutorial assumes two load balancers exist ("To retrieve any existing load balancers")
    seed = boto_elb_c.connect_elb("seed", "seed", endpoint_url=moto.endpoint)
    for name in ("load-balancer-prod", "load-balancer-staging"):
        seed.create_load_balancer(name, ["us-east-1a"], [(80, 8080, "http")])
    # only the endpoint variable points anywhere: no credentials, no config, no AWS_* at all
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AWS_", "BOTO_")) or k.startswith("BOTO_ELB_C_")}
    env["AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING"] = moto.endpoint
    env["BOTO_CONFIG"] = "/nonexistent/boto.cfg"
    result = run_python(["-c", SCRIPT % (snippets,)], env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "ALL SNIPPETS RAN" in out
    assert "[LoadBalancer:load-balancer-prod, LoadBalancer:load-balancer-staging]" in out
    assert "my-lb.us-east-1.elb.amazonaws.com" in out
    assert "HealthCheck:HTTP:8080/health" in out
    after = seed.get_all_load_balancers()
    assert [lb.name for lb in after] == ["load-balancer-prod", "load-balancer-staging"]  # my-lb was deleted


def test_tutorial_program_with_its_own_emulator():
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AWS_", "BOTO_")) or k.startswith("BOTO_ELB_C_")}
    result = run_python(["-m", "boto_elb_c.tutorial"], env=env, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "starts a local ELB emulator" in out and "the local emulator was stopped" in out
    for expected in ("conn.create_load_balancer('my-lb', ['us-east-1a', 'us-east-1b'], "
                     "[(80, 8080, 'http'), (443, 8443, 'tcp')])",
                     "my-lb.us-east-1.elb.amazonaws.com",
                     "[(80, 8080, 'HTTP', 'HTTP'), (443, 8443, 'TCP', 'TCP')]",
                     "HealthCheck:HTTP:8080/health",
                     ",InService)",
                     "lb.disable_zones(['us-east-1a'])",
                     "['us-east-1b', 'us-east-1c']",
                     "Done: every step of the tutorial ran."):
        assert expected in out, out


def test_tutorial_program_against_a_given_endpoint(moto):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AWS_", "BOTO_")) or k.startswith("BOTO_ELB_C_")}
    env.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
    result = run_python(["-m", "boto_elb_c.tutorial", "--endpoint-url", moto.endpoint, "--name", "given-lb"],
                        env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Using the ELB endpoint %s" % moto.endpoint in result.stdout
    assert "emulator" not in result.stdout.split("Using the ELB endpoint")[1]
    assert "LoadBalancer:given-lb" in result.stdout
