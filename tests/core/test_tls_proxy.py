"""TLS verification and proxies, against a local HTTPS server with a certificate the test makes and a small local
forward/CONNECT proxy (tests/servers.py).

TLS: verified by default against the system store; ``AWS_CA_BUNDLE`` (first) or ``[Boto] ca_certificates_file``
choose another bundle; ``validate_certs=False`` (or ``[Boto] https_validate_certificates = false``) turns
verification off and logs a warning.

Proxies: the ``proxy``/``proxy_port``/``proxy_user``/``proxy_pass`` arguments (always used), then the environment
(``https_proxy``/``HTTPS_PROXY`` for https endpoints, ``http_proxy``/``HTTP_PROXY`` for http ones and, as boto 2
did, for https ones without an https proxy), then ``[Boto] proxy``...; ``NO_PROXY`` exempts endpoints from the
environment's and the config's proxy.
"""
import logging

import pytest

import boto_elb_c
from boto_elb_c import _core
from boto_elb_c.emulator import free_port
from boto_elb_c.exception import BotoServerError, ProxyConnectionError, SSLError
from servers import CannedServer, ForwardProxy, certs, full_retry_quota  # noqa: F401

pytestmark = pytest.mark.usefixtures("full_retry_quota")


def connect(endpoint, **kw):
    conn = boto_elb_c.connect_elb("AK", "SK", endpoint_url=endpoint, **kw)
    conn.retry_base_delay = 0.001
    return conn


def boto_config(tmp_path, monkeypatch, text):
    path = tmp_path / "boto.cfg"
    path.write_text("[Boto]\n" + text)
    monkeypatch.setenv("BOTO_CONFIG", str(path))


@pytest.fixture
def https_server(certs):
    server = CannedServer(tls=certs["good"])
    yield server
    server.stop()


@pytest.fixture
def http_server():
    server = CannedServer()
    yield server
    server.stop()


@pytest.fixture
def proxy():
    p = ForwardProxy()
    yield p
    p.stop()


# --- TLS -----------------------------------------------------------------------------------------------------------

def test_tls_rejected_by_default(https_server):
    conn = connect(https_server.endpoint)
    with pytest.raises(SSLError) as info:
        conn.get_all_load_balancers()
    assert "certificate" in str(info.value) and info.value.attempts == 1  # not retried: it would fail again
    assert https_server.requests == []


def test_aws_ca_bundle(https_server, certs, monkeypatch):
    monkeypatch.setenv("AWS_CA_BUNDLE", certs["good"][0])
    conn = connect(https_server.endpoint)
    assert conn.ca_certificates_file == certs["good"][0]
    assert conn.get_all_load_balancers() == []


def test_boto_config_ca_certificates_file(https_server, certs, tmp_path, monkeypatch):
    boto_config(tmp_path, monkeypatch, "ca_certificates_file = %s\n" % certs["good"][0])
    assert connect(https_server.endpoint).get_all_load_balancers() == []


def test_aws_ca_bundle_comes_before_the_boto_config(https_server, certs, tmp_path, monkeypatch):
    boto_config(tmp_path, monkeypatch, "ca_certificates_file = %s\n" % certs["good"][0])
    monkeypatch.setenv("AWS_CA_BUNDLE", certs["other"][0])
    with pytest.raises(SSLError):
        connect(https_server.endpoint).get_all_load_balancers()


def test_a_bundle_that_does_not_vouch_for_the_server(https_server, certs):
    client = _core.HttpClient(ca_bundle=certs["other"][0])
    with pytest.raises(SSLError):
        client.query(https_server.endpoint + "/", {"Action": "X"}, _core.Signer("A", "S", region="r"))


def test_ca_certificates_file_system_means_the_system_store(https_server, tmp_path, monkeypatch):
    boto_config(tmp_path, monkeypatch, "ca_certificates_file = system\n")
    conn = connect(https_server.endpoint)
    assert conn.ca_certificates_file is None
    with pytest.raises(SSLError):
        conn.get_all_load_balancers()


