"""Where credentials come from, searched in order, and how temporary ones are fetched again.

Explicit arguments (``aws_access_key_id``, ``aws_secret_access_key``, ``security_token``) are handled by the
connection and never reach this module. Without them, :func:`resolve` returns the first of:

1. the environment: ``AWS_ACCESS_KEY_ID`` + ``AWS_SECRET_ACCESS_KEY``, with ``AWS_SESSION_TOKEN`` or boto's
   ``AWS_SECURITY_TOKEN``;
2. a profile -- ``profile_name=``, else ``AWS_PROFILE``, else ``AWS_DEFAULT_PROFILE``, else ``default`` --
   looked up as: keys in the shared credentials file (``AWS_SHARED_CREDENTIALS_FILE``, else
   ``~/.aws/credentials``) section ``[NAME]``; then a ``credential_process`` in that section or in the config
   file (``AWS_CONFIG_FILE``, else ``~/.aws/config``) section ``[profile NAME]`` (``[default]`` for the default
   profile); then keys in that config file section; then, for a named profile, boto's ``[profile NAME]`` in the
   boto config. A profile named explicitly (argument or environment) that exists in none of these files is a
   :class:`~boto_elb_c.exception.ProfileNotFoundError`;
3. the boto config's ``[Credentials]`` section (files: :func:`boto_elb_c.pyami.config.current`);
4. container credentials (ECS, EKS Pod Identity): ``AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`` or
   ``AWS_CONTAINER_CREDENTIALS_FULL_URI``, with ``AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`` or
   ``AWS_CONTAINER_AUTHORIZATION_TOKEN`` as the ``Authorization`` header;
5. EC2 instance metadata, IMDSv2 (token) first, IMDSv1 only when the token request is refused with 403/404/405.

Nothing found: :class:`~boto_elb_c.exception.NoAuthHandlerFound` naming every place searched, in order. A
source that is configured but fails (a ``credential_process`` that exits non-zero, a container endpoint that
does not answer) raises :class:`CredentialRetrievalError` (a ``NoAuthHandlerFound``) at once instead of
silently falling through to the next source -- except instance metadata, the last resort, whose failure is
reported as part of the ``NoAuthHandlerFound`` message.

Credentials from ``credential_process`` with an ``Expiration``, from the container endpoint and from instance
metadata carry an :attr:`Credentials.expiry`; :meth:`Credentials.refresh` fetches new ones from the same source.

Why urllib and not the C HTTP client: ``ext/http.c`` is built for signed Query-protocol POSTs to the service.
Fetching a small credentials JSON document from a link-local or loopback endpoint is done here in Python, as
botocore does, with the standard library -- never through a proxy (``ProxyHandler({})``), never following a
redirect (the container ``Authorization`` token must not travel to another host), with short timeouts.

Secrets: only :attr:`Credentials.secret_key` and :attr:`Credentials.token` hold them. No repr, log line or
exception message contains them, nor anything a ``credential_process`` printed on stdout or a metadata endpoint
answered (those may hold secrets too).
"""
from __future__ import annotations

import configparser
import datetime
import os
import time
from urllib.parse import quote, urlsplit

# json, shlex, subprocess, ipaddress and urllib.request (which brings http.client and ssl) are imported where they
# are used: most processes never run a credential_process or talk to instance metadata, and every connection
# imports this module at its first request.

from boto_elb_c._log import log
from boto_elb_c.exception import NoAuthHandlerFound, ProfileNotFoundError
from boto_elb_c.pyami import _files as _config

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any, Dict, Optional, TypeVar
    from urllib.request import OpenerDirector

    _N = TypeVar("_N", int, float)
    #: the four AWS_CONTAINER_* variables (None: not set)
    _ContainerSettings = Dict[str, Optional[str]]

__all__ = ["Credentials", "CredentialRetrievalError", "resolve"]


# --- defaults (botocore's values) -------------------------------------------------------------------------------------

