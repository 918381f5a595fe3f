"""``boto.connection``: the Query-protocol connection that ELBConnection builds on.

Python decides *where* and *with what* (endpoint, region, credentials, settings); the C core does the bytes:
``_core.HttpClient.query`` form-encodes the parameters, signs with SigV4 and performs the POST with the GIL
released, and ``_core.parse`` turns the XML into boto's objects through the shape table.
"""
from __future__ import annotations

import os
import sys
import _thread  # threading's own primitives; the threading module (and its imports) is not needed
import time
import weakref

from boto_elb_c import _core
from boto_elb_c._version import __version__
from boto_elb_c.exception import BotoClientError, BotoServerError, HTTPClientError, ResponseParseError
from boto_elb_c.pyami import _files as _config
from boto_elb_c.resultset import ResultSet

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence
    from typing import Any, Dict, List, Optional, Protocol, Tuple, TypeVar

    from boto_elb_c.provider import Credentials
    from boto_elb_c.pyami._files import Reader as Config

    _T = TypeVar("_T")
    # request parameters: name -> value (None leaves the parameter out; see boto_elb_c/_core.pyi)
    _Params = Dict[str, Any]
    # (status, reason phrase, [(header name, value)], body)
    _Response = Tuple[int, str, List[Tuple[str, str]], bytes]

    class _ShapeTable(Protocol):
        """What AWSQueryConnection.ShapeTable holds (the module boto_elb_c.ec2.elb._shapes)."""

        def shape_for_markers(self, markers: Optional[Sequence[Tuple[str, type]]]) -> Optional[int]: ...

        def shape_for_class(self, cls: Callable[..., object]) -> Optional[int]: ...

__all__ = ["AWSQueryConnection", "HTTPResponse", "UserAgent"]

from boto_elb_c._log import DEBUG, log  # noqa: E402

_uname = os.uname()
UserAgent = "boto_elb_c/%s Python/%d.%d.%d %s/%s libcurl/%s" % (
    (__version__,) + tuple(sys.version_info[:3])  # type: ignore[str-format]  # (major, minor, micro): ints
    + (_uname.sysname, _uname.release, _core.libcurl_version))

_DEFAULT_CONNECT_TIMEOUT = 60.0
_DEFAULT_READ_TIMEOUT = 60.0
_DEFAULT_MAX_ATTEMPTS = 3  # botocore's "standard" retry mode
_MAX_ATTEMPTS_LIMIT = 50
_DEFAULT_RETRY_BASE_DELAY = 1.0
_DEFAULT_RETRY_MAX_DELAY = 20.0
_DEFAULT_MAX_RESPONSE_SIZE = 64 * 1024 * 1024

# the action being sent by this thread, for the retry log lines (the C core calls _log_retry during query())
_log_context = _thread._local()


def _log_retry(url: str, attempt: int, max_attempts: int, reason: str, delay: float | None) -> None:
    """The HttpClient's on_retry: one DEBUG line per failed attempt that is retried (or that the retry quota
    refused), with the reason and the delay."""
    action = getattr(_log_context, "action", None) or "request"
    if delay is None:
        log.debug("%s %s: attempt %d/%d failed (%s); not retried", action, url, attempt, max_attempts, reason)
    else:
        log.debug("%s %s: attempt %d/%d failed (%s); retrying in %.3f s", action, url, attempt, max_attempts,
                  reason, delay)


def _resolve_max_attempts(explicit: int | str | None, cfg: Config, environ: Mapping[str, str]) -> int:
    """Total attempts: the ``max_attempts`` argument, then ``AWS_MAX_ATTEMPTS``, then boto's
    ``[Boto] num_retries`` (retries, so N + 1 attempts), then 3."""
    if explicit is not None:
        value, where = explicit, "max_attempts"
    elif environ.get("AWS_MAX_ATTEMPTS", "").strip():
        value, where = environ["AWS_MAX_ATTEMPTS"].strip(), "AWS_MAX_ATTEMPTS"
    elif cfg.get("Boto", "num_retries", None) is not None:
        value, where = cfg.getint("Boto", "num_retries") + 1, "[Boto] num_retries + 1"
    else:
        return _DEFAULT_MAX_ATTEMPTS
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise ValueError("%s must be an integer, not %r" % (where, value)) from None
    if not 1 <= value <= _MAX_ATTEMPTS_LIMIT:
        raise ValueError("%s must give from 1 to %d attempts, not %d" % (where, _MAX_ATTEMPTS_LIMIT, value))
    return value


