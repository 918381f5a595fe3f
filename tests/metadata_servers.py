"""Local stand-ins, on 127.0.0.1, for the endpoints credentials come from: EC2 instance metadata (IMDSv2 that
requires its token, or IMDSv1 only) and the ECS/EKS container credentials endpoint (which checks the
Authorization header). Each server records every request in ``server.requests`` as
:class:`servers.Request` objects (method, path, headers).

The credentials they hand out are numbered (``ASIAIMDS1``, ``ASIAIMDS2``, ...), so a test can tell a refreshed
set from the first one, and expire ``lifetime`` seconds after they are served.
"""
import datetime
import http.server
import json
import socketserver
import threading

from servers import Request


def expiration(lifetime):
    """An ISO 8601 UTC time ``lifetime`` seconds from now, as AWS writes it."""
    when = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=lifetime)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _serve(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        req = Request(self.command, self.path, list(self.headers.items()), body, self.client_address[1])
        owner = self.server.owner
        with owner.lock:
            owner.requests.append(req)
        status, headers, payload = owner.answer(req)
        if isinstance(payload, str):
            payload = payload.encode("utf-8")
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_PUT = do_POST = _serve


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass


class LocalServer(object):
    """An HTTP/1.1 server on 127.0.0.1 (a free port); subclasses define ``answer(request) -> (status, headers,
    body)``."""

    def __init__(self):
        self.requests = []
        self.lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self.port = self._httpd.server_address[1]
        self.endpoint = "http://127.0.0.1:%d" % self.port
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()

    def answer(self, request):
        return 404, [], b""

    def stop(self):
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class _CredentialsSource(LocalServer):
    prefix = "ASIA"

    def __init__(self, lifetime=3600, secret="imds-secret", token="imds-token"):
        self.lifetime = lifetime
        self.secret = secret
        self.token = token
        self.served = 0
        super().__init__()

    def document(self):
        """The next numbered credentials document."""
        with self.lock:
            self.served += 1
            n = self.served
        return json.dumps({
            "Code": "Success",
            "LastUpdated": expiration(0),
            "Type": "AWS-HMAC",
            "AccessKeyId": "%s%d" % (self.prefix, n),
            "SecretAccessKey": "%s-%d" % (self.secret, n),
            "Token": "%s-%d" % (self.token, n),
            "Expiration": expiration(self.lifetime),
        })


class MetadataServer(_CredentialsSource):
    """EC2 instance metadata with one IAM role.

    :param str mode: ``'v2'``: every GET must carry the token a PUT handed out (else 401), as on an instance
        with ``HttpTokens=required``; ``'v1'``: the token PUT is refused with ``v1_status`` (403, 404, 405) and
        GETs need no token, as on an old IMDS or behind a proxy that drops PUT.
    :param str role: the role name (None: no role attached, the listing is a 404).
    :param dict override: path -> (status, body) answered instead of the normal ones (after the token check).
    """

    prefix = "ASIAIMDS"
    TOKEN = "local-imds-token-AAAA"

    def __init__(self, mode="v2", role="web-role", v1_status=405, lifetime=3600, override=None, **kwargs):
        self.mode = mode
        self.role = role
        self.v1_status = v1_status
        self.override = dict(override or {})
        super().__init__(lifetime=lifetime, **kwargs)

    def answer(self, req):
        base = "/latest/meta-data/iam/security-credentials/"
        if req.method == "PUT" and req.path == "/latest/api/token":
            if "PUT " + req.path in self.override:
                status, body = self.override["PUT " + req.path]
                return status, [], body
            if self.mode == "v1":
                return self.v1_status, [], b""
            if not req.header("X-aws-ec2-metadata-token-ttl-seconds"):
                return 400, [], b"missing ttl"
            return 200, [("Content-Type", "text/plain")], self.TOKEN
        if req.method != "GET":
            return 405, [], b""
        if self.mode == "v2" and req.header("X-aws-ec2-metadata-token") != self.TOKEN:
            return 401, [], b"token required"
        if req.path in self.override:
            status, body = self.override[req.path]
            return status, [], body
        if req.path == base:
            return (200, [], self.role) if self.role else (404, [], b"")
        if self.role and req.path == base + self.role:
            return 200, [("Content-Type", "application/json")], self.document()
        return 404, [], b""


class ContainerServer(_CredentialsSource):
    """The ECS/EKS container credentials endpoint at ``path``; with ``authorization`` set, a request without
    exactly that ``Authorization`` header gets a 401.

    :param list statuses: statuses to answer first, one per request, before the normal answers (e.g. [500]).
    """

    prefix = "ASIACONT"

    def __init__(self, path="/v2/credentials/task-1", authorization=None, statuses=(), **kwargs):
        self.path = path
        self.authorization = authorization
        self.statuses = list(statuses)
        kwargs.setdefault("secret", "container-secret")
        kwargs.setdefault("token", "container-token")
        super().__init__(**kwargs)

    @property
    def url(self):
        return self.endpoint + self.path

    def answer(self, req):
        if self.statuses:
            return self.statuses.pop(0), [], b"server trouble"
        if req.method != "GET" or req.path != self.path:
            return 404, [], b""
        if self.authorization is not None and req.header("Authorization") != self.authorization:
            return 401, [], b"bad authorization"
        return 200, [("Content-Type", "application/json")], self.document()


class RedirectServer(LocalServer):
    """Answers every request with a 302 to ``location``."""

    def __init__(self, location):
        self.location = location
        super().__init__()

    def answer(self, req):
        return 302, [("Location", self.location)], b""
