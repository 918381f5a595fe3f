"""Logging: the stdlib logger ``boto_elb_c`` (and ``boto_elb_c.set_stream_logger``) shows at DEBUG the action,
endpoint, status, attempt and time of each request and a line for each retry with its reason and delay -- and no
secret (secret key, signature, session token, proxy password) ever appears in a log line, a repr or an exception
text, over a whole scenario."""
import logging
import re

import pytest

import boto_elb_c
from boto_elb_c.exception import BotoServerError, EndpointConnectionError, ReadTimeoutError
from boto_elb_c.emulator import free_port
from servers import (  # noqa: F401
    CannedServer,
    FaultServer,
    ForwardProxy,
    Reply,
    certs,
    error_body,
    full_retry_quota,
)

pytestmark = pytest.mark.usefixtures("full_retry_quota")

SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY-secret"
TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE-session-token"
PROXY_PASS = "proxy-password-7f3a"


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)

    def lines(self):
        return [self.format(r) for r in self.records]


@pytest.fixture
def collected():
    """Every log record of every logger at DEBUG, for the length of the test."""
    handler = Collect()
    root = logging.getLogger()
    ours = logging.getLogger("boto_elb_c")
    old = root.level, ours.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    ours.setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(old[0])
    ours.setLevel(old[1])


def texts_of(exc):
    return [str(exc), repr(exc)] + [str(a) for a in exc.args]


def test_no_secret_anywhere(collected, certs, monkeypatch):
    seen = []  # every text a user could see

    # 1. through an authenticating proxy, with a session token; 503, then Throttling, then the answer
    answers = [Reply(status=503, body=b"busy"), Reply(status=400, body=error_body("Throttling", "Rate exceeded")),
               Reply()]
    server = CannedServer(lambda req: answers[min(len(server.requests), 3) - 1])
    proxy = ForwardProxy(auth=("proxy-user", PROXY_PASS))
    try:
        conn = boto_elb_c.connect_elb("AKIDEXAMPLE", SECRET, security_token=TOKEN, endpoint_url=server.endpoint,
                                      proxy=proxy.url, proxy_user="proxy-user", proxy_pass=PROXY_PASS)
        conn.retry_base_delay = 0.001
        assert conn.get_all_load_balancers() == []
        seen += [repr(conn), str(conn), repr(conn._signer), repr(conn._http()), repr(conn._http().proxy)]

        # 2. a service error, not retried
        answers[:] = [Reply(status=400, body=error_body("LoadBalancerNotFound", "no such thing"))] * 4
        server.requests.clear()
        with pytest.raises(BotoServerError) as info:
            conn.get_all_load_balancers(["nope"])
        seen += texts_of(info.value)
    finally:
        proxy.stop()
        server.stop()
    signatures = [r.header("Authorization").rsplit("Signature=", 1)[1] for r in server.requests]

    # 3. a transport failure after the retries
    conn = boto_elb_c.connect_elb("AKIDEXAMPLE", SECRET, security_token=TOKEN,
                                  endpoint_url="http://127.0.0.1:%d" % free_port())
    conn.retry_base_delay = 0.001
    with pytest.raises(EndpointConnectionError) as info:
        conn.get_all_load_balancers()
    seen += texts_of(info.value)

    # 4. a read timeout, with credentials from the environment
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_SECURITY_TOKEN", TOKEN)
    with FaultServer(lambda c: c.wait(5)) as silent:
        conn = boto_elb_c.connect_elb(endpoint_url=silent.endpoint, read_timeout=0.1)
        conn.retry_base_delay = 0.001
        with pytest.raises(ReadTimeoutError) as info:
            conn.get_all_load_balancers()
        seen += texts_of(info.value) + [repr(conn._signer)]

    # 5. TLS without verification (a warning), and TLS rejected
    tls = CannedServer(tls=certs["good"])
    try:
        conn = boto_elb_c.connect_elb("AKIDEXAMPLE", SECRET, security_token=TOKEN, endpoint_url=tls.endpoint,
                                      validate_certs=False, proxy_user="u", proxy_pass=PROXY_PASS)
        assert conn.get_all_load_balancers() == []
        conn = boto_elb_c.connect_elb("AKIDEXAMPLE", SECRET, endpoint_url=tls.endpoint)
        with pytest.raises(Exception) as info:
            conn.get_all_load_balancers()
        seen += texts_of(info.value)
        signatures += [r.header("Authorization").rsplit("Signature=", 1)[1] for r in tls.requests]
    finally:
        tls.stop()

    lines = collected.lines()
    assert len(lines) > 10
    everything = "\n".join(lines + seen)
    assert signatures and all(re.fullmatch("[0-9a-f]{64}", s) for s in signatures)
    for secret in [SECRET, TOKEN, PROXY_PASS] + signatures:
        assert secret not in everything
    assert "Signature=" not in everything and "Authorization" not in everything


