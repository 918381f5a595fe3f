"""Every ELBConnection method against moto's server (the real peer), and the LoadBalancer methods that
delegate to them. What moto lacks is in test_canned_responses.py."""
import pytest

from boto_elb_c.ec2.elb import errors
from boto_elb_c.ec2.elb.attributes import (
    AccessLogAttribute,
    ConnectionDrainingAttribute,
    ConnectionSettingAttribute,
    LbAttributes,
)
from boto_elb_c.ec2.elb.waiter import WaiterTimeoutError
from boto_elb_c.exception import BotoServerError
from boto_elb_c.resultset import ResultSet

ZONES = ["us-east-1a", "us-east-1b"]
CERT = "arn:aws:iam::123456789012:server-certificate/test-cert"


@pytest.fixture
def lb(conn):
    return conn.create_load_balancer("lb1", ZONES, [(80, 8080, "http"), (443, 8443, "tcp")])


def described(conn, name="lb1"):
    return conn.get_all_load_balancers([name])[0]


def test_create_with_scheme_subnets_groups_and_complex_listeners(conn, moto):
    subnet, group = moto.ec2("print(json.dumps([ec2.describe_subnets()['Subnets'][0]['SubnetId'],\n"
                             "    ec2.create_security_group(GroupName='g1', Description='d')['GroupId']]))\n")
    lb = conn.create_load_balancer("vpc-lb", None, complex_listeners=[(8443, 443, "HTTPS", "HTTP", CERT),
                                                                      (9000, 9000, "tcp", "tcp")],
                                   subnets=[subnet], security_groups=[group], scheme="internal")
    assert lb.listeners is None and lb.subnets == [subnet]  # as boto: the raw arguments
    d = described(conn, "vpc-lb")
    assert d.scheme == "internal" and d.subnets == [subnet] and d.security_groups == [group]
    # moto reports InstanceProtocol = Protocol whatever was sent (moto-peer.md); the request encoding of
    # InstanceProtocol is checked in test_request_encoding.py
    assert [(l[:3], l.ssl_certificate_id) for l in sorted(d.listeners, key=lambda l: l.load_balancer_port)] == [
        ((8443, 443, "HTTPS"), CERT), ((9000, 9000, "TCP"), None)]


def test_listeners(conn, lb):
    assert conn.create_load_balancer_listeners("lb1", [(8080, 80, "HTTP")]) is True
    assert conn.create_load_balancer_listeners("lb1", complex_listeners=[(2525, 25, "TCP", "TCP")]) is True
    assert conn.create_load_balancer_listeners("lb1") is None
    ports = sorted(l.load_balancer_port for l in described(conn).listeners)
    assert ports == [80, 443, 2525, 8080]
    assert conn.delete_load_balancer_listeners("lb1", [8080]) is True
    assert conn.delete_load_balancer_listeners("lb1", [2525]) is True
    assert sorted(l.get_tuple() for l in described(conn).listeners) == [(80, 8080, "HTTP"), (443, 8443, "TCP")]
    with pytest.raises(errors.DuplicateListener) as info:
        conn.create_load_balancer_listeners("lb1", [(80, 9999, "TCP")])
    assert isinstance(info.value, BotoServerError) and info.value.error_code == "DuplicateListener"


def test_attributes(conn, lb):
    attrs = conn.get_all_lb_attributes("lb1")
    assert isinstance(attrs, LbAttributes)
    assert attrs.cross_zone_load_balancing.enabled is False and attrs.access_log.enabled is False
    assert attrs.connecting_settings.idle_timeout == 60
    assert conn.modify_lb_attribute("lb1", "crossZoneLoadBalancing", True) is True
    assert conn.get_lb_attribute("lb1", "crossZoneLoadBalancing") is True
    assert conn.get_lb_attribute("lb1", "CrossZoneLoadBalancing") is True

    log = AccessLogAttribute()
    log.enabled, log.s3_bucket_name, log.s3_bucket_prefix, log.emit_interval = True, "bkt", "access-logs", 5
    conn.modify_lb_attribute("lb1", "accessLog", log)
    got = conn.get_lb_attribute("lb1", "AccessLog")
    assert (got.enabled, got.s3_bucket_name, got.s3_bucket_prefix, got.emit_interval) == (True, "bkt", "access-logs", 5)
    assert repr(got) == "AccessLog(True, bkt, access-logs, 5)"

    for enabled, timeout in ((True, 128), (True, 256), (True, 64)):
        cd = ConnectionDrainingAttribute()
        cd.enabled, cd.timeout = enabled, timeout
        conn.modify_lb_attribute("lb1", "ConnectionDraining", cd)
        got = conn.get_lb_attribute("lb1", "connectionDraining")
        assert (got.enabled, got.timeout) == (enabled, timeout)

    cs = ConnectionSettingAttribute()
    cs.idle_timeout = 120
    conn.modify_lb_attribute("lb1", "connectingSettings", cs)
    assert conn.get_lb_attribute("lb1", "connectingSettings").idle_timeout == 120
    assert conn.get_lb_attribute("lb1", "connectionSettings") is None  # boto's spelling only
    with pytest.raises(ValueError) as info:
        conn.modify_lb_attribute("lb1", "connectionSettings", cs)
    assert info.value.args == ("InvalidAttribute", "connectionSettings")

    conn.modify_lb_attribute("lb1", "additionalAttributes", {"elb.http.desyncmitigationmode": "strictest"})
    assert conn.get_lb_attribute("lb1", "additionalAttributes")["elb.http.desyncmitigationmode"] in (
        "strictest", "defensive")  # moto appends its own default entries (moto-peer.md)


