"""``boto.ec2.elb``: the classic Elastic Load Balancing API (2012-06-01).

Connect with :func:`connect_to_region` (or ``boto_elb_c.connect_elb``), list what exists with :func:`regions`.
Requests are signed with SigV4 for the region's name and the service ``elasticloadbalancing`` and sent as form
POSTs by the C core.
"""
from __future__ import annotations

from boto_elb_c._endpoints import ENDPOINTS
from boto_elb_c.connection import AWSQueryConnection, endpoint_override
from boto_elb_c.ec2.elb import _regions, _shapes, errors
from boto_elb_c.ec2.elb.attributes import LbAttributes
from boto_elb_c.ec2.elb.healthcheck import HealthCheck
from boto_elb_c.ec2.elb.instancestate import InstanceState
from boto_elb_c.ec2.elb.listelement import ListElement
from boto_elb_c.ec2.elb.listener import Listener
from boto_elb_c.ec2.elb.limits import AccountLimit
from boto_elb_c.ec2.elb.loadbalancer import LoadBalancer, LoadBalancerZones
from boto_elb_c.ec2.elb.policies import PolicyDescription, PolicyTypeDescription
from boto_elb_c.ec2.elb.tags import TagDescription
from boto_elb_c.ec2.instanceinfo import InstanceInfo
from boto_elb_c.regioninfo import RegionInfo, connect, get_regions, load_regions
from boto_elb_c.resultset import ResultSet

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
    from typing import Any, Tuple, Union

    from boto_elb_c.connection import _Params
    from boto_elb_c.ec2.elb.attributes import (
        AccessLogAttribute,
        ConnectionDrainingAttribute,
        ConnectionSettingAttribute,
    )
    from boto_elb_c.ec2.elb.keyvalue import KeyValueDict
    from boto_elb_c.exception import BotoClientError, BotoServerError

    # a listener as create_load_balancer() takes it: (load balancer port, instance port, protocol), plus the
    # certificate ARN for HTTPS and SSL
    _ListenerTuple = Union[Tuple[int, int, str], Tuple[int, int, str, str]]
    # a complex listener: (load balancer port, instance port, protocol, instance protocol[, certificate ARN])
    _ComplexListenerTuple = Union[Tuple[int, int, str, str], Tuple[int, int, str, str, str]]

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
    "connect",
    "get_regions",
    "load_regions",
    "get_all_load_balancers_in_regions",
]

SERVICE = "elasticloadbalancing"

#: region name -> endpoint host, for every classic ELB region of every partition
RegionData = {row[1]: row[2] for row in ENDPOINTS}


def _region_data() -> dict[str, str]:
    # the built-in table, plus any regions a BOTO_ENDPOINTS / [Boto] endpoints_path file adds (as boto)
    data = load_regions().get(SERVICE, {})
    return data


def regions() -> list[RegionInfo]:
    """Every classic ELB region, as :class:`~boto_elb_c.regioninfo.RegionInfo` objects that can ``connect()``.

    The order is stable: by partition (aws, aws-cn, aws-us-gov, ...), then by name; regions added by a
    ``BOTO_ENDPOINTS`` file come last.
    """
    return [RegionInfo(name=name, endpoint=host, connection_cls=ELBConnection) for name, host in _region_data().items()]


def connect_to_region(region_name: str, **kw_params: Any) -> ELBConnection | None:
    """An :class:`ELBConnection` to ``region_name``, or None if there is no such region (as in boto).

    ``use_fips_endpoint=True`` / ``use_dualstack_endpoint=True`` (or ``AWS_USE_FIPS_ENDPOINT`` /
    ``AWS_USE_DUALSTACK_ENDPOINT``) pick the region's FIPS / dual-stack endpoint; the pseudo-regions
    ``fips-us-east-1`` and ``us-east-1-fips`` mean ``us-east-1`` with FIPS."""
    name, pseudo_fips = _regions.split_pseudo_region(region_name)
    if pseudo_fips:
        kw_params["use_fips_endpoint"] = True
    endpoint = _regions.endpoint_for(name)  # ELBConnection turns it into the FIPS/dual-stack one if asked
    if endpoint is None:
        return None
    return ELBConnection(region=RegionInfo(name=name, endpoint=endpoint, connection_cls=ELBConnection),
                         **kw_params)


