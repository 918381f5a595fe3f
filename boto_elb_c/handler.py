"""``boto.handler.XmlHandler``: drive objects through boto's SAX interface (``startElement``/``endElement``).

The shape table covers every class boto_elb_c ships; this is for classes of your own passed to ``get_list`` or
``get_object``, as boto 2 allowed. The XML is still parsed by the C core (no DTD, no entities, no network);
only the calls into your objects happen here.
"""
from __future__ import annotations

from boto_elb_c import _core
from boto_elb_c.exception import ResponseParseError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeVar

    _T = TypeVar("_T")

__all__ = ["XmlHandler", "parse"]


class XmlHandler(object):
    """boto's handler: a stack of (element name, object); the object on top receives the events.

    The objects are duck-typed, as in boto: anything with ``startElement(name, attrs, connection)`` (returning the
    object for a new element, or None) and ``endElement(name, value, connection)``, and optionally ``endNode``.
    """

    def __init__(self, root_node: Any, connection: object) -> None:
        self.connection = connection
        self.nodes: list[tuple[str, Any]] = [("root", root_node)]
        self.current_text = ""

    def startElement(self, name: str, attrs: object) -> None:
        self.current_text = ""
        new_node = self.nodes[-1][1].startElement(name, attrs, self.connection)
        if new_node is not None:
            self.nodes.append((name, new_node))

    def endElement(self, name: str) -> None:
        self.nodes[-1][1].endElement(name, self.current_text, self.connection)
        if self.nodes[-1][0] == name:
            if hasattr(self.nodes[-1][1], "endNode"):
                self.nodes[-1][1].endNode(self.connection)
            self.nodes.pop()
        self.current_text = ""

    def characters(self, content: str) -> None:
        self.current_text += content


def parse(body: bytes, root: _T, connection: object) -> _T:
    """Parse ``body`` into ``root`` through the SAX interface; returns ``root``."""
    try:
        events = _core._xml_events(body)
    except ValueError as exc:
        raise ResponseParseError(200, "OK", body, str(exc)) from None
    h = XmlHandler(root, connection)
    names: list[str] = []
    # ("start", name), ("leaf", text) or ("end", None): value is a str for the kinds that use it
    value: Any
    for kind, value in events:
        if kind == "start":
            names.append(value)
            h.startElement(value, {})
        else:
            if kind == "leaf":
                h.characters(value)
            h.endElement(names.pop())
    return root
