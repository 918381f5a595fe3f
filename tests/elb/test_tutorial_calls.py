"""Every call of the boto ELB tutorial against moto's server (the real peer)."""
import pytest

import boto_elb_c
from boto_elb_c.ec2.elb import HealthCheck, LoadBalancer
from boto_elb_c.exception import BotoServerError
from boto_elb_c.resultset import ResultSet

ZONES = ["us-east-1a", "us-east-1b"]
PORTS = [(80, 8080, "http"), (443, 8443, "tcp")]


@pytest.fixture
def lb(conn):
    return conn.create_load_balancer("my-lb", ZONES, PORTS)


def test_get_all_load_balancers_empty(conn):
    rs = conn.get_all_load_balancers()
    assert isinstance(rs, ResultSet) and rs == [] and repr(rs) == "[]"
    assert rs.next_marker is None and rs.request_id


def test_create_load_balancer(conn, lb):
    assert isinstance(lb, LoadBalancer)
    assert repr(lb) == "LoadBalancer:my-lb"
    assert lb.dns_name == "my-lb.us-east-1.elb.amazonaws.com"
    # as boto: the returned object carries the arguments
    assert lb.availability_zones == ZONES and lb.listeners == PORTS and lb.connection is conn


def test_describe_what_was_created(conn, lb):
    rs = conn.get_all_load_balancers()
    assert repr(rs) == "[LoadBalancer:my-lb]"
    (d,) = rs
    assert repr(d.listeners) == "[(80, 8080, 'HTTP', 'HTTP'), (443, 8443, 'TCP', 'TCP')]"
    assert [l.get_tuple() for l in d.listeners] == [(80, 8080, "HTTP"), (443, 8443, "TCP")]
    assert d.availability_zones == ZONES
    assert d.dns_name == lb.dns_name and d.canonical_hosted_zone_name == lb.dns_name
    assert d.scheme == "internet-facing" and d.vpc_id.startswith("vpc-")
    assert d.created_time.endswith("Z") and "T" in d.created_time
    assert d.instances == [] and repr(d.source_security_group) == "SecurityGroup(default, 123456789012)"


def test_filter_by_name(conn, lb):
    conn.create_load_balancer("other", ZONES, PORTS)
    assert repr(conn.get_all_load_balancers(load_balancer_names=["my-lb"])) == "[LoadBalancer:my-lb]"
    assert repr(conn.get_all_load_balancers(load_balancer_names="other")) == "[LoadBalancer:other]"
    assert len(conn.get_all_load_balancers()) == 2


def test_unknown_name_is_loadbalancernotfound(conn):
    with pytest.raises(BotoServerError) as info:
        conn.get_all_load_balancers(load_balancer_names=["nope"])
    e = info.value
    assert (e.status, e.error_code) == (400, "LoadBalancerNotFound")
    assert "nope" in e.error_message and e.request_id and "<ErrorResponse" in e.body


def test_duplicate_name(conn, lb):
    with pytest.raises(BotoServerError) as info:
        conn.create_load_balancer("my-lb", ZONES, PORTS)
    assert info.value.error_code == "DuplicateLoadBalancerName"


def test_configure_health_check(conn, lb):
    hc = HealthCheck(interval=20, healthy_threshold=3, unhealthy_threshold=5, target="HTTP:8080/health")
    assert repr(hc) == "HealthCheck:HTTP:8080/health"
    got = lb.configure_health_check(hc)
    assert isinstance(got, HealthCheck) and repr(got) == "HealthCheck:HTTP:8080/health"
    assert (got.interval, got.healthy_threshold, got.unhealthy_threshold, got.timeout) == (20, 3, 5, 5)
    d = conn.get_all_load_balancers(["my-lb"])[0].health_check
    assert (d.target, d.interval, d.healthy_threshold, d.unhealthy_threshold, d.timeout) == (
        "HTTP:8080/health", 20, 3, 5, 5)
    assert d.access_point.name == "my-lb"


def test_register_describe_health_deregister(conn, lb, moto):
    ids = moto.run_instances(2)
    assert lb.register_instances(ids) is None
    health = lb.get_instance_health()
    assert sorted(repr(s) for s in health) == sorted("InstanceState:(%s,InService)" % i for i in ids)
    assert {(s.reason_code, s.description) for s in health} == {("N/A", "N/A")}
    assert sorted(i.id for i in conn.get_all_load_balancers(["my-lb"])[0].instances) == sorted(ids)
    assert [repr(s) for s in conn.describe_instance_health("my-lb", [ids[0]])] == [
        "InstanceState:(%s,InService)" % ids[0]]
    lb.deregister_instances(ids[:1])
    assert [s.instance_id for s in lb.get_instance_health()] == ids[1:]


def test_tutorials_misspelling_works(conn, lb, moto):
    ids = moto.run_instances(1)
    lb.register_instances(ids)
    lb.degregister_instances(ids)
    assert lb.get_instance_health() == []


def test_disable_and_enable_zones(conn, lb):
    assert lb.disable_zones(["us-east-1a"]) is None
    assert lb.availability_zones == ["us-east-1b"]
    lb.enable_zones(["us-east-1c"])
    assert lb.availability_zones == ["us-east-1b", "us-east-1c"]
    assert conn.get_all_load_balancers(["my-lb"])[0].availability_zones == ["us-east-1b", "us-east-1c"]
    assert conn.enable_availability_zones("my-lb", "us-east-1a") == ["us-east-1a", "us-east-1b", "us-east-1c"]


def test_listeners_add_and_remove(conn, lb):
    assert lb.create_listener(8000, 80, "http") is True
    assert sorted(l.get_tuple() for l in conn.get_all_load_balancers()[0].listeners) == [
        (80, 8080, "HTTP"), (443, 8443, "TCP"), (8000, 80, "HTTP")]
    assert lb.delete_listener(8000) is True
    assert len(conn.get_all_load_balancers()[0].listeners) == 2


def test_delete(conn, lb):
    assert lb.delete() is True
    assert conn.get_all_load_balancers() == []
    assert conn.delete_load_balancer("my-lb") is True  # idempotent, as on AWS


def test_create_without_listeners_makes_no_request(conn):
    assert conn.create_load_balancer("x", ZONES, []) is None
    assert conn.get_all_load_balancers() == []


def test_connection_is_usable_through_connect_elb_and_env(endpoint, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING", endpoint)
    conn = boto_elb_c.connect_elb(aws_access_key_id="YOUR-KEY-ID-HERE", aws_secret_access_key="YOUR-SECRET-HERE")
    conn.create_load_balancer("env-lb", ZONES, PORTS)
    assert repr(conn.get_all_load_balancers()) == "[LoadBalancer:env-lb]"


def test_regions_are_separate_backends(endpoint):
    east = boto_elb_c.ec2.elb.connect_to_region("us-east-1", aws_access_key_id="a", aws_secret_access_key="b",
                                                endpoint_url=endpoint)
    west = boto_elb_c.ec2.elb.connect_to_region("eu-west-1", aws_access_key_id="a", aws_secret_access_key="b",
                                                endpoint_url=endpoint)
    west.create_load_balancer("eu-lb", ["eu-west-1a"], PORTS)
    assert east.get_all_load_balancers() == []
    assert repr(west.get_all_load_balancers()) == "[LoadBalancer:eu-lb]"
