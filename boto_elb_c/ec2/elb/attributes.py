"""``boto.ec2.elb.attributes``: the attributes of a load balancer (DescribeLoadBalancerAttributes)."""
from __future__ import annotations

from boto_elb_c.ec2.elb._sax import SaxMixin

from boto_elb_c.ec2.elb.keyvalue import KeyValueDict

__all__ = [
    "CrossZoneLoadBalancingAttribute",
    "AccessLogAttribute",
    "ConnectionDrainingAttribute",
    "ConnectionSettingAttribute",
    "LbAttributes",
]


class CrossZoneLoadBalancingAttribute(SaxMixin):
    """:ivar bool enabled: whether traffic is spread across all zones."""

    def __init__(self, connection: object = None) -> None:
        self.enabled: bool | None = None

    def __repr__(self) -> str:
        return "CrossZoneLoadBalancingAttribute(%s)" % self.enabled


class AccessLogAttribute(SaxMixin):
    """Access logs to S3.

    :ivar bool enabled:
    :ivar str s3_bucket_name:
    :ivar str s3_bucket_prefix:
    :ivar int emit_interval: minutes (5 or 60).
    """

    def __init__(self, connection: object = None) -> None:
        self.enabled: bool | None = None
        self.s3_bucket_name: str | None = None
        self.s3_bucket_prefix: str | None = None
        self.emit_interval: int | None = None

    def __repr__(self) -> str:
        return "AccessLog(%s, %s, %s, %s)" % (self.enabled, self.s3_bucket_name, self.s3_bucket_prefix,
                                              self.emit_interval)


class ConnectionDrainingAttribute(SaxMixin):
    """Connection draining.

    :ivar bool enabled:
    :ivar int timeout: seconds.
    """

    def __init__(self, connection: object = None) -> None:
        self.enabled: bool | None = None
        self.timeout: int | None = None

    def __repr__(self) -> str:
        return "ConnectionDraining(%s, %s)" % (self.enabled, self.timeout)


class ConnectionSettingAttribute(SaxMixin):
    """:ivar int idle_timeout: seconds an idle connection is kept."""

    def __init__(self, connection: object = None) -> None:
        self.idle_timeout: int | None = None

    def __repr__(self) -> str:
        return "ConnectionSettingAttribute(%s)" % self.idle_timeout


class LbAttributes(SaxMixin):
    """All the attributes of a load balancer.

    :ivar cross_zone_load_balancing: :class:`CrossZoneLoadBalancingAttribute`
    :ivar access_log: :class:`AccessLogAttribute`
    :ivar connection_draining: :class:`ConnectionDrainingAttribute`
    :ivar connecting_settings: :class:`ConnectionSettingAttribute` (boto's spelling)
    :ivar dict additional_attributes: ``{key: value}`` of the AdditionalAttributes (not in boto 2), e.g.
        ``{'elb.http.desyncmitigationmode': 'defensive'}``
    """

    def __init__(self, connection: object = None) -> None:
        self.connection = connection
        self.additional_attributes = KeyValueDict()
        self.cross_zone_load_balancing = CrossZoneLoadBalancingAttribute(self.connection)
        self.access_log = AccessLogAttribute(self.connection)
        self.connection_draining = ConnectionDrainingAttribute(self.connection)
        self.connecting_settings = ConnectionSettingAttribute(self.connection)

    def __repr__(self) -> str:
        return "LbAttributes(%s, %s, %s, %s)" % (repr(self.cross_zone_load_balancing), repr(self.access_log),
                                                 repr(self.connection_draining), repr(self.connecting_settings))