CONTAINER_BASE_URL = "http://169.254.170.2"  # + AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
# hosts AWS_CONTAINER_CREDENTIALS_FULL_URI may name over plain http (besides any loopback address); https: any
CONTAINER_HTTP_HOSTS = ("169.254.170.2", "169.254.170.23", "fd00:ec2::23", "localhost")
CONTAINER_TIMEOUT = 2.0
CONTAINER_ATTEMPTS = 3

IMDS_ENDPOINT = "http://169.254.169.254"
IMDS_ENDPOINT_IPV6 = "http://[fd00:ec2::254]"
IMDS_TOKEN_TTL = 21600  # seconds
IMDS_TIMEOUT = 1.0
IMDS_ATTEMPTS = 1

_MAX_BODY = 64 * 1024  # a credentials document is well under 4 KiB


class CredentialRetrievalError(NoAuthHandlerFound):
    """A configured source of credentials failed: a ``credential_process`` exited non-zero or printed something
    that is not its JSON document, a container or instance metadata endpoint did not answer or answered an
    error, a setting naming the source is malformed.

    :ivar str source: the source, as :attr:`Credentials.source` would name it.
    :ivar str problem: what went wrong with it.
    """

    def __init__(self, source: str, problem: str) -> None:
        super().__init__("cannot get credentials from %s: %s" % (source, problem))
        self.source = source
        self.problem = problem


class Credentials(object):
    """Credentials found by :func:`resolve`. The repr names the source, never the secret or the token.

    :ivar str access_key: the access key id.
    :ivar str secret_key: the secret access key.
    :ivar str token: the session token, or None.
    :ivar str source: where they came from (``'environment'``, ``'/home/me/.aws/credentials [dev]'``, ...).
    :ivar float expiry: when temporary credentials expire (seconds since the epoch), or None if they do not.
    """

    __slots__ = ("access_key", "secret_key", "token", "source", "expiry", "_refresher")

    access_key: str
    secret_key: str | None  # None once a connection's signer holds it
    token: str | None
    source: str
    expiry: float | None
    _refresher: Callable[[], Credentials] | None

    def __init__(self, access_key: str, secret_key: str, token: str | None = None, source: str = "",
                 expiry: float | None = None, refresher: Callable[[], Credentials] | None = None) -> None:
        self.access_key = access_key
        self.secret_key = secret_key
        self.token = token or None
        self.source = source
        self.expiry = float(expiry) if expiry is not None else None
        self._refresher = refresher  # () -> Credentials, fetching from the same source; None: static

    def needs_refresh(self, now: float | None = None, margin: float = 300) -> bool:
        """True when these credentials expire within ``margin`` seconds of ``now`` (default: the current time).
        Always False for credentials without an expiry."""
        if self.expiry is None:
            return False
        if now is None:
            now = time.time()
        return self.expiry - now <= margin

    def refresh(self) -> Credentials:
        """Fetch credentials again from the same source and return them (a new object; this one is unchanged).
        Static credentials return themselves.

        :raises CredentialRetrievalError: the source failed (a ``NoAuthHandlerFound``, so a ``BotoClientError``).
        """
        if self._refresher is None:
            return self
        return self._refresher()

    def __repr__(self) -> str:
        if self.expiry is None:
            return "<Credentials from %s>" % self.source
        return "<Credentials from %s, expiring %s>" % (self.source, _iso(self.expiry))

    __str__ = __repr__


def _iso(epoch: float) -> str:
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- documents: JSON, expiry ------------------------------------------------------------------------------------------


def _json_object(raw: bytes) -> dict[str, Any] | None:
    """The JSON object in ``raw`` (bytes), or None. The parser's exception, which holds the whole text, is
    dropped here rather than chained to an error the caller raises."""
    try:
        import json
        data = json.loads(raw.decode("utf-8"))
    except ValueError:  # UnicodeDecodeError too
        data = None
    return data if isinstance(data, dict) else None


def _parse_expiry(value: object, source: str) -> float | None:
    """An ISO 8601 time (``2024-05-01T12:00:00Z``) as epoch seconds; no time zone means UTC."""
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 64:
        raise CredentialRetrievalError(source, "Expiration is not an ISO 8601 time")
    text = value.strip()
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    try:
        when = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise CredentialRetrievalError(source, "Expiration %r is not an ISO 8601 time" % (value,)) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    return when.timestamp()


