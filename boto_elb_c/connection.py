"""``boto.connection``: the Query-protocol connection that ELBConnection builds on.

Python decides *where* and *with what* (endpoint, region, credentials, settings); the C core does the bytes:
``_core.HttpClient.query`` form-encodes the parameters, signs with SigV4 and performs the POST with the GIL
released, and ``_core.parse`` turns the XML into boto's objects through the shape table.
"""
import datetime
import email.utils
import logging
import os
import platform
import threading
import time
import weakref
from urllib.parse import urlsplit

from boto_elb_c import _core, handler
from boto_elb_c import provider as _provider
from boto_elb_c._version import __version__
from boto_elb_c.exception import BotoClientError, BotoServerError, ResponseParseError
from boto_elb_c.pyami import config as _config
from boto_elb_c.resultset import ResultSet

__all__ = ["AWSQueryConnection", "HTTPResponse", "UserAgent"]

log = logging.getLogger("boto_elb_c")

UserAgent = "boto_elb_c/%s Python/%s %s/%s libcurl/%s" % (
    __version__,
    platform.python_version(),
    platform.system(),
    platform.release(),
    _core.libcurl_version,
)

_DEFAULT_CONNECT_TIMEOUT = 60.0
_DEFAULT_READ_TIMEOUT = 60.0

# errors that may mean our clock is off; a call that gets one is signed again (once) with the server's clock
_CLOCK_SKEW_ERRORS = frozenset(["RequestExpired", "RequestTimeTooSkewed", "SignatureDoesNotMatch"])
# AWS allows 5 minutes; a Date header further than this from the clock we sign with is a skew, not jitter
_CLOCK_SKEW_LIMIT = 240.0


class HTTPResponse(object):
    """What :meth:`AWSQueryConnection.make_request` returns: the answer as http.client would give it.

    :ivar int status:
    :ivar str reason:
    :ivar list headers: ``(name, value)`` pairs.
    """

    def __init__(self, status, reason, headers, body):
        self.status = status
        self.reason = reason
        self.headers = headers
        self._body = body

    def read(self, amt=None):
        if amt is None:
            body, self._body = self._body, b""
            return body
        body, self._body = self._body[:amt], self._body[amt:]
        return body

    def getheader(self, name, default=None):
        name = name.lower()
        for k, v in self.headers:
            if k.lower() == name:
                return v
        return default

    def getheaders(self):
        return list(self.headers)

    def __repr__(self):
        return "<HTTPResponse %d %s>" % (self.status, self.reason)


def endpoint_override(service_env_suffix, explicit=None, environ=None):
    """The endpoint URL that replaces the region's, as botocore finds it: the ``endpoint_url`` argument, then
    ``AWS_ENDPOINT_URL_<SERVICE>``, then ``AWS_ENDPOINT_URL`` (both ignored when
    ``AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`` is true)."""
    if explicit:
        return explicit
    environ = os.environ if environ is None else environ
    if environ.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "").lower() == "true":
        return None
    return environ.get("AWS_ENDPOINT_URL_" + service_env_suffix) or environ.get("AWS_ENDPOINT_URL") or None


def _signature_version(value, source):
    """2 or 4 from the keyword or the config value ('2', '4', 'v4', ...); anything else is a ValueError."""
    if isinstance(value, str):
        text = value.strip().lower()
        value = text[1:] if text[:1] == "v" else text
    try:
        version = int(value)
    except (TypeError, ValueError):
        version = None
    if version not in (2, 4) or isinstance(value, bool):
        raise ValueError("%s must be 2 or 4, not %r" % (source, value))
    return version


def _server_time(headers):
    """The response's Date header as a Unix time, or None."""
    for name, value in headers:
        if name.lower() == "date":
            try:
                when = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError, IndexError, OverflowError):
                return None
            if when.tzinfo is None:  # "-0000": UTC by RFC 5322
                when = when.replace(tzinfo=datetime.timezone.utc)
            return when.timestamp()
    return None


def _split_endpoint(endpoint):
    """'host', 'host:port', 'https://host:port/path' -> (scheme or None, host, port or None, path or None)."""
    if "://" in endpoint:
        parts = urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("endpoint URL must be http:// or https:// with a host, not %r" % endpoint)
        return parts.scheme, parts.hostname, parts.port, parts.path or None
    parts = urlsplit("//" + endpoint)
    if not parts.hostname:
        raise ValueError("invalid endpoint %r" % endpoint)
    return None, parts.hostname, parts.port, None