def test_load_balancer_attribute_helpers_and_cache(conn, lb):
    assert lb.is_cross_zone_load_balancing() is False
    assert lb.enable_cross_zone_load_balancing() is True
    assert lb.is_cross_zone_load_balancing() is True  # the cache was updated
    conn.modify_lb_attribute("lb1", "crossZoneLoadBalancing", False)
    assert lb.is_cross_zone_load_balancing() is True  # cached, as boto
    assert lb.is_cross_zone_load_balancing(force=True) is False
    assert lb.get_attributes() is lb.get_attributes()
    lb.disable_cross_zone_load_balancing()
    assert lb.is_cross_zone_load_balancing(force=True) is False


def test_policies(conn, lb):
    assert conn.create_lb_cookie_stickiness_policy(1000, "lb1", "lb-policy") is True
    assert conn.create_lb_cookie_stickiness_policy(None, "lb1", "lb-session") is True
    assert conn.create_app_cookie_stickiness_policy("appcookie", "lb1", "app-policy") is True
    assert conn.create_lb_policy("lb1", "proxy", "ProxyProtocolPolicyType", {"ProxyProtocol": True}) is True
    assert conn.set_lb_policies_of_listener("lb1", 80, "lb-policy") is True  # a bare string is one name
    assert conn.set_lb_policies_of_listener("lb1", 443, ["app-policy"]) is True
    assert conn.set_lb_policies_of_backend_server("lb1", 8080, ["proxy"]) is True
    d = described(conn)
    by_port = {l.load_balancer_port: l for l in d.listeners}
    assert by_port[80].policy_names == ["lb-policy"] and by_port[443].policy_names == ["app-policy"]
    assert [(p.policy_name, p.cookie_expiration_period) for p in d.policies.lb_cookie_stickiness_policies] == [
        ("lb-policy", "1000"), ("lb-session", None)]
    assert [(p.policy_name, p.cookie_name) for p in d.policies.app_cookie_stickiness_policies] == [
        ("app-policy", "appcookie")]
    assert [p.policy_name for p in d.policies.other_policies] == ["proxy"]
    assert [(b.instance_port, [p.policy_name for p in b.policies]) for b in d.backends] == [(8080, ["proxy"])]

    described_policies = {p.policy_name: p for p in conn.describe_lb_policies("lb1")}
    assert described_policies["proxy"].policy_type_name == "ProxyProtocolPolicyType"
    assert described_policies["proxy"].attributes == {"ProxyProtocol": "true"}
    assert [p.policy_name for p in lb.describe_policies(["proxy"])] == ["proxy"]

    assert conn.set_lb_policies_of_listener("lb1", 80, []) is True
    assert conn.set_lb_policies_of_backend_server("lb1", 8080, []) is True
    d = described(conn)
    assert {l.load_balancer_port: list(l.policy_names) for l in d.listeners}[80] == []
    assert d.backends == []
    assert lb.delete_policy("lb-policy") is True
    with pytest.raises(TypeError):
        conn.set_lb_policies_of_listener("lb1", 80, None)


def test_load_balancer_policy_methods(conn, lb):
    lb.create_cookie_stickiness_policy(300, "p1")
    lb.create_app_cookie_stickiness_policy("JSESSIONID", "p2")
    lb.create_lb_policy("p3", "ProxyProtocolPolicyType", {"ProxyProtocol": True})
    lb.set_policies_of_listener(80, ["p1"])
    lb.set_policies_of_backend_server(8443, ["p3"])
    d = described(conn)
    assert repr(d.policies) == ("Policies(AppCookieStickiness[AppCookieStickiness(p2, JSESSIONID)],"
                                "LBCookieStickiness[LBCookieStickiness(p1, 300)],Other[OtherPolicy(p3)])")
    assert repr(d.backends) == "[Backend(8443:[OtherPolicy(p3)])]"


def test_ssl_certificate(conn):
    conn.create_load_balancer("tls", ZONES, [(443, 80, "HTTPS", CERT)])
    other = "arn:aws:iam::123456789012:server-certificate/other"
    assert conn.set_lb_listener_SSL_certificate("tls", 443, other) is True
    assert described(conn, "tls").listeners[0].ssl_certificate_id == other
    lb = described(conn, "tls")
    lb.set_listener_SSL_certificate(443, CERT)
    listener = described(conn, "tls").listeners[0]
    assert listener == (443, 80, "HTTPS") and listener.ssl_certificate_id == CERT


