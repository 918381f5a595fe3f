"""``KeyValueDict``: a ``{key: value}`` dict read from a list of ``<member><Key/><Value/></member>`` elements
(tags, additional attributes, policy attributes)."""
from __future__ import annotations

from boto_elb_c.ec2.elb._sax import SaxMixin

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["KeyValueDict", "KeyValue"]


class KeyValue(SaxMixin):
    """One ``Key``/``Value`` member while a response is read."""

    def __init__(self, connection: object = None) -> None:
        self.key: str | None = None
        self.value: str | None = None

    def __repr__(self) -> str:
        return "KeyValue(%s=%s)" % (self.key, self.value)


class KeyValueDict(dict[str, str]):
    """A dict filled from Key/Value members (the parser appends members, then calls ``_finish``)."""

    def __init__(self, *args: Any, **kwargs: str) -> None:
        dict.__init__(self, *args, **kwargs)
        self._pending: list[KeyValue] = []

    def append(self, item: KeyValue) -> None:
        self._pending.append(item)

    def endNode(self, connection: object) -> None:
        """boto's handler calls this when the element closes."""
        self._finish()

    def startElement(self, name: str, attrs: object, connection: object) -> KeyValue | None:
        if name == "member":
            item = KeyValue(connection)
            self.append(item)
            return item
        return None

    def endElement(self, name: str, value: str, connection: object) -> None:
        pass

    def _finish(self) -> None:
        for item in self._pending:
            # a member without a <Key> (the service always sends one) would key None, as in boto
            self[item.key] = item.value if item.value is not None else ""  # type: ignore[index]
        self._pending = []
