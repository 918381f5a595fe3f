"""The libcurl transport (ext/http.c) against small local servers of our own: the exact request, keep-alive,
the GIL released during transfers, timeouts, limits and TLS verification."""
import datetime
import ssl
import threading
import time

import pytest

import boto_elb_c
from boto_elb_c import _core
from boto_elb_c.exception import (
    EndpointConnectionError,
    ReadTimeoutError,
    ResponseTooLargeError,
    SSLError,
)
from boto_elb_c.emulator import free_port
from servers import EMPTY_DESCRIBE, CannedServer, Reply, SilentServer, make_self_signed

CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8"


def connect(endpoint, **kw):
    conn = boto_elb_c.connect_elb("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", endpoint_url=endpoint,
                                  **kw)
    conn.retry_base_delay = 0.001  # failures are retried (tests/core/test_retries.py): without the real backoff
    return conn


def botocore_authorization(req, url, access_key, secret_key, token=None, region="us-east-1"):
    """What botocore's SigV4Auth writes for the same request at the same timestamp."""
    pytest.importorskip("botocore", reason="botocore (the test oracle) is not installable on this Python")
    import botocore.auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    when = datetime.datetime.strptime(req.header("X-Amz-Date"), "%Y%m%dT%H%M%SZ").replace(
        tzinfo=datetime.timezone.utc)
    aws_req = AWSRequest(method="POST", url=url, data=req.body, headers={"Content-Type": req.header("Content-Type")})
    real = botocore.auth.get_current_datetime
    botocore.auth.get_current_datetime = lambda: when
    try:
        botocore.auth.SigV4Auth(Credentials(access_key, secret_key, token), "elasticloadbalancing",
                                region).add_auth(aws_req)
    finally:
        botocore.auth.get_current_datetime = real
    return aws_req.headers["Authorization"]


def test_request_is_a_signed_form_post(canned):
    server = canned()
    conn = connect(server.endpoint)
    conn.get_all_load_balancers(load_balancer_names=["a b", "c/d"])
    (req,) = server.requests
    assert req.method == "POST" and req.path == "/"
    assert req.header("Content-Type") == CONTENT_TYPE
    assert req.body == b"Action=DescribeLoadBalancers&Version=2012-06-01&LoadBalancerNames.member.1=a+b" \
                       b"&LoadBalancerNames.member.2=c%2Fd"
    assert req.header("Host") == "127.0.0.1:%d" % server.port
    assert req.header("User-Agent").startswith("boto_elb_c/")
    assert "region/" not in req.header("User-Agent")  # moto would route by it
    assert req.header("X-Amz-Security-Token") is None
    auth = req.header("Authorization")
    assert auth.startswith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
    assert "/us-east-1/elasticloadbalancing/aws4_request, SignedHeaders=content-type;host;x-amz-date, " in auth
    assert auth == botocore_authorization(req, server.endpoint + "/", "AKIDEXAMPLE",
                                          "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")


def test_session_token_is_sent_and_signed(canned):
    server = canned()
    conn = boto_elb_c.connect_elb("AK", "SK", security_token="TOKEN/+=", endpoint_url=server.endpoint)
    conn.get_all_load_balancers()
    (req,) = server.requests
    assert req.header("X-Amz-Security-Token") == "TOKEN/+="
    assert "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token," in req.header("Authorization")
    assert req.header("Authorization") == botocore_authorization(req, server.endpoint + "/", "AK", "SK", "TOKEN/+=")


def test_region_scope_comes_from_the_region_not_the_host(canned):
    server = canned()
    conn = boto_elb_c.ec2.elb.connect_to_region("eu-west-1", aws_access_key_id="AK", aws_secret_access_key="SK",
                                                endpoint_url=server.endpoint)
    conn.get_all_load_balancers()
    assert "/eu-west-1/elasticloadbalancing/aws4_request" in server.requests[0].header("Authorization")
    conn.auth_region_name = "us-west-2"
    conn.get_all_load_balancers()
    assert "/us-west-2/elasticloadbalancing/aws4_request" in server.requests[1].header("Authorization")


def test_keep_alive_reuses_one_connection(canned):
    server = canned()
    conn = connect(server.endpoint)
    for _ in range(5):
        conn.get_all_load_balancers()
    client = conn._http()
    assert client.requests == 5
    assert client.connects == 1
    assert len({r.client_port for r in server.requests}) == 1


