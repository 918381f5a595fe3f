"""``boto.ec2.elb.loadbalancer``: LoadBalancer, LoadBalancerZones and Backend."""
from __future__ import annotations

from boto_elb_c.ec2.elb._sax import SaxMixin

from boto_elb_c.ec2.elb import waiter
from boto_elb_c.ec2.elb.healthcheck import HealthCheck  # noqa: F401  (boto's module exposes these names)
from boto_elb_c.ec2.elb.listelement import ListElement
from boto_elb_c.ec2.elb.listener import Listener  # noqa: F401
from boto_elb_c.ec2.elb.policies import OtherPolicy, Policies  # noqa: F401
from boto_elb_c.ec2.elb.securitygroup import SecurityGroup  # noqa: F401
from boto_elb_c.ec2.instanceinfo import InstanceInfo  # noqa: F401
from boto_elb_c.resultset import ResultSet  # noqa: F401

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from boto_elb_c.ec2.elb import ELBConnection, _ListenerTuple
    from boto_elb_c.ec2.elb.attributes import LbAttributes
    from boto_elb_c.ec2.elb.instancestate import InstanceState
    from boto_elb_c.ec2.elb.policies import PolicyDescription

__all__ = ["LoadBalancer", "LoadBalancerZones", "Backend"]


class LoadBalancerZones(SaxMixin):
    """The zones of a load balancer, as Enable/DisableAvailabilityZonesForLoadBalancer return them.

    :ivar zones: :class:`~boto_elb_c.ec2.elb.listelement.ListElement` of zone names.
    """

    def __init__(self, connection: object = None) -> None:
        self.connection = connection
        self.zones = ListElement()


class Backend(SaxMixin):
    """A back-end server description: the policies on one instance port.

    :ivar int instance_port:
    :ivar policies: ResultSet of :class:`~boto_elb_c.ec2.elb.policies.OtherPolicy`.
    """

    def __init__(self, connection: object = None) -> None:
        self.connection = connection
        self.instance_port: int | None = None
        self.policies: ResultSet[OtherPolicy] | None = None

    def __repr__(self) -> str:
        return "Backend(%r:%r)" % (self.instance_port, self.policies)


def _as_list(value: str | Iterable[str]) -> Iterable[str]:
    return [value] if isinstance(value, str) else value


