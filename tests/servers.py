"""Small local HTTP servers of our own, on 127.0.0.1, for what moto cannot show: the exact request bytes,
keep-alive, slow answers, canned and broken responses, TLS, proxies.

``CannedServer(responder)`` serves HTTP/1.1 with keep-alive (over TLS with ``tls=(cert, key)``);
``responder(request)`` returns a :class:`Reply` (or None for the default 200 with an empty DescribeLoadBalancers
answer). Every request is captured in ``server.requests``.

``FaultServer(handler)`` speaks raw HTTP/1.1 so that a handler can break it on purpose: reset the connection in
the middle of a body, close before the headers, never answer, lie about the Content-Length, stream without end.

``ForwardProxy(auth=None)`` is a forward proxy: absolute-URI requests for plain HTTP, CONNECT tunnels for HTTPS,
to 127.0.0.1 only; it records what went through it and checks Proxy-Authorization when ``auth`` is set.

Every server listens on 127.0.0.1 only, polls its stop flag at least every 0.1 s, and bounds every loop (requests
per connection, bytes streamed, seconds waited), so a test that forgets to stop one cannot hang the suite.
"""
import base64
import http.server
import select
import socket
import socketserver
import ssl
import struct
import threading
import time

import pytest

EMPTY_DESCRIBE = (
    b'<DescribeLoadBalancersResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/">'
    b"<DescribeLoadBalancersResult><LoadBalancerDescriptions/></DescribeLoadBalancersResult>"
    b"<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DescribeLoadBalancersResponse>"
)


class Request(object):
    def __init__(self, method, path, headers, body, client_port, tls_resumed=None):
        self.method = method
        self.path = path
        self.headers = headers  # list of (name, value) as received
        self.body = body
        self.client_port = client_port
        self.tls_resumed = tls_resumed  # over TLS: whether the connection resumed an earlier TLS session

    def header(self, name):
        name = name.lower()
        for k, v in self.headers:
            if k.lower() == name:
                return v
        return None

    @property
    def form(self):
        from urllib.parse import parse_qsl

        return dict(parse_qsl(self.body.decode("utf-8"), keep_blank_values=True, strict_parsing=False))