def _credentials_from_document(data: dict[str, Any], source: str, token_key: str,
                                refresher: Callable[[], Credentials]) -> Credentials:
    """Credentials from a parsed JSON document (credential_process, container, instance metadata). Error
    messages name missing or mistyped fields, never their values."""
    access_key, secret_key = data.get("AccessKeyId"), data.get("SecretAccessKey")
    token = data.get(token_key)
    for name, value in (("AccessKeyId", access_key), ("SecretAccessKey", secret_key)):
        if not isinstance(value, str) or not value:
            raise CredentialRetrievalError(source, "the answer has no %s" % name)
    if token is not None and not isinstance(token, str):
        raise CredentialRetrievalError(source, "%s in the answer is not a string" % token_key)
    expiry = _parse_expiry(data.get("Expiration"), source)
    return Credentials(access_key, secret_key,  # type: ignore[arg-type]  # both str: checked above
                       token, source, expiry, refresher if expiry is not None else None)


# --- files: shared credentials, config, boto config -------------------------------------------------------------------


def _path(environ: Mapping[str, str], variable: str, default: str) -> str:
    return os.path.expanduser(environ.get(variable) or default)


def _read_ini(path: str) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    try:
        parser.read(path)
    except configparser.Error as exc:
        raise ValueError("cannot parse %s: %s" % (path, exc)) from None
    return parser


def _from_section(parser: configparser.RawConfigParser | _config.NoConfig, section: str, source: str) -> Credentials | None:
    """Static keys in one ini section, or None (no section, or not both keys)."""
    if not parser.has_section(section):
        return None
    ak = parser.get(section, "aws_access_key_id", fallback=None)
    sk = parser.get(section, "aws_secret_access_key", fallback=None)
    if not ak or not ak.strip() or not sk or not sk.strip():
        return None
    token = parser.get(section, "aws_session_token", fallback=None) or parser.get(
        section, "aws_security_token", fallback=None
    )
    return Credentials(ak.strip(), sk.strip(), token.strip() if token else None, source)


def _config_sections(profile: str) -> tuple[str, ...]:
    """Sections of the config file (~/.aws/config) that hold a profile."""
    return ("default", "profile default") if profile == "default" else ("profile %s" % profile,)


def _from_profile(profile: str, named: bool, environ: Mapping[str, str], searched: list[str]) -> Credentials | None:
    """Step 2 of the chain: credentials of ``profile``, or None. ``named``: the profile was chosen explicitly."""
    cred_path = _path(environ, "AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials")
    conf_path = _path(environ, "AWS_CONFIG_FILE", "~/.aws/config")
    shared, conf = _read_ini(cred_path), _read_ini(conf_path)
    conf_sections = [s for s in _config_sections(profile) if conf.has_section(s)]

    searched.append("[%s] in %s" % (profile, cred_path))
    creds = _from_section(shared, profile, "%s [%s]" % (cred_path, profile))
    if creds:
        return creds

    searched.append("[%s] in %s (keys or credential_process)" % (_config_sections(profile)[0], conf_path))
    # credential_process: the credentials file's section wins over the config file's, as in botocore
    for parser, section, path in [(shared, profile, cred_path)] + [(conf, s, conf_path) for s in conf_sections]:
        command = parser.get(section, "credential_process", fallback=None) if parser.has_section(section) else None
        if command and command.strip():
            return _run_process(command.strip(), "credential_process of [%s] in %s" % (section, path))
    for section in conf_sections:
        creds = _from_section(conf, section, "%s [%s]" % (conf_path, section))
        if creds:
            return creds

    found = shared.has_section(profile) or bool(conf_sections)
    if named:
        boto_cfg = _config.lookup()
        section = "profile %s" % profile
        searched.append("[%s] in the boto config (%s)" % (section, ", ".join(boto_cfg.paths)))
        creds = _from_section(boto_cfg, section, "boto config [%s]" % section)
        if creds:
            return creds
        if not found and not boto_cfg.has_section(section):
            raise ProfileNotFoundError(
                "Profile %r not found in %s, %s or the boto config (%s)"
                % (profile, cred_path, conf_path, ", ".join(boto_cfg.paths))
            )
    return None


