"""``KeyValueDict``: a ``{key: value}`` dict read from a list of ``<member><Key/><Value/></member>`` elements
(tags, additional attributes, policy attributes)."""

from boto_elb_c.ec2.elb._sax import SaxMixin

__all__ = ["KeyValueDict", "KeyValue"]


class KeyValue(SaxMixin):
    """One ``Key``/``Value`` member while a response is read."""

    def __init__(self, connection=None):
        self.key = None
        self.value = None

    def __repr__(self):
        return "KeyValue(%s=%s)" % (self.key, self.value)


class KeyValueDict(dict):
    """A dict filled from Key/Value members (the parser appends members, then calls ``_finish``)."""

    def __init__(self, *args, **kwargs):
        dict.__init__(self, *args, **kwargs)
        self._pending = []

    def append(self, item):
        self._pending.append(item)

    def endNode(self, connection):
        """boto's handler calls this when the element closes."""
        self._finish()

    def startElement(self, name, attrs, connection):
        if name == "member":
            item = KeyValue(connection)
            self.append(item)
            return item
        return None

    def endElement(self, name, value, connection):
        pass

    def _finish(self):
        for item in self._pending:
            self[item.key] = item.value if item.value is not None else ""
        self._pending = []