def _env_proxy(scheme: str, environ: Mapping[str, str]) -> str | None:
    """The proxy URL the environment names for an endpoint of this scheme: ``https_proxy``/``HTTPS_PROXY`` for
    https (then ``http_proxy``/``HTTP_PROXY``, which boto 2 used for everything), ``http_proxy``/``HTTP_PROXY``
    for http. The lower-case name wins; ``HTTP_PROXY`` is ignored in a CGI request (httpoxy), as urllib does."""
    names = ["https_proxy", "HTTPS_PROXY"] if scheme == "https" else []
    names += ["http_proxy"] + ([] if "REQUEST_METHOD" in environ else ["HTTP_PROXY"])
    for name in names:
        value = environ.get(name, "").strip()
        if value:
            return value
    return None


def _no_proxy_matches(host: str, port: int, environ: Mapping[str, str]) -> bool:
    """Whether ``NO_PROXY``/``no_proxy`` exempts the endpoint: ``*``, or a comma-separated list of host names
    (a suffix match on name boundaries, with or without a leading dot), IP addresses, each optionally ``:port``."""
    from urllib.request import proxy_bypass_environment  # type: ignore[attr-defined]  # undocumented, not in typeshed

    value = (environ.get("no_proxy") or environ.get("NO_PROXY") or "").strip()
    if not value:
        return False
    if ":" in host:  # an IPv6 address: its own colons would read as a port
        return bool(proxy_bypass_environment(host, {"no": value}))
    return bool(proxy_bypass_environment("%s:%s" % (host, port), {"no": value}))

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

    def __init__(self, status: int, reason: str, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status = status
        self.reason = reason
        self.headers = headers
        self._body = body

    def read(self, amt: int | None = None) -> bytes:
        if amt is None:
            body, self._body = self._body, b""
            return body
        body, self._body = self._body[:amt], self._body[amt:]
        return body

    def getheader(self, name: str, default: str | None = None) -> str | None:
        name = name.lower()
        for k, v in self.headers:
            if k.lower() == name:
                return v
        return default

    def getheaders(self) -> list[tuple[str, str]]:
        return list(self.headers)

    def __repr__(self) -> str:
        return "<HTTPResponse %d %s>" % (self.status, self.reason)


def endpoint_override(service_env_suffix: str, explicit: str | None = None,
                      environ: Mapping[str, str] | None = None) -> str | None:
    """The endpoint URL that replaces the region's, as botocore finds it: the ``endpoint_url`` argument, then
    ``AWS_ENDPOINT_URL_<SERVICE>``, then ``AWS_ENDPOINT_URL`` (both ignored when
    ``AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`` is true)."""
    if explicit:
        return explicit
    environ = os.environ if environ is None else environ
    if environ.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "").lower() == "true":
        return None
    return environ.get("AWS_ENDPOINT_URL_" + service_env_suffix) or environ.get("AWS_ENDPOINT_URL") or None


def _signature_version(value: Any, source: str) -> int:
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


def _server_time(headers: Iterable[tuple[str, str]]) -> float | None:
    """The response's Date header as a Unix time, or None."""
    for name, value in headers:
        if name.lower() == "date":
            try:
                import datetime  # only when a Date header has to be read (clock skew)
                import email.utils

                when = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError, IndexError, OverflowError):
                return None
            if when.tzinfo is None:  # "-0000": UTC by RFC 5322
                when = when.replace(tzinfo=datetime.timezone.utc)
            return when.timestamp()
    return None


_PLAIN_HOST = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")


def _thread_name() -> str:
    import threading  # only for debug log lines

    return threading.current_thread().name