# --- credential_process -----------------------------------------------------------------------------------------------


def _run_process(command: str, source: str) -> Credentials:
    """Run a ``credential_process`` command line (split like a POSIX shell would, run without one) and read the
    JSON document it prints: ``{"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"}``.

    Its stdin and stderr are ours: an interactive helper can prompt, and its complaints reach the user. Its
    stdout is never repeated in an error (it may hold the very secrets it failed to format).
    """
    try:
        import shlex
        argv = shlex.split(command)
    except ValueError as exc:
        raise CredentialRetrievalError(source, "cannot split the command line: %s" % exc) from None
    if not argv:
        raise CredentialRetrievalError(source, "the command is empty")
    program = argv[0]
    log.debug("running the credential_process of %s", source)
    try:
        import subprocess
        proc = subprocess.run(argv, stdout=subprocess.PIPE, check=False)
    except OSError as exc:
        raise CredentialRetrievalError(source, "cannot run %s: %s" % (program, exc.strerror or exc)) from None
    if proc.returncode != 0:
        if proc.returncode < 0:
            status = "was killed by signal %d" % -proc.returncode
        else:
            status = "exited with status %d" % proc.returncode
        raise CredentialRetrievalError(
            source, "%s %s (its stderr is above; its stdout is not shown)" % (program, status)
        )
    data = _json_object(proc.stdout)
    del proc
    if data is None:
        raise CredentialRetrievalError(source, "%s did not print a JSON object on stdout" % program)
    version = data.get("Version")
    if version != 1 or isinstance(version, bool):
        if "Version" not in data:
            shown = "no Version"
        elif isinstance(version, (int, float)) and len(repr(version)) < 20:
            shown = "Version %r" % (version,)
        else:
            shown = "an unsupported Version"
        raise CredentialRetrievalError(source, "%s printed %s; the supported Version is 1" % (program, shown))
    return _credentials_from_document(data, source, "SessionToken", lambda: _run_process(command, source))


# --- HTTP (container, instance metadata) ------------------------------------------------------------------------------


def _opener() -> OpenerDirector:
    # built per request, so nothing read from the environment at import time (proxy variables) can stick
    import urllib.request

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> None:
            return None  # the 3xx becomes an HTTPError: a redirect is an error here, never followed

    return urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


class _NoAnswer(Exception):
    """The endpoint could not be reached or did not answer in time (internal)."""


def _http_once(method: str, url: str, headers: dict[str, str], timeout: float) -> tuple[int, bytes]:
    """(status, body) of one request; body is b"" for an error status. Raises _NoAnswer."""
    import http.client
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, data=b"" if method == "PUT" else None, headers=headers, method=method)
    try:
        with _opener().open(request, timeout=timeout) as response:
            body = response.read(_MAX_BODY + 1)
            status = response.status
    except urllib.error.HTTPError as exc:
        exc.close()  # its body is not read: it is not shown anywhere
        return exc.code, b""
    except urllib.error.URLError as exc:
        raise _NoAnswer(str(exc.reason)) from None
    except OSError as exc:  # timeouts while reading, reset connections
        raise _NoAnswer(str(exc) or exc.__class__.__name__) from None
    except http.client.HTTPException as exc:  # a bad status line, a truncated answer, ...
        raise _NoAnswer("bad HTTP answer (%s)" % exc.__class__.__name__) from None
    if len(body) > _MAX_BODY:
        raise _NoAnswer("the answer is larger than %d bytes" % _MAX_BODY)
    return status, body


