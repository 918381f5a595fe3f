"""Retries in the C transport (ext/http.c + ext/retry.c): what is retried and what is not, how many attempts
(argument, AWS_MAX_ATTEMPTS, [Boto] num_retries), the backoff, the process-wide retry quota, re-signing each
attempt, Ctrl-C during a backoff, and the on_retry hook the connection logs with."""
import _thread
import datetime
import inspect
import logging
import threading
import time

import pytest

import boto_elb_c
from boto_elb_c import _core
from boto_elb_c.connection import AWSQueryConnection, _resolve_max_attempts
from boto_elb_c.ec2.elb import ELBConnection
from boto_elb_c.emulator import free_port
from boto_elb_c.exception import BotoServerError, EndpointConnectionError
from boto_elb_c.pyami.config import Config
from servers import EMPTY_DESCRIBE, Reply, error_body, full_retry_quota  # noqa: F401

pytestmark = pytest.mark.usefixtures("full_retry_quota")

SIGNER = _core.Signer("AK", "SK", region="us-east-1")
PARAMS = {"Action": "DescribeLoadBalancers", "Version": "2012-06-01"}


def connect(endpoint, **kw):
    conn = boto_elb_c.connect_elb("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", endpoint_url=endpoint,
                                  **kw)
    conn.retry_base_delay = 0.001  # set before the first request: the tests need no real backoff
    return conn


class QueryConnection(AWSQueryConnection):
    """The connection class ELBConnection builds on, with ELB's settings (takes max_attempts= today)."""

    APIVersion = "2012-06-01"
    SigningService = "elasticloadbalancing"
    EndpointEnvName = "ELASTIC_LOAD_BALANCING"


def sequence(*replies):
    """A responder that answers with replies in turn, then repeats the last one."""
    replies = list(replies)
    state = {"i": 0}

    def responder(req):
        i = min(state["i"], len(replies) - 1)
        state["i"] += 1
        return replies[i]

    return responder


def client(**kw):
    kw.setdefault("retry_base_delay", 0.001)
    return _core.HttpClient(**kw)


# --- what is retried ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_transient_statuses_are_retried(canned, status):
    server = canned(sequence(Reply(status=status, body=b"oops"), Reply()))
    c = client()
    result = c.query(server.endpoint + "/", PARAMS, SIGNER)
    assert result[0] == 200 and result[3] == EMPTY_DESCRIBE
    assert c.last_attempts == 2 and len(server.requests) == 2


def test_a_zero_backoff_starts_the_next_attempt_at_once(canned):
    """With no backoff, an attempt that failed is followed by the next one straight away (the engine used to poll
    for up to 100 ms with nothing in flight to wake it): 20 attempts take well under the 2 s that would add up to."""
    server = canned(sequence(*([Reply(status=503, body=b"busy")] * 19 + [Reply()])))
    c = client(max_attempts=20, retry_base_delay=0.0, retry_max_delay=0.0)
    start = time.monotonic()
    assert c.query(server.endpoint + "/", PARAMS, SIGNER)[0] == 200
    assert c.last_attempts == 20
    assert time.monotonic() - start < 1.0


@pytest.mark.parametrize("code", ["Throttling", "ThrottlingException", "RequestLimitExceeded", "RequestThrottled",
                                  "DependencyThrottle", "TooManyRequestsException"])
def test_throttling_codes_are_retried(canned, code):
    server = canned(sequence(Reply(status=400, body=error_body(code, "Rate exceeded")), Reply()))
    c = client()
    assert c.query(server.endpoint + "/", PARAMS, SIGNER)[0] == 200
    assert c.last_attempts == 2


@pytest.mark.parametrize("status, body", [
    (400, error_body("LoadBalancerNotFound")),
    (400, error_body("ValidationError")),
    (400, error_body("RequestExpired")),
    (403, error_body("InvalidClientTokenId")),
    (409, error_body("InvalidConfigurationRequest")),
    (429, b"slow down"),  # no code: botocore's standard mode does not retry a bare 429 either
    (501, b"not implemented"),
    (400, b"<html>Bad Request</html>"),
    (400, b""),
])
def test_other_errors_are_not_retried(canned, status, body):
    server = canned(lambda req: Reply(status=status, body=body))
    c = client()
    assert c.query(server.endpoint + "/", PARAMS, SIGNER)[0] == status
    assert c.last_attempts == 1 and len(server.requests) == 1


def test_not_retried_through_the_connection(canned):
    server = canned(lambda req: Reply(status=400, body=error_body("LoadBalancerNotFound", "There is no ACME")))
    conn = connect(server.endpoint)
    with pytest.raises(BotoServerError) as info:
        conn.get_all_load_balancers(["acme"])
    assert info.value.error_code == "LoadBalancerNotFound" and len(server.requests) == 1


def test_throttling_storm_ends_with_the_last_answer(canned):
    server = canned(lambda req: Reply(status=400, body=error_body("Throttling", "Rate exceeded")))
    conn = connect(server.endpoint)
    with pytest.raises(BotoServerError) as info:
        conn.get_all_load_balancers()
    assert (info.value.status, info.value.error_code, info.value.message) == (400, "Throttling", "Rate exceeded")
    assert len(server.requests) == 3 and conn._http().last_attempts == 3


