"""Connect and read timeouts: defaults (60 s each, as botocore), the arguments, ``[Boto] http_socket_timeout``;
a server that stalls never holds a call past them (times the attempts, plus the small test backoff)."""
import socket
import time

import pytest

import boto_elb_c
from boto_elb_c.exception import ConnectTimeoutError, ReadTimeoutError
from servers import EMPTY_DESCRIBE, FaultServer, full_retry_quota  # noqa: F401

pytestmark = pytest.mark.usefixtures("full_retry_quota")


def connect(endpoint, **kw):
    conn = boto_elb_c.connect_elb("AK", "SK", endpoint_url=endpoint, **kw)
    conn.retry_base_delay = 0.001
    return conn


def test_defaults():
    conn = boto_elb_c.connect_elb("AK", "SK")
    assert (conn.connect_timeout, conn.read_timeout) == (60.0, 60.0)
    assert conn._http().timeouts == (60.0, 60.0)


def test_http_socket_timeout_sets_both_and_arguments_win(tmp_path, monkeypatch):
    path = tmp_path / "boto.cfg"
    path.write_text("[Boto]\nhttp_socket_timeout = 7.5\n")
    monkeypatch.setenv("BOTO_CONFIG", str(path))
    assert boto_elb_c.connect_elb("AK", "SK")._http().timeouts == (7.5, 7.5)
    conn = boto_elb_c.connect_elb("AK", "SK", connect_timeout=2, read_timeout=3)
    assert conn._http().timeouts == (2.0, 3.0)


@pytest.mark.parametrize("kw", [{"connect_timeout": 0}, {"read_timeout": -1}])
def test_timeouts_must_be_positive(kw):
    with pytest.raises(ValueError):
        boto_elb_c.connect_elb("AK", "SK", **kw)


def test_read_timeout_from_the_boto_config(tmp_path, monkeypatch):
    path = tmp_path / "boto.cfg"
    path.write_text("[Boto]\nhttp_socket_timeout = 0.2\n")
    monkeypatch.setenv("BOTO_CONFIG", str(path))
    with FaultServer(lambda c: c.wait(10)) as server:
        conn = connect(server.endpoint)
        start = time.monotonic()
        with pytest.raises(ReadTimeoutError) as info:
            conn.get_all_load_balancers()
        assert time.monotonic() - start < 3 * 0.2 + 2
        assert info.value.attempts == 3


def test_read_timeout_is_time_without_data_not_the_whole_answer():
    """A slow but steady answer (a byte every 0.05 s, 0.5 s in all) is not cut by a 0.3 s read timeout."""
    def trickle(conn):
        body = EMPTY_DESCRIBE
        conn.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: %d\r\n\r\n" % len(body))
        step = len(body) // 10 + 1
        for i in range(0, len(body), step):
            conn.send(body[i:i + step])
            conn.wait(0.05)

    with FaultServer(trickle) as server:
        conn = connect(server.endpoint, read_timeout=0.3)
        assert conn.get_all_load_balancers() == []
        assert conn._http().last_attempts == 1


def _saturated_listener():
    """A listening socket whose accept queue is full: the kernel drops new SYNs, so a connect hangs."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(0)
    port = srv.getsockname()[1]
    fillers = []
    for _ in range(4):
        s = socket.socket()
        s.setblocking(False)
        try:
            s.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        fillers.append(s)
    probe = socket.socket()
    probe.settimeout(0.2)
    try:
        probe.connect(("127.0.0.1", port))
        hangs = False
    except socket.timeout:
        hangs = True
    except OSError:
        hangs = False
    finally:
        probe.close()
    return srv, fillers, port, hangs


def test_connect_timeout():
    srv, fillers, port, hangs = _saturated_listener()
    try:
        if not hangs:
            pytest.skip("this kernel does not leave a connect to a full accept queue hanging")
        conn = connect("http://127.0.0.1:%d" % port, connect_timeout=0.2)
        start = time.monotonic()
        with pytest.raises(ConnectTimeoutError) as info:
            conn.get_all_load_balancers()
        assert time.monotonic() - start < 3 * 0.2 + 2
        assert isinstance(info.value, TimeoutError) and info.value.attempts == 3
        assert "connect_timeout" in str(info.value)
    finally:
        for s in fillers:
            s.close()
        srv.close()


def test_a_tls_handshake_that_never_ends_is_a_connect_timeout():
    # the server takes the TCP connection and then says nothing: the TLS handshake is part of connecting
    with FaultServer(lambda c: c.wait(10)) as server:
        conn = connect("https://127.0.0.1:%d" % server.port, connect_timeout=0.2, read_timeout=30)
        start = time.monotonic()
        with pytest.raises(ConnectTimeoutError):
            conn.get_all_load_balancers()
        assert time.monotonic() - start < 3 * 0.2 + 2
