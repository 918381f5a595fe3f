"""``boto.ec2.elb.instancestate.InstanceState``: the health of one instance behind a load balancer."""
from __future__ import annotations

from boto_elb_c.ec2.elb._sax import SaxMixin

__all__ = ["InstanceState"]


class InstanceState(SaxMixin):
    """One member of a DescribeInstanceHealth answer.

    :ivar str instance_id: the instance id.
    :ivar str state: ``'InService'``, ``'OutOfService'`` or ``'Unknown'``.
    :ivar str reason_code: ``'ELB'``, ``'Instance'`` or ``'N/A'``.
    :ivar str description: a human description of the state.
    """

    def __init__(self, load_balancer: object = None, description: str | None = None, state: str | None = None,
                 instance_id: str | None = None, reason_code: str | None = None) -> None:
        self.load_balancer = load_balancer
        self.description = description
        self.state = state
        self.instance_id = instance_id
        self.reason_code = reason_code

    def __repr__(self) -> str:
        return "InstanceState:(%s,%s)" % (self.instance_id, self.state)