def _as_list(value: str | Iterable[str]) -> Iterable[str]:
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
    #: the ELB error classes by wire code and by boto3 name (``conn.exceptions.LoadBalancerNotFound``)
    exceptions = errors

    def __init__(self, aws_access_key_id: str | None = None, aws_secret_access_key: str | None = None,
                 is_secure: bool = True, port: int | None = None, proxy: str | None = None,
                 proxy_port: int | str | None = None, proxy_user: str | None = None, proxy_pass: str | None = None,
                 debug: int = 0, https_connection_factory: object = None, region: RegionInfo | None = None,
                 path: str = "/", security_token: str | None = None, validate_certs: bool = True,
                 profile_name: str | None = None, endpoint_url: str | None = None,
                 connect_timeout: float | None = None, read_timeout: float | None = None,
                 use_fips_endpoint: bool | None = None, use_dualstack_endpoint: bool | None = None,
                 signature_version: int | str | None = None, max_attempts: int | None = None) -> None:
        fips, dual = _regions.variant_flags(use_fips_endpoint, use_dualstack_endpoint)
        if not region:
            name, endpoint = _regions.default_region()
            name, pseudo_fips = _regions.split_pseudo_region(name)
            fips = fips or pseudo_fips
            if endpoint is not None and (fips or dual):
                raise ValueError("[Boto] elb_region_endpoint cannot be combined with FIPS or dual-stack endpoints")
            if endpoint is None:
                endpoint = _regions.endpoint_for(name, fips, dual)
            if endpoint is None:
                raise ValueError("%s is not a known ELB region; name its endpoint with region=RegionInfo(...), "
                                 "[Boto] elb_region_endpoint or endpoint_url=" % name)
            region = RegionInfo(self, name, endpoint)
        elif fips or dual:
            # the region's standard endpoint becomes its variant; a custom endpoint cannot (as in botocore)
            if not _regions.is_standard_host(region.name, region.endpoint):
                raise ValueError("FIPS and dual-stack endpoints cannot be combined with the custom endpoint %s"
                                 % region.endpoint)
            # (is_standard_host() found region.name in the table: it is a str)
            region = RegionInfo(region.connection, region.name,
                                _regions.endpoint_for(region.name, fips, dual),  # type: ignore[arg-type]
                                region.connection_cls)
        if (fips or dual) and (endpoint_url or endpoint_override(self.EndpointEnvName)):
            raise ValueError("FIPS and dual-stack endpoints cannot be combined with a custom endpoint URL")
        self.region = region
        super().__init__(aws_access_key_id, aws_secret_access_key, is_secure, port, proxy, proxy_port, proxy_user,
                         proxy_pass, region.endpoint, debug, https_connection_factory, path, security_token,
                         validate_certs=validate_certs, profile_name=profile_name, region_name=region.name,
                         endpoint_url=endpoint_url, connect_timeout=connect_timeout, read_timeout=read_timeout,
                         signature_version=signature_version, max_attempts=max_attempts)

    def _required_auth_capability(self) -> list[str]:
        return ["ec2"] if self.signature_version == 2 else ["hmac-v4"]

    # --- helpers -------------------------------------------------------------------------------------------

    def build_list_params(self, params: _Params, items: str | Iterable[object], label: str) -> None:
        """``label % i`` = item for i from 1; ``label`` holds ``%d`` (``'Instances.member.%d.InstanceId'``).
        A str is one item."""
        if isinstance(items, str):
            items = [items]
        for index, item in enumerate(items):
            params[label % (index + 1)] = item

    def _build_listeners(self, params: _Params, listeners: Sequence[_ListenerTuple] | None,
                         complex_listeners: Sequence[_ComplexListenerTuple] | None) -> None:
        # legacy (lb_port, instance_port, protocol[, cert]) then complex
        # (lb_port, instance_port, protocol, instance_protocol[, cert]), numbered on from one list to the next
        index = 0
        listener: _ListenerTuple | _ComplexListenerTuple
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

    def get_all_load_balancers(self, load_balancer_names: str | Iterable[str] | None = None,
                               marker: str | None = None) -> ResultSet[LoadBalancer]:
        """One page of load balancers (all, or those named): a ResultSet of
        :class:`~boto_elb_c.ec2.elb.loadbalancer.LoadBalancer`; ``rs.next_marker`` gets the next page."""
        params: _Params = {}
        if load_balancer_names:
            self.build_list_params(params, load_balancer_names, "LoadBalancerNames.member.%d")
        if marker:
            params["Marker"] = marker
        return self.get_list("DescribeLoadBalancers", params, [("member", LoadBalancer)])

    def create_load_balancer(self, name: str, zones: Sequence[str] | None,
                             listeners: Sequence[_ListenerTuple] | None = None, subnets: Sequence[str] | None = None,
                             security_groups: Sequence[str] | None = None, scheme: str = "internet-facing",
                             complex_listeners: Sequence[_ComplexListenerTuple] | None = None) -> LoadBalancer | None:
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

    def create_load_balancer_listeners(self, name: str, listeners: Sequence[_ListenerTuple] | None = None,
                                       complex_listeners: Sequence[_ComplexListenerTuple] | None = None) -> bool | None:
        """Add listeners; True on success (None without a request if none are given, as boto)."""
        if not listeners and not complex_listeners:
            return None
        params = {"LoadBalancerName": name}
        self._build_listeners(params, listeners, complex_listeners)
        return self.get_status("CreateLoadBalancerListeners", params)

    def delete_load_balancer(self, name: str) -> bool:
        """Delete a load balancer (deleting one that does not exist succeeds)."""
        return self.get_status("DeleteLoadBalancer", {"LoadBalancerName": name})

    def delete_load_balancer_listeners(self, name: str, ports: Iterable[int]) -> bool:
        """Delete the listeners on these load balancer ports."""
        params: _Params = {"LoadBalancerName": name}
        for index, port in enumerate(ports):
            params["LoadBalancerPorts.member.%d" % (index + 1)] = port
        return self.get_status("DeleteLoadBalancerListeners", params)

    # --- zones ---------------------------------------------------------------------------------------------

    def enable_availability_zones(self, load_balancer_name: str, zones_to_add: str | Iterable[str]) -> ListElement:
        """Add zones; returns the list of zones now enabled."""
        params = {"LoadBalancerName": load_balancer_name}
        self.build_list_params(params, zones_to_add, "AvailabilityZones.member.%d")
        obj = self.get_object("EnableAvailabilityZonesForLoadBalancer", params, LoadBalancerZones)
        return obj.zones

    def disable_availability_zones(self, load_balancer_name: str,
                                   zones_to_remove: str | Iterable[str]) -> ListElement:
        """Remove zones; returns the list of zones still enabled."""
        params = {"LoadBalancerName": load_balancer_name}
        self.build_list_params(params, zones_to_remove, "AvailabilityZones.member.%d")
        obj = self.get_object("DisableAvailabilityZonesForLoadBalancer", params, LoadBalancerZones)
        return obj.zones

    # --- instances and health ------------------------------------------------------------------------------

    def register_instances(self, load_balancer_name: str, instances: str | Iterable[str]) -> ResultSet[InstanceInfo]:
        """Register instance ids; returns a ResultSet of :class:`~boto_elb_c.ec2.instanceinfo.InstanceInfo`."""
        params = {"LoadBalancerName": load_balancer_name}
        self.build_list_params(params, instances, "Instances.member.%d.InstanceId")
        return self.get_list("RegisterInstancesWithLoadBalancer", params, [("member", InstanceInfo)])

    def deregister_instances(self, load_balancer_name: str,
                             instances: str | Iterable[str]) -> ResultSet[InstanceInfo]:
        """Deregister instance ids; returns a ResultSet of InstanceInfo."""
        params = {"LoadBalancerName": load_balancer_name}
        self.build_list_params(params, instances, "Instances.member.%d.InstanceId")
        return self.get_list("DeregisterInstancesFromLoadBalancer", params, [("member", InstanceInfo)])

    def describe_instance_health(self, load_balancer_name: str,
                                 instances: str | Iterable[str] | None = None) -> ResultSet[InstanceState]:
        """A ResultSet of :class:`~boto_elb_c.ec2.elb.instancestate.InstanceState` for all or some instances."""
        params = {"LoadBalancerName": load_balancer_name}
        if instances:
            self.build_list_params(params, instances, "Instances.member.%d.InstanceId")
        return self.get_list("DescribeInstanceHealth", params, [("member", InstanceState)])

    def configure_health_check(self, name: str, health_check: HealthCheck) -> HealthCheck:
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

    def iter_load_balancers(self, load_balancer_names: str | Iterable[str] | None = None,
                            page_size: int | None = None) -> Iterator[LoadBalancer]:
        """Every load balancer (or every one named), page after page: a generator of LoadBalancer.

        ``page_size`` (1..400) is how many each request asks for; the service's default is 400. (boto 2's
        ``get_all_load_balancers`` returns one page; this follows ``NextMarker`` to the end.)"""
        if page_size is not None:
            if isinstance(page_size, bool) or not isinstance(page_size, int):
                raise TypeError("page_size must be an int")
            if not 1 <= page_size <= 400:
                raise ValueError("page_size must be between 1 and 400, not %d" % page_size)
        marker = None
        while True:
            params: _Params = {}
            if load_balancer_names:
                self.build_list_params(params, load_balancer_names, "LoadBalancerNames.member.%d")
            if marker:
                params["Marker"] = marker
            if page_size:
                params["PageSize"] = page_size
            page = self.get_list("DescribeLoadBalancers", params, [("member", LoadBalancer)])
            for lb in page:
                yield lb
            if not page.next_marker or page.next_marker == marker:
                return
            marker = page.next_marker

    # --- attributes ----------------------------------------------------------------------------------------

    _ATTRIBUTE_NAMES = ("crosszoneloadbalancing", "accesslog", "connectiondraining", "connectingsettings",
                        "additionalattributes")

    def modify_lb_attribute(self, load_balancer_name: str, attribute: str, value: Any) -> bool:
        """Change one attribute. ``attribute`` (case-insensitive) and ``value``:

        * ``crossZoneLoadBalancing``: a bool;
        * ``accessLog``: an :class:`~boto_elb_c.ec2.elb.attributes.AccessLogAttribute`;
        * ``connectionDraining``: a :class:`~boto_elb_c.ec2.elb.attributes.ConnectionDrainingAttribute`;
        * ``connectingSettings`` (boto's spelling): a :class:`~boto_elb_c.ec2.elb.attributes.ConnectionSettingAttribute`;
        * ``additionalAttributes`` (not in boto 2): a dict ``{key: value}``.

        Anything else raises ``ValueError('InvalidAttribute', attribute)`` before any request. Returns True."""
        key = attribute.lower() if isinstance(attribute, str) else None
        prefix = "LoadBalancerAttributes."
        params = {"LoadBalancerName": load_balancer_name}
        if key == "crosszoneloadbalancing":
            params[prefix + "CrossZoneLoadBalancing.Enabled"] = ("true" if value else "false") \
                if isinstance(value, bool) else value
        elif key == "accesslog":
            params[prefix + "AccessLog.Enabled"] = "true" if value.enabled else "false"
            params[prefix + "AccessLog.S3BucketName"] = value.s3_bucket_name
            params[prefix + "AccessLog.S3BucketPrefix"] = value.s3_bucket_prefix
            params[prefix + "AccessLog.EmitInterval"] = value.emit_interval
        elif key == "connectiondraining":
            params[prefix + "ConnectionDraining.Enabled"] = "true" if value.enabled else "false"
            params[prefix + "ConnectionDraining.Timeout"] = value.timeout
        elif key == "connectingsettings":
            params[prefix + "ConnectionSettings.IdleTimeout"] = value.idle_timeout
        elif key == "additionalattributes":
            if not isinstance(value, dict):
                raise TypeError("additionalAttributes takes a dict {key: value}")
            for i, (k, v) in enumerate(value.items(), 1):
                params[prefix + "AdditionalAttributes.member.%d.Key" % i] = k
                params[prefix + "AdditionalAttributes.member.%d.Value" % i] = v
        else:
            raise ValueError("InvalidAttribute", attribute)
        return self.get_status("ModifyLoadBalancerAttributes", params)

    def get_all_lb_attributes(self, load_balancer_name: str) -> LbAttributes:
        """All the attributes: an :class:`~boto_elb_c.ec2.elb.attributes.LbAttributes`."""
        return self.get_object("DescribeLoadBalancerAttributes", {"LoadBalancerName": load_balancer_name},
                               LbAttributes)

    def get_lb_attribute(
        self, load_balancer_name: str, attribute: str
    ) -> (AccessLogAttribute | ConnectionDrainingAttribute | ConnectionSettingAttribute | KeyValueDict | bool
          | None):
        """One attribute (case-insensitive name, as :meth:`modify_lb_attribute`): ``crossZoneLoadBalancing``
        gives a bool, ``additionalAttributes`` a dict, the others their attribute object; an unknown name gives
        None (after the request, as boto)."""
        attributes = self.get_all_lb_attributes(load_balancer_name)
        key = attribute.lower() if isinstance(attribute, str) else None
        if key == "accesslog":
            return attributes.access_log
        if key == "crosszoneloadbalancing":
            return attributes.cross_zone_load_balancing.enabled
        if key == "connectiondraining":
            return attributes.connection_draining
        if key == "connectingsettings":
            return attributes.connecting_settings
        if key == "additionalattributes":
            return attributes.additional_attributes
        return None

    # --- certificates and policies -------------------------------------------------------------------------

    def set_lb_listener_SSL_certificate(self, lb_name: str, lb_port: int, ssl_certificate_id: str) -> bool:
        """Replace the certificate of the HTTPS/SSL listener on ``lb_port``."""
        params = {"LoadBalancerName": lb_name, "LoadBalancerPort": lb_port, "SSLCertificateId": ssl_certificate_id}
        return self.get_status("SetLoadBalancerListenerSSLCertificate", params)

    def create_app_cookie_stickiness_policy(self, name: str, lb_name: str, policy_name: str) -> bool:
        """Stickiness that follows the application cookie ``name``."""
        params = {"CookieName": name, "LoadBalancerName": lb_name, "PolicyName": policy_name}
        return self.get_status("CreateAppCookieStickinessPolicy", params)

    def create_lb_cookie_stickiness_policy(self, cookie_expiration_period: int | None, lb_name: str,
                                           policy_name: str) -> bool:
        """Stickiness with a load balancer cookie lasting ``cookie_expiration_period`` seconds (None: the
        browser session)."""
        params: _Params = {"LoadBalancerName": lb_name, "PolicyName": policy_name}
        if cookie_expiration_period is not None:
            params["CookieExpirationPeriod"] = cookie_expiration_period
        return self.get_status("CreateLBCookieStickinessPolicy", params)

    def create_lb_policy(self, lb_name: str, policy_name: str, policy_type: str,
                         policy_attributes: Mapping[str, object] | None) -> bool:
        """Create a policy of ``policy_type`` with the attributes of the dict ``policy_attributes``
        (``{'ProxyProtocol': True}``)."""
        params: _Params = {"LoadBalancerName": lb_name, "PolicyName": policy_name, "PolicyTypeName": policy_type}
        for index, (name, value) in enumerate((policy_attributes or {}).items(), 1):
            params["PolicyAttributes.member.%d.AttributeName" % index] = name
            params["PolicyAttributes.member.%d.AttributeValue" % index] = value
        return self.get_status("CreateLoadBalancerPolicy", params)

    def delete_lb_policy(self, lb_name: str, policy_name: str) -> bool:
        """Delete a policy (it must not be in use)."""
        return self.get_status("DeleteLoadBalancerPolicy", {"LoadBalancerName": lb_name, "PolicyName": policy_name})

    def _policy_names(self, params: _Params, policies: str | Sequence[str]) -> None:
        if policies is None:
            raise TypeError("policies must be a list of policy names ([] removes them all), not None")
        if isinstance(policies, str):
            policies = [policies]
        if len(policies):
            self.build_list_params(params, policies, "PolicyNames.member.%d")
        else:
            params["PolicyNames"] = ""

    def set_lb_policies_of_listener(self, lb_name: str, lb_port: int, policies: str | Sequence[str]) -> bool:
        """Replace the policies of the listener on ``lb_port`` (``[]`` removes them all)."""
        params = {"LoadBalancerName": lb_name, "LoadBalancerPort": lb_port}
        self._policy_names(params, policies)
        return self.get_status("SetLoadBalancerPoliciesOfListener", params)

    def set_lb_policies_of_backend_server(self, lb_name: str, instance_port: int,
                                          policies: str | Sequence[str] | None) -> bool:
        """Replace the policies of back-end server port ``instance_port`` (``[]`` removes them all)."""
        params = {"LoadBalancerName": lb_name, "InstancePort": instance_port}
        self._policy_names(params, policies or [])
        return self.get_status("SetLoadBalancerPoliciesForBackendServer", params)

    def describe_lb_policies(self, lb_name: str | None = None,
                             policy_names: str | Iterable[str] | None = None) -> ResultSet[PolicyDescription]:
        """Policies with their attributes (not in boto 2): those of ``lb_name`` (or, without it, the sample
        policies AWS defines), optionally only ``policy_names``. A ResultSet of
        :class:`~boto_elb_c.ec2.elb.policies.PolicyDescription`."""
        params: _Params = {}
        if lb_name:
            params["LoadBalancerName"] = lb_name
        if policy_names:
            self.build_list_params(params, policy_names, "PolicyNames.member.%d")
        return self.get_list("DescribeLoadBalancerPolicies", params, [("member", PolicyDescription)])

    def describe_lb_policy_types(self,
                                 policy_type_names: str | Iterable[str] | None = None
                                 ) -> ResultSet[PolicyTypeDescription]:
        """The policy types and the attributes each takes (not in boto 2). A ResultSet of
        :class:`~boto_elb_c.ec2.elb.policies.PolicyTypeDescription`."""
        params: _Params = {}
        if policy_type_names:
            self.build_list_params(params, policy_type_names, "PolicyTypeNames.member.%d")
        return self.get_list("DescribeLoadBalancerPolicyTypes", params, [("member", PolicyTypeDescription)])

    # --- subnets and security groups -----------------------------------------------------------------------

    def _get_strings(self, action: str, params: _Params) -> ResultSet[str]:
        _, _, body = self._checked(action, params)
        rs: ResultSet[str] = ResultSet()
        return self._parse(body, rs, _shapes.INDEX["ResultSet[str]"])

    def apply_security_groups_to_lb(self, name: str, security_groups: str | Iterable[str]) -> ResultSet[str]:
        """Replace the security groups (VPC); returns the list of the groups now applied (boto 2 returned an
        empty ResultSet)."""
        params = {"LoadBalancerName": name}
        self.build_list_params(params, security_groups, "SecurityGroups.member.%d")
        return self._get_strings("ApplySecurityGroupsToLoadBalancer", params)

    def attach_lb_to_subnets(self, name: str, subnets: str | Iterable[str]) -> ResultSet[str]:
        """Attach subnets (VPC); returns the list of subnets now attached."""
        params = {"LoadBalancerName": name}
        self.build_list_params(params, subnets, "Subnets.member.%d")
        return self._get_strings("AttachLoadBalancerToSubnets", params)

    def detach_lb_from_subnets(self, name: str, subnets: str | Iterable[str]) -> ResultSet[str]:
        """Detach subnets (VPC); returns the list of subnets still attached."""
        params = {"LoadBalancerName": name}
        self.build_list_params(params, subnets, "Subnets.member.%d")
        return self._get_strings("DetachLoadBalancerFromSubnets", params)

    # --- tags and limits (not in boto 2) -------------------------------------------------------------------

    def add_tags(self, load_balancer_names: str | Iterable[str], tags: dict[str, str]) -> bool:
        """Add or overwrite tags ``{key: value}`` on one load balancer (a str) or several. Returns True."""
        if not isinstance(tags, dict) or not tags:
            raise ValueError("tags must be a non-empty dict {key: value}")
        params: _Params = {}
        self.build_list_params(params, load_balancer_names, "LoadBalancerNames.member.%d")
        for index, (key, value) in enumerate(tags.items(), 1):
            params["Tags.member.%d.Key" % index] = key
            params["Tags.member.%d.Value" % index] = value
        return self.get_status("AddTags", params)

    def remove_tags(self, load_balancer_names: str | Iterable[str], tags: str | Iterable[str]) -> bool:
        """Remove tags by key (a list of keys, or a dict whose keys are used). Returns True."""
        keys = [tags] if isinstance(tags, str) else list(tags)
        if not keys:
            raise ValueError("tags must name at least one key")
        params: _Params = {}
        self.build_list_params(params, load_balancer_names, "LoadBalancerNames.member.%d")
        for index, key in enumerate(keys, 1):
            params["Tags.member.%d.Key" % index] = key
        return self.get_status("RemoveTags", params)

    def get_all_tags(self, load_balancer_names: str | Iterable[str]) -> dict[str | None, dict[str, str]]:
        """The tags of the named load balancers: ``{name: {key: value}}``. DescribeTags takes at most 20 names:
        more are asked in batches of 20 and merged."""
        names = [load_balancer_names] if isinstance(load_balancer_names, str) else list(load_balancer_names)
        result: dict[str | None, dict[str, str]] = {}
        for start in range(0, len(names), 20):
            params: _Params = {}
            self.build_list_params(params, names[start:start + 20], "LoadBalancerNames.member.%d")
            for description in self.get_list("DescribeTags", params, [("member", TagDescription)]):
                result[description.load_balancer_name] = description.tags
        return result

    def describe_account_limits(self, marker: str | None = None,
                                page_size: int | None = None) -> ResultSet[AccountLimit]:
        """The account's classic ELB limits (not in boto 2): one page, a ResultSet of
        :class:`~boto_elb_c.ec2.elb.limits.AccountLimit` with ``next_marker``."""
        params: _Params = {}
        if marker:
            params["Marker"] = marker
        if page_size is not None:
            if not 1 <= int(page_size) <= 400:
                raise ValueError("page_size must be between 1 and 400")
            params["PageSize"] = int(page_size)
        return self.get_list("DescribeAccountLimits", params, [("member", AccountLimit)])


