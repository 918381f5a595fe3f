"""``boto.ec2.elb.listelement.ListElement``: a list of strings (zones, subnets, security groups)."""
from __future__ import annotations

__all__ = ["ListElement"]


class ListElement(list[str]):
    """A plain list of the ``<member>`` strings of one element."""

    def startElement(self, name: str, attrs: object, connection: object) -> None:
        pass

    def endElement(self, name: str, value: str, connection: object) -> None:
        if name == "member":
            self.append(value)
