"""Fault injection: a server of ours breaks HTTP on purpose, and every call ends in a successful retry or a specific
exception within its timeouts -- never a crash, a hang or a silent wrong result.

Each fault is shown twice where it can be transient: once followed by a good answer (the retry succeeds), once
for good (the specific exception, after the attempts the policy allows).
"""
import resource
import threading
import time

import pytest

import boto_elb_c
from boto_elb_c import _core
from boto_elb_c.exception import (
    BotoServerError,
    ConnectionClosedError,
    HTTPClientError,
    ReadTimeoutError,
    ResponseParseError,
    ResponseTooLargeError,
)
from servers import EMPTY_DESCRIBE, FaultServer, error_body, full_retry_quota  # noqa: F401

pytestmark = pytest.mark.usefixtures("full_retry_quota")

READ_TIMEOUT = 0.3


def connect(server, **kw):
    kw.setdefault("read_timeout", READ_TIMEOUT)
    kw.setdefault("connect_timeout", 2)
    conn = boto_elb_c.connect_elb("AK", "SK", endpoint_url=server.endpoint, **kw)
    conn.retry_base_delay = 0.001
    return conn


def attempts(conn):
    return conn._http().last_attempts


def first_n_then_ok(n, fault):
    """A handler: fault(conn) for the first n requests, then a good answer."""

    def handler(conn):
        if conn.index < n:
            fault(conn)
        else:
            conn.reply()

    return handler


def reset_mid_body(conn):
    body = EMPTY_DESCRIBE
    conn.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: %d\r\n\r\n" % len(body))
    conn.send(body[:50])
    conn.wait(0.02)
    conn.reset()


def close_before_headers(conn):
    conn.close()


def never_answer(conn):
    conn.wait(10)  # far longer than the read timeout; the server's stop cuts it short


def content_length_too_long(conn):
    conn.reply(body=EMPTY_DESCRIBE, content_length=len(EMPTY_DESCRIBE) + 100)
    conn.close()


def status_503(conn):
    conn.reply(status=503, body=b"<html>busy</html>", headers=[("Content-Type", "text/html")])


# --- transient faults: the retry succeeds ------------------------------------------------------------------------

@pytest.mark.parametrize("fault", [reset_mid_body, close_before_headers, never_answer, content_length_too_long,
                                   status_503])
def test_one_fault_then_success(fault):
    with FaultServer(first_n_then_ok(1, fault)) as server:
        conn = connect(server)
        assert conn.get_all_load_balancers() == []
        assert attempts(conn) == 2 and len(server.requests) == 2


def test_silence_on_a_kept_alive_connection():
    """The read timeout also runs on a reused connection: the second call's first attempt times out there, its
    retry on a new connection succeeds."""
    def handler(conn):
        if conn.nth == 0:
            conn.reply()
        else:
            never_answer(conn)

    with FaultServer(handler) as server:
        conn = connect(server)
        assert conn.get_all_load_balancers() == [] and attempts(conn) == 1
        assert conn.get_all_load_balancers() == [] and attempts(conn) == 2
        assert conn._http().connects == 2


def test_two_503_then_200():
    with FaultServer(first_n_then_ok(2, status_503)) as server:
        conn = connect(server)
        assert conn.get_all_load_balancers() == []
        assert attempts(conn) == 3


# --- faults for good: the specific exception, within the timeouts -------------------------------------------------

@pytest.mark.parametrize("fault, message", [
    (reset_mid_body, "reset"),
    (close_before_headers, "Empty reply"),
    (content_length_too_long, "bytes remaining"),
])
def test_connection_faults_end_in_connection_closed(fault, message):
    with FaultServer(fault) as server:
        conn = connect(server)
        with pytest.raises(ConnectionClosedError) as info:
            conn.get_all_load_balancers()
        assert isinstance(info.value, ConnectionError) and message in str(info.value)
        assert info.value.attempts == 3 and len(server.requests) == 3


def test_headers_that_never_come():
    with FaultServer(never_answer) as server:
        conn = connect(server)
        start = time.monotonic()
        with pytest.raises(ReadTimeoutError) as info:
            conn.get_all_load_balancers()
        # three attempts of READ_TIMEOUT each, tiny backoffs, and a margin
        assert time.monotonic() - start < 3 * READ_TIMEOUT + 2
        assert info.value.attempts == 3 and "read_timeout" in str(info.value)


def test_503_storm_past_the_attempts():
    with FaultServer(status_503) as server:
        conn = connect(server)
        with pytest.raises(BotoServerError) as info:
            conn.get_all_load_balancers()
        assert info.value.status == 503 and len(server.requests) == 3


def test_throttling_storm_past_the_attempts():
    def throttle(conn):
        conn.reply(status=400, body=error_body("Throttling", "Rate exceeded"))

    with FaultServer(throttle) as server:
        conn = connect(server)
        with pytest.raises(BotoServerError) as info:
            conn.get_all_load_balancers()
        assert (info.value.status, info.value.error_code, info.value.request_id) == (400, "Throttling", "req-err")
        assert len(server.requests) == 3


