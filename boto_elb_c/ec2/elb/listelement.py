"""``boto.ec2.elb.listelement.ListElement``: a list of strings (zones, subnets, security groups)."""

__all__ = ["ListElement"]


class ListElement(list):
    """A plain list of the ``<member>`` strings of one element."""

    def startElement(self, name, attrs, connection):
        pass

    def endElement(self, name, value, connection):
        if name == "member":
            self.append(value)