def _http(method: str, url: str, headers: dict[str, str], timeout: float, attempts: int) -> tuple[int, bytes]:
    """(status, body), trying up to ``attempts`` times while there is no answer or a 5xx one. Raises _NoAnswer."""
    problem = None
    for attempt in range(max(1, attempts)):
        try:
            status, body = _http_once(method, url, headers, timeout)
        except _NoAnswer as exc:
            problem = exc
            log.debug("%s %s: no answer (%s), attempt %d of %d", method, url, exc, attempt + 1, attempts)
            continue
        if status < 500:
            return status, body
        problem = None
        log.debug("%s %s: HTTP %d, attempt %d of %d", method, url, status, attempt + 1, attempts)
    if problem is not None:
        raise problem
    return status, body


# --- container credentials --------------------------------------------------------------------------------------------

_CONTAINER_VARIABLES = (
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
)


def _container_url(settings: _ContainerSettings) -> str:
    relative = settings.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
    if relative:
        if not relative.startswith("/"):
            raise CredentialRetrievalError(
                "container credentials", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI must start with '/'"
            )
        return CONTAINER_BASE_URL + relative
    # resolve() comes here only when one of the two is set
    url: str = settings["AWS_CONTAINER_CREDENTIALS_FULL_URI"]  # type: ignore[assignment]
    parts = urlsplit(url)
    try:
        host = parts.hostname
    except ValueError:
        host = None
    if parts.scheme not in ("http", "https") or not host:
        raise CredentialRetrievalError(
            "container credentials", "AWS_CONTAINER_CREDENTIALS_FULL_URI must be an http:// or https:// URL"
        )
    if parts.scheme == "http" and host not in CONTAINER_HTTP_HOSTS and not _is_loopback(host):
        raise CredentialRetrievalError(
            "container credentials",
            "refusing AWS_CONTAINER_CREDENTIALS_FULL_URI host %r: over plain http only a loopback address or "
            "one of %s is allowed (use https for any other host)" % (host, ", ".join(CONTAINER_HTTP_HOSTS)),
        )
    return url


def _is_loopback(host: str) -> bool:
    try:
        import ipaddress
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _container_authorization(settings: _ContainerSettings, source: str) -> str | None:
    path = settings.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
    token: str | None
    if path:
        try:
            with open(path, encoding="utf-8") as f:
                token = f.read().strip()  # read at every fetch: EKS rotates the file
        except (OSError, ValueError) as exc:
            raise CredentialRetrievalError(
                source, "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE %s: %s"
                % (path, getattr(exc, "strerror", None) or exc.__class__.__name__)
            ) from None
        name = "the AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE token"
    else:
        token = settings.get("AWS_CONTAINER_AUTHORIZATION_TOKEN")
        name = "AWS_CONTAINER_AUTHORIZATION_TOKEN"
    if token and any(c in token for c in "\r\n\0"):
        raise CredentialRetrievalError(source, "%s is not a legal header value" % name)
    return token or None


def _fetch_container(settings: _ContainerSettings) -> Credentials:
    """Credentials from the container endpoint. ``settings``: the four container variables, as found by
    :func:`resolve` (kept for :meth:`Credentials.refresh`)."""
    url = _container_url(settings)
    source = "container credentials (%s)" % url
    headers = {"Accept": "application/json"}
    authorization = _container_authorization(settings, source)
    if authorization:
        headers["Authorization"] = authorization
    try:
        status, body = _http("GET", url, headers, CONTAINER_TIMEOUT, CONTAINER_ATTEMPTS)
    except _NoAnswer as exc:
        raise CredentialRetrievalError(source, "no answer (%s)" % exc) from None
    if status != 200:
        raise CredentialRetrievalError(source, "HTTP %d" % status)
    data = _json_object(body)
    del body
    if data is None:
        raise CredentialRetrievalError(source, "the answer is not a JSON object")
    return _credentials_from_document(data, source, "Token", lambda: _fetch_container(settings))


# --- EC2 instance metadata --------------------------------------------------------------------------------------------


class _ImdsSettings(object):
    __slots__ = ("endpoint", "timeout", "attempts", "v1_disabled")
    endpoint: str
    timeout: float
    attempts: int
    v1_disabled: bool

    def __repr__(self) -> str:
        return "<instance metadata at %s>" % self.endpoint


