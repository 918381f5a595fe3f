"""Type stub of the C extension ``boto_elb_c._core`` (ext/*.c): SigV4/SigV2 signing (OpenSSL), HTTP (libcurl) and
XML (libxml2).

Every name the extension exports is here, with the argument kinds its C argument parsing allows: arguments parsed
with ``PyArg_ParseTuple`` (``METH_VARARGS``) or taken one at a time (``METH_O``) are positional-only; the type
constructors and ``parse`` take keywords (``PyArg_ParseTupleAndKeywords``). ``s`` is a ``str``, ``s#`` a ``str`` or
read-only ``bytes``, ``y*`` any bytes-like object, ``z`` a ``str`` or None, ``p`` a truth value, ``d`` a float.
"""
from collections.abc import Callable, Iterable
from typing import Any, Final, Literal, SupportsFloat, SupportsIndex, TypedDict, TypeVar, Union, final

from _typeshed import ReadableBuffer

from boto_elb_c.exception import HTTPClientError

_T = TypeVar("_T")

# ext/query.c: a dict (str keys), or an iterable of (name, value) tuples; a None value leaves the parameter out,
# bool -> "true"/"false", bytes as is, anything else str(value)
_Params = Union[dict[str, Any], Iterable[tuple[str, object]], None]
# PyFloat_AsDouble: a float, or anything with __float__ or __index__
_Seconds = Union[SupportsFloat, SupportsIndex]
# (status, reason phrase, [(header name, value)], body)
_Response = tuple[int, str, list[tuple[str, str]], bytes]
# HttpClient.query_many's answers also carry time.time() when each arrived
_TimedResponse = tuple[int, str, list[tuple[str, str]], bytes, float]
# HttpClient.query_many: (url, params, signer[, time_offset])
_Request = Union[tuple[str, _Params, "Signer"], tuple[str, _Params, "Signer", Union[_Seconds, None]]]
# install_shapes: (name_index, kind, attr, conv, child_index, ctor_arg) per rule
_Rule = tuple[int, int, Union[str, None], int, int, int]
# install_shapes: None, or (type, attribute names, kinds, values) for building without __init__
_Init = Union[tuple[type, tuple[str, ...], tuple[int, ...], tuple[object, ...]], None]
# install_shapes: (cls, text_attr, text_conv, setattr_unknown, rules, end_hook, init) per class
_Class = tuple[Callable[..., object], Union[str, None], int, object, Iterable[_Rule], Union[str, None], _Init]
# _xml_events: ("start", element name), ("leaf", text), ("end", None)
_Event = Union[tuple[Literal["start", "leaf"], str], tuple[Literal["end"], None]]

libcurl_version: Final[str]
libcurl_build_version: Final[str]
libcurl_ssl_version: Final[str]
libxml2_version: Final[str]
libxml2_build_version: Final[str]
openssl_version: Final[str]
openssl_build_version: Final[str]
RETRY_QUOTA_CAPACITY: Final = 500

# --- signer.c ---

@final
class Signer:
    """Credentials held in C memory that is wiped when the object is freed. signature_version 4 signs with SigV4
    (headers); 2 with SigV2 (HmacSHA256 parameters in the form body)."""

    def __new__(
        cls,
        access_key: str,
        secret_key: str,
        security_token: str | None = None,
        *,
        region: str,
        service: str | None = "elasticloadbalancing",
        signature_version: int | None = 4,
    ) -> Signer: ...
    @property
    def access_key(self) -> str: ...
    @property
    def region(self) -> str: ...
    @property
    def service(self) -> str: ...
    @property
    def has_token(self) -> bool: ...
    @property
    def signature_version(self) -> int: ...
    def with_scope(self, region: str, service: str | None = None) -> Signer: ...
    def sign_query_post(self, host: str, body: ReadableBuffer, timestamp: _Seconds | None = None) -> dict[str, str]: ...
    def sign_post(
        self, host: str, body: ReadableBuffer, timestamp: _Seconds | None = None
    ) -> tuple[bytes, dict[str, str]]: ...