class AWSQueryConnection(object):
    """A connection to a Query-protocol AWS service (the parts of boto's that ELB uses).

    Subclasses set :attr:`APIVersion`, :attr:`SigningService` and :attr:`EndpointEnvName`.
    """

    APIVersion = ""
    SigningService = ""
    EndpointEnvName = ""
    ResponseError = BotoServerError
    ShapeTable = None  # the module with shape_for_markers/shape_for_class (boto_elb_c.ec2.elb._shapes)
    # the [Boto] option that chooses the signature version when the signature_version argument is not given
    SignatureVersionOption = "elb_signature_version"

    def __init__(self, aws_access_key_id=None, aws_secret_access_key=None, is_secure=True, port=None, proxy=None,
                 proxy_port=None, proxy_user=None, proxy_pass=None, host=None, debug=0,
                 https_connection_factory=None, path="/", security_token=None, validate_certs=True,
                 profile_name=None, provider="aws", region_name=None, endpoint_url=None, connect_timeout=None,
                 read_timeout=None, signature_version=None):
        cfg = _config.current()
        if cfg.has_option("Boto", "is_secure"):
            is_secure = cfg.get("Boto", "is_secure").strip().lower() in ("1", "yes", "true", "on")
        self.debug = debug
        self.https_connection_factory = https_connection_factory
        self.profile_name = profile_name
        self.provider = provider
        self.num_retries = cfg.getint("Boto", "num_retries", 6)
        self.https_validate_certificates = cfg.getbool("Boto", "https_validate_certificates", validate_certs)
        self.ca_certificates_file = cfg.get("Boto", "ca_certificates_file", None)
        self.proxy = proxy or cfg.get("Boto", "proxy", None)
        self.proxy_port = proxy_port or cfg.get("Boto", "proxy_port", None)
        self.proxy_user = proxy_user or cfg.get("Boto", "proxy_user", None)
        self._proxy_pass = proxy_pass or cfg.get("Boto", "proxy_pass", None)
        self.use_proxy = self.proxy is not None
        self.connect_timeout = float(connect_timeout) if connect_timeout is not None else _DEFAULT_CONNECT_TIMEOUT
        if read_timeout is not None:
            self.read_timeout = float(read_timeout)
        else:
            self.read_timeout = cfg.getfloat("Boto", "http_socket_timeout", _DEFAULT_READ_TIMEOUT)
        if self.connect_timeout <= 0 or self.read_timeout <= 0:
            raise ValueError("connect_timeout and read_timeout must be > 0")

        # --- where to connect ---
        override = endpoint_override(self.EndpointEnvName, endpoint_url)
        self.endpoint_url_override = override
        if override:
            scheme, ep_host, ep_port, ep_path = _split_endpoint(override)
            if scheme is None:
                raise ValueError("endpoint_url must start with http:// or https://, not %r" % override)
            self.is_secure = scheme == "https"
            self.host = ep_host
            self.port = ep_port or (443 if self.is_secure else 80)
            self.path = ep_path or path or "/"
        else:
            if not host:
                raise ValueError("no endpoint host")
            scheme, ep_host, ep_port, ep_path = _split_endpoint(host)
            self.is_secure = (scheme == "https") if scheme else bool(is_secure)
            self.host = ep_host
            self.port = port or ep_port or (443 if self.is_secure else 80)
            self.path = ep_path or path or "/"
        self.protocol = "https" if self.is_secure else "http"
        netloc = "[%s]" % self.host if ":" in self.host else self.host
        default_port = 443 if self.is_secure else 80
        if self.port != default_port:
            netloc += ":%d" % self.port
        self._url = "%s://%s%s" % (self.protocol, netloc, self.path)

        # --- signing: SigV4 unless the argument or [Boto] elb_signature_version says 2 ---
        if signature_version is not None:
            self._signature_version = _signature_version(signature_version, "signature_version")
        elif self.SignatureVersionOption and cfg.has_option("Boto", self.SignatureVersionOption):
            self._signature_version = _signature_version(cfg.get("Boto", self.SignatureVersionOption),
                                                         "[Boto] %s" % self.SignatureVersionOption)
        else:
            self._signature_version = 4
        self._region_name = region_name
        self._auth_region_name = None
        self._auth_service_name = None

        # --- credentials: explicit ones go to the C signer now; others are looked up at the first request ---
        self._signer = None
        self._creds = None  # temporary credentials from the chain, kept for refreshing (without their secret)
        self._signer_lock = threading.Lock()
        self._access_key_hint = aws_access_key_id
        if aws_access_key_id or aws_secret_access_key:
            if not (aws_access_key_id and aws_secret_access_key):
                raise ValueError("aws_access_key_id and aws_secret_access_key must be given together")
            self._signer = _core.Signer(aws_access_key_id, aws_secret_access_key, security_token,
                                        region=self.auth_region_name, service=self.auth_service_name,
                                        signature_version=self._signature_version)

        # seconds added to the local clock when signing (set when the service says our clock is off)
        self._clock_offset = 0

        # --- one HttpClient per thread ---
        self._local = threading.local()
        self._clients = weakref.WeakSet()

    # --- properties boto exposes ---------------------------------------------------------------------------------

    @property
    def auth_region_name(self):
        """The SigV4 signing region: set it to override; by default the region's name (never the host's)."""
        return self._auth_region_name or self._region_name or "us-east-1"

    @auth_region_name.setter
    def auth_region_name(self, value):
        self._auth_region_name = value
        self._rescope()

    @property
    def auth_service_name(self):
        """The SigV4 signing service (``elasticloadbalancing``)."""
        return self._auth_service_name or self.SigningService

    @auth_service_name.setter
    def auth_service_name(self, value):
        self._auth_service_name = value
        self._rescope()

    def _rescope(self):
        with self._signer_lock:
            if self._signer is not None:
                self._signer = self._signer.with_scope(self.auth_region_name, self.auth_service_name)

    @property
    def signature_version(self):
        """4 (SigV4, the default) or 2 (SigV2: HmacSHA256 parameters in the form body), fixed at construction."""
        return self._signature_version

    @property
    def aws_access_key_id(self):
        signer = self._signer
        return signer.access_key if signer is not None else self._access_key_hint

    access_key = aws_access_key_id

    @property
    def proxy_pass(self):
        return self._proxy_pass

    @property
    def server_name(self):
        return self.host

    def __repr__(self):
        return "%s:%s" % (self.__class__.__name__, self.host)

    # --- machinery ---------------------------------------------------------------------------------------------

    def _get_signer(self):
        """The C signer, made at the first request from the credential chain, and made again from fresh
        credentials when temporary ones are within 5 minutes of expiring."""
        signer, creds = self._signer, self._creds
        if signer is not None and (creds is None or not creds.needs_refresh()):
            return signer
        with self._signer_lock:
            creds = self._creds
            if self._signer is None:
                creds = _provider.resolve(profile_name=self.profile_name)
            elif creds is not None and creds.needs_refresh():
                try:
                    creds = creds.refresh()
                except BotoClientError as exc:
                    if time.time() < creds.expiry:
                        log.warning("refreshing credentials from %s failed (%s); using the current ones until they "
                                    "expire", creds.source, exc.reason)
                        return self._signer
                    raise
            else:
                return self._signer
            self._signer = _core.Signer(creds.access_key, creds.secret_key, creds.token,
                                        region=self.auth_region_name, service=self.auth_service_name,
                                        signature_version=self._signature_version)
            log.debug("credentials from %s", creds.source)
            # the signer holds the secret now; keep only what refreshing needs
            creds.secret_key = creds.token = None
            self._creds = creds if creds.expiry is not None else None
            return self._signer

    def _proxy_url(self):
        if not self.proxy:
            return None
        proxy = self.proxy
        if "://" not in proxy:
            proxy = "http://" + proxy
        parts = urlsplit(proxy)
        netloc = parts.hostname or ""
        port = self.proxy_port or parts.port
        if port:
            netloc += ":%s" % port
        if self.proxy_user:
            from urllib.parse import quote

            auth = quote(self.proxy_user, safe="")
            if self._proxy_pass:
                auth += ":" + quote(self._proxy_pass, safe="")
            netloc = auth + "@" + netloc
        return "%s://%s" % (parts.scheme, netloc)

    def _http(self):
        client = getattr(self._local, "client", None)
        if client is None or client.closed:
            client = _core.HttpClient(
                connect_timeout=self.connect_timeout,
                read_timeout=self.read_timeout,
                verify=bool(self.https_validate_certificates),
                ca_bundle=self.ca_certificates_file,
                proxy=self._proxy_url(),
                user_agent=UserAgent,
            )
            self._local.client = client
            self._clients.add(client)
        return client

    def _request(self, action, params):
        """Sign and send one call. If the service rejects it for its date (or its signature) and its Date header
        says our clock is off, remember the difference and send the call once more, signed again with it."""
        query = {"Action": action, "Version": self.APIVersion}
        if params:
            query.update(params)
        signer = self._get_signer()
        client = self._http()
        status, reason, headers, body = self._send(client, action, query, signer)
        if status >= 400:
            offset = self._clock_skew(headers, body)
            if offset is not None:
                log.debug("%s: the server's clock is %+d s from ours; signing with that offset from now on "
                          "(was %+d s) and sending again", action, offset, self._clock_offset)
                self._clock_offset = offset
                status, reason, headers, body = self._send(client, action, query, signer)
        return status, reason, headers, body

    def _send(self, client, action, query, signer):
        start = time.perf_counter()
        status, reason, headers, body = client.query(self._url, query, signer, self._clock_offset)
        if log.isEnabledFor(logging.DEBUG):
            log.debug("%s %s -> %d %s (%d bytes, %.1f ms)", action, self._url, status, reason, len(body),
                      (time.perf_counter() - start) * 1000.0)
        return status, reason, headers, body

    def _clock_skew(self, headers, body):
        """The clock offset (seconds) to sign with, if this error response shows our clock is off; else None."""
        server = _server_time(headers)
        if server is None:
            return None
        skew = server - time.time()
        if abs(skew - self._clock_offset) <= _CLOCK_SKEW_LIMIT:
            return None  # the clock we signed with agrees with the server's: the error is about something else
        fields = _core._error_fields(body) if body else None
        if not fields or fields.get("Code") not in _CLOCK_SKEW_ERRORS:
            return None
        return int(round(skew))

    def _checked(self, action, params):
        status, reason, headers, body = self._request(action, params)
        if status != 200 or not body:
            if status == 200:
                log.error("%s: 200 with an empty body", action)
            raise self.ResponseError.from_response(status, reason, body, headers)
        return status, reason, body

    def _parse(self, body, root, shape, status=200, reason="OK"):
        return _core.parse(body, root, shape, self, status, reason)

    # --- boto's generic request API ---------------------------------------------------------------------------

    def make_request(self, action, params=None, path="/", verb="POST"):
        """Send one request and return the raw :class:`HTTPResponse` (no status check, no parsing)."""
        status, reason, headers, body = self._request(action, params)
        return HTTPResponse(status, reason, headers, body)

    def get_status(self, action, params, path="/", parent=None, verb="POST"):
        """Send a request whose answer carries no data; True on success, else BotoServerError."""
        self._checked(action, params)
        return True

    def get_list(self, action, params, markers, path="/", parent=None, verb="POST"):
        """Send a request and parse the answer into a :class:`~boto_elb_c.resultset.ResultSet`.

        ``markers`` are boto's ``[(element name, class)]``: each such element becomes a ``class(connection)``
        appended to the list. Classes the shape table knows are built by the C parser; any other class is driven
        through its ``startElement``/``endElement`` methods as boto's SAX handler would.
        """
        _, _, body = self._checked(action, params)
        rs = ResultSet(markers)
        shape = self.ShapeTable.shape_for_markers(markers) if self.ShapeTable else None
        if shape is not None:
            self._parse(body, rs, shape)
        else:
            handler.parse(body, rs, parent or self)
        return rs

    def get_object(self, action, params, cls, path="/", parent=None, verb="POST"):
        """Send a request and parse the answer into ``cls(parent or self)``."""
        _, _, body = self._checked(action, params)
        parent = parent or self
        obj = cls(parent)
        shape = self.ShapeTable.shape_for_class(cls) if self.ShapeTable else None
        if shape is not None:
            _core.parse(body, obj, shape, parent)
        else:
            handler.parse(body, obj, parent)
        return obj

    def close(self):
        """Close the kept-alive connections of every thread."""
        for client in list(self._clients):
            try:
                client.close()
            except RuntimeError:
                pass  # in use by another thread right now: it closes with its thread

    def get_utf8_value(self, value):
        """boto's helper: ``value`` as UTF-8 bytes."""
        if isinstance(value, bytes):
            return value
        return str(value).encode("utf-8")

    def build_list_params(self, params, items, label):
        """``label.N`` = item for N from 1 (boto's generic form; ELBConnection overrides it)."""
        if isinstance(items, str):
            items = [items]
        for i, item in enumerate(items, 1):
            params["%s.%d" % (label, i)] = item

    def build_complex_list_params(self, params, items, label, names):
        """``label.member.N.<name>`` parameters from a list of tuples (boto's helper)."""
        for i, item in enumerate(items, 1):
            for key, value in zip(names, item):
                params["%s.member.%d.%s" % (label, i, key)] = value