def _imds_settings(environ: Mapping[str, str]) -> _ImdsSettings:
    """Instance metadata settings from the environment (botocore's variables), else the boto config's
    ``[Boto] metadata_service_timeout``/``metadata_service_num_attempts``, else botocore's defaults."""
    settings = _ImdsSettings()
    endpoint = environ.get("AWS_EC2_METADATA_SERVICE_ENDPOINT")
    if not endpoint:
        mode = (environ.get("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE") or "IPv4").strip().lower()
        endpoint = IMDS_ENDPOINT_IPV6 if mode == "ipv6" else IMDS_ENDPOINT
    if urlsplit(endpoint).scheme not in ("http", "https"):
        raise CredentialRetrievalError(
            "EC2 instance metadata", "AWS_EC2_METADATA_SERVICE_ENDPOINT must be an http:// or https:// URL"
        )
    settings.endpoint = endpoint.rstrip("/")
    boto_cfg = _config.lookup()
    settings.timeout = _number(environ, "AWS_METADATA_SERVICE_TIMEOUT", boto_cfg, "metadata_service_timeout",
                               IMDS_TIMEOUT, float)
    settings.attempts = _number(environ, "AWS_METADATA_SERVICE_NUM_ATTEMPTS", boto_cfg,
                                "metadata_service_num_attempts", IMDS_ATTEMPTS, int)
    settings.v1_disabled = (environ.get("AWS_EC2_METADATA_V1_DISABLED") or "").strip().lower() == "true"
    return settings


def _number(environ: Mapping[str, str], variable: str, boto_cfg: _config.Reader, option: str, default: _N,
            kind: Callable[[str], _N]) -> _N:
    text, where = environ.get(variable), variable
    if not text:
        text, where = boto_cfg.get("Boto", option, None), "[Boto] %s in the boto config" % option
    if text is None or not str(text).strip():
        return default
    try:
        value = kind(str(text).strip())
    except ValueError:
        value = None
    if value is None or value <= 0:
        raise CredentialRetrievalError("EC2 instance metadata", "%s must be a positive %s, not %r"
                                       % (where, "number" if kind is float else "integer", text))
    return value


def _fetch_imds(settings: _ImdsSettings) -> Credentials:
    """Credentials of the instance's IAM role: IMDSv2 (PUT a token request, then GET with the token), or
    IMDSv1 (GET without a token) when the token request gets 403, 404 or 405, as botocore does."""
    base = settings.endpoint
    source = "EC2 instance metadata (%s)" % base

    def get(path: str, headers: dict[str, str]) -> tuple[int, bytes]:
        try:
            return _http("GET", base + path, headers, settings.timeout, settings.attempts)
        except _NoAnswer as exc:
            raise CredentialRetrievalError(source, "no answer to GET %s (%s)" % (path, exc)) from None

    try:
        status, body = _http("PUT", base + "/latest/api/token",
                             {"X-aws-ec2-metadata-token-ttl-seconds": str(IMDS_TOKEN_TTL)},
                             settings.timeout, settings.attempts)
    except _NoAnswer as exc:
        raise CredentialRetrievalError(source, "no answer (%s)" % exc) from None
    headers: dict[str, str] = {}
    if status == 200:
        token = body.decode("ascii", "replace").strip()
        if not token or any(c in token for c in "\r\n\0"):
            raise CredentialRetrievalError(source, "the IMDSv2 token answer is not a token")
        headers["X-aws-ec2-metadata-token"] = token
    elif status in (403, 404, 405):
        if settings.v1_disabled:
            raise CredentialRetrievalError(
                source, "the IMDSv2 token request got HTTP %d and AWS_EC2_METADATA_V1_DISABLED forbids IMDSv1"
                % status
            )
        log.debug("%s: the IMDSv2 token request got HTTP %d, using IMDSv1", source, status)
    else:
        raise CredentialRetrievalError(source, "the IMDSv2 token request got HTTP %d" % status)

    listing = "/latest/meta-data/iam/security-credentials/"
    status, body = get(listing, headers)
    if status == 404:
        raise CredentialRetrievalError(source, "no IAM role is attached to this instance")
    if status != 200:
        raise CredentialRetrievalError(source, "HTTP %d for %s" % (status, listing))
    roles = [line.strip() for line in body.decode("utf-8", "replace").splitlines() if line.strip()]
    if not roles:
        raise CredentialRetrievalError(source, "no IAM role is attached to this instance")
    role = roles[0]
    source = "EC2 instance metadata (%s, role %s)" % (base, role)
    status, body = get(listing + quote(role, safe=""), headers)
    if status != 200:
        raise CredentialRetrievalError(source, "HTTP %d for the role's credentials" % status)
    data = _json_object(body)
    del body
    if data is None:
        raise CredentialRetrievalError(source, "the answer is not a JSON object")
    if data.get("Code", "Success") != "Success":
        code = data.get("Code")
        raise CredentialRetrievalError(source, "the answer's Code is %r" % (code if isinstance(code, str) else "?"))
    return _credentials_from_document(data, source, "Token", lambda: _fetch_imds(settings))