def test_subnets_and_security_groups(conn, moto):
    subnets, groups = moto.ec2(
        "subnets = sorted(s['SubnetId'] for s in ec2.describe_subnets()['Subnets'])[:3]\n"
        "groups = [ec2.create_security_group(GroupName='g%d' % i, Description='d')['GroupId'] for i in range(2)]\n"
        "print(json.dumps([subnets, groups]))\n")
    conn.create_load_balancer("vpc", None, [(80, 80, "http")], subnets=subnets[:1])
    attached = conn.attach_lb_to_subnets("vpc", subnets[1:])
    assert isinstance(attached, ResultSet) and sorted(attached) == subnets  # boto 2: an empty ResultSet
    assert sorted(conn.detach_lb_from_subnets("vpc", subnets[2])) == subnets[:2]
    assert conn.apply_security_groups_to_lb("vpc", groups) == groups
    lb = described(conn, "vpc")
    lb.apply_security_groups(groups[0])
    assert lb.security_groups == [groups[0]]
    lb.detach_subnets(subnets[1])
    assert lb.subnets == [subnets[0]]
    lb.attach_subnets([subnets[1]])
    assert sorted(lb.subnets) == subnets[:2]


def test_tags(conn, lb):
    assert conn.add_tags("lb1", {"env": "test", "team": "a b"}) is True
    assert conn.get_all_tags(["lb1"]) == {"lb1": {"env": "test", "team": "a b"}}
    assert conn.remove_tags(["lb1"], ["team"]) is True
    assert conn.get_all_tags("lb1") == {"lb1": {"env": "test"}}
    d = described(conn)
    assert d.tags == {"env": "test"}
    d.add_tags({"k": ""})
    assert d.tags == {"env": "test", "k": ""}
    d.remove_tags({"env": None})
    assert d.tags == {"k": ""} and d.get_tags(force=True) == {"k": ""}
    with pytest.raises(ValueError):
        conn.add_tags("lb1", {})


def test_tags_of_more_than_twenty_load_balancers_are_batched(conn):
    names = ["lb-%02d" % i for i in range(45)]
    for i, name in enumerate(names):
        conn.create_load_balancer(name, ["us-east-1a"], [(80, 80, "http")])
        conn.add_tags(name, {"n": str(i)})
    tags = conn.get_all_tags(names)
    assert sorted(tags) == names
    assert all(tags[name] == {"n": str(i)} for i, name in enumerate(names))


def test_paging(conn):
    names = sorted("pg-%03d" % i for i in range(120))
    for name in names:
        conn.create_load_balancer(name, ["us-east-1a"], [(80, 80, "http")])
    first = conn.get_all_load_balancers()
    assert len(first) == 50 and first.next_marker  # moto's default page; AWS's is 400
    second = conn.get_all_load_balancers(marker=first.next_marker)
    assert [lb.name for lb in second][0] == names[50]
    assert [lb.name for lb in conn.iter_load_balancers()] == names
    assert [lb.name for lb in conn.iter_load_balancers(page_size=7)] == names
    assert [lb.name for lb in conn.iter_load_balancers(["pg-001", "pg-002"])] == ["pg-001", "pg-002"]
    for bad in (0, 401):
        with pytest.raises(ValueError):
            list(conn.iter_load_balancers(page_size=bad))


def test_waiters(conn, lb, moto):
    ids = moto.run_instances(2)
    lb.register_instances(ids)
    states = lb.wait_for_instances_in_service(timeout=5, delay=0.1)
    assert sorted(s.instance_id for s in states) == sorted(ids)
    lb.deregister_instances(ids)
    lb.wait_for_instances_deregistered(ids, timeout=5, delay=0.1)

    lb.register_instances(ids)
    moto.ec2("ec2.stop_instances(InstanceIds=[args['id']])\nprint('null')\n", id=ids[1])
    with pytest.raises(WaiterTimeoutError) as info:
        lb.wait_for_instances_in_service(ids, timeout=0.3, delay=0.1)
    e = info.value
    assert e.pending == [ids[1]] and e.states[ids[1]] == "OutOfService" and ids[1] in str(e)
    with pytest.raises(WaiterTimeoutError) as info:
        lb.wait_for_instances_deregistered(timeout=0.2, delay=0.1)
    assert sorted(info.value.pending) == [ids[0]]  # the stopped one is OutOfService: it counts as gone


def test_instance_health_of_unregistered_instance(conn, lb):
    states = conn.describe_instance_health("lb1", ["i-00000000000000000"])
    assert [s.state for s in states] == ["Unknown"]


def test_errors_are_typed(conn):
    with pytest.raises(errors.LoadBalancerNotFound) as info:
        conn.get_all_lb_attributes("nope") if False else conn.get_all_load_balancers(["nope"])
    assert isinstance(info.value, errors.AccessPointNotFoundException)
    assert isinstance(info.value, conn.exceptions.LoadBalancerNotFound)
    conn.create_load_balancer("dup", ZONES, [(80, 80, "http")])
    with pytest.raises(errors.DuplicateAccessPointNameException):
        conn.create_load_balancer("dup", ZONES, [(80, 80, "http")])
    with pytest.raises(BotoServerError) as info:
        conn.add_tags("nope", {"a": "b"})
    assert info.value.error_code == "LoadBalancerNotFound" and info.value.status == 400
