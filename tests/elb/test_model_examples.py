"""Every example of the API model (examples-1.json), through a local server of ours that answers with the
model's XML for the example's output: the request we send must be the model's serialization of the example's
input, and what we parse must be the example's output. This covers the actions and answers moto lacks or gets
wrong (DescribeLoadBalancerPolicyTypes, the Instances of Register/Deregister, CanonicalHostedZoneNameID, ...)."""
import pytest

import boto_elb_c
from boto_elb_c.ec2.elb import HealthCheck
from boto_elb_c.ec2.elb.attributes import ConnectionDrainingAttribute
from model import EXAMPLES, query_params, response_xml
from servers import Reply


def _listeners(items):
    legacy, complex_ = [], []
    for l in items:
        if "InstanceProtocol" in l:
            t = (l["LoadBalancerPort"], l["InstancePort"], l["Protocol"], l["InstanceProtocol"])
            complex_.append(t + ((l["SSLCertificateId"],) if "SSLCertificateId" in l else ()))
        else:
            t = (l["LoadBalancerPort"], l["InstancePort"], l["Protocol"])
            legacy.append(t + ((l["SSLCertificateId"],) if "SSLCertificateId" in l else ()))
    return legacy or None, complex_ or None


def _modify(conn, i):
    attrs = i["LoadBalancerAttributes"]
    if "CrossZoneLoadBalancing" in attrs:
        return conn.modify_lb_attribute(i["LoadBalancerName"], "crossZoneLoadBalancing",
                                        attrs["CrossZoneLoadBalancing"]["Enabled"])
    cd = ConnectionDrainingAttribute()
    cd.enabled, cd.timeout = attrs["ConnectionDraining"]["Enabled"], attrs["ConnectionDraining"]["Timeout"]
    return conn.modify_lb_attribute(i["LoadBalancerName"], "connectionDraining", cd)


def _create(conn, i):
    legacy, complex_ = _listeners(i["Listeners"])
    return conn.create_load_balancer(i["LoadBalancerName"], i.get("AvailabilityZones"), legacy,
                                     subnets=i.get("Subnets"), security_groups=i.get("SecurityGroups"),
                                     scheme=i.get("Scheme", "internet-facing"), complex_listeners=complex_)


def _lb_dict(lb):
    d = {
        "LoadBalancerName": lb.name, "DNSName": lb.dns_name, "CanonicalHostedZoneName": lb.canonical_hosted_zone_name,
        "CanonicalHostedZoneNameID": lb.canonical_hosted_zone_name_id, "CreatedTime": lb.created_time,
        "Scheme": lb.scheme, "VPCId": lb.vpc_id, "AvailabilityZones": list(lb.availability_zones),
        "Subnets": list(lb.subnets), "SecurityGroups": list(lb.security_groups),
        "Instances": [{"InstanceId": i.id} for i in lb.instances],
        "HealthCheck": {"HealthyThreshold": lb.health_check.healthy_threshold, "Interval": lb.health_check.interval,
                        "Target": lb.health_check.target, "Timeout": lb.health_check.timeout,
                        "UnhealthyThreshold": lb.health_check.unhealthy_threshold},
        "SourceSecurityGroup": {"GroupName": lb.source_security_group.name,
                                "OwnerAlias": lb.source_security_group.owner_alias},
        "BackendServerDescriptions": [{"InstancePort": b.instance_port, "PolicyNames": [p.policy_name for p in b.policies]}
                                      for b in lb.backends],
        "ListenerDescriptions": [],
        "Policies": {
            "AppCookieStickinessPolicies": [{"CookieName": p.cookie_name, "PolicyName": p.policy_name}
                                            for p in lb.policies.app_cookie_stickiness_policies],
            "LBCookieStickinessPolicies": [{"CookieExpirationPeriod": int(p.cookie_expiration_period),
                                            "PolicyName": p.policy_name}
                                           for p in lb.policies.lb_cookie_stickiness_policies],
            "OtherPolicies": [p.policy_name for p in lb.policies.other_policies],
        },
    }
    for l in lb.listeners:
        listener = {"InstancePort": l.instance_port, "InstanceProtocol": l.instance_protocol,
                    "LoadBalancerPort": l.load_balancer_port, "Protocol": l.protocol}
        if l.ssl_certificate_id:
            listener["SSLCertificateId"] = l.ssl_certificate_id
        d["ListenerDescriptions"].append({"Listener": listener, "PolicyNames": list(l.policy_names)})
    return d


def _attrs_dict(a):
    out = {}
    if a.cross_zone_load_balancing.enabled is not None:
        out["CrossZoneLoadBalancing"] = {"Enabled": a.cross_zone_load_balancing.enabled}
    if a.access_log.enabled is not None:
        out["AccessLog"] = {"Enabled": a.access_log.enabled}
        for key, attr in (("S3BucketName", "s3_bucket_name"), ("S3BucketPrefix", "s3_bucket_prefix"),
                          ("EmitInterval", "emit_interval")):
            if getattr(a.access_log, attr) is not None:
                out["AccessLog"][key] = getattr(a.access_log, attr)
    if a.connection_draining.enabled is not None:
        out["ConnectionDraining"] = {"Enabled": a.connection_draining.enabled, "Timeout": a.connection_draining.timeout}
    if a.connecting_settings.idle_timeout is not None:
        out["ConnectionSettings"] = {"IdleTimeout": a.connecting_settings.idle_timeout}
    return out


