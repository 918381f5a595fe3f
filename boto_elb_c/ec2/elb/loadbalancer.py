"""``boto.ec2.elb.loadbalancer``: LoadBalancer, LoadBalancerZones and Backend."""

from boto_elb_c.ec2.elb.listelement import ListElement

__all__ = ["LoadBalancer", "LoadBalancerZones", "Backend"]


class LoadBalancerZones(object):
    """The zones of a load balancer, as Enable/DisableAvailabilityZonesForLoadBalancer return them.

    :ivar zones: :class:`~boto_elb_c.ec2.elb.listelement.ListElement` of zone names.
    """

    def __init__(self, connection=None):
        self.connection = connection
        self.zones = ListElement()


class Backend(object):
    """A back-end server description: the policies on one instance port.

    :ivar int instance_port:
    :ivar policies: ResultSet of :class:`~boto_elb_c.ec2.elb.policies.OtherPolicy`.
    """

    def __init__(self, connection=None):
        self.connection = connection
        self.instance_port = None
        self.policies = None

    def __repr__(self):
        return "Backend(%r:%r)" % (self.instance_port, self.policies)


def _as_list(value):
    return [value] if isinstance(value, str) else value


class LoadBalancer(object):
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
    """

    def __init__(self, connection=None, name=None, endpoints=None):
        self.connection = connection
        self.name = name
        self.listeners = None
        self.health_check = None
        self.policies = None
        self.dns_name = None
        self.created_time = None
        self.instances = None
        self.availability_zones = ListElement()
        self.canonical_hosted_zone_name = None
        self.canonical_hosted_zone_name_id = None
        self.source_security_group = None
        self.subnets = ListElement()
        self.security_groups = ListElement()
        self.vpc_id = None
        self.scheme = None
        self.backends = None
        self._attributes = None

    def __repr__(self):
        return "LoadBalancer:%s" % self.name

    # --- zones ---------------------------------------------------------------------------------------------

    def enable_zones(self, zones):
        """Add availability zones; ``availability_zones`` becomes the zones now enabled."""
        self.availability_zones = self.connection.enable_availability_zones(self.name, _as_list(zones))

    def disable_zones(self, zones):
        """Remove availability zones; ``availability_zones`` becomes the zones still enabled."""
        self.availability_zones = self.connection.disable_availability_zones(self.name, _as_list(zones))

    # --- instances -----------------------------------------------------------------------------------------

    def register_instances(self, instances):
        """Add instances (ids) to the load balancer; ``instances`` becomes what the service returns."""
        self.instances = self.connection.register_instances(self.name, _as_list(instances))

    def deregister_instances(self, instances):
        """Remove instances (ids) from the load balancer."""
        self.instances = self.connection.deregister_instances(self.name, _as_list(instances))

    #: The boto ELB tutorial's spelling of :meth:`deregister_instances` (it never existed in boto).
    degregister_instances = deregister_instances

    def get_instance_health(self, instances=None):
        """ResultSet of :class:`~boto_elb_c.ec2.elb.instancestate.InstanceState` for all or some instances."""
        return self.connection.describe_instance_health(self.name, instances)

    # --- health check, listeners, lifecycle ----------------------------------------------------------------

    def configure_health_check(self, health_check):
        """Set the health check; returns the HealthCheck the service now has."""
        return self.connection.configure_health_check(self.name, health_check)

    def create_listeners(self, listeners):
        return self.connection.create_load_balancer_listeners(self.name, listeners)

    def create_listener(self, inPort, outPort=None, proto="tcp"):
        if outPort is None:
            outPort = inPort
        return self.create_listeners([(inPort, outPort, proto)])

    def delete_listeners(self, listeners):
        return self.connection.delete_load_balancer_listeners(self.name, listeners)

    def delete_listener(self, inPort):
        return self.delete_listeners([inPort])

    def delete(self):
        """Delete the load balancer."""
        return self.connection.delete_load_balancer(self.name)
