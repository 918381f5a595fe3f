"""``boto.resultset.ResultSet``: a list of parsed objects plus the paging fields of the response."""

__all__ = ["ResultSet", "BooleanResult"]


class ResultSet(list):
    """A list of the objects a response held, with the response's paging markers.

    :ivar list markers: the ``(element name, class)`` pairs whose elements became the list's items.
    :ivar str next_marker: ``<NextMarker>``: pass it as ``marker=`` to get the next page (None on the last page).
    :ivar str marker: ``<Marker>``, when the response has one.
    :ivar bool is_truncated: ``<IsTruncated>`` (ELB never sends it; see ``next_marker``).
    :ivar str RequestId: the request id of the response (boto sets it the same way).

    Elements of the response that no rule names become attributes under their own names, as in boto.
    """

    # boto sets these in __init__; as class attributes they read the same, and a parse that makes thousands of
    # nested ResultSets (8 per load balancer) does not have to fill 12 instance slots for each
    marker = None
    key_marker = None
    next_marker = None
    next_key_marker = None
    next_upload_id_marker = None
    next_version_id_marker = None
    next_generation_marker = None
    version_id_marker = None
    is_truncated = False
    next_token = None
    status = True

    def __init__(self, marker_elem=None):
        list.__init__(self)
        if isinstance(marker_elem, list):
            self.markers = marker_elem
        else:
            self.markers = []

    @property
    def request_id(self):
        """The response's request id (boto spells it ``RequestId``)."""
        return getattr(self, "RequestId", None)

    def to_boolean(self, value, true_value="true"):
        """boto's helper: whether ``value`` is ``true_value``."""
        return value == true_value

    # boto's SAX interface (the C parser does not need it; boto_elb_c.handler drives it for classes of your own)
    def startElement(self, name, attrs, connection):
        for marker_name, cls in self.markers:
            if name == marker_name:
                obj = cls(connection)
                self.append(obj)
                return obj
        return None

    def endElement(self, name, value, connection):
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
            self.append(value)
        elif name and not name.startswith("_") and not hasattr(self, name):
            setattr(self, name, value)


class BooleanResult(object):
    """boto's BooleanResult: the status of a call whose response carries only a status."""

    def __init__(self, marker_elem=None):
        self.status = True
        self.request_id = None
        self.box_usage = None

    def __repr__(self):
        return "True" if self.status else "False"

    def __nonzero__(self):
        return self.status

    __bool__ = __nonzero__