def test_connection_refused_is_retried():
    endpoint = "http://127.0.0.1:%d" % free_port()
    conn = connect(endpoint)
    with pytest.raises(EndpointConnectionError) as info:
        conn.get_all_load_balancers()
    assert info.value.attempts == 3 and "(after 3 attempts)" in str(info.value)


# --- each attempt is signed afresh from the same parameters ------------------------------------------------------

def test_each_attempt_is_signed_again_with_a_fresh_date(canned):
    # the first answer comes just after the next second starts, so the second attempt is signed in a later second
    state = {"n": 0}

    def responder(req):
        state["n"] += 1
        if state["n"] == 1:
            return Reply(status=503, body=b"busy", delay=1.02 - time.time() % 1.0)
        return Reply()

    server = canned(responder)
    conn = connect(server.endpoint)
    conn.get_all_load_balancers(load_balancer_names=["a b"])
    first, second = server.requests
    assert first.body == second.body == (b"Action=DescribeLoadBalancers&Version=2012-06-01"
                                         b"&LoadBalancerNames.member.1=a+b")
    d1, d2 = (datetime.datetime.strptime(r.header("X-Amz-Date"), "%Y%m%dT%H%M%SZ") for r in (first, second))
    assert d2 > d1
    assert first.header("Authorization") != second.header("Authorization")
    from test_http import botocore_authorization

    for req in (first, second):
        assert req.header("Authorization") == botocore_authorization(
            req, server.endpoint + "/", "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")


# --- how many attempts -------------------------------------------------------------------------------------------

def test_max_attempts_precedence(tmp_path):
    cfg = Config(do_load=False)
    assert _resolve_max_attempts(None, cfg, {}) == 3
    cfg.set("Boto", "num_retries", "4")
    assert _resolve_max_attempts(None, cfg, {}) == 5  # boto's num_retries counts retries
    assert _resolve_max_attempts(None, cfg, {"AWS_MAX_ATTEMPTS": "2"}) == 2  # env before config
    assert _resolve_max_attempts(7, cfg, {"AWS_MAX_ATTEMPTS": "2"}) == 7  # argument before env
    cfg.set("Boto", "num_retries", "0")
    assert _resolve_max_attempts(None, cfg, {}) == 1
    for bad in ("0", "x", "51"):
        with pytest.raises(ValueError, match="AWS_MAX_ATTEMPTS"):
            _resolve_max_attempts(None, cfg, {"AWS_MAX_ATTEMPTS": bad})
    with pytest.raises(ValueError, match="max_attempts"):
        _resolve_max_attempts(0, cfg, {})


def test_max_attempts_from_the_environment(canned, monkeypatch):
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "5")
    server = canned(lambda req: Reply(status=503, body=b"busy"))
    conn = connect(server.endpoint)
    assert (conn.max_attempts, conn.num_retries) == (5, 4)
    with pytest.raises(BotoServerError):
        conn.get_all_load_balancers()
    assert len(server.requests) == 5


def test_num_retries_from_the_boto_config(canned, tmp_path, monkeypatch):
    path = tmp_path / "boto.cfg"
    path.write_text("[Boto]\nnum_retries = 0\n")
    monkeypatch.setenv("BOTO_CONFIG", str(path))
    server = canned(lambda req: Reply(status=503, body=b"busy"))
    conn = connect(server.endpoint)
    assert conn.max_attempts == 1
    with pytest.raises(BotoServerError):
        conn.get_all_load_balancers()
    assert len(server.requests) == 1


def test_max_attempts_argument(canned, monkeypatch):
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "5")
    server = canned(lambda req: Reply(status=503, body=b"busy"))
    conn = QueryConnection("AK", "SK", host="127.0.0.1", endpoint_url=server.endpoint, max_attempts=2)
    conn.retry_base_delay = 0.001
    assert conn.make_request("DescribeLoadBalancers").status == 503
    assert len(server.requests) == 2


@pytest.mark.skipif("max_attempts" not in inspect.signature(ELBConnection.__init__).parameters,
                    reason="ELBConnection passes max_attempts= to AWSQueryConnection once boto_elb_c/ec2/elb takes it")
def test_max_attempts_argument_of_elbconnection(canned):
    server = canned(lambda req: Reply(status=503, body=b"busy"))
    conn = connect(server.endpoint, max_attempts=4)
    with pytest.raises(BotoServerError):
        conn.get_all_load_balancers()
    assert len(server.requests) == 4


def test_httpclient_argument_checks():
    for kw in ({"max_attempts": 0}, {"max_attempts": 51}, {"retry_base_delay": -1}, {"retry_max_delay": 1e9}):
        with pytest.raises(ValueError):
            _core.HttpClient(**kw)
    with pytest.raises(TypeError):
        _core.HttpClient(on_retry=42)
    assert _core.HttpClient().max_attempts == 3


# --- backoff -----------------------------------------------------------------------------------------------------