_SigV4Stages = TypedDict(
    "_SigV4Stages",
    {
        "canonical_request": str,
        "string_to_sign": str,
        "signature": str,
        "signed_headers": str,
        "authorization": str,
        "presigned_query": str,
    },
)
_SigV2Stages = TypedDict(
    "_SigV2Stages", {"canonical_query": str, "string_to_sign": str, "signature": str, "auth_params": str}
)

def _sigv4_sign(
    method: str,
    path: str | bytes,
    query: str | bytes,
    headers: Iterable[tuple[str, str]],
    payload_hash: str,
    amz_date: str,
    region: str,
    service: str,
    access_key: str,
    secret_key: str | bytes,
    session_token: str | None = None,
    normalize: bool = True,
    query_mode: bool = False,
    omit_session_token: bool = False,
    sign_body: bool = False,
    expires: int = 3600,
) -> _SigV4Stages: ...
def _sigv4_string_to_sign(canonical_request: str | bytes, amz_date: str, region: str, service: str, /) -> str: ...
def _sigv4_signature(
    string_to_sign: str | bytes, secret_key: str | bytes, amz_date: str, region: str, service: str, /
) -> str: ...
def _sigv2_sign(
    method: str,
    host: str,
    path: str,
    body: bytes,
    access_key: str,
    secret_key: str | bytes,
    timestamp: str,
    session_token: str | None = None,
) -> _SigV2Stages: ...

# --- query.c ---

def encode_form(params: _Params, /) -> bytes: ...
def _uri_encode(data: str | ReadableBuffer, keep_slash: bool = False, /) -> str: ...
def _canonical_query(query: str, /) -> str: ...

# --- http.c ---

@final
class HttpClient:
    """One libcurl handle with its kept-alive connection. Use one per thread."""

    def __new__(
        cls,
        *,
        connect_timeout: float = 60.0,
        read_timeout: float = 60.0,
        verify: bool = True,
        ca_bundle: str | None = None,
        proxy: str | None = None,
        proxy_user: str | None = None,
        proxy_pass: str | None = None,
        user_agent: str | None = None,
        max_body: int = 67108864,
        max_attempts: int = 3,
        retry_base_delay: float = 1.0,
        retry_max_delay: float = 20.0,
        retry_quota: bool = True,
        on_retry: Callable[[str, int, int, str, float | None], object] | None = None,
        share: bool = True,
    ) -> HttpClient: ...
    def query(
        self, url: str, params: _Params, signer: Signer, /, time_offset: _Seconds | None = 0
    ) -> _Response: ...
    def query_many(self, requests: Iterable[_Request], /) -> list[_TimedResponse | HTTPClientError]: ...
    def close(self) -> None: ...
    @property
    def requests(self) -> int: ...
    @property
    def connects(self) -> int: ...
    @property
    def closed(self) -> bool: ...
    @property
    def last_attempts(self) -> int: ...
    @property
    def retries(self) -> int: ...
    @property
    def max_attempts(self) -> int: ...
    @property
    def shared(self) -> bool: ...
    @property
    def timeouts(self) -> tuple[float, float]: ...
    @property
    def proxy(self) -> tuple[Literal[True], str | None] | None: ...

_ShareStats = TypedDict("_ShareStats", {"dns_locks": int, "ssl_session_locks": int})

def _share_stats() -> _ShareStats | None: ...

# --- retry.c ---

def _retry_quota(tokens: int = -1, /) -> int: ...

# --- errors.c ---

_ErrorFields = TypedDict(
    "_ErrorFields", {"Code": str | None, "Message": str | None, "RequestId": str | None, "BoxUsage": str | None}
)

def _error_fields(body: ReadableBuffer, /) -> _ErrorFields | None: ...

# --- xml.c ---

def install_shapes(names: Iterable[str], classes: Iterable[_Class], /) -> None: ...
def parse(
    body: ReadableBuffer,
    root: _T,
    class_index: int,
    connection: object = None,
    status: int = 200,
    reason: str = "OK",
) -> _T: ...
def _xml_events(body: ReadableBuffer, /) -> list[_Event]: ...
def _construct(index: int, arg: object, /) -> object: ...
