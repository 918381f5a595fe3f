"""The request each ELBConnection method sends, checked on a capturing local server against what the reference
(shared/reference/boto2-elb-api.md, sections 3 and 4) says boto 2.49 sends -- minus the bugs we fixed, each
marked FIXED with the decision in docs/compat.rst."""
import pytest

import boto_elb_c
from boto_elb_c.ec2.elb import HealthCheck
from boto_elb_c.ec2.elb.attributes import (
    AccessLogAttribute,
    ConnectionDrainingAttribute,
    ConnectionSettingAttribute,
)
from model import response_xml
from servers import Reply

ARN = "arn:aws:iam::1:server-certificate/c"


def _access_log(enabled=True, bucket="bkt", prefix="pfx", interval=5):
    a = AccessLogAttribute()
    a.enabled, a.s3_bucket_name, a.s3_bucket_prefix, a.emit_interval = enabled, bucket, prefix, interval
    return a


def _draining(enabled, timeout):
    a = ConnectionDrainingAttribute()
    a.enabled, a.timeout = enabled, timeout
    return a


def _settings(idle):
    a = ConnectionSettingAttribute()
    a.idle_timeout = idle
    return a


# (call, Action, parameters boto 2.49 sends besides Action and Version)
CASES = [
    (lambda c: c.get_all_load_balancers(), "DescribeLoadBalancers", {}),
    (lambda c: c.get_all_load_balancers(["a b", "c"], marker="m/1"), "DescribeLoadBalancers",
     {"LoadBalancerNames.member.1": "a b", "LoadBalancerNames.member.2": "c", "Marker": "m/1"}),
    (lambda c: c.get_all_load_balancers("one"), "DescribeLoadBalancers", {"LoadBalancerNames.member.1": "one"}),
    (lambda c: c.create_load_balancer("lb", ["us-east-1a", "us-east-1b"], [(80, 8080, "http"), (443, 8443, "tcp")]),
     "CreateLoadBalancer",
     {"LoadBalancerName": "lb", "Scheme": "internet-facing",
      "AvailabilityZones.member.1": "us-east-1a", "AvailabilityZones.member.2": "us-east-1b",
      "Listeners.member.1.LoadBalancerPort": "80", "Listeners.member.1.InstancePort": "8080",
      "Listeners.member.1.Protocol": "http",
      "Listeners.member.2.LoadBalancerPort": "443", "Listeners.member.2.InstancePort": "8443",
      "Listeners.member.2.Protocol": "tcp"}),
    (lambda c: c.create_load_balancer("lb", "us-east-1a", [(443, 80, "https", ARN), (80, 80, "HTTP", "ignored")],
                                      subnets="s-1", security_groups=["sg-1"], scheme="internal"),
     "CreateLoadBalancer",
     {"LoadBalancerName": "lb", "Scheme": "internal", "AvailabilityZones.member.1": "us-east-1a",
      "Subnets.member.1": "s-1", "SecurityGroups.member.1": "sg-1",
      "Listeners.member.1.LoadBalancerPort": "443", "Listeners.member.1.InstancePort": "80",
      "Listeners.member.1.Protocol": "https", "Listeners.member.1.SSLCertificateId": ARN,
      "Listeners.member.2.LoadBalancerPort": "80", "Listeners.member.2.InstancePort": "80",
      "Listeners.member.2.Protocol": "HTTP"}),
    # FIXED: boto numbered both lists from 1, so the complex entry overwrote the legacy one
    (lambda c: c.create_load_balancer("lb", None, [(25, 25, "ssl", ARN)],
                                      complex_listeners=[(8443, 443, "HTTPS", "HTTP", ARN), (9000, 9000, "tcp", "tcp")]),
     "CreateLoadBalancer",
     {"LoadBalancerName": "lb", "Scheme": "internet-facing",
      "Listeners.member.1.LoadBalancerPort": "25", "Listeners.member.1.InstancePort": "25",
      "Listeners.member.1.Protocol": "ssl", "Listeners.member.1.SSLCertificateId": ARN,
      "Listeners.member.2.LoadBalancerPort": "8443", "Listeners.member.2.InstancePort": "443",
      "Listeners.member.2.Protocol": "HTTPS", "Listeners.member.2.InstanceProtocol": "HTTP",
      "Listeners.member.2.SSLCertificateId": ARN,
      "Listeners.member.3.LoadBalancerPort": "9000", "Listeners.member.3.InstancePort": "9000",
      "Listeners.member.3.Protocol": "tcp", "Listeners.member.3.InstanceProtocol": "tcp"}),
    (lambda c: c.create_load_balancer_listeners("lb", [(8080, 80, "HTTP")]), "CreateLoadBalancerListeners",
     {"LoadBalancerName": "lb", "Listeners.member.1.LoadBalancerPort": "8080",
      "Listeners.member.1.InstancePort": "80", "Listeners.member.1.Protocol": "HTTP"}),
    (lambda c: c.create_load_balancer_listeners("lb", complex_listeners=[(2525, 25, "TCP", "TCP")]),
     "CreateLoadBalancerListeners",
     {"LoadBalancerName": "lb", "Listeners.member.1.LoadBalancerPort": "2525",
      "Listeners.member.1.InstancePort": "25", "Listeners.member.1.Protocol": "TCP",
      "Listeners.member.1.InstanceProtocol": "TCP"}),
    (lambda c: c.delete_load_balancer("lb"), "DeleteLoadBalancer", {"LoadBalancerName": "lb"}),
    (lambda c: c.delete_load_balancer_listeners("lb", [80, 443]), "DeleteLoadBalancerListeners",
     {"LoadBalancerName": "lb", "LoadBalancerPorts.member.1": "80", "LoadBalancerPorts.member.2": "443"}),
    (lambda c: c.enable_availability_zones("lb", ["z1", "z2"]), "EnableAvailabilityZonesForLoadBalancer",
     {"LoadBalancerName": "lb", "AvailabilityZones.member.1": "z1", "AvailabilityZones.member.2": "z2"}),
    (lambda c: c.disable_availability_zones("lb", "z1"), "DisableAvailabilityZonesForLoadBalancer",
     {"LoadBalancerName": "lb", "AvailabilityZones.member.1": "z1"}),
    (lambda c: c.modify_lb_attribute("test_elb", "crossZoneLoadBalancing", True), "ModifyLoadBalancerAttributes",
     {"LoadBalancerName": "test_elb", "LoadBalancerAttributes.CrossZoneLoadBalancing.Enabled": "true"}),
    (lambda c: c.modify_lb_attribute("test_elb", "CROSSZONELOADBALANCING", False), "ModifyLoadBalancerAttributes",
     {"LoadBalancerName": "test_elb", "LoadBalancerAttributes.CrossZoneLoadBalancing.Enabled": "false"}),
    (lambda c: c.modify_lb_attribute("lb", "accessLog", _access_log()), "ModifyLoadBalancerAttributes",
     {"LoadBalancerName": "lb", "LoadBalancerAttributes.AccessLog.Enabled": "true",
      "LoadBalancerAttributes.AccessLog.S3BucketName": "bkt",
      "LoadBalancerAttributes.AccessLog.S3BucketPrefix": "pfx",
      "LoadBalancerAttributes.AccessLog.EmitInterval": "5"}),
    # FIXED: boto sent S3BucketName=None etc. for unset fields
    (lambda c: c.modify_lb_attribute("lb", "accessLog", _access_log(False, None, None, None)),
     "ModifyLoadBalancerAttributes", {"LoadBalancerName": "lb", "LoadBalancerAttributes.AccessLog.Enabled": "false"}),
    (lambda c: c.modify_lb_attribute("lb", "connectionDraining", _draining(True, 128)), "ModifyLoadBalancerAttributes",
     {"LoadBalancerName": "lb", "LoadBalancerAttributes.ConnectionDraining.Enabled": "true",
      "LoadBalancerAttributes.ConnectionDraining.Timeout": "128"}),
    (lambda c: c.modify_lb_attribute("lb", "connectingSettings", _settings(30)), "ModifyLoadBalancerAttributes",
     {"LoadBalancerName": "lb", "LoadBalancerAttributes.ConnectionSettings.IdleTimeout": "30"}),
    (lambda c: c.get_all_lb_attributes("lb"), "DescribeLoadBalancerAttributes", {"LoadBalancerName": "lb"}),
    (lambda c: c.get_lb_attribute("lb", "accessLog"), "DescribeLoadBalancerAttributes", {"LoadBalancerName": "lb"}),
    (lambda c: c.register_instances("lb", ["i-1", "i-2"]), "RegisterInstancesWithLoadBalancer",
     {"LoadBalancerName": "lb", "Instances.member.1.InstanceId": "i-1", "Instances.member.2.InstanceId": "i-2"}),
    (lambda c: c.deregister_instances("lb", "i-1"), "DeregisterInstancesFromLoadBalancer",
     {"LoadBalancerName": "lb", "Instances.member.1.InstanceId": "i-1"}),
    (lambda c: c.describe_instance_health("lb"), "DescribeInstanceHealth", {"LoadBalancerName": "lb"}),
    (lambda c: c.describe_instance_health("lb", ["i-1"]), "DescribeInstanceHealth",
     {"LoadBalancerName": "lb", "Instances.member.1.InstanceId": "i-1"}),
    (lambda c: c.configure_health_check("lb", HealthCheck(interval=20, target="HTTP:8080/health")),
     "ConfigureHealthCheck",
     {"LoadBalancerName": "lb", "HealthCheck.Timeout": "5", "HealthCheck.Target": "HTTP:8080/health",
      "HealthCheck.Interval": "20", "HealthCheck.UnhealthyThreshold": "5", "HealthCheck.HealthyThreshold": "3"}),
    # FIXED: boto sent HealthCheck.Target=None for a check without a target
    (lambda c: c.configure_health_check("lb", HealthCheck()), "ConfigureHealthCheck",
     {"LoadBalancerName": "lb", "HealthCheck.Timeout": "5", "HealthCheck.Interval": "30",
      "HealthCheck.UnhealthyThreshold": "5", "HealthCheck.HealthyThreshold": "3"}),
    (lambda c: c.set_lb_listener_SSL_certificate("lb", 443, ARN), "SetLoadBalancerListenerSSLCertificate",
     {"LoadBalancerName": "lb", "LoadBalancerPort": "443", "SSLCertificateId": ARN}),
    (lambda c: c.create_app_cookie_stickiness_policy("JSESSIONID", "lb", "app"), "CreateAppCookieStickinessPolicy",
     {"CookieName": "JSESSIONID", "LoadBalancerName": "lb", "PolicyName": "app"}),
    (lambda c: c.create_lb_cookie_stickiness_policy(300, "lb", "lbp"), "CreateLBCookieStickinessPolicy",
     {"LoadBalancerName": "lb", "PolicyName": "lbp", "CookieExpirationPeriod": "300"}),
    (lambda c: c.create_lb_cookie_stickiness_policy(None, "lb", "lbp"), "CreateLBCookieStickinessPolicy",
     {"LoadBalancerName": "lb", "PolicyName": "lbp"}),
    # FIXED: boto also sent PolicyAttributes= (empty) and True as "True"
    (lambda c: c.create_lb_policy("lb", "proxy", "ProxyProtocolPolicyType", {"ProxyProtocol": True}),
     "CreateLoadBalancerPolicy",
     {"LoadBalancerName": "lb", "PolicyName": "proxy", "PolicyTypeName": "ProxyProtocolPolicyType",
      "PolicyAttributes.member.1.AttributeName": "ProxyProtocol",
      "PolicyAttributes.member.1.AttributeValue": "true"}),
    (lambda c: c.delete_lb_policy("lb", "p"), "DeleteLoadBalancerPolicy", {"LoadBalancerName": "lb", "PolicyName": "p"}),
    (lambda c: c.set_lb_policies_of_listener("lb", 80, ["a", "b"]), "SetLoadBalancerPoliciesOfListener",
     {"LoadBalancerName": "lb", "LoadBalancerPort": "80", "PolicyNames.member.1": "a", "PolicyNames.member.2": "b"}),
    (lambda c: c.set_lb_policies_of_listener("lb", 80, "a"), "SetLoadBalancerPoliciesOfListener",
     {"LoadBalancerName": "lb", "LoadBalancerPort": "80", "PolicyNames.member.1": "a"}),
    (lambda c: c.set_lb_policies_of_listener("lb", 80, []), "SetLoadBalancerPoliciesOfListener",
     {"LoadBalancerName": "lb", "LoadBalancerPort": "80", "PolicyNames": ""}),
    (lambda c: c.set_lb_policies_of_backend_server("lb", 8080, ["p"]), "SetLoadBalancerPoliciesForBackendServer",
     {"LoadBalancerName": "lb", "InstancePort": "8080", "PolicyNames.member.1": "p"}),
    (lambda c: c.set_lb_policies_of_backend_server("lb", 8080, []), "SetLoadBalancerPoliciesForBackendServer",
     {"LoadBalancerName": "lb", "InstancePort": "8080", "PolicyNames": ""}),
    (lambda c: c.apply_security_groups_to_lb("lb", ["sg-1", "sg-2"]), "ApplySecurityGroupsToLoadBalancer",
     {"LoadBalancerName": "lb", "SecurityGroups.member.1": "sg-1", "SecurityGroups.member.2": "sg-2"}),
    (lambda c: c.attach_lb_to_subnets("lb", ["s-1"]), "AttachLoadBalancerToSubnets",
     {"LoadBalancerName": "lb", "Subnets.member.1": "s-1"}),
    (lambda c: c.detach_lb_from_subnets("lb", "s-1"), "DetachLoadBalancerFromSubnets",
     {"LoadBalancerName": "lb", "Subnets.member.1": "s-1"}),
    # not in boto 2: the model's encoding
    (lambda c: c.describe_lb_policies("lb", ["p"]), "DescribeLoadBalancerPolicies",
     {"LoadBalancerName": "lb", "PolicyNames.member.1": "p"}),
    (lambda c: c.describe_lb_policies(), "DescribeLoadBalancerPolicies", {}),
    (lambda c: c.describe_lb_policy_types(["ProxyProtocolPolicyType"]), "DescribeLoadBalancerPolicyTypes",
     {"PolicyTypeNames.member.1": "ProxyProtocolPolicyType"}),
    (lambda c: c.describe_account_limits(marker="m", page_size=10), "DescribeAccountLimits",
     {"Marker": "m", "PageSize": "10"}),
    (lambda c: c.add_tags("lb", {"k": "v", "empty": ""}), "AddTags",
     {"LoadBalancerNames.member.1": "lb", "Tags.member.1.Key": "k", "Tags.member.1.Value": "v",
      "Tags.member.2.Key": "empty", "Tags.member.2.Value": ""}),
    (lambda c: c.remove_tags(["a", "b"], ["k"]), "RemoveTags",
     {"LoadBalancerNames.member.1": "a", "LoadBalancerNames.member.2": "b", "Tags.member.1.Key": "k"}),
    (lambda c: c.get_all_tags(["a"]), "DescribeTags", {"LoadBalancerNames.member.1": "a"}),
    (lambda c: list(c.iter_load_balancers(page_size=400)), "DescribeLoadBalancers", {"PageSize": "400"}),
]

