"""``boto.handler.XmlHandler``: drive objects through boto's SAX interface (``startElement``/``endElement``).

The shape table covers every class boto_elb_c ships; this is for classes of your own passed to ``get_list`` or
``get_object``, as boto 2 allowed. The XML is still parsed by the C core (no DTD, no entities, no network);
only the calls into your objects happen here.
"""
from boto_elb_c import _core
from boto_elb_c.exception import ResponseParseError

__all__ = ["XmlHandler", "parse"]


class XmlHandler(object):
    """boto's handler: a stack of (element name, object); the object on top receives the events."""

    def __init__(self, root_node, connection):
        self.connection = connection
        self.nodes = [("root", root_node)]
        self.current_text = ""

    def startElement(self, name, attrs):
        self.current_text = ""
        new_node = self.nodes[-1][1].startElement(name, attrs, self.connection)
        if new_node is not None:
            self.nodes.append((name, new_node))

    def endElement(self, name):
        self.nodes[-1][1].endElement(name, self.current_text, self.connection)
        if self.nodes[-1][0] == name:
            if hasattr(self.nodes[-1][1], "endNode"):
                self.nodes[-1][1].endNode(self.connection)
            self.nodes.pop()
        self.current_text = ""

    def characters(self, content):
        self.current_text += content


def parse(body, root, connection):
    """Parse ``body`` into ``root`` through the SAX interface; returns ``root``."""
    try:
        events = _core._xml_events(body)
    except ValueError as exc:
        raise ResponseParseError(200, "OK", body, str(exc)) from None
    h = XmlHandler(root, connection)
    names = []
    for kind, value in events:
        if kind == "start":
            names.append(value)
            h.startElement(value, {})
        else:
            if kind == "leaf":
                h.characters(value)
            h.endElement(names.pop())
    return root