class Reply(object):
    def __init__(self, status=200, body=EMPTY_DESCRIBE, headers=None, delay=0.0, reason=None):
        self.status = status
        self.body = body
        self.headers = headers or [("Content-Type", "text/xml")]
        self.delay = delay
        self.reason = reason


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def _serve(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        resumed = self.connection.session_reused if isinstance(self.connection, ssl.SSLSocket) else None
        req = Request(self.command, self.path, list(self.headers.items()), body, self.client_address[1], resumed)
        self.server.owner.requests.append(req)
        reply = self.server.owner.responder(req) or Reply()
        if reply.delay:
            time.sleep(reply.delay)
        self.send_response(reply.status, reply.reason)
        for k, v in reply.headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    do_POST = _serve
    do_GET = _serve


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64  # many client threads connect at once in the thread tests

    def handle_error(self, request, client_address):
        pass  # a client that hangs up or fails TLS on purpose is not news


class CannedServer(object):
    def __init__(self, responder=None, tls=None):
        self.responder = responder or (lambda req: None)
        self.requests = []
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self.port = self._httpd.server_address[1]
        self.endpoint = "http://127.0.0.1:%d" % self.port
        if tls:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(*tls)
            self._httpd.socket = ctx.wrap_socket(self._httpd.socket, server_side=True)
            self.endpoint = "https://127.0.0.1:%d" % self.port
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01},
                                        daemon=True)
        self._thread.start()

    def stop(self):
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class SilentServer(object):
    """Accepts connections and never answers (read timeouts)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.endpoint = "http://127.0.0.1:%d" % self.port
        self._conns = []
        self._stop = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        self.sock.settimeout(0.1)
        while not self._stop:
            try:
                c, _ = self.sock.accept()
                self._conns.append(c)
            except OSError:
                continue

    def stop(self):
        self._stop = True
        self._thread.join(2)
        for c in self._conns:
            c.close()
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


# --- raw HTTP with faults -------------------------------------------------------------------------------------

def _read_http_request(sock, stop, deadline):
    """One request from sock: (request line, [(name, value)], body) or None if the peer closed or stop was set."""
    data = b""
    while b"\r\n\r\n" not in data:
        if stop.is_set() or time.monotonic() > deadline or len(data) > 65536:
            return None
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            continue
        except OSError:
            return None
        if not chunk:
            return None
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = [tuple(part.strip() for part in line.split(":", 1)) for line in lines[1:] if ":" in line]
    length = 0
    for k, v in headers:
        if k.lower() == "content-length":
            length = int(v)
    while len(rest) < length:
        if stop.is_set() or time.monotonic() > deadline:
            return None
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            continue
        except OSError:
            return None
        if not chunk:
            return None
        rest += chunk
    return lines[0], headers, rest[:length]


class FaultConn(object):
    """What a FaultServer handler gets: the request, and ways to answer it properly or not."""

    def __init__(self, server, sock, request, index, nth):
        self._server = server
        self.sock = sock
        self.request = request
        self.index = index  # 0-based number of this request over the server's life
        self.nth = nth  # 0-based number of this request on its connection
        self.closed = False

    def send(self, data):
        try:
            self.sock.sendall(data)
        except OSError:
            self.closed = True

    def reply(self, status=200, body=EMPTY_DESCRIBE, headers=None, reason=None, content_length=None):
        """A whole response; content_length overrides the true length (to lie about it)."""
        reason = reason or http.server.BaseHTTPRequestHandler.responses.get(status, ("Unknown",))[0]
        head = ["HTTP/1.1 %d %s" % (status, reason)]
        for k, v in headers or [("Content-Type", "text/xml")]:
            head.append("%s: %s" % (k, v))
        head.append("Content-Length: %d" % (len(body) if content_length is None else content_length))
        self.send(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)

    def reset(self):
        """Close with a TCP RST instead of a FIN."""
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        self.close()

    def close(self):
        if not self.closed:
            self.closed = True
            try:
                self.sock.close()
            except OSError:
                pass

    def wait(self, seconds):
        """Do nothing for up to seconds (less if the server stops)."""
        self._server._stop.wait(seconds)


class FaultServer(object):
    """Raw HTTP/1.1 on 127.0.0.1, keep-alive; ``handler(conn)`` answers each request through a FaultConn (and
    may break the connection)."""

    MAX_REQUESTS_PER_CONNECTION = 100
    MAX_SECONDS_PER_CONNECTION = 30
    POLL = 0.02  # seconds between looks at the stop flag

    def __init__(self, handler):
        self.handler = handler
        self.requests = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(self.POLL)
        self.port = self.sock.getsockname()[1]
        self.endpoint = "http://127.0.0.1:%d" % self.port
        self._threads = []
        self._accept_thread = threading.Thread(target=self._accept, daemon=True)
        self._accept_thread.start()

    def _accept(self):
        while not self._stop.is_set():
            try:
                c, _ = self.sock.accept()
            except OSError:
                continue
            t = threading.Thread(target=self._serve, args=(c,), daemon=True)
            self._threads.append(t)
            t.start()

    def _serve(self, sock):
        sock.settimeout(self.POLL)
        deadline = time.monotonic() + self.MAX_SECONDS_PER_CONNECTION
        try:
            for nth in range(self.MAX_REQUESTS_PER_CONNECTION):
                raw = _read_http_request(sock, self._stop, deadline)
                if raw is None:
                    return
                line, headers, body = raw
                method, path = (line.split(" ") + ["", ""])[:2]
                req = Request(method, path, headers, body, sock.getpeername()[1])
                with self._lock:
                    index = len(self.requests)
                    self.requests.append(req)
                conn = FaultConn(self, sock, req, index, nth)
                before = conn.closed
                self.handler(conn)
                if conn.closed or before:
                    return
        finally:
            try:
                sock.close()
            except OSError:
                pass

    def stop(self):
        self._stop.set()
        self._accept_thread.join(2)
        for t in self._threads:
            t.join(2)
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def error_body(code, message="m"):
    """An AWS Query-protocol error response body."""
    return ("<ErrorResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/\"><Error>"
            "<Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>req-err</RequestId>"
            "</ErrorResponse>" % (code, message)).encode("utf-8")


# --- a forward proxy ------------------------------------------------------------------------------------------

class ProxiedRequest(object):
    def __init__(self, method, target, proxy_authorization):
        self.method = method  # "CONNECT", or the method of a forwarded request
        self.target = target  # "127.0.0.1:port" for CONNECT, the absolute URI otherwise
        self.proxy_authorization = proxy_authorization


class ForwardProxy(object):
    """An HTTP proxy on 127.0.0.1: forwards absolute-URI requests and tunnels CONNECT, to 127.0.0.1 only.

    :param auth: (user, password) that Proxy-Authorization must carry (Basic), or None.
    :ivar list seen: a :class:`ProxiedRequest` per request or tunnel, in order.
    """

    MAX_SECONDS = 30
    POLL = 0.02

    def __init__(self, auth=None):
        self.auth = auth
        self.seen = []
        self._stop = threading.Event()
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(self.POLL)
        self.port = self.sock.getsockname()[1]
        self.url = "http://127.0.0.1:%d" % self.port
        self._threads = []
        self._accept_thread = threading.Thread(target=self._accept, daemon=True)
        self._accept_thread.start()

    def _accept(self):
        while not self._stop.is_set():
            try:
                c, _ = self.sock.accept()
            except OSError:
                continue
            t = threading.Thread(target=self._serve, args=(c,), daemon=True)
            self._threads.append(t)
            t.start()

    def _authorized(self, headers):
        if self.auth is None:
            return True
        expected = "Basic " + base64.b64encode(("%s:%s" % self.auth).encode("utf-8")).decode("ascii")
        return any(k.lower() == "proxy-authorization" and v == expected for k, v in headers)

    @staticmethod
    def _local_target(hostport):
        host, _, port = hostport.rpartition(":")
        return host == "127.0.0.1" and port.isdigit()

    def _serve(self, client):
        client.settimeout(self.POLL)
        deadline = time.monotonic() + self.MAX_SECONDS
        try:
            for _ in range(100):
                raw = _read_http_request(client, self._stop, deadline)
                if raw is None:
                    return
                line, headers, body = raw
                method, target = (line.split(" ") + ["", ""])[:2]
                pa = next((v for k, v in headers if k.lower() == "proxy-authorization"), None)
                self.seen.append(ProxiedRequest(method, target, pa))
                if not self._authorized(headers):
                    client.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                                   b"Proxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n")
                    continue
                if method == "CONNECT":
                    if not self._local_target(target):
                        client.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                        return
                    self._tunnel(client, target, deadline)
                    return
                if not target.startswith("http://127.0.0.1:"):
                    client.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                    return
                self._forward(client, method, target, headers, body, deadline)
        finally:
            client.close()

    def _tunnel(self, client, hostport, deadline):
        host, _, port = hostport.rpartition(":")
        try:
            upstream = socket.create_connection((host, int(port)), timeout=2)
        except OSError:
            client.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            return
        client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        try:
            socks = [client, upstream]
            while not self._stop.is_set() and time.monotonic() < deadline:
                readable, _, _ = select.select(socks, [], [], self.POLL)
                for s in readable:
                    data = s.recv(65536)
                    if not data:
                        return
                    (upstream if s is client else client).sendall(data)
        except OSError:
            return
        finally:
            upstream.close()

    def _forward(self, client, method, url, headers, body, deadline):
        hostport, _, path = url[len("http://"):].partition("/")
        host, _, port = hostport.rpartition(":")
        keep = [(k, v) for k, v in headers
                if k.lower() not in ("proxy-authorization", "proxy-connection", "connection", "content-length")]
        head = ["%s /%s HTTP/1.1" % (method, path)] + ["%s: %s" % kv for kv in keep]
        head += ["Content-Length: %d" % len(body), "Connection: close"]
        try:
            upstream = socket.create_connection((host, int(port)), timeout=2)
        except OSError:
            client.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            return
        try:
            upstream.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
            upstream.settimeout(self.POLL)
            response = b""
            while not self._stop.is_set() and time.monotonic() < deadline:
                try:
                    data = upstream.recv(65536)
                except socket.timeout:
                    continue
                if not data:
                    break
                response += data
            client.sendall(response)  # the upstream answer carries its own Content-Length
        finally:
            upstream.close()

    def stop(self):
        self._stop.set()
        self._accept_thread.join(2)
        for t in self._threads:
            t.join(2)
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


# --- fixtures shared by the transport tests ----------------------------------------------------------------------

@pytest.fixture
def full_retry_quota():
    """The retry quota is process-wide: start each test with it full, and leave it full."""
    from boto_elb_c import _core

    _core._retry_quota(_core.RETRY_QUOTA_CAPACITY)
    yield
    _core._retry_quota(_core.RETRY_QUOTA_CAPACITY)


def make_self_signed(directory, name="cert"):
    """A self-signed certificate for 127.0.0.1 (the openssl command makes it): (cert path, key path)."""
    import os
    import shutil
    import subprocess

    if not shutil.which("openssl"):
        pytest.skip("the openssl command is needed to make a test certificate")
    cert, key = os.path.join(str(directory), name + ".pem"), os.path.join(str(directory), name + "-key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert, "-days", "1"],
                   check=True, capture_output=True)
    return cert, key


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    """Two unrelated self-signed certificates for 127.0.0.1: ``certs["good"]`` the test servers use, and
    ``certs["other"]``, a bundle that does not vouch for them."""
    d = tmp_path_factory.mktemp("tls")
    return {"good": make_self_signed(d, "good"), "other": make_self_signed(d, "other")}