def test_gil_is_released_during_the_transfer(canned):
    server = canned(lambda req: Reply(delay=0.3))
    conn = connect(server.endpoint)
    conn.get_all_load_balancers()  # connect first, so the timing below is two transfers only
    done = []

    def call():
        conn.get_all_load_balancers()
        done.append(time.monotonic())

    threads = [threading.Thread(target=call) for _ in range(2)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(done) == 2
    # serialized they would take 0.6 s; together about 0.3 s
    assert max(done) - start < 0.55


def test_one_client_refuses_two_threads(canned):
    server = canned(lambda req: Reply(delay=0.5))
    client = _core.HttpClient()
    signer = _core.Signer("AK", "SK", region="us-east-1")
    errors = []

    def slow():
        client.query(server.endpoint + "/", {"Action": "DescribeLoadBalancers", "Version": "2012-06-01"}, signer)

    t = threading.Thread(target=slow)
    t.start()
    time.sleep(0.2)
    with pytest.raises(RuntimeError, match="another thread"):
        client.query(server.endpoint + "/", {"Action": "X"}, signer)
    t.join()
    assert not errors


def test_each_thread_gets_its_own_client(canned):
    server = canned()
    conn = connect(server.endpoint)
    clients = []

    def grab():
        clients.append(conn._http())
        conn.get_all_load_balancers()

    threads = [threading.Thread(target=grab) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(c) for c in clients}) == 3
    conn.close()
    assert all(c.closed for c in clients)


def test_read_timeout():
    with SilentServer() as server:
        conn = connect(server.endpoint, read_timeout=0.2)
        start = time.monotonic()
        with pytest.raises(ReadTimeoutError) as info:
            conn.get_all_load_balancers()
        assert time.monotonic() - start < 3 * 0.2 + 2  # three attempts of 0.2 s, with a margin
        assert isinstance(info.value, TimeoutError) and server.endpoint in str(info.value)
        assert info.value.attempts == 3 and len(server._conns) == 3


def test_connection_refused():
    endpoint = "http://127.0.0.1:%d" % free_port()
    with pytest.raises(EndpointConnectionError) as info:
        connect(endpoint).get_all_load_balancers()
    assert isinstance(info.value, ConnectionError)


def test_body_limit(canned):
    server = canned(lambda req: Reply(body=EMPTY_DESCRIBE + b" " * 100000))
    client = _core.HttpClient(max_body=50000)
    with pytest.raises(ResponseTooLargeError):
        client.query(server.endpoint + "/", {"Action": "DescribeLoadBalancers"}, _core.Signer("A", "S", region="r"))


def test_http_errors_are_returned_not_raised(canned):
    server = canned(lambda req: Reply(status=503, body=b"busy", reason="Slow Down"))
    client = _core.HttpClient(max_attempts=1)
    status, reason, headers, body = client.query(server.endpoint + "/", {"Action": "X"},
                                                 _core.Signer("A", "S", region="r"))
    assert (status, reason, body) == (503, "Slow Down", b"busy")
    assert ("Content-Length", "4") in headers


@pytest.mark.parametrize("url", ["ftp://x/", "file:///etc/passwd", "not a url"])
def test_only_http_urls(url):
    with pytest.raises(ValueError):
        _core.HttpClient().query(url, {}, _core.Signer("A", "S", region="r"))


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory):
    return make_self_signed(tmp_path_factory.mktemp("tls"))


def test_tls_is_verified_by_default(self_signed):
    cert, key = self_signed
    server = CannedServer()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    server._httpd.socket = ctx.wrap_socket(server._httpd.socket, server_side=True)
    try:
        url = "https://127.0.0.1:%d" % server.port
        with pytest.raises(SSLError):
            connect(url).get_all_load_balancers()
        client = _core.HttpClient(ca_bundle=cert)
        status, _, _, body = client.query(url + "/", {"Action": "DescribeLoadBalancers"},
                                          _core.Signer("A", "S", region="r"))
        assert status == 200 and body == EMPTY_DESCRIBE
    finally:
        server.stop()


def test_endpoint_path_is_signed(canned):
    """An endpoint URL with a path (a proxy that routes by path, say) is signed for that path, as botocore does."""
    server = canned()
    conn = connect(server.endpoint + "/elb/v1/")
    conn.get_all_load_balancers()
    (req,) = server.requests
    assert req.path == "/elb/v1/"
    assert req.header("Authorization") == botocore_authorization(req, server.endpoint + "/elb/v1/", "AKIDEXAMPLE",
                                                                 "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