def test_debug_lines_for_each_attempt(collected):
    answers = [Reply(status=503, body=b"busy"), Reply(status=400, body=error_body("Throttling")), Reply()]
    server = CannedServer(lambda req: answers[len(server.requests) - 1])
    try:
        conn = boto_elb_c.connect_elb("AK", "SK", endpoint_url=server.endpoint)
        conn.retry_base_delay = 0.001
        conn.get_all_load_balancers()
    finally:
        server.stop()
    lines = [r.getMessage() for r in collected.records if r.name == "boto_elb_c" and r.levelno == logging.DEBUG
             and r.getMessage().startswith("DescribeLoadBalancers")]
    assert len(lines) == 3  # one per attempt
    url = re.escape(server.endpoint + "/")
    assert re.fullmatch(r"DescribeLoadBalancers %s: attempt 1/3 failed \(HTTP 503 Service Unavailable\); "
                        r"retrying in \d+\.\d{3} s" % url, lines[0])
    assert re.fullmatch(r"DescribeLoadBalancers %s: attempt 2/3 failed \(HTTP 400 Throttling\); "
                        r"retrying in \d+\.\d{3} s" % url, lines[1])
    assert re.fullmatch(r"DescribeLoadBalancers %s -> 200 OK \(\d+ bytes, attempt 3/3, \d+\.\d ms\)" % url, lines[2])


def test_debug_line_of_a_failed_call(collected):
    endpoint = "http://127.0.0.1:%d" % free_port()
    conn = boto_elb_c.connect_elb("AK", "SK", endpoint_url=endpoint)
    conn.retry_base_delay = 0.001
    with pytest.raises(EndpointConnectionError):
        conn.get_all_load_balancers()
    lines = [r.getMessage() for r in collected.records if r.getMessage().startswith("DescribeLoadBalancers")]
    assert len(lines) == 3
    assert all("EndpointConnectionError" in line for line in lines)
    assert "retrying in" in lines[0] and "retrying in" in lines[1]
    assert re.search(r"failed: attempt 3/3, \d+\.\d ms: EndpointConnectionError", lines[2])


def test_nothing_is_logged_below_debug(caplog):
    server = CannedServer()
    try:
        with caplog.at_level(logging.INFO, logger="boto_elb_c"):
            boto_elb_c.connect_elb("AK", "SK", endpoint_url=server.endpoint).get_all_load_balancers()
    finally:
        server.stop()
    assert caplog.records == []


def test_set_stream_logger(capsys):
    server = CannedServer()
    logger = boto_elb_c.set_stream_logger("boto_elb_c")
    try:
        boto_elb_c.connect_elb("AK", SECRET, endpoint_url=server.endpoint).get_all_load_balancers()
    finally:
        for h in list(logger.handlers):
            if isinstance(h, logging.StreamHandler) and not isinstance(h, logging.NullHandler):
                logger.removeHandler(h)
        logger.setLevel(logging.NOTSET)
        server.stop()
    err = capsys.readouterr().err
    assert "boto_elb_c [DEBUG]:DescribeLoadBalancers %s/ -> 200 OK" % server.endpoint in err
    assert SECRET not in err