def _split_endpoint(endpoint: str) -> tuple[str | None, str, int | None, str | None]:
    """'host', 'host:port', 'https://host:port/path' -> (scheme or None, host, port or None, path or None)."""
    if endpoint and _PLAIN_HOST.issuperset(endpoint):  # a bare host name: the usual case, and urllib stays unloaded
        return None, endpoint.lower(), None, None
    from urllib.parse import urlsplit

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
    # the module with shape_for_markers/shape_for_class (boto_elb_c.ec2.elb._shapes)
    ShapeTable: _ShapeTable | None = None
    # the [Boto] option that chooses the signature version when the signature_version argument is not given
    SignatureVersionOption = "elb_signature_version"

    # set by _resolve_proxy()
    proxy: str | None
    proxy_port: int | None
    proxy_user: str | None
    proxy_source: str | None
    use_proxy: bool
    _proxy_pass: str | None
    _proxy_scheme: str | None

    def __init__(self, aws_access_key_id: str | None = None, aws_secret_access_key: str | None = None,
                 is_secure: bool = True, port: int | None = None, proxy: str | None = None,
                 proxy_port: int | str | None = None, proxy_user: str | None = None, proxy_pass: str | None = None,
                 host: str | None = None, debug: int = 0, https_connection_factory: object = None, path: str = "/",
                 security_token: str | None = None, validate_certs: bool = True, profile_name: str | None = None,
                 provider: str = "aws", region_name: str | None = None, endpoint_url: str | None = None,
                 connect_timeout: float | None = None, read_timeout: float | None = None,
                 signature_version: int | str | None = None, max_attempts: int | None = None) -> None:
        cfg = _config.lookup()
        if cfg.has_option("Boto", "is_secure"):
            is_secure = cfg.get("Boto", "is_secure").strip().lower() in (  # type: ignore[union-attr]  # has_option
                "1", "yes", "true", "on")
        self.debug = debug
        self.https_connection_factory = https_connection_factory
        self.profile_name = profile_name
        self.provider = provider

        # --- transport settings (docs/transport.rst): argument, then environment, then boto config ---
        self.max_attempts = _resolve_max_attempts(max_attempts, cfg, os.environ)
        self.num_retries = self.max_attempts - 1  # boto's name: retries after the first attempt
        #: backoff before retry n: random() * min(retry_base_delay * 2**(n-1), retry_max_delay) seconds
        self.retry_base_delay = _DEFAULT_RETRY_BASE_DELAY
        self.retry_max_delay = cfg.getfloat("Boto", "max_retry_delay", _DEFAULT_RETRY_MAX_DELAY)
        socket_timeout = cfg.getfloat("Boto", "http_socket_timeout", None)
        self.connect_timeout = float(connect_timeout if connect_timeout is not None else
                                     socket_timeout if socket_timeout is not None else _DEFAULT_CONNECT_TIMEOUT)
        self.read_timeout = float(read_timeout if read_timeout is not None else
                                  socket_timeout if socket_timeout is not None else _DEFAULT_READ_TIMEOUT)
        if not (self.connect_timeout > 0 and self.read_timeout > 0):
            raise ValueError("connect_timeout and read_timeout must be > 0")
        #: a bigger response body fails with ResponseTooLargeError (memory stays bounded)
        self.max_response_size = _DEFAULT_MAX_RESPONSE_SIZE
        self.https_validate_certificates = cfg.getbool("Boto", "https_validate_certificates", validate_certs)
        ca_file = os.environ.get("AWS_CA_BUNDLE", "").strip() or cfg.get("Boto", "ca_certificates_file", None)
        self.ca_certificates_file = None if not ca_file or ca_file.strip().lower() == "system" else \
            os.path.expanduser(ca_file.strip())
        self._proxy_args = (proxy, proxy_port, proxy_user, proxy_pass)

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
        self._resolve_proxy(cfg, os.environ)
        if self.is_secure and not self.https_validate_certificates:
            log.warning("TLS certificates of %s are NOT verified (validate_certs=False or [Boto] "
                        "https_validate_certificates): anyone on the path can read and change the traffic",
                        self._url)

        # --- signing: SigV4 unless the argument or [Boto] elb_signature_version says 2 ---
        if signature_version is not None:
            self._signature_version = _signature_version(signature_version, "signature_version")
        elif self.SignatureVersionOption and cfg.has_option("Boto", self.SignatureVersionOption):
            self._signature_version = _signature_version(cfg.get("Boto", self.SignatureVersionOption),
                                                         "[Boto] %s" % self.SignatureVersionOption)
        else:
            self._signature_version = 4
        self._region_name = region_name
        self._auth_region_name: str | None = None
        self._auth_service_name: str | None = None

        # --- credentials: explicit ones go to the C signer now; others are looked up at the first request ---
        self._signer: _core.Signer | None = None
        # temporary credentials from the chain, kept for refreshing (without their secret)
        self._creds: Credentials | None = None
        self._signer_lock = _thread.allocate_lock()
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
        self._local = _thread._local()
        self._clients: weakref.WeakSet[_core.HttpClient] = weakref.WeakSet()

    # --- properties boto exposes ---------------------------------------------------------------------------------

    @property
    def auth_region_name(self) -> str:
        """The SigV4 signing region: set it to override; by default the region's name (never the host's)."""
        return self._auth_region_name or self._region_name or "us-east-1"

    @auth_region_name.setter
    def auth_region_name(self, value: str | None) -> None:
        self._auth_region_name = value
        self._rescope()

    @property
    def auth_service_name(self) -> str:
        """The SigV4 signing service (``elasticloadbalancing``)."""
        return self._auth_service_name or self.SigningService

    @auth_service_name.setter
    def auth_service_name(self, value: str | None) -> None:
        self._auth_service_name = value
        self._rescope()

    def _rescope(self) -> None:
        with self._signer_lock:
            if self._signer is not None:
                self._signer = self._signer.with_scope(self.auth_region_name, self.auth_service_name)

    @property
    def signature_version(self) -> int:
        """4 (SigV4, the default) or 2 (SigV2: HmacSHA256 parameters in the form body), fixed at construction."""
        return self._signature_version

    @property
    def aws_access_key_id(self) -> str | None:
        signer = self._signer
        return signer.access_key if signer is not None else self._access_key_hint

    access_key = aws_access_key_id

    @property
    def proxy_pass(self) -> str | None:
        return self._proxy_pass

    @property
    def server_name(self) -> str:
        return self.host

    def __repr__(self) -> str:
        return "%s:%s" % (self.__class__.__name__, self.host)

    # --- machinery ---------------------------------------------------------------------------------------------

    def _get_signer(self) -> _core.Signer:
        """The C signer, made at the first request from the credential chain, and made again from fresh
        credentials when temporary ones are within 5 minutes of expiring."""
        signer, creds = self._signer, self._creds
        if signer is not None and (creds is None or not creds.needs_refresh()):
            return signer
        with self._signer_lock:
            creds = self._creds
            if self._signer is None:
                from boto_elb_c import provider  # at the first request: most of the chain is rarely needed

                creds = provider.resolve(profile_name=self.profile_name)
            elif creds is not None and creds.needs_refresh():
                try:
                    creds = creds.refresh()
                except BotoClientError as exc:
                    if time.time() < creds.expiry:  # type: ignore[operator]  # needs_refresh(): it has one
                        log.warning("refreshing credentials from %s failed (%s); using the current ones until they "
                                    "expire", creds.source, exc.reason)
                        return self._signer
                    raise
            else:
                return self._signer
            # (secret_key is a str here: it becomes None only below, once the signer holds it)
            self._signer = _core.Signer(creds.access_key, creds.secret_key, creds.token,  # type: ignore[arg-type]
                                        region=self.auth_region_name, service=self.auth_service_name,
                                        signature_version=self._signature_version)
            log.debug("credentials from %s", creds.source)
            # the signer holds the secret now; keep only what refreshing needs
            creds.secret_key = creds.token = None
            self._creds = creds if creds.expiry is not None else None
            return self._signer

    def _resolve_proxy(self, cfg: Config, environ: Mapping[str, str]) -> None:
        """Which proxy, from the ``proxy`` argument (always used), the environment or ``[Boto] proxy`` (both
        subject to ``NO_PROXY``), as boto 2 took them; sets boto's ``proxy``, ``proxy_port``, ``proxy_user``,
        ``use_proxy``."""
        proxy, proxy_port, proxy_user, proxy_pass = self._proxy_args
        del self._proxy_args
        source = "argument"
        if not proxy:
            proxy, source = _env_proxy(self.protocol, environ), "environment"
        if not proxy:
            proxy, source = cfg.get("Boto", "proxy", None), "boto config"
        self.proxy = self.proxy_port = self.proxy_user = self._proxy_pass = self._proxy_scheme = None
        self.proxy_source = None
        if proxy and source != "argument" and _no_proxy_matches(self.host, self.port, environ):
            log.debug("%s: no proxy (NO_PROXY lists it; the %s names one)", self._url, source)
            proxy = None
        if proxy:
            from urllib.parse import unquote, urlsplit

            parts = urlsplit(proxy if "://" in proxy else "http://" + proxy)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError("the proxy must be host[:port] or an http:// or https:// URL")
            self.proxy = parts.hostname
            self._proxy_scheme = parts.scheme
            self.proxy_port = int(proxy_port or parts.port or cfg.get("Boto", "proxy_port", None) or
                                  (443 if parts.scheme == "https" else 80))
            self.proxy_user = proxy_user or (unquote(parts.username) if parts.username else None) or \
                cfg.get("Boto", "proxy_user", None)
            self._proxy_pass = proxy_pass or (unquote(parts.password) if parts.password else None) or \
                cfg.get("Boto", "proxy_pass", None)
            self.proxy_source = source
        self.use_proxy = self.proxy is not None

    def _proxy_url(self) -> str | None:
        """The proxy URL libcurl gets (no credentials: they go separately), or None."""
        if not self.proxy:
            return None
        host = "[%s]" % self.proxy if ":" in self.proxy else self.proxy
        return "%s://%s:%d" % (self._proxy_scheme, host, self.proxy_port)  # type: ignore[str-format]  # set with proxy

    def _http(self) -> _core.HttpClient:
        client: _core.HttpClient | None = getattr(self._local, "client", None)
        if client is None or client.closed:
            client = _core.HttpClient(
                connect_timeout=self.connect_timeout,
                read_timeout=self.read_timeout,
                verify=bool(self.https_validate_certificates),
                ca_bundle=self.ca_certificates_file,
                proxy=self._proxy_url(),
                proxy_user=self.proxy_user if self.proxy else None,
                proxy_pass=self._proxy_pass if self.proxy else None,
                user_agent=UserAgent,
                max_body=self.max_response_size,
                max_attempts=self.max_attempts,
                retry_base_delay=self.retry_base_delay,
                retry_max_delay=self.retry_max_delay,
                on_retry=_log_retry,
            )
            self._local.client = client
            self._clients.add(client)
            if log.isEnabledFor(DEBUG):
                log.debug("new HTTP client for %s in thread %s: connect_timeout %.3g s, read_timeout %.3g s, "
                          "max_attempts %d, TLS verification %s%s, proxy %s", self._url,
                          _thread_name(), self.connect_timeout, self.read_timeout,
                          self.max_attempts, "on" if self.https_validate_certificates else "OFF",
                          " (CA bundle %s)" % self.ca_certificates_file if self.ca_certificates_file else "",
                          "%s from the %s%s" % (self._proxy_url(), self.proxy_source,
                                                 " as user %s" % self.proxy_user if self.proxy_user else "")
                          if self.proxy else "none")
        return client

    def _request(self, action: str, params: _Params | None) -> _Response:
        """Sign and send one call. If the service rejects it for its date (or its signature) and its Date header
        says our clock is off, remember the difference and send the call once more, signed again with it."""
        query: _Params = {"Action": action, "Version": self.APIVersion}
        if params:
            query.update(params)
        signer = self._get_signer()
        client = self._http()
        status, reason, headers, body = self._send(client, action, query, signer)
        if status >= 400:
            offset = self._clock_skew(headers, body)
            if offset is not None:
                self._log_clock_skew(action, offset)
                self._clock_offset = offset
                status, reason, headers, body = self._send(client, action, query, signer)
        return status, reason, headers, body

    def _send(self, client: _core.HttpClient, action: str, query: _Params, signer: _core.Signer) -> _Response:
        _log_context.action = action  # for the retry lines logged while query() runs
        start = time.perf_counter()
        try:
            status, reason, headers, body = client.query(self._url, query, signer, self._clock_offset)
        except HTTPClientError as exc:
            log.debug("%s %s failed: attempt %d/%d, %.1f ms: %r", action, self._url, client.last_attempts,
                      client.max_attempts, (time.perf_counter() - start) * 1000.0, exc)
            raise
        if log.isEnabledFor(DEBUG):
            log.debug("%s %s -> %d %s (%d bytes, attempt %d/%d, %.1f ms)", action, self._url, status, reason,
                      len(body), client.last_attempts, client.max_attempts, (time.perf_counter() - start) * 1000.0)
        return status, reason, headers, body

    def _log_clock_skew(self, what: str, offset: int) -> None:
        log.debug("%s: the server's clock is %+d s from ours; signing with that offset from now on "
                  "(was %+d s) and sending again", what, offset, self._clock_offset)

    def _clock_skew(self, headers: list[tuple[str, str]], body: bytes,
                    received_at: float | None = None) -> int | None:
        """The clock offset (seconds) to sign with, if this error response (which arrived at ``received_at``, by
        default now) shows our clock is off; else None."""
        server = _server_time(headers)
        if server is None:
            return None
        skew = server - (time.time() if received_at is None else received_at)
        if abs(skew - self._clock_offset) <= _CLOCK_SKEW_LIMIT:
            return None  # the clock we signed with agrees with the server's: the error is about something else
        fields = _core._error_fields(body) if body else None
        if not fields or fields.get("Code") not in _CLOCK_SKEW_ERRORS:
            return None
        return int(round(skew))

    def _checked(self, action: str, params: _Params | None) -> tuple[int, str, bytes]:
        status, reason, headers, body = self._request(action, params)
        if status != 200 or not body:
            if status == 200:
                log.error("%s: 200 with an empty body", action)
            raise self.ResponseError.from_response(status, reason, body, headers)
        return status, reason, body

    def _parse(self, body: bytes, root: _T, shape: int, status: int = 200, reason: str = "OK") -> _T:
        return _core.parse(body, root, shape, self, status, reason)

    # --- boto's generic request API ---------------------------------------------------------------------------

    def make_request(self, action: str, params: _Params | None = None, path: str = "/",
                     verb: str = "POST") -> HTTPResponse:
        """Send one request and return the raw :class:`HTTPResponse` (no status check, no parsing)."""
        status, reason, headers, body = self._request(action, params)
        return HTTPResponse(status, reason, headers, body)

    def get_status(self, action: str, params: _Params | None, path: str = "/", parent: object = None,
                   verb: str = "POST") -> bool:
        """Send a request whose answer carries no data; True on success, else BotoServerError."""
        self._checked(action, params)
        return True

    def get_list(self, action: str, params: _Params | None, markers: list[tuple[str, type[_T]]] | None,
                 path: str = "/", parent: object = None, verb: str = "POST") -> ResultSet[_T]:
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
            from boto_elb_c import handler

            handler.parse(body, rs, parent or self)
        return rs

    def get_object(self, action: str, params: _Params | None, cls: Callable[[Any], _T], path: str = "/",
                   parent: object = None, verb: str = "POST") -> _T:
        """Send a request and parse the answer into ``cls(parent or self)``."""
        _, _, body = self._checked(action, params)
        parent = parent or self
        obj = cls(parent)
        shape = self.ShapeTable.shape_for_class(cls) if self.ShapeTable else None
        if shape is not None:
            _core.parse(body, obj, shape, parent)
        else:
            from boto_elb_c import handler

            handler.parse(body, obj, parent)
        return obj

    def close(self) -> None:
        """Close the kept-alive connections of every thread."""
        for client in list(self._clients):
            try:
                client.close()
            except RuntimeError:
                pass  # in use by another thread right now: it closes with its thread

    def get_utf8_value(self, value: object) -> bytes:
        """boto's helper: ``value`` as UTF-8 bytes."""
        if isinstance(value, bytes):
            return value
        return str(value).encode("utf-8")

    def build_list_params(self, params: _Params, items: str | Iterable[object], label: str) -> None:
        """``label.N`` = item for N from 1 (boto's generic form; ELBConnection overrides it)."""
        if isinstance(items, str):
            items = [items]
        for i, item in enumerate(items, 1):
            params["%s.%d" % (label, i)] = item

    def build_complex_list_params(self, params: _Params, items: Iterable[Sequence[object]], label: str,
                                  names: Sequence[str]) -> None:
        """``label.member.N.<name>`` parameters from a list of tuples (boto's helper)."""
        for i, item in enumerate(items, 1):
            for key, value in zip(names, item):
                params["%s.member.%d.%s" % (label, i, key)] = value