class LoadBalancer(SaxMixin):
    """A classic load balancer.

    :ivar connection: the :class:`~boto_elb_c.ec2.elb.ELBConnection` it was read with.
    :ivar str name: the load balancer name.
    :ivar str dns_name: its DNS name.
    :ivar str created_time: when it was created, as the service sent it (ISO 8601 text, as boto gives it).
    :ivar listeners: ResultSet of :class:`~boto_elb_c.ec2.elb.listener.Listener`.
    :ivar health_check: :class:`~boto_elb_c.ec2.elb.healthcheck.HealthCheck`.
    :ivar policies: :class:`~boto_elb_c.ec2.elb.policies.Policies`.
    :ivar instances: ResultSet of :class:`~boto_elb_c.ec2.instanceinfo.InstanceInfo`.
    :ivar availability_zones: list of zone names.
    :ivar subnets: list of subnet ids.
    :ivar security_groups: list of security group ids.
    :ivar source_security_group: :class:`~boto_elb_c.ec2.elb.securitygroup.SecurityGroup`.
    :ivar str canonical_hosted_zone_name:
    :ivar str canonical_hosted_zone_name_id:
    :ivar str vpc_id:
    :ivar str scheme: ``'internet-facing'`` or ``'internal'``.
    :ivar backends: ResultSet of :class:`Backend`.
    :ivar dict tags: the tags (read on first use; not in boto 2).
    """

    # Every LoadBalancer the connection returns has its connection and its name (the methods below use both); only
    # one made by hand, LoadBalancer(), has None there, and its methods fail as boto's do. Typed for the first.
    connection: ELBConnection
    name: str

    def __init__(self, connection: ELBConnection | None = None, name: str | None = None,
                 endpoints: object = None) -> None:
        self.connection = connection  # type: ignore[assignment]  # None only when made by hand (see above)
        self.name = name  # type: ignore[assignment]  # as above
        # the parser sets these from the response; create_load_balancer() sets listeners, availability_zones,
        # subnets and security_groups to what it was given (as boto does)
        self.listeners: ResultSet[Listener] | Sequence[_ListenerTuple] | None = None
        self.health_check: HealthCheck | None = None
        self.policies: Policies | None = None
        self.dns_name: str | None = None
        self.created_time: str | None = None
        self.instances: ResultSet[InstanceInfo] | None = None
        self.availability_zones: Sequence[str] | None = ListElement()
        self.canonical_hosted_zone_name: str | None = None
        self.canonical_hosted_zone_name_id: str | None = None
        self.source_security_group: SecurityGroup | None = None
        self.subnets: Sequence[str] | None = ListElement()
        self.security_groups: Sequence[str] | None = ListElement()
        self.vpc_id: str | None = None
        self.scheme: str | None = None
        self.backends: ResultSet[Backend] | None = None
        self._attributes: LbAttributes | None = None
        self._tags: dict[str, str] | None = None

    def __repr__(self) -> str:
        return "LoadBalancer:%s" % self.name

    # --- zones ---------------------------------------------------------------------------------------------

    def enable_zones(self, zones: str | Iterable[str]) -> None:
        """Add availability zones; ``availability_zones`` becomes the zones now enabled."""
        self.availability_zones = self.connection.enable_availability_zones(self.name, _as_list(zones))

    def disable_zones(self, zones: str | Iterable[str]) -> None:
        """Remove availability zones; ``availability_zones`` becomes the zones still enabled."""
        self.availability_zones = self.connection.disable_availability_zones(self.name, _as_list(zones))

    # --- attributes ----------------------------------------------------------------------------------------

    def get_attributes(self, force: bool = False) -> LbAttributes:
        """The :class:`~boto_elb_c.ec2.elb.attributes.LbAttributes`, cached after the first call (``force``
        reads them again)."""
        if force or self._attributes is None:
            self._attributes = self.connection.get_all_lb_attributes(self.name)
        return self._attributes

    def is_cross_zone_load_balancing(self, force: bool = False) -> bool | None:
        """Whether cross-zone load balancing is on (from the cached attributes unless ``force``)."""
        return self.get_attributes(force).cross_zone_load_balancing.enabled

    def enable_cross_zone_load_balancing(self) -> bool:
        """Turn cross-zone load balancing on; returns True."""
        success = self.connection.modify_lb_attribute(self.name, "crossZoneLoadBalancing", True)
        if success and self._attributes:
            self._attributes.cross_zone_load_balancing.enabled = True
        return success

    def disable_cross_zone_load_balancing(self) -> bool:
        """Turn cross-zone load balancing off; returns True."""
        success = self.connection.modify_lb_attribute(self.name, "crossZoneLoadBalancing", False)
        if success and self._attributes:
            self._attributes.cross_zone_load_balancing.enabled = False
        return success

    # --- instances -----------------------------------------------------------------------------------------

    def register_instances(self, instances: str | Iterable[str]) -> None:
        """Add instances (ids) to the load balancer; ``instances`` becomes what the service returns."""
        self.instances = self.connection.register_instances(self.name, _as_list(instances))

    def deregister_instances(self, instances: str | Iterable[str]) -> None:
        """Remove instances (ids) from the load balancer."""
        self.instances = self.connection.deregister_instances(self.name, _as_list(instances))

    #: The boto ELB tutorial's spelling of :meth:`deregister_instances` (it never existed in boto).
    degregister_instances = deregister_instances

    def get_instance_health(self, instances: str | Iterable[str] | None = None) -> ResultSet[InstanceState]:
        """ResultSet of :class:`~boto_elb_c.ec2.elb.instancestate.InstanceState` for all or some instances."""
        return self.connection.describe_instance_health(self.name, instances)

    def wait_for_instances_in_service(self, instance_ids: str | Iterable[str] | None = None,
                                      timeout: float = waiter.DEFAULT_TIMEOUT,
                                      delay: float = waiter.DEFAULT_DELAY) -> ResultSet[InstanceState]:
        """Wait until the instances (all registered ones by default) are ``InService``, polling every ``delay``
        seconds for at most ``timeout`` seconds (the model's waiter: 15 s, 40 polls). Returns their
        InstanceStates; raises :class:`~boto_elb_c.ec2.elb.waiter.WaiterTimeoutError` naming the instances that
        were not in service."""
        return waiter.wait_for_instances_in_service(self.connection, self.name, instance_ids, timeout, delay)

    def wait_for_instances_deregistered(self, instance_ids: str | Iterable[str] | None = None,
                                        timeout: float = waiter.DEFAULT_TIMEOUT,
                                        delay: float = waiter.DEFAULT_DELAY) -> ResultSet[InstanceState] | None:
        """Wait until the instances are deregistered (see
        :func:`~boto_elb_c.ec2.elb.waiter.wait_for_instances_deregistered`)."""
        return waiter.wait_for_instances_deregistered(self.connection, self.name, instance_ids, timeout, delay)

    # --- health check, listeners, lifecycle ----------------------------------------------------------------

    def configure_health_check(self, health_check: HealthCheck) -> HealthCheck:
        """Set the health check; returns the HealthCheck the service now has (``health_check`` is not
        updated, as in boto)."""
        return self.connection.configure_health_check(self.name, health_check)

    def create_listeners(self, listeners: Sequence[_ListenerTuple]) -> bool | None:
        """Add listeners given as ``(lb_port, instance_port, protocol[, cert])`` tuples."""
        return self.connection.create_load_balancer_listeners(self.name, listeners)

    def create_listener(self, inPort: int, outPort: int | None = None, proto: str = "tcp") -> bool | None:
        """Add one listener; ``outPort`` defaults to ``inPort``."""
        if outPort is None:
            outPort = inPort
        return self.create_listeners([(inPort, outPort, proto)])

    def delete_listeners(self, listeners: Iterable[int]) -> bool:
        """Delete the listeners on these load balancer ports."""
        return self.connection.delete_load_balancer_listeners(self.name, listeners)

    def delete_listener(self, inPort: int) -> bool:
        """Delete the listener on this load balancer port."""
        return self.delete_listeners([inPort])

    def delete(self) -> bool:
        """Delete the load balancer."""
        return self.connection.delete_load_balancer(self.name)

    # --- policies ------------------------------------------------------------------------------------------

    def delete_policy(self, policy_name: str) -> bool:
        """Delete a policy (it must not be in use)."""
        return self.connection.delete_lb_policy(self.name, policy_name)

    def set_policies_of_listener(self, lb_port: int, policies: str | Sequence[str]) -> bool:
        """Replace the policies of the listener on ``lb_port`` (``[]`` removes them all)."""
        return self.connection.set_lb_policies_of_listener(self.name, lb_port, policies)

    def set_policies_of_backend_server(self, instance_port: int, policies: str | Sequence[str] | None) -> bool:
        """Replace the policies of the back-end server port ``instance_port``."""
        return self.connection.set_lb_policies_of_backend_server(self.name, instance_port, policies)

    def create_cookie_stickiness_policy(self, cookie_expiration_period: int | None, policy_name: str) -> bool:
        """Create a load-balancer-cookie stickiness policy (``cookie_expiration_period`` None: session)."""
        return self.connection.create_lb_cookie_stickiness_policy(cookie_expiration_period, self.name, policy_name)

    def create_app_cookie_stickiness_policy(self, name: str, policy_name: str) -> bool:
        """Create a stickiness policy that follows the application cookie ``name``."""
        return self.connection.create_app_cookie_stickiness_policy(name, self.name, policy_name)

    def set_listener_SSL_certificate(self, lb_port: int, ssl_certificate_id: str) -> bool:
        """Replace the certificate of the HTTPS/SSL listener on ``lb_port``."""
        return self.connection.set_lb_listener_SSL_certificate(self.name, lb_port, ssl_certificate_id)

    def create_lb_policy(self, policy_name: str, policy_type: str,
                         policy_attribute: Mapping[str, object] | None) -> bool:
        """Create a policy of ``policy_type`` with the attributes in the dict ``policy_attribute``."""
        return self.connection.create_lb_policy(self.name, policy_name, policy_type, policy_attribute)

    def describe_policies(self, policy_names: str | Iterable[str] | None = None) -> ResultSet[PolicyDescription]:
        """The policies of this load balancer with their attributes (not in boto 2)."""
        return self.connection.describe_lb_policies(self.name, policy_names)

    # --- subnets and security groups ----------------------------------------------------------------------

    def attach_subnets(self, subnets: str | Iterable[str]) -> None:
        """Attach subnets; ``subnets`` becomes the list of subnets now attached (boto 2 left an empty list)."""
        self.subnets = self.connection.attach_lb_to_subnets(self.name, _as_list(subnets))

    def detach_subnets(self, subnets: str | Iterable[str]) -> None:
        """Detach subnets; ``subnets`` becomes the list of subnets still attached."""
        self.subnets = self.connection.detach_lb_from_subnets(self.name, _as_list(subnets))

    def apply_security_groups(self, security_groups: str | Iterable[str]) -> None:
        """Replace the security groups; ``security_groups`` becomes the list now applied."""
        self.security_groups = self.connection.apply_security_groups_to_lb(self.name, _as_list(security_groups))

    # --- tags (not in boto 2) ------------------------------------------------------------------------------

    @property
    def tags(self) -> dict[str, str]:
        """The load balancer's tags, ``{key: value}``: read with DescribeTags on first use, then kept up to date
        by :meth:`add_tags`/:meth:`remove_tags` (:meth:`get_tags` with ``force=True`` reads them again)."""
        return self.get_tags()

    def get_tags(self, force: bool = False) -> dict[str, str]:
        """The tags, from the service the first time (or with ``force``)."""
        if force or self._tags is None:
            self._tags = self.connection.get_all_tags([self.name]).get(self.name, {})
        return self._tags

    def add_tags(self, tags: dict[str, str]) -> bool:
        """Add or overwrite tags from a dict ``{key: value}``."""
        result = self.connection.add_tags(self.name, tags)
        if self._tags is not None:
            self._tags.update(tags)
        return result

    def remove_tags(self, tags: str | Iterable[str]) -> bool:
        """Remove tags by key (a list of keys, or a dict whose keys are used)."""
        result = self.connection.remove_tags(self.name, tags)
        if self._tags is not None:
            for key in tags:
                self._tags.pop(key, None)
        return result
