"""``boto.resultset.ResultSet``: a list of parsed objects plus the paging fields of the response."""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TypeVar

    _T = TypeVar("_T")

__all__ = ["ResultSet", "BooleanResult"]


class ResultSet(list["_T"]):
    """A list of the objects a response held, with the response's paging markers.

    :ivar list markers: the ``(element name, class)`` pairs whose elements became the list's items.
    :ivar str next_marker: ``<NextMarker>``: pass it as ``marker=`` to get the next page (None on the last page).
    :ivar str marker: ``<Marker>``, when the response has one.
    :ivar bool is_truncated: ``<IsTruncated>`` (ELB never sends it; see ``next_marker``).
    :ivar str RequestId: the request id of the response (boto sets it the same way).

    Elements of the response that no rule names become attributes under their own names, as in boto.

    For the type checker a ResultSet is generic in its items: ``get_all_load_balancers()`` returns a
    ``ResultSet[LoadBalancer]``.
    """

    # boto sets these in __init__; as class attributes they read the same, and a parse that makes thousands of
    # nested ResultSets (8 per load balancer) does not have to fill 12 instance slots for each
    marker: str | None = None
    key_marker: str | None = None
    next_marker: str | None = None
    next_key_marker: str | None = None
    next_upload_id_marker: str | None = None
    next_version_id_marker: str | None = None
    next_generation_marker: str | None = None
    version_id_marker: str | None = None
    is_truncated: bool = False
    next_token: str | None = None
    status: bool = True
    # set by the parser from the response's <RequestId> (a ResultSet made by hand has none until then)
    RequestId: str | None

    def __init__(self, marker_elem: list[tuple[str, type[_T]]] | None = None) -> None:
        list.__init__(self)
        if isinstance(marker_elem, list):
            self.markers = marker_elem
        else:
            self.markers = []

    @property
    def request_id(self) -> str | None:
        """The response's request id (boto spells it ``RequestId``)."""
        return getattr(self, "RequestId", None)

    def to_boolean(self, value: str, true_value: str = "true") -> bool:
        """boto's helper: whether ``value`` is ``true_value``."""
        return value == true_value

    # boto's SAX interface (the C parser does not need it; boto_elb_c.handler drives it for classes of your own)
    def startElement(self, name: str, attrs: object, connection: object) -> _T | None:
        for marker_name, cls in self.markers:
            if name == marker_name:
                obj = cls(connection)  # type: ignore[call-arg]  # boto's item classes take the connection
                self.append(obj)
                return obj
        return None

    def endElement(self, name: str, value: str, connection: object) -> None:
        if name == "IsTruncated":
            self.is_truncated = value.strip().lower() == "true"
        elif name == "Marker":
            self.marker = value
        elif name == "NextMarker":
            self.next_marker = value
        elif name in ("NextToken", "nextToken"):
            self.next_token = value
        elif name in ("return", "StatusCode", "IsValid"):
            self.status = value.strip().lower() in ("true", "success")
        elif name == "ItemName":
            # SimpleDB's item lists (boto's ResultSet serves every service): their items are these str
            self.append(value)  # type: ignore[arg-type]
        elif name and not name.startswith("_") and not hasattr(self, name):
            setattr(self, name, value)


class BooleanResult(object):
    """boto's BooleanResult: the status of a call whose response carries only a status."""

    def __init__(self, marker_elem: object = None) -> None:
        self.status = True
        self.request_id: str | None = None
        self.box_usage: str | None = None

    def __repr__(self) -> str:
        return "True" if self.status else "False"

    def __nonzero__(self) -> bool:
        return self.status

    __bool__ = __nonzero__