# --- the chain --------------------------------------------------------------------------------------------------------


def _choose_profile(profile_name: str | None, environ: Mapping[str, str]) -> tuple[str, bool]:
    """(profile, named): the profile to use and whether it was chosen explicitly."""
    for name in (profile_name, environ.get("AWS_PROFILE"), environ.get("AWS_DEFAULT_PROFILE")):
        if name:
            return name, True
    return "default", False


def resolve(profile_name: str | None = None, environ: Mapping[str, str] | None = None) -> Credentials:
    """Find credentials (see the module documentation for the order).

    :param str profile_name: the profile to use; default ``AWS_PROFILE``, else ``AWS_DEFAULT_PROFILE``, else
        ``default``.
    :param environ: the environment to read (default ``os.environ``).
    :rtype: Credentials
    :raises NoAuthHandlerFound: nothing found; the message names every place searched, in order.
    :raises CredentialRetrievalError: a configured source failed (a ``NoAuthHandlerFound`` subclass).
    :raises ProfileNotFoundError: the profile was named explicitly and is in none of the files.
    """
    environ = os.environ if environ is None else environ
    searched: list[str] = []

    # 1. environment
    searched.append("environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)")
    ak, sk = environ.get("AWS_ACCESS_KEY_ID"), environ.get("AWS_SECRET_ACCESS_KEY")
    if ak and sk:
        token = environ.get("AWS_SESSION_TOKEN") or environ.get("AWS_SECURITY_TOKEN")
        return Credentials(ak, sk, token, "environment")

    # 2. a profile in the shared credentials file, the config file, the boto config
    profile, named = _choose_profile(profile_name, environ)
    creds = _from_profile(profile, named, environ, searched)
    if creds:
        return creds

    # 3. the boto config's [Credentials]
    boto_cfg = _config.lookup()
    searched.append("[Credentials] in the boto config (%s)" % ", ".join(boto_cfg.paths))
    creds = _from_section(boto_cfg, "Credentials", "boto config [Credentials]")
    if creds:
        return creds

    # 4. container credentials: configured means used (a failure is an error, as in botocore)
    settings = {name: environ.get(name) for name in _CONTAINER_VARIABLES}
    if settings["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] or settings["AWS_CONTAINER_CREDENTIALS_FULL_URI"]:
        return _fetch_container(settings)
    searched.append("container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, "
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI: not set)")

    # 5. EC2 instance metadata, the last resort: a failure is part of the final message
    if (environ.get("AWS_EC2_METADATA_DISABLED") or "").strip().lower() == "true":
        searched.append("EC2 instance metadata (disabled by AWS_EC2_METADATA_DISABLED)")
    else:
        imds = _imds_settings(environ)
        try:
            return _fetch_imds(imds)
        except CredentialRetrievalError as exc:
            searched.append("%s: %s" % (exc.source, exc.problem))

    raise NoAuthHandlerFound(
        "No credentials were found. Searched, in order: %s. Pass aws_access_key_id and aws_secret_access_key, "
        "or set them in one of those places." % "; ".join(searched)
    )