def test_html_page_with_502():
    page = b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></html>"

    def bad_gateway(conn):
        conn.reply(status=502, body=page, headers=[("Content-Type", "text/html")])

    with FaultServer(bad_gateway) as server:
        conn = connect(server)
        with pytest.raises(BotoServerError) as info:
            conn.get_all_load_balancers()
        assert (info.value.status, info.value.reason, info.value.error_code) == (502, "Bad Gateway", None)
        assert "Bad Gateway" in info.value.message and len(server.requests) == 3


# --- answers that are complete HTTP but wrong: final, not retried ---------------------------------------------------

def test_truncated_xml_with_200():
    # the HTTP framing is right (the Content-Length matches what was sent): the server meant this body, so it is a
    # parse failure, not a transport failure, and a retry would only guess
    with FaultServer(lambda conn: conn.reply(body=EMPTY_DESCRIBE[:120])) as server:
        conn = connect(server)
        with pytest.raises(ResponseParseError) as info:
            conn.get_all_load_balancers()
        assert info.value.status == 200 and info.value.body == EMPTY_DESCRIBE[:120].decode()
        assert len(server.requests) == 1


def test_empty_200_body():
    with FaultServer(lambda conn: conn.reply(body=b"")) as server:
        conn = connect(server)
        with pytest.raises(BotoServerError) as info:
            conn.get_all_load_balancers()
        assert info.value.status == 200 and not isinstance(info.value, ResponseParseError)
        assert len(server.requests) == 1


def test_invalid_utf8():
    body = EMPTY_DESCRIBE.replace(b"req-1", b"req-\xff\xfe")
    with FaultServer(lambda conn: conn.reply(body=body)) as server:
        conn = connect(server)
        with pytest.raises(ResponseParseError) as info:
            conn.get_all_load_balancers()
        assert "UTF-8" in info.value.detail and len(server.requests) == 1


def test_content_length_too_short_does_not_poison_the_connection():
    # the server says 60 bytes and sends more: the call sees a truncated document; the extra bytes must not be read
    # as the next response on the kept-alive connection
    def handler(conn):
        if conn.index == 0:
            conn.reply(body=EMPTY_DESCRIBE, content_length=60)
        else:
            conn.reply()

    with FaultServer(handler) as server:
        conn = connect(server)
        with pytest.raises(ResponseParseError):
            conn.get_all_load_balancers()
        assert conn.get_all_load_balancers() == []


def test_not_http_at_all():
    def handler(conn):
        conn.send(b"SSH-2.0-OpenSSH_9.2\r\n\r\n")
        conn.close()

    with FaultServer(handler) as server:
        conn = connect(server)
        with pytest.raises(HTTPClientError) as info:
            conn.get_all_load_balancers()
        assert info.value.attempts == 1  # it says the same thing every time


# --- size limits ---------------------------------------------------------------------------------------------------

def test_content_length_over_the_limit_fails_at_once():
    def huge(conn):
        conn.send(b"HTTP/1.1 200 OK\r\nContent-Length: 100000000000\r\n\r\n<x>")
        conn.close()

    with FaultServer(huge) as server:
        conn = connect(server)
        with pytest.raises(ResponseTooLargeError) as info:
            conn.get_all_load_balancers()
        assert "limit" in str(info.value) and info.value.attempts == 1


def test_endless_body_stops_at_the_limit_with_bounded_memory():
    limit = 1 << 20
    sent = []

    def stream(conn):
        conn.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b"10000\r\n" + b"<" * 0x10000 + b"\r\n"
        for i in range(1024):  # up to 64 MiB, unless the client hangs up first
            if conn.closed:
                break
            conn.send(chunk)
            sent.append(len(chunk))
        conn.close()

    with FaultServer(stream) as server:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        client = _core.HttpClient(max_body=limit, read_timeout=2)
        with pytest.raises(ResponseTooLargeError) as info:
            client.query(server.endpoint + "/", {"Action": "DescribeLoadBalancers"},
                         _core.Signer("A", "S", region="r"))
        grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert "1048576 bytes" in str(info.value) and client.last_attempts == 1
    assert sum(sent) < 16 * limit  # the client hung up soon after the limit
    assert grown_kib < 32 * 1024  # the peak memory never came near the 64 MiB the server offered


def test_connection_max_response_size():
    big = EMPTY_DESCRIBE.replace(b"req-1", b"r" * 5000)
    with FaultServer(lambda conn: conn.reply(body=big)) as server:
        conn = connect(server)
        conn.max_response_size = 4096
        with pytest.raises(ResponseTooLargeError):
            conn.get_all_load_balancers()


# --- no fault leaks into another thread's calls --------------------------------------------------------------------

def test_faults_in_many_threads():
    """Four threads share a connection object; the server resets every kept-alive connection at its second
    request, so every call but each thread's first needs a retry: every call succeeds."""

    def flaky(conn):
        if conn.nth == 1:
            reset_mid_body(conn)
        else:
            conn.reply()

    with FaultServer(flaky) as server:
        conn = connect(server)
        results, errors = [], []

        def work():
            try:
                for _ in range(5):
                    results.append(conn.get_all_load_balancers())
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert not errors and results == [[]] * 20
        assert len(server.requests) == 20 + 4 * 4  # 4 retries in each thread
