"""``boto.ec2.elb.securitygroup.SecurityGroup``: a load balancer's source security group."""

from boto_elb_c.ec2.elb._sax import SaxMixin

__all__ = ["SecurityGroup"]


class SecurityGroup(SaxMixin):
    """The security group that a load balancer's traffic comes from.

    :ivar str name: ``<GroupName>``.
    :ivar str owner_alias: ``<OwnerAlias>``.
    """

    def __init__(self, connection=None):
        self.name = None
        self.owner_alias = None

    def __repr__(self):
        return "SecurityGroup(%s, %s)" % (self.name, self.owner_alias)
