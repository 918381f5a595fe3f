"""One ELBConnection used from many threads at once: a client (easy + multi handle) per thread, never a handle
shared by two transfers; keep-alive reused per thread; DNS and TLS sessions shared through the process-wide
libcurl share handle."""
import threading

import pytest

import boto_elb_c
from boto_elb_c import _core
from servers import CannedServer, Reply, certs, full_retry_quota  # noqa: F401

pytestmark = pytest.mark.usefixtures("full_retry_quota")

THREADS = 8
CALLS = 10


def run_threads(conn):
    clients, results, errors = [], [], []
    lock = threading.Lock()

    def work():
        try:
            for _ in range(CALLS):
                rs = conn.get_all_load_balancers()
                with lock:
                    results.append(rs)
            with lock:
                clients.append(conn._http())
        except Exception as exc:  # pragma: no cover - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert results == [[]] * (THREADS * CALLS)
    return clients


def test_many_threads_one_connection(canned):
    server = canned(lambda req: Reply(delay=0.005))
    conn = boto_elb_c.connect_elb("AK", "SK", endpoint_url=server.endpoint)
    clients = run_threads(conn)
    assert len({id(c) for c in clients}) == THREADS  # a client per thread
    assert all(c.requests == CALLS and c.connects == 1 for c in clients)  # keep-alive within each thread
    assert len({r.client_port for r in server.requests}) == THREADS
    conn.close()
    assert all(c.closed for c in clients)


def test_many_threads_over_tls_share_sessions(certs, monkeypatch):
    monkeypatch.setenv("AWS_CA_BUNDLE", certs["good"][0])
    server = CannedServer(tls=certs["good"])
    try:
        conn = boto_elb_c.connect_elb("AK", "SK", endpoint_url=server.endpoint)
        conn.get_all_load_balancers()  # one full handshake first: its session is the one the threads resume
        run_threads(conn)
        first_of_each_connection = {}
        for r in server.requests:
            first_of_each_connection.setdefault(r.client_port, r.tls_resumed)
        resumed = list(first_of_each_connection.values())
        assert resumed[0] is False and len(resumed) == THREADS + 1
        # other threads' clients resumed the session of the first handshake (or of one another). Not necessarily
        # all: each resumed TLS 1.3 handshake brings new tickets, and a thread that looks up the cache while libcurl
        # swaps the old session for the new one makes a full handshake (tests/core/test_tls_proxy.py shows the
        # sequential case exactly).
        assert any(resumed[1:])
    finally:
        server.stop()


def test_share_handle_exists():
    stats = _core._share_stats()
    assert set(stats) == {"dns_locks", "ssl_session_locks"}
    assert _core.HttpClient().shared and not _core.HttpClient(share=False).shared