# a minimal valid answer per action, from the model
ANSWERS = {
    "CreateLoadBalancer": {"DNSName": "x"},
    "EnableAvailabilityZonesForLoadBalancer": {"AvailabilityZones": ["z1"]},
    "DisableAvailabilityZonesForLoadBalancer": {"AvailabilityZones": ["z2"]},
    "ConfigureHealthCheck": {"HealthCheck": {"Target": "TCP:80", "Interval": 30, "Timeout": 5,
                                             "UnhealthyThreshold": 2, "HealthyThreshold": 2}},
}


@pytest.mark.parametrize("call, action, params", CASES, ids=["%d-%s" % (i, c[1]) for i, c in enumerate(CASES)])
def test_request(canned, call, action, params):
    server = canned(lambda req: Reply(body=response_xml(req.form["Action"], ANSWERS.get(req.form["Action"], {}))))
    conn = boto_elb_c.connect_elb("AK", "SK", endpoint_url=server.endpoint)
    call(conn)
    (req,) = server.requests
    expected = dict(params, Action=action, Version="2012-06-01")
    assert req.form == expected
    # Action and Version come first, as botocore sends them
    assert req.body.startswith(("Action=%s&Version=2012-06-01" % action).encode())


def test_build_list_params_as_boto():
    conn = boto_elb_c.connect_elb("AK", "SK")
    params = {}
    conn.build_list_params(params, ["thing1", "thing2", "thing3"], "ThingName%d")
    assert params == {"ThingName1": "thing1", "ThingName2": "thing2", "ThingName3": "thing3"}
    params = {}
    conn.build_list_params(params, "one", "Instances.member.%d.InstanceId")
    assert params == {"Instances.member.1.InstanceId": "one"}


@pytest.mark.parametrize("call", [
    lambda c: c.modify_lb_attribute("lb", "connectionSettings", None),
    lambda c: c.create_load_balancer("lb", ["z"], [(443, 443, "HTTPS")]),
    lambda c: c.create_load_balancer("lb", ["z"], complex_listeners=[(80, 80, "HTTP")]),
    lambda c: c.set_lb_policies_of_listener("lb", 80, None),
    lambda c: c.add_tags("lb", {}),
    lambda c: c.remove_tags("lb", []),
    lambda c: list(c.iter_load_balancers(page_size=0)),
    lambda c: c.describe_account_limits(page_size=1000),
])
def test_bad_arguments_fail_before_any_request(canned, call):
    server = canned()
    conn = boto_elb_c.connect_elb("AK", "SK", endpoint_url=server.endpoint)
    with pytest.raises((TypeError, ValueError)):
        call(conn)
    assert server.requests == []