def get_all_load_balancers_in_regions(
    regions: str | RegionInfo | Collection[str | RegionInfo] | None = None, **conn_kw: Any
) -> dict[str | None, ResultSet[LoadBalancer] | BotoServerError | BotoClientError]:
    """Describe every load balancer of many regions at once: ``{region name: ResultSet of LoadBalancer}``.

    All the regions' requests run concurrently over libcurl's multi interface with the GIL released (each with the
    usual retries, and signed once more with the server's clock when a region refuses it for its date, as a single
    call is), and every region's pages are followed to the end. A region that fails does not fail the others:
    its value is the exception (a :class:`~boto_elb_c.exception.BotoServerError` or an
    :class:`~boto_elb_c.exception.HTTPClientError`) instead of a ResultSet.

    :param regions: region names or :class:`~boto_elb_c.regioninfo.RegionInfo` objects; None means every region of
        the ``aws`` partition (the others need credentials of their own).
    :param conn_kw: what :class:`ELBConnection` takes (credentials, ``endpoint_url``, timeouts, ...), for every
        region. Missing credentials raise at once, for all regions.
    """
    from boto_elb_c.exception import BotoClientError, BotoServerError

    if regions is None:
        regions = [row[1] for row in ENDPOINTS if row[0] == "aws"]
    elif isinstance(regions, (str, RegionInfo)):
        regions = [regions]
    conns: dict[str | None, ELBConnection]
    results: dict[str | None, ResultSet[LoadBalancer] | BotoServerError | BotoClientError]
    conns, results = {}, {}
    for region in regions:
        if isinstance(region, RegionInfo):
            conns[region.name] = ELBConnection(region=region, **conn_kw)
            continue
        conn = connect_to_region(region, **conn_kw)
        if conn is None:
            results[region] = BotoClientError("unknown region %r (pass a RegionInfo to name its endpoint)" % region)
        else:
            conns[region] = conn
    if not conns:
        return results
    first = next(iter(conns.values()))
    client = first._http()
    signers = {name: conn._get_signer() for name, conn in conns.items()}
    shape = _shapes.INDEX["ResultSet[LoadBalancer]"]
    pending: dict[str | None, str | None] = {name: None for name in conns}  # region -> marker of the next page
    resent: set[str | None] = set()  # regions already sent again for a clock skew (once each, as one call is)
    while pending:
        names = list(pending)
        requests = []
        for name in names:
            query: _Params = {"Action": "DescribeLoadBalancers", "Version": ELBConnection.APIVersion, "PageSize": 400}
            if pending[name]:
                query["Marker"] = pending[name]
            conn = conns[name]
            requests.append((conn._url, query, signers[name], conn._clock_offset))
        answers = client.query_many(requests)
        for name, answer in zip(names, answers):
            conn = conns[name]
            marker = pending.pop(name)
            if isinstance(answer, Exception):
                results[name] = answer
                continue
            status, reason, headers, body, received_at = answer
            if status >= 400 and name not in resent:
                # the Date header against the time this answer arrived, not the time the slowest region's did
                offset = conn._clock_skew(headers, body, received_at)
                if offset is not None:  # refused for its date by a server whose clock is off ours: once more
                    conn._log_clock_skew("DescribeLoadBalancers in %s" % name, offset)
                    conn._clock_offset = offset
                    resent.add(name)
                    pending[name] = marker
                    continue
            if status != 200 or not body:
                results[name] = BotoServerError.from_response(status, reason, body, headers)
                continue
            page = ResultSet([("member", LoadBalancer)])
            try:
                conn._parse(body, page, shape, status, reason)
            except BotoServerError as exc:
                results[name] = exc
                continue
            # a region whose page failed is not pending any more: what it has so far is a ResultSet
            so_far: ResultSet[LoadBalancer] = results.setdefault(  # type: ignore[assignment]
                name, ResultSet([("member", LoadBalancer)]))
            so_far.extend(page)
            so_far.RequestId = page.request_id
            if page.next_marker and page.next_marker != marker:
                pending[name] = page.next_marker
    return {name: results[name] for name in [r.name if isinstance(r, RegionInfo) else r for r in regions]}
