"""``boto.ec2.elb.listelement.ListElement``: a list of strings (zones, subnets, security groups)."""

__all__ = ["ListElement"]


class ListElement(list):
    """A plain list of the ``<member>`` strings of one element."""
