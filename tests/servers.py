"""Small local HTTP servers of our own, on 127.0.0.1, for what moto cannot show: the exact request bytes,
keep-alive, slow answers, canned and broken responses.

``CannedServer(responder)`` serves HTTP/1.1 with keep-alive; ``responder(request)`` returns a
:class:`Reply` (or None for the default 200 with an empty DescribeLoadBalancers answer). Every request is
captured in ``server.requests``.
"""
import http.server
import socket
import socketserver
import threading
import time

EMPTY_DESCRIBE = (
    b'<DescribeLoadBalancersResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/">'
    b"<DescribeLoadBalancersResult><LoadBalancerDescriptions/></DescribeLoadBalancersResult>"
    b"<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DescribeLoadBalancersResponse>"
)


class Request(object):
    def __init__(self, method, path, headers, body, client_port):
        self.method = method
        self.path = path
        self.headers = headers  # list of (name, value) as received
        self.body = body
        self.client_port = client_port

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
        req = Request(self.command, self.path, list(self.headers.items()), body, self.client_address[1])
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

    def handle_error(self, request, client_address):
        pass  # a client that hangs up or fails TLS on purpose is not news


class CannedServer(object):
    def __init__(self, responder=None):
        self.responder = responder or (lambda req: None)
        self.requests = []
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self.port = self._httpd.server_address[1]
        self.endpoint = "http://127.0.0.1:%d" % self.port
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
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
