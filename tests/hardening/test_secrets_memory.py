"""Secrets: wiped from memory when freed (the secret, "AWS4"+secret and every derived key, kDate to kSigning),
and never in a repr, an exception's text or a log line.

The memory test runs tests/hardening/secret_probe.py in a fresh process. This process makes a random secret and
computes the derived keys (hmac, here), and hands everything to the probe XOR-masked, so the probe never holds a
needle in clear: it decodes the one str the package needs, wipes it after use, frees the objects and scans its
own memory (/proc/self/mem, every readable private mapping: heap, anonymous maps, thread stacks, data segments).

Limitations (honest ones): the session token is sent in a header, so the transport's buffers (libcurl's header
list and send buffer) hold it and are freed unwiped; while a Signer is alive its secret and cached signing key
are in the C heap, in clear, so a core dump taken then holds them (the scan's positive control shows exactly
that); the str the caller passes in is the caller's, and CPython frees it without wiping (the probe wipes its
own); the credential provider's Python objects (environment, files) are outside this test; and the scan sees
this process's memory, not swap.
"""
import hashlib
import hmac
import json
import logging
import os
import secrets
import subprocess
import sys
import time

import pytest

import boto_elb_c
from boto_elb_c import _core
from boto_elb_c.exception import BotoServerError
from servers import Reply

HERE = os.path.dirname(os.path.abspath(__file__))
MASK = 0x5A
TIMESTAMP = 1700000000  # 2023-11-14


def _mask(b):
    return bytes(x ^ MASK for x in b).hex()


def _derived(secret, date, region, service):
    def h(key, msg):
        return hmac.new(key, msg.encode(), hashlib.sha256).digest()

    k_date = h(b"AWS4" + secret, date)
    k_region = h(k_date, region)
    k_service = h(k_region, service)
    k_signing = h(k_service, "aws4_request")
    return {"kDate": k_date, "kRegion": k_region, "kService": k_service, "kSigning": k_signing}


def _probe(scenario, endpoint=None):
    secret = secrets.token_urlsafe(30).encode("ascii")  # made at run time: no constant anywhere holds it
    date = time.strftime("%Y%m%d", time.gmtime(TIMESTAMP))
    token = secrets.token_urlsafe(24).encode("ascii")  # the session token: wiped too (the Signer wipes it)
    needles = {"secret": secret, "token": token}
    for region in ("us-east-1", "eu-west-1"):
        for name, key in _derived(secret, date, region, "elasticloadbalancing").items():
            needles["%s(%s)" % (name, region)] = key
    request = {"secret": _mask(secret), "token": _mask(token), "needles": {k: _mask(v) for k, v in needles.items()},
               "scenario": scenario, "timestamp": TIMESTAMP, "endpoint": endpoint}
    env = dict(os.environ)
    proc = subprocess.run([sys.executable, os.path.join(HERE, "secret_probe.py")], input=json.dumps(request) + "\n",
                          capture_output=True, text=True, timeout=300, env=env, cwd=str(HERE))
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ASan's allocator reserves terabytes of address space (the probe skips mappings over 4 GiB, and would miss the
# heap there): the memory scan is for the ordinary build; the other checks run everywhere
needs_plain_malloc = pytest.mark.skipif("libasan" in os.environ.get("LD_PRELOAD", ""),
                                        reason="memory scan not practical under ASan")


@needs_plain_malloc
def test_signer_secret_and_derived_keys_are_wiped_on_free():
    result = _probe("signer")
    # positive control: while the Signers live, the scan finds the secret, the token and each one's signing key
    assert "secret" in result["alive"] and "token" in result["alive"], result
    assert "kSigning(us-east-1)" in result["alive"] and "kSigning(eu-west-1)" in result["alive"], result
    # after: nothing, anywhere
    assert result["freed"] == {}, "found after free: %s" % result["freed"]


@needs_plain_malloc
def test_connection_leaves_no_secret_behind(canned):
    server = canned(lambda req: Reply(status=400, body=b"<ErrorResponse><Error><Code>X</Code></Error></ErrorResponse>")
                    if b"LoadBalancerNames.member.1=error" in req.body else None)
    result = _probe("connection", server.endpoint)
    assert "secret" in result["alive"] and "token" in result["alive"], result
    # the session token is sent as a header: libcurl's header list and send buffer held it and libcurl frees
    # them without wiping (a limitation of the transport, see the module docstring); the secret and every
    # derived key never leave the Signer
    freed = {k: v for k, v in result["freed"].items() if k != "token"}
    assert freed == {}, "found after free: %s" % result["freed"]


# --- never in a repr, an exception or a log line ---

SECRET_LOOKING = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKEN = "session-token-that-must-not-show"


def test_no_secret_in_reprs_exceptions_or_logs(canned, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    answers = iter([None, Reply(status=400, body=b"<ErrorResponse><Error><Code>LoadBalancerNotFound</Code>"
                                                 b"</Error></ErrorResponse>"),
                    Reply(body=b"<DescribeLoadBalancersResponse><Truncated")])
    server = canned(lambda req: next(answers, None))
    conn = boto_elb_c.connect_elb("AKIDEXAMPLE", SECRET_LOOKING, security_token=TOKEN, endpoint_url=server.endpoint)
    texts = [repr(conn), str(conn), repr(conn._signer), str(conn._signer), repr(vars(conn))]
    conn.get_all_load_balancers()
    for _ in range(2):
        with pytest.raises(BotoServerError) as info:
            conn.get_all_load_balancers()
        texts += [str(info.value), repr(info.value), repr(vars(info.value)), repr(info.value.args)]
    raw = conn.make_request("DescribeLoadBalancers")
    texts += [repr(raw), repr(raw.getheaders())]
    signed = conn._signer.sign_query_post("example.com", b"Action=X", TIMESTAMP)
    assert TOKEN == signed["X-Amz-Security-Token"]  # the token is sent: that is its job
    del signed["X-Amz-Security-Token"]
    texts.append(repr(signed))
    # a transport error too
    dead = boto_elb_c.connect_elb("AKIDEXAMPLE", SECRET_LOOKING, security_token=TOKEN,
                                  endpoint_url="http://127.0.0.1:1", connect_timeout=2)
    with pytest.raises(Exception) as info:
        dead.get_all_load_balancers()
    texts += [str(info.value), repr(info.value), repr(vars(info.value))]
    # argument errors of the C types
    for bad in (lambda: _core.Signer("AK", SECRET_LOOKING + "\0", region="x"),
                lambda: _core.Signer("AK", SECRET_LOOKING, 5, region="x"),
                lambda: _core.Signer("AK", SECRET_LOOKING)):
        with pytest.raises((TypeError, ValueError)) as info:
            bad()
        texts += [str(info.value), repr(info.value)]
    out, err = capfd.readouterr()
    texts += [caplog.text, out, err]
    for secret in (SECRET_LOOKING, TOKEN, SECRET_LOOKING[:16]):
        assert not [t for t in texts if secret in t]
    conn.close()
