"""``boto.ec2.elb``: the classic Elastic Load Balancing API (2012-06-01).

Connect with :func:`connect_to_region` (or ``boto_elb_c.connect_elb``), list what exists with :func:`regions`.
Requests are signed with SigV4 for the region's name and the service ``elasticloadbalancing`` and sent as form
POSTs by the C core.
"""
from boto_elb_c._endpoints import ENDPOINTS
from boto_elb_c.connection import AWSQueryConnection
from boto_elb_c.ec2.elb import _shapes
from boto_elb_c.ec2.elb.healthcheck import HealthCheck
from boto_elb_c.ec2.elb.instancestate import InstanceState
from boto_elb_c.ec2.elb.listelement import ListElement
from boto_elb_c.ec2.elb.listener import Listener
from boto_elb_c.ec2.elb.loadbalancer import LoadBalancer, LoadBalancerZones
from boto_elb_c.ec2.instanceinfo import InstanceInfo
from boto_elb_c.pyami import config as _config
from boto_elb_c.regioninfo import RegionInfo
from boto_elb_c.resultset import ResultSet

__all__ = [
    "ELBConnection",
    "regions",
    "connect_to_region",
    "RegionData",
    "LoadBalancer",
    "LoadBalancerZones",
    "InstanceState",
    "HealthCheck",
    "InstanceInfo",
    "Listener",
    "RegionInfo",
    "AWSQueryConnection",
]

SERVICE = "elasticloadbalancing"

#: region name -> endpoint host, for every classic ELB region of every partition
RegionData = {row[1]: row[2] for row in ENDPOINTS}


def regions():
    """Every classic ELB region, as :class:`~boto_elb_c.regioninfo.RegionInfo` objects that can ``connect()``.

    The order is stable: by partition (aws, aws-cn, aws-us-gov, ...), then by name.
    """
    return [RegionInfo(name=row[1], endpoint=row[2], connection_cls=ELBConnection) for row in ENDPOINTS]


def connect_to_region(region_name, **kw_params):
    """An :class:`ELBConnection` to ``region_name``, or None if there is no such region (as in boto)."""
    endpoint = RegionData.get(region_name)
    if endpoint is None:
        return None
    return ELBConnection(region=RegionInfo(name=region_name, endpoint=endpoint, connection_cls=ELBConnection),
                         **kw_params)


def _as_list(value):
    return [value] if isinstance(value, str) else value