def test_missing_bundle_file(https_server, tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_CA_BUNDLE", str(tmp_path / "no-such-bundle.pem"))
    with pytest.raises(SSLError) as info:
        connect(https_server.endpoint).get_all_load_balancers()
    assert "no-such-bundle.pem" in str(info.value) and info.value.attempts == 1


def test_validate_certs_false_works_and_warns(https_server, caplog):
    with caplog.at_level(logging.WARNING, logger="boto_elb_c"):
        conn = connect(https_server.endpoint, validate_certs=False)
    assert conn.get_all_load_balancers() == []
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "NOT verified" in warnings[0].getMessage()
    assert https_server.endpoint in warnings[0].getMessage()


def test_https_validate_certificates_false_in_the_boto_config(https_server, tmp_path, monkeypatch, caplog):
    boto_config(tmp_path, monkeypatch, "https_validate_certificates = false\n")
    with caplog.at_level(logging.WARNING, logger="boto_elb_c"):
        assert connect(https_server.endpoint).get_all_load_balancers() == []
    assert any("NOT verified" in r.getMessage() for r in caplog.records)


def test_no_warning_for_plain_http(http_server, caplog):
    with caplog.at_level(logging.WARNING, logger="boto_elb_c"):
        connect(http_server.endpoint, validate_certs=False)
    assert not caplog.records


def test_tls_sessions_are_shared_between_clients(https_server, certs, monkeypatch):
    monkeypatch.setenv("AWS_CA_BUNDLE", certs["good"][0])
    before = _core._share_stats()
    for _ in range(3):  # a new connection object (and so a new connection) each time, as many boto scripts do
        conn = connect(https_server.endpoint)
        assert conn._http().shared
        conn.get_all_load_balancers()
        conn.close()
    assert [r.tls_resumed for r in https_server.requests] == [False, True, True]
    after = _core._share_stats()
    assert after["ssl_session_locks"] > before["ssl_session_locks"]
    assert after["dns_locks"] > before["dns_locks"]


def test_without_the_share_no_session_is_resumed(https_server, certs):
    for _ in range(2):
        client = _core.HttpClient(ca_bundle=certs["good"][0], share=False)
        assert not client.shared
        client.query(https_server.endpoint + "/", {"Action": "X"}, _core.Signer("A", "S", region="r"))
    assert [r.tls_resumed for r in https_server.requests] == [False, False]


# --- proxies -------------------------------------------------------------------------------------------------------

def test_http_proxy_from_the_environment(http_server, proxy, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    conn = connect(http_server.endpoint)
    assert (conn.use_proxy, conn.proxy, conn.proxy_port, conn.proxy_source) == (True, "127.0.0.1", proxy.port,
                                                                                "environment")
    assert conn.get_all_load_balancers() == []
    assert [(p.method, p.target) for p in proxy.seen] == [("POST", http_server.endpoint + "/")]
    assert len(http_server.requests) == 1


def test_https_through_a_connect_tunnel(https_server, proxy, certs, monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    monkeypatch.setenv("AWS_CA_BUNDLE", certs["good"][0])
    conn = connect(https_server.endpoint)
    assert conn.get_all_load_balancers() == []
    assert conn.get_all_load_balancers() == []  # the tunnel is kept alive
    assert [(p.method, p.target) for p in proxy.seen] == [("CONNECT", "127.0.0.1:%d" % https_server.port)]
    assert len(https_server.requests) == 2


def test_tls_is_verified_through_the_tunnel(https_server, proxy, monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    with pytest.raises(SSLError):
        connect(https_server.endpoint).get_all_load_balancers()
    assert [p.method for p in proxy.seen] == ["CONNECT"]


def test_lower_case_variable_first(http_server, proxy, monkeypatch):
    with ForwardProxy() as other:
        monkeypatch.setenv("http_proxy", proxy.url)
        monkeypatch.setenv("HTTP_PROXY", other.url)
        connect(http_server.endpoint).get_all_load_balancers()
        assert len(proxy.seen) == 1 and other.seen == []


def test_https_endpoint_falls_back_to_http_proxy_as_boto_did(https_server, proxy, certs, monkeypatch):
    monkeypatch.setenv("http_proxy", proxy.url)
    monkeypatch.setenv("AWS_CA_BUNDLE", certs["good"][0])
    connect(https_server.endpoint).get_all_load_balancers()
    assert [p.method for p in proxy.seen] == ["CONNECT"]


def test_upper_case_http_proxy_is_ignored_in_a_cgi_request(http_server, proxy, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("REQUEST_METHOD", "GET")
    connect(http_server.endpoint).get_all_load_balancers()
    assert proxy.seen == []


@pytest.mark.parametrize("no_proxy", ["127.0.0.1", "*", "example.com, 127.0.0.1", "127.0.0.1:{port}"])
def test_no_proxy_exempts_the_endpoint(http_server, proxy, monkeypatch, no_proxy):
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", no_proxy.format(port=http_server.port))
    conn = connect(http_server.endpoint)
    assert not conn.use_proxy
    conn.get_all_load_balancers()
    assert proxy.seen == [] and len(http_server.requests) == 1


def test_no_proxy_for_other_hosts(http_server, proxy, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("no_proxy", "example.com,.internal,127.0.0.2")
    connect(http_server.endpoint).get_all_load_balancers()
    assert len(proxy.seen) == 1


def test_the_argument_comes_first_and_ignores_no_proxy(http_server, proxy, monkeypatch):
    with ForwardProxy() as env_proxy:
        monkeypatch.setenv("HTTP_PROXY", env_proxy.url)
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        conn = connect(http_server.endpoint, proxy="127.0.0.1", proxy_port=proxy.port)
        assert conn.proxy_source == "argument"
        conn.get_all_load_balancers()
        assert len(proxy.seen) == 1 and env_proxy.seen == []


def test_proxy_from_the_boto_config_with_credentials(http_server, tmp_path, monkeypatch):
    with ForwardProxy(auth=("cfg-user", "cfg-pass")) as p:
        boto_config(tmp_path, monkeypatch, "proxy = 127.0.0.1\nproxy_port = %d\nproxy_user = cfg-user\n"
                                           "proxy_pass = cfg-pass\n" % p.port)
        conn = connect(http_server.endpoint)
        assert conn.proxy_source == "boto config"
        assert conn.get_all_load_balancers() == []
        assert p.seen[0].proxy_authorization == "Basic Y2ZnLXVzZXI6Y2ZnLXBhc3M="


def test_the_environment_comes_before_the_boto_config(http_server, proxy, tmp_path, monkeypatch):
    boto_config(tmp_path, monkeypatch, "proxy = 127.0.0.1\nproxy_port = %d\n" % free_port())
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    connect(http_server.endpoint).get_all_load_balancers()
    assert len(proxy.seen) == 1


def test_no_proxy_applies_to_the_boto_config_proxy(http_server, tmp_path, monkeypatch):
    boto_config(tmp_path, monkeypatch, "proxy = 127.0.0.1\nproxy_port = %d\n" % free_port())
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    assert connect(http_server.endpoint).get_all_load_balancers() == []


def test_proxy_credentials_as_arguments(https_server, certs, monkeypatch):
    monkeypatch.setenv("AWS_CA_BUNDLE", certs["good"][0])
    with ForwardProxy(auth=("alice", "s3cr:t@pw")) as p:
        conn = connect(https_server.endpoint, proxy=p.url, proxy_user="alice", proxy_pass="s3cr:t@pw")
        assert conn.get_all_load_balancers() == []
        assert [x.method for x in p.seen] == ["CONNECT"]
        assert conn._http().proxy == (True, "alice")
        assert "s3cr:t@pw" not in repr(conn) + str(conn) + repr(conn._http().proxy)


def test_proxy_credentials_in_the_environment_url(http_server, monkeypatch):
    with ForwardProxy(auth=("bob", "p@ss word")) as p:
        monkeypatch.setenv("http_proxy", "http://bob:p%40ss%20word@127.0.0.1:" + str(p.port))
        conn = connect(http_server.endpoint)
        assert conn.proxy_user == "bob" and conn.proxy_pass == "p@ss word"
        assert conn.get_all_load_balancers() == []


def test_wrong_proxy_password_on_a_tunnel_is_not_retried(https_server, certs, monkeypatch):
    monkeypatch.setenv("AWS_CA_BUNDLE", certs["good"][0])
    with ForwardProxy(auth=("alice", "right")) as p:
        conn = connect(https_server.endpoint, proxy=p.url, proxy_user="alice", proxy_pass="wrong-pass-123")
        with pytest.raises(ProxyConnectionError) as info:
            conn.get_all_load_balancers()
        assert "407" in str(info.value) and info.value.attempts == 1 and len(p.seen) == 1
        assert isinstance(info.value, ConnectionError)
        assert "wrong-pass-123" not in str(info.value) + repr(info.value)


def test_wrong_proxy_password_for_plain_http_is_the_proxys_answer(http_server):
    with ForwardProxy(auth=("alice", "right")) as p:
        conn = connect(http_server.endpoint, proxy=p.url, proxy_user="alice", proxy_pass="wrong")
        with pytest.raises(BotoServerError) as info:
            conn.get_all_load_balancers()
        assert info.value.status == 407 and http_server.requests == []


def test_unreachable_proxy_is_retried(http_server):
    conn = connect(http_server.endpoint, proxy="127.0.0.1", proxy_port=free_port())
    with pytest.raises(ProxyConnectionError) as info:
        conn.get_all_load_balancers()
    assert info.value.attempts == 3 and http_server.requests == []


def test_proxy_must_be_http(http_server):
    with pytest.raises(ValueError):
        connect(http_server.endpoint, proxy="socks5://127.0.0.1:1080")


def test_httpclient_ignores_the_proxy_environment(http_server, proxy, monkeypatch):
    """libcurl would read http_proxy/no_proxy itself; the transport leaves that to the connection."""
    monkeypatch.setenv("http_proxy", proxy.url)
    monkeypatch.setenv("ALL_PROXY", proxy.url)
    client = _core.HttpClient()
    assert client.proxy is None
    client.query(http_server.endpoint + "/", {"Action": "X"}, _core.Signer("A", "S", region="r"))
    assert proxy.seen == []