def test_backoff_is_full_jitter_capped(canned):
    server = canned(lambda req: Reply(status=503, body=b"busy"))
    events = []
    c = _core.HttpClient(max_attempts=6, retry_base_delay=0.004, retry_max_delay=0.01,
                         on_retry=lambda *a: events.append(a))
    assert c.query(server.endpoint + "/", PARAMS, SIGNER)[0] == 503
    assert [e[1] for e in events] == [1, 2, 3, 4, 5]
    ceilings = [0.004, 0.008, 0.01, 0.01, 0.01]  # base * 2**(n-1), capped
    for (url, attempt, max_attempts, reason, delay), ceiling in zip(events, ceilings):
        assert url == server.endpoint + "/" and max_attempts == 6
        assert reason == "HTTP 503 Service Unavailable"
        assert 0 <= delay <= ceiling
    assert c.retries == 5


def test_max_retry_delay_from_the_boto_config(tmp_path, monkeypatch):
    path = tmp_path / "boto.cfg"
    path.write_text("[Boto]\nmax_retry_delay = 2.5\n")
    monkeypatch.setenv("BOTO_CONFIG", str(path))
    conn = boto_elb_c.connect_elb("AK", "SK")
    assert (conn.retry_max_delay, conn.retry_base_delay) == (2.5, 1.0)


def test_ctrl_c_interrupts_a_backoff(canned):
    server = canned(lambda req: Reply(status=503, body=b"busy"))
    c = _core.HttpClient(retry_base_delay=60, retry_max_delay=60, retry_quota=False)
    timer = threading.Timer(0.3, _thread.interrupt_main)
    timer.start()
    start = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            c.query(server.endpoint + "/", PARAMS, SIGNER)
    finally:
        timer.cancel()
    assert time.monotonic() - start < 30  # well before the backoff (up to 60 s) would have ended
    assert c.last_attempts == 1


def test_an_exception_from_on_retry_stops_the_call(canned):
    server = canned(lambda req: Reply(status=503, body=b"busy"))

    def on_retry(*args):
        raise LookupError("stop here")

    c = client(on_retry=on_retry)
    with pytest.raises(LookupError, match="stop here"):
        c.query(server.endpoint + "/", PARAMS, SIGNER)
    assert c.last_attempts == 1 and len(server.requests) == 1


# --- the retry quota ---------------------------------------------------------------------------------------------

def test_quota_success_gives_tokens_back(canned):
    server = canned(sequence(Reply(status=503, body=b"busy"), Reply()))
    _core._retry_quota(100)
    c = client()
    c.query(server.endpoint + "/", PARAMS, SIGNER)  # one retry (5 tokens), then success (5 back)
    assert c.last_attempts == 2 and _core._retry_quota() == 100
    c.query(server.endpoint + "/", PARAMS, SIGNER)  # success at once: +1
    assert _core._retry_quota() == 101


def test_quota_is_drawn_by_failures(canned):
    server = canned(lambda req: Reply(status=503, body=b"busy"))
    _core._retry_quota(100)
    client().query(server.endpoint + "/", PARAMS, SIGNER)
    assert _core._retry_quota() == 90  # two retries of 5; a failure gives nothing back


def test_timeouts_cost_more():
    from servers import SilentServer

    with SilentServer() as server:
        _core._retry_quota(100)
        c = client(read_timeout=0.05, max_attempts=2)
        with pytest.raises(TimeoutError):
            c.query(server.endpoint + "/", PARAMS, SIGNER)
        assert _core._retry_quota() == 90


def test_empty_quota_stops_retrying(canned, caplog):
    server = canned(lambda req: Reply(status=503, body=b"busy"))
    _core._retry_quota(7)
    conn = connect(server.endpoint)
    with caplog.at_level(logging.DEBUG, logger="boto_elb_c"):
        with pytest.raises(BotoServerError):
            conn.get_all_load_balancers()
    assert len(server.requests) == 2  # 7 tokens: one retry of 5, then not enough
    assert _core._retry_quota() == 2
    expected = "attempt 2/3 failed (HTTP 503 Service Unavailable; the retry quota is exhausted); not retried"
    assert any(expected in r.getMessage() for r in caplog.records)


def test_quota_is_shared_by_threads(canned):
    """A dead endpoint does not multiply the load: with 50 tokens, 20 threads make at most 10 retries together."""
    server = canned(lambda req: Reply(status=503, body=b"busy"))
    _core._retry_quota(50)
    conn = connect(server.endpoint)
    conn.max_attempts = 5
    errors = []

    def call():
        try:
            conn.get_all_load_balancers()
        except BotoServerError as exc:
            errors.append(exc.status)

    threads = [threading.Thread(target=call) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [503] * 20
    assert len(server.requests) == 20 + 10
    assert _core._retry_quota() == 0


def test_quota_can_be_left_alone(canned):
    server = canned(lambda req: Reply(status=503, body=b"busy"))
    _core._retry_quota(0)
    c = client(retry_quota=False)
    c.query(server.endpoint + "/", PARAMS, SIGNER)
    assert c.last_attempts == 3 and _core._retry_quota() == 0
    with pytest.raises(ValueError):
        _core._retry_quota(501)