class ELBConnection(AWSQueryConnection):
    """A connection to classic Elastic Load Balancing.

    Arguments as boto 2.49's, plus ``endpoint_url`` (also ``AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING`` or
    ``AWS_ENDPOINT_URL``: every connection then goes there, whatever region it names; requests are still signed
    for the region's name), ``connect_timeout`` and ``read_timeout`` (seconds).
    """

    APIVersion = "2012-06-01"
    DefaultRegionName = "us-east-1"
    DefaultRegionEndpoint = "elasticloadbalancing.us-east-1.amazonaws.com"
    SigningService = SERVICE
    EndpointEnvName = "ELASTIC_LOAD_BALANCING"
    ShapeTable = _shapes

    def __init__(self, aws_access_key_id=None, aws_secret_access_key=None, is_secure=True, port=None, proxy=None,
                 proxy_port=None, proxy_user=None, proxy_pass=None, debug=0, https_connection_factory=None,
                 region=None, path="/", security_token=None, validate_certs=True, profile_name=None,
                 endpoint_url=None, connect_timeout=None, read_timeout=None):
        if not region:
            cfg = _config.current()
            name = cfg.get("Boto", "elb_region_name", self.DefaultRegionName)
            endpoint = cfg.get("Boto", "elb_region_endpoint", None) or RegionData.get(name)
            if endpoint is None:
                endpoint = self.DefaultRegionEndpoint if name == self.DefaultRegionName else None
            if endpoint is None:
                raise ValueError(
                    "[Boto] elb_region_name = %s is not a known region; set elb_region_endpoint too" % name)
            region = RegionInfo(self, name, endpoint)
        self.region = region
        super().__init__(aws_access_key_id, aws_secret_access_key, is_secure, port, proxy, proxy_port, proxy_user,
                         proxy_pass, region.endpoint, debug, https_connection_factory, path, security_token,
                         validate_certs=validate_certs, profile_name=profile_name, region_name=region.name,
                         endpoint_url=endpoint_url, connect_timeout=connect_timeout, read_timeout=read_timeout)

    def _required_auth_capability(self):
        return ["hmac-v4"]

    # --- helpers -------------------------------------------------------------------------------------------

    def build_list_params(self, params, items, label):
        """``label % i`` = item for i from 1; ``label`` holds ``%d`` (``'Instances.member.%d.InstanceId'``).
        A str is one item."""
        if isinstance(items, str):
            items = [items]
        for index, item in enumerate(items):
            params[label % (index + 1)] = item

    def _build_listeners(self, params, listeners, complex_listeners):
        # legacy (lb_port, instance_port, protocol[, cert]) then complex
        # (lb_port, instance_port, protocol, instance_protocol[, cert]), numbered on from one list to the next
        index = 0
        for listener in listeners or ():
            index += 1
            prefix = "Listeners.member.%d." % index
            params[prefix + "LoadBalancerPort"] = listener[0]
            params[prefix + "InstancePort"] = listener[1]
            params[prefix + "Protocol"] = listener[2]
            if str(listener[2]).upper() in ("HTTPS", "SSL"):
                if len(listener) < 4:
                    raise ValueError("an %s listener needs a certificate: (port, port, protocol, cert_arn)"
                                     % listener[2])
                params[prefix + "SSLCertificateId"] = listener[3]
        for listener in complex_listeners or ():
            index += 1
            prefix = "Listeners.member.%d." % index
            if len(listener) < 4:
                raise ValueError("a complex listener is (lb_port, instance_port, protocol, instance_protocol[, cert])")
            params[prefix + "LoadBalancerPort"] = listener[0]
            params[prefix + "InstancePort"] = listener[1]
            params[prefix + "Protocol"] = listener[2]
            params[prefix + "InstanceProtocol"] = listener[3]
            if str(listener[2]).upper() in ("HTTPS", "SSL"):
                if len(listener) < 5:
                    raise ValueError("an %s listener needs a certificate: (port, port, protocol, protocol, cert_arn)"
                                     % listener[2])
                params[prefix + "SSLCertificateId"] = listener[4]

    # --- load balancers ------------------------------------------------------------------------------------

    def get_all_load_balancers(self, load_balancer_names=None, marker=None):
        """One page of load balancers (all, or those named): a ResultSet of
        :class:`~boto_elb_c.ec2.elb.loadbalancer.LoadBalancer`; ``rs.next_marker`` gets the next page."""
        params = {}
        if load_balancer_names:
            self.build_list_params(params, load_balancer_names, "LoadBalancerNames.member.%d")
        if marker:
            params["Marker"] = marker
        return self.get_list("DescribeLoadBalancers", params, [("member", LoadBalancer)])

    def create_load_balancer(self, name, zones, listeners=None, subnets=None, security_groups=None,
                             scheme="internet-facing", complex_listeners=None):
        """Create a load balancer; returns a :class:`~boto_elb_c.ec2.elb.loadbalancer.LoadBalancer` with its
        ``dns_name`` (and, as boto, the arguments as its name, zones, listeners, subnets and security groups).
        Returns None without a request when no listener is given, as boto does."""
        if not listeners and not complex_listeners:
            return None
        params = {"LoadBalancerName": name, "Scheme": scheme}
        self._build_listeners(params, listeners, complex_listeners)
        if zones:
            self.build_list_params(params, zones, "AvailabilityZones.member.%d")
        if subnets:
            self.build_list_params(params, subnets, "Subnets.member.%d")
        if security_groups:
            self.build_list_params(params, security_groups, "SecurityGroups.member.%d")
        load_balancer = self.get_object("CreateLoadBalancer", params, LoadBalancer)
        load_balancer.name = name
        load_balancer.listeners = listeners
        load_balancer.availability_zones = zones
        load_balancer.subnets = subnets
        load_balancer.security_groups = security_groups
        return load_balancer

    def create_load_balancer_listeners(self, name, listeners=None, complex_listeners=None):
        """Add listeners; True on success (None without a request if none are given, as boto)."""
        if not listeners and not complex_listeners:
            return None
        params = {"LoadBalancerName": name}
        self._build_listeners(params, listeners, complex_listeners)
        return self.get_status("CreateLoadBalancerListeners", params)

    def delete_load_balancer(self, name):
        """Delete a load balancer (deleting one that does not exist succeeds)."""
        return self.get_status("DeleteLoadBalancer", {"LoadBalancerName": name})

    def delete_load_balancer_listeners(self, name, ports):
        """Delete the listeners on these load balancer ports."""
        params = {"LoadBalancerName": name}
        for index, port in enumerate(ports):
            params["LoadBalancerPorts.member.%d" % (index + 1)] = port
        return self.get_status("DeleteLoadBalancerListeners", params)

    # --- zones ---------------------------------------------------------------------------------------------

    def enable_availability_zones(self, load_balancer_name, zones_to_add):
        """Add zones; returns the list of zones now enabled."""
        params = {"LoadBalancerName": load_balancer_name}
        self.build_list_params(params, zones_to_add, "AvailabilityZones.member.%d")
        obj = self.get_object("EnableAvailabilityZonesForLoadBalancer", params, LoadBalancerZones)
        return obj.zones

    def disable_availability_zones(self, load_balancer_name, zones_to_remove):
        """Remove zones; returns the list of zones still enabled."""
        params = {"LoadBalancerName": load_balancer_name}
        self.build_list_params(params, zones_to_remove, "AvailabilityZones.member.%d")
        obj = self.get_object("DisableAvailabilityZonesForLoadBalancer", params, LoadBalancerZones)
        return obj.zones

    # --- instances and health ------------------------------------------------------------------------------

    def register_instances(self, load_balancer_name, instances):
        """Register instance ids; returns a ResultSet of :class:`~boto_elb_c.ec2.instanceinfo.InstanceInfo`."""
        params = {"LoadBalancerName": load_balancer_name}
        self.build_list_params(params, instances, "Instances.member.%d.InstanceId")
        return self.get_list("RegisterInstancesWithLoadBalancer", params, [("member", InstanceInfo)])

    def deregister_instances(self, load_balancer_name, instances):
        """Deregister instance ids; returns a ResultSet of InstanceInfo."""
        params = {"LoadBalancerName": load_balancer_name}
        self.build_list_params(params, instances, "Instances.member.%d.InstanceId")
        return self.get_list("DeregisterInstancesFromLoadBalancer", params, [("member", InstanceInfo)])

    def describe_instance_health(self, load_balancer_name, instances=None):
        """A ResultSet of :class:`~boto_elb_c.ec2.elb.instancestate.InstanceState` for all or some instances."""
        params = {"LoadBalancerName": load_balancer_name}
        if instances:
            self.build_list_params(params, instances, "Instances.member.%d.InstanceId")
        return self.get_list("DescribeInstanceHealth", params, [("member", InstanceState)])

    def configure_health_check(self, name, health_check):
        """Set the health check; returns the :class:`~boto_elb_c.ec2.elb.healthcheck.HealthCheck` the service
        now has."""
        params = {
            "LoadBalancerName": name,
            "HealthCheck.Timeout": health_check.timeout,
            "HealthCheck.Target": health_check.target,
            "HealthCheck.Interval": health_check.interval,
            "HealthCheck.UnhealthyThreshold": health_check.unhealthy_threshold,
            "HealthCheck.HealthyThreshold": health_check.healthy_threshold,
        }
        return self.get_object("ConfigureHealthCheck", params, HealthCheck)
