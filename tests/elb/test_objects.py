"""The object model's constructors, defaults and reprs, as boto 2.49 has them."""
from boto_elb_c.ec2.elb import HealthCheck, InstanceState, Listener, LoadBalancer
from boto_elb_c.ec2.elb.attributes import LbAttributes
from boto_elb_c.ec2.elb.loadbalancer import Backend
from boto_elb_c.ec2.elb.policies import OtherPolicy, Policies
from boto_elb_c.ec2.elb.securitygroup import SecurityGroup
from boto_elb_c.ec2.instanceinfo import InstanceInfo
from boto_elb_c.regioninfo import RegionInfo


def test_reprs_of_fresh_objects():
    assert repr(LoadBalancer()) == "LoadBalancer:None"
    assert repr(LoadBalancer(None, "my-lb")) == "LoadBalancer:my-lb"
    assert repr(HealthCheck()) == "HealthCheck:None"
    assert repr(Listener()) == "(0, 0, '')"
    assert repr(Listener(None, 80, 8080, "HTTP", instance_protocol="HTTP")) == "(80, 8080, 'HTTP', 'HTTP')"
    assert repr(Listener(None, 25, 2525, "TCP")) == "(25, 2525, 'TCP')"
    assert repr(Listener(None, 443, 80, "HTTPS", "arn:aws:iam::1:server-certificate/c", "HTTP")) == \
        "(443, 80, 'HTTPS', 'HTTP', arn:aws:iam::1:server-certificate/c)"
    assert repr(InstanceState(instance_id="i-123", state="InService")) == "InstanceState:(i-123,InService)"
    assert repr(InstanceInfo(id="i-123")) == "InstanceInfo:i-123"
    assert repr(SecurityGroup()) == "SecurityGroup(None, None)"
    assert repr(Backend()) == "Backend(None:None)"
    assert repr(Policies()) == "Policies(AppCookieStickinessNone,LBCookieStickinessNone,OtherNone)"
    assert repr(LbAttributes()) == ("LbAttributes(CrossZoneLoadBalancingAttribute(None), AccessLog(None, None, None, "
                                    "None), ConnectionDraining(None, None), ConnectionSettingAttribute(None))")
    assert repr(RegionInfo(name="us-east-1")) == "RegionInfo:us-east-1"
    p = OtherPolicy()
    p.policy_name = "EnableProxyProtocol"
    assert repr(p) == "OtherPolicy(EnableProxyProtocol)"


def test_health_check_defaults():
    hc = HealthCheck()
    assert (hc.access_point, hc.interval, hc.target, hc.healthy_threshold, hc.timeout, hc.unhealthy_threshold) == (
        None, 30, None, 3, 5, 5)


def test_listener_indexing_as_boto():
    l = Listener(load_balancer_port=80, instance_port=80, protocol="HTTP", instance_protocol="HTTP")
    assert [l[i] for i in range(4)] == [80, 80, "HTTP", "HTTP"]
    assert l.get_complex_tuple() == (80, 80, "HTTP", "HTTP")


def test_load_balancer_defaults():
    lb = LoadBalancer()
    assert lb.availability_zones == [] and lb.subnets == [] and lb.security_groups == []
    for attr in ("listeners", "health_check", "policies", "dns_name", "created_time", "instances", "vpc_id",
                 "scheme", "backends", "source_security_group", "canonical_hosted_zone_name",
                 "canonical_hosted_zone_name_id"):
        assert getattr(lb, attr) is None
