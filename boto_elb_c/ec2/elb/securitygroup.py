"""``boto.ec2.elb.securitygroup.SecurityGroup``: a load balancer's source security group."""
from __future__ import annotations

from boto_elb_c.ec2.elb._sax import SaxMixin

__all__ = ["SecurityGroup"]


class SecurityGroup(SaxMixin):
    """The security group that a load balancer's traffic comes from.

    :ivar str name: ``<GroupName>``.
    :ivar str owner_alias: ``<OwnerAlias>``.
    """

    def __init__(self, connection: object = None) -> None:
        self.name: str | None = None
        self.owner_alias: str | None = None

    def __repr__(self) -> str:
        return "SecurityGroup(%s, %s)" % (self.name, self.owner_alias)
