"""Exceptions, as boto 2's ``boto.exception`` names them.

Everything the service says is wrong is a :class:`BotoServerError` (with the HTTP status, the reason phrase,
the body and the fields of the ``<ErrorResponse>``); a problem on our side of the wire is a
:class:`BotoClientError`. Transport failures are :class:`HTTPClientError` subclasses, which are also the
matching built-in :class:`OSError` subclasses (``ConnectionError``, ``TimeoutError``), so code written for boto 2's
raw socket errors still catches them.

None of these ever carries a secret: the request (and its signature) is never part of an exception.
"""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "BotoClientError",
    "BotoServerError",
    "ResponseParseError",
    "NoAuthHandlerFound",
    "ProfileNotFoundError",
    "HTTPClientError",
    "EndpointConnectionError",
    "ConnectTimeoutError",
    "ReadTimeoutError",
    "ConnectionClosedError",
    "SSLError",
    "ResponseTooLargeError",
    "ProxyConnectionError",
]


class BotoClientError(Exception):
    """A problem found on the client side, before or without a service answer.

    :ivar str reason: what went wrong.
    """

    def __init__(self, reason: str, *args: object) -> None:
        super().__init__(reason, *args)
        self.reason = reason

    def __repr__(self) -> str:
        return "%s: %s" % (self.__class__.__name__, self.reason)

    __str__ = __repr__


class BotoServerError(Exception):
    """The service answered with an error (any status but 200, or a 200 with an empty body).

    :ivar int status: the HTTP status.
    :ivar str reason: the HTTP reason phrase (``'Bad Request'``).
    :ivar str body: the response body as text (``''`` if there was none).
    :ivar str error_code: the ``<Code>`` of the error (``'LoadBalancerNotFound'``), or None.
    :ivar str error_message: the ``<Message>`` (alias: ``message``), or the body if it is not XML.
    :ivar str request_id: the ``<RequestId>``, else the ``x-amzn-RequestId`` header, or None.
    """

    def __init__(self, status: int, reason: str, body: str | bytes | bytearray | memoryview | None = None,
                 *args: object) -> None:
        super().__init__(status, reason, body, *args)
        self.status = status
        self.reason = reason
        if isinstance(body, (bytes, bytearray, memoryview)):
            body = bytes(body).decode("utf-8", "replace")
        self.body: str = body if body is not None else ""
        self.request_id: str | None = None
        self.error_code: str | None = None
        self.message: str = ""
        self.box_usage: str | None = None
        if self.body:
            self._parse_body(self.body)

    def _parse_body(self, body: str) -> None:
        from boto_elb_c import _core  # imported here: _core imports this module while it loads

        fields = _core._error_fields(body.encode("utf-8"))
        if fields is None:
            self.message = body  # not XML (an HTML error page, say): keep the text, as boto does
            return
        self.error_code = fields["Code"]
        self.message = fields["Message"] or ""
        self.request_id = fields["RequestId"]
        self.box_usage = fields["BoxUsage"]

    # boto 2 spells these two ways
    @property
    def error_message(self) -> str:
        return self.message

    @error_message.setter
    def error_message(self, value: str) -> None:
        self.message = value

    @property
    def code(self) -> str | None:
        return self.error_code

    def __repr__(self) -> str:
        return "%s: %s %s\n%s" % (self.__class__.__name__, self.status, self.reason, self.body)

    __str__ = __repr__

    # -- used by the connection --------------------------------------------------------------------------------

    @classmethod
    def from_response(cls, status: int, reason: str, body: str | bytes | bytearray | memoryview | None,
                      headers: Iterable[tuple[str, str]] = ()) -> BotoServerError:
        """The exception for an HTTP error response: the subclass registered for its error code, if any."""
        exc = cls(status, reason, body)
        klass = _BY_CODE.get(exc.error_code)
        if klass is not None and klass is not cls:
            exc = klass(status, reason, body)
        if exc.request_id is None:
            for name, value in headers:
                if name.lower() in ("x-amzn-requestid", "x-amz-request-id"):
                    exc.request_id = value
                    break
        return exc


class ResponseParseError(BotoServerError):
    """The service answered 2xx with a body that is not the XML expected (truncated, not XML, a DTD, ...).

    :ivar str detail: what the parser found wrong.
    """

    def __init__(self, status: int, reason: str, body: str | bytes | bytearray | memoryview | None = None,
                 detail: str = "", *args: object) -> None:
        self.detail = detail
        super().__init__(status, reason, body, detail, *args)
        if not self.message:
            self.message = detail

    def _parse_body(self, body: str) -> None:
        pass  # the body is what could not be parsed

    def __repr__(self) -> str:
        text = self.body if len(self.body) <= 2000 else self.body[:2000] + "... (%d chars)" % len(self.body)
        return "%s: %s %s (%s)\n%s" % (self.__class__.__name__, self.status, self.reason, self.detail, text)

    __str__ = __repr__


class NoAuthHandlerFound(BotoClientError):
    """No credentials were found; the message names every place that was searched."""


class ProfileNotFoundError(BotoClientError, ValueError):
    """The named profile is in none of the credential or config files."""


class HTTPClientError(BotoClientError):
    """The request did not get an HTTP answer (libcurl failed), on every attempt the retry policy allowed.

    :ivar str url: the endpoint URL.
    :ivar int curl_code: libcurl's CURLcode of the last attempt.
    :ivar int attempts: how many attempts were made (1 if the failure is not one that is retried).
    """

    def __init__(self, message: str, url: str = "", curl_code: int = 0, attempts: int = 1) -> None:
        if attempts > 1:
            message = "%s (after %d attempts)" % (message, attempts)
        # one positional argument only: the OSError mixins of the subclasses would read two as (errno, strerror)
        Exception.__init__(self, message)
        self.reason = message
        self.url = url
        self.curl_code = curl_code
        self.attempts = attempts

    def __repr__(self) -> str:
        return "%s: %s (%s)" % (self.__class__.__name__, self.reason, self.url)

    __str__ = __repr__


class EndpointConnectionError(HTTPClientError, ConnectionError):
    """Could not connect (DNS failure, connection refused). Retried."""


class ConnectTimeoutError(HTTPClientError, TimeoutError):
    """The connection (TCP, TLS, proxy tunnel) was not established within connect_timeout. Retried."""


class ReadTimeoutError(HTTPClientError, TimeoutError):
    """The server sent nothing for read_timeout seconds (the clock starts once the request is sent and restarts
    with every byte received). Retried."""


class ConnectionClosedError(HTTPClientError, ConnectionError):
    """The connection was closed or reset before the whole response arrived (including a body shorter than its
    Content-Length). Retried."""


class SSLError(HTTPClientError, ConnectionError):
    """TLS failed: certificate verification, handshake. Not retried (it fails the same way again)."""


class ResponseTooLargeError(HTTPClientError):
    """The response body was larger than the client's limit. Not retried."""


class ProxyConnectionError(EndpointConnectionError):
    """The proxy could not be reached, or refused to open the tunnel (a CONNECT answered 407 for wrong
    credentials, say). Retried only when the proxy could not be reached or answered 5xx."""


# error code -> BotoServerError subclass; boto_elb_c.ec2.elb registers the ELB ones
_BY_CODE: dict[str | None, type[BotoServerError]] = {}


def register_error_code(code: str, klass: type[BotoServerError]) -> None:
    """Make :meth:`BotoServerError.from_response` raise ``klass`` for responses with this error code."""
    if not (isinstance(klass, type) and issubclass(klass, BotoServerError)):
        raise TypeError("klass must be a BotoServerError subclass")
    _BY_CODE[code] = klass
