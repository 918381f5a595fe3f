"""``boto.ec2.instanceinfo.InstanceInfo``: an instance id in a register/deregister response."""
from __future__ import annotations

from boto_elb_c.ec2.elb._sax import SaxMixin

__all__ = ["InstanceInfo"]


class InstanceInfo(SaxMixin):
    """An EC2 instance that a load balancer knows of.

    :ivar str id: the instance id (``<InstanceId>``).
    :ivar str state: the instance state, when the response has one.
    """

    def __init__(self, connection: object = None, id: str | None = None, state: str | None = None) -> None:
        self.connection = connection
        self.id = id
        self.state = state

    def __repr__(self) -> str:
        return "InstanceInfo:%s" % self.id
