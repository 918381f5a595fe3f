"""``boto.ec2.elb.healthcheck.HealthCheck``."""
from __future__ import annotations

from boto_elb_c.ec2.elb._sax import SaxMixin

TYPE_CHECKING = False
if TYPE_CHECKING:
    from boto_elb_c.connection import AWSQueryConnection
    from boto_elb_c.ec2.elb.loadbalancer import LoadBalancer

__all__ = ["HealthCheck"]


class HealthCheck(SaxMixin):
    """How a load balancer checks its instances.

    :ivar access_point: the :class:`~boto_elb_c.ec2.elb.loadbalancer.LoadBalancer` this check belongs to (or the
        connection, for the check returned by ``configure_health_check``).
    :ivar int interval: seconds between checks (5..300).
    :ivar str target: what to check: ``'TCP:80'``, ``'HTTP:8080/health'``.
    :ivar int healthy_threshold: consecutive successes that make an instance healthy (2..10).
    :ivar int timeout: seconds to wait for an answer (2..60).
    :ivar int unhealthy_threshold: consecutive failures that make an instance unhealthy (2..10).
    """

    def __init__(self, access_point: LoadBalancer | AWSQueryConnection | None = None, interval: int = 30,
                 target: str | None = None, healthy_threshold: int = 3, timeout: int = 5,
                 unhealthy_threshold: int = 5) -> None:
        self.access_point = access_point
        self.interval = interval
        self.target = target
        self.healthy_threshold = healthy_threshold
        self.timeout = timeout
        self.unhealthy_threshold = unhealthy_threshold

    def __repr__(self) -> str:
        return "HealthCheck:%s" % self.target

    def update(self) -> HealthCheck | None:
        """Send this check to its load balancer again (after changing its fields).

        boto 2 raised AttributeError here; this works when ``access_point`` is a LoadBalancer.
        """
        if not self.access_point:
            return None
        lb = self.access_point
        name = getattr(lb, "name", None)
        connection = getattr(lb, "connection", None)
        if name is None or connection is None:
            return None
        new_hc: HealthCheck = connection.configure_health_check(name, self)
        self.interval = new_hc.interval
        self.target = new_hc.target
        self.healthy_threshold = new_hc.healthy_threshold
        self.unhealthy_threshold = new_hc.unhealthy_threshold
        self.timeout = new_hc.timeout
        return new_hc