# operation -> (call(conn, input), result -> the example's output shape)
OPS = {
    "AddTags": (lambda c, i: c.add_tags(i["LoadBalancerNames"], {t["Key"]: t["Value"] for t in i["Tags"]}),
                lambda r: {}),
    "ApplySecurityGroupsToLoadBalancer": (
        lambda c, i: c.apply_security_groups_to_lb(i["LoadBalancerName"], i["SecurityGroups"]),
        lambda r: {"SecurityGroups": list(r)}),
    "AttachLoadBalancerToSubnets": (lambda c, i: c.attach_lb_to_subnets(i["LoadBalancerName"], i["Subnets"]),
                                    lambda r: {"Subnets": list(r)}),
    "ConfigureHealthCheck": (
        lambda c, i: c.configure_health_check(i["LoadBalancerName"], HealthCheck(
            interval=i["HealthCheck"]["Interval"], target=i["HealthCheck"]["Target"],
            healthy_threshold=i["HealthCheck"]["HealthyThreshold"], timeout=i["HealthCheck"]["Timeout"],
            unhealthy_threshold=i["HealthCheck"]["UnhealthyThreshold"])),
        lambda r: {"HealthCheck": {"HealthyThreshold": r.healthy_threshold, "Interval": r.interval,
                                   "Target": r.target, "Timeout": r.timeout,
                                   "UnhealthyThreshold": r.unhealthy_threshold}}),
    "CreateAppCookieStickinessPolicy": (
        lambda c, i: c.create_app_cookie_stickiness_policy(i["CookieName"], i["LoadBalancerName"], i["PolicyName"]),
        lambda r: {}),
    "CreateLBCookieStickinessPolicy": (
        lambda c, i: c.create_lb_cookie_stickiness_policy(i["CookieExpirationPeriod"], i["LoadBalancerName"],
                                                          i["PolicyName"]),
        lambda r: {}),
    "CreateLoadBalancer": (_create, lambda r: {"DNSName": r.dns_name}),
    "CreateLoadBalancerListeners": (
        lambda c, i: c.create_load_balancer_listeners(i["LoadBalancerName"], *_listeners(i["Listeners"])),
        lambda r: {}),
    "CreateLoadBalancerPolicy": (
        lambda c, i: c.create_lb_policy(i["LoadBalancerName"], i["PolicyName"], i["PolicyTypeName"],
                                        {a["AttributeName"]: a["AttributeValue"] for a in i["PolicyAttributes"]}),
        lambda r: {}),
    "DeleteLoadBalancer": (lambda c, i: c.delete_load_balancer(i["LoadBalancerName"]), lambda r: {}),
    "DeleteLoadBalancerListeners": (
        lambda c, i: c.delete_load_balancer_listeners(i["LoadBalancerName"], i["LoadBalancerPorts"]),
        lambda r: {}),
    "DeleteLoadBalancerPolicy": (lambda c, i: c.delete_lb_policy(i["LoadBalancerName"], i["PolicyName"]),
                                 lambda r: {}),
    "DeregisterInstancesFromLoadBalancer": (
        lambda c, i: c.deregister_instances(i["LoadBalancerName"], [x["InstanceId"] for x in i["Instances"]]),
        lambda r: {"Instances": [{"InstanceId": x.id} for x in r]}),
    "DescribeInstanceHealth": (
        lambda c, i: c.describe_instance_health(i["LoadBalancerName"],
                                                [x["InstanceId"] for x in i.get("Instances", [])]),
        lambda r: {"InstanceStates": [{"Description": s.description, "InstanceId": s.instance_id,
                                       "ReasonCode": s.reason_code, "State": s.state} for s in r]}),
    "DescribeLoadBalancerAttributes": (lambda c, i: c.get_all_lb_attributes(i["LoadBalancerName"]),
                                       lambda r: {"LoadBalancerAttributes": _attrs_dict(r)}),
    "DescribeLoadBalancerPolicies": (
        lambda c, i: c.describe_lb_policies(i["LoadBalancerName"], i.get("PolicyNames")),
        lambda r: {"PolicyDescriptions": [{
            "PolicyAttributeDescriptions": [{"AttributeName": k, "AttributeValue": v} for k, v in p.attributes.items()],
            "PolicyName": p.policy_name, "PolicyTypeName": p.policy_type_name} for p in r]}),
    "DescribeLoadBalancerPolicyTypes": (
        lambda c, i: c.describe_lb_policy_types(i.get("PolicyTypeNames")),
        lambda r: {"PolicyTypeDescriptions": [{
            "Description": t.description, "PolicyTypeName": t.policy_type_name,
            "PolicyAttributeTypeDescriptions": [
                {k: v for k, v in (("AttributeName", a.attribute_name), ("AttributeType", a.attribute_type),
                                   ("Cardinality", a.cardinality), ("DefaultValue", a.default_value),
                                   ("Description", a.description)) if v is not None}
                for a in t.attribute_types]} for t in r]}),
    "DescribeLoadBalancers": (lambda c, i: c.get_all_load_balancers(i.get("LoadBalancerNames")),
                              lambda r: {"LoadBalancerDescriptions": [_lb_dict(lb) for lb in r]}),
    "DescribeTags": (lambda c, i: c.get_all_tags(i["LoadBalancerNames"]),
                     lambda r: {"TagDescriptions": [{"LoadBalancerName": name, "Tags": [
                         {"Key": k, "Value": v} for k, v in tags.items()]} for name, tags in r.items()]}),
    "DetachLoadBalancerFromSubnets": (lambda c, i: c.detach_lb_from_subnets(i["LoadBalancerName"], i["Subnets"]),
                                      lambda r: {"Subnets": list(r)}),
    "DisableAvailabilityZonesForLoadBalancer": (
        lambda c, i: c.disable_availability_zones(i["LoadBalancerName"], i["AvailabilityZones"]),
        lambda r: {"AvailabilityZones": list(r)}),
    "EnableAvailabilityZonesForLoadBalancer": (
        lambda c, i: c.enable_availability_zones(i["LoadBalancerName"], i["AvailabilityZones"]),
        lambda r: {"AvailabilityZones": list(r)}),
    "ModifyLoadBalancerAttributes": (_modify, lambda r: {}),
    "RegisterInstancesWithLoadBalancer": (
        lambda c, i: c.register_instances(i["LoadBalancerName"], [x["InstanceId"] for x in i["Instances"]]),
        lambda r: {"Instances": [{"InstanceId": x.id} for x in r]}),
    "RemoveTags": (lambda c, i: c.remove_tags(i["LoadBalancerNames"], [t["Key"] for t in i["Tags"]]),
                   lambda r: {}),
    "SetLoadBalancerListenerSSLCertificate": (
        lambda c, i: c.set_lb_listener_SSL_certificate(i["LoadBalancerName"], i["LoadBalancerPort"],
                                                       i["SSLCertificateId"]),
        lambda r: {}),
    "SetLoadBalancerPoliciesForBackendServer": (
        lambda c, i: c.set_lb_policies_of_backend_server(i["LoadBalancerName"], i["InstancePort"], i["PolicyNames"]),
        lambda r: {}),
    "SetLoadBalancerPoliciesOfListener": (
        lambda c, i: c.set_lb_policies_of_listener(i["LoadBalancerName"], i["LoadBalancerPort"], i["PolicyNames"]),
        lambda r: {}),
}

STATUS_OPS = {"AddTags", "CreateAppCookieStickinessPolicy", "CreateLBCookieStickinessPolicy",
              "CreateLoadBalancerListeners", "CreateLoadBalancerPolicy", "DeleteLoadBalancer",
              "DeleteLoadBalancerListeners", "DeleteLoadBalancerPolicy", "ModifyLoadBalancerAttributes", "RemoveTags",
              "SetLoadBalancerListenerSSLCertificate", "SetLoadBalancerPoliciesForBackendServer",
              "SetLoadBalancerPoliciesOfListener"}
CASES = [(op, ex) for op in sorted(EXAMPLES) for ex in EXAMPLES[op]]


def _subset(expected, got):
    """Every key of ``expected`` is in ``got`` with an equal value (recursively; lists element by element)."""
    if isinstance(expected, dict):
        assert isinstance(got, dict), got
        for k, v in expected.items():
            assert k in got, "missing %s in %r" % (k, got)
            _subset(v, got[k])
    elif isinstance(expected, list):
        assert isinstance(got, list) and len(got) == len(expected), (expected, got)
        for e, g in zip(expected, got):
            _subset(e, g)
    else:
        assert expected == got, (expected, got)


def test_every_operation_with_an_example_is_covered():
    assert set(EXAMPLES) <= set(OPS)
    assert len(CASES) >= 33


@pytest.mark.parametrize("operation, example", CASES, ids=[ex["id"] for _, ex in CASES])
def test_example(canned, operation, example):
    server = canned(lambda req: Reply(body=response_xml(operation, example.get("output", {}))))
    conn = boto_elb_c.connect_elb("AK", "SK", endpoint_url=server.endpoint)
    call, extract = OPS[operation]
    result = call(conn, example["input"])
    (req,) = server.requests
    expected_params = query_params(operation, example["input"])
    if operation == "CreateLoadBalancer":
        expected_params.setdefault("Scheme", "internet-facing")  # boto always sends it
    assert req.form == expected_params
    if operation in STATUS_OPS:
        assert result is True  # boto's status calls return True, whatever the answer carries
    else:
        _subset(example.get("output", {}), extract(result))
