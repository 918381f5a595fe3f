"""The boto ELB tutorial's calls (docs/elb_tut.rst), written as a program checked with ``mypy --strict`` would
write them.

tests/test_typing.py type-checks this file against the installed package; nothing runs it: every call is inside
a function that nothing calls (they would need an ELB endpoint and credentials).
"""
from __future__ import annotations

from collections.abc import Sequence

import boto_elb_c
import boto_elb_c.ec2.elb
from boto_elb_c.ec2.elb import ELBConnection, HealthCheck
from boto_elb_c.ec2.elb.errors import LoadBalancerNotFound
from boto_elb_c.ec2.elb.instancestate import InstanceState
from boto_elb_c.ec2.elb.listelement import ListElement
from boto_elb_c.ec2.elb.loadbalancer import LoadBalancer
from boto_elb_c.ec2.instanceinfo import InstanceInfo
from boto_elb_c.exception import BotoServerError
from boto_elb_c.regioninfo import RegionInfo
from boto_elb_c.resultset import ResultSet


def creating_a_connection() -> ELBConnection:
    conn = boto_elb_c.connect_elb(aws_access_key_id="YOUR-KEY-ID-HERE", aws_secret_access_key="YOUR-SECRET-HERE")
    region: RegionInfo = conn.region
    print(region.name, region.endpoint)
    return conn


def regions_and_endpoints() -> list[ELBConnection]:
    reg = RegionInfo(name="eu-west-1", endpoint="elasticloadbalancing.eu-west-1.amazonaws.com")
    eu_conn = boto_elb_c.connect_elb(aws_access_key_id="YOUR-KEY-ID-HERE",
                                     aws_secret_access_key="YOUR-SECRET-HERE", region=reg)
    connections = [eu_conn]

    elb = boto_elb_c.ec2.elb.connect_to_region("eu-west-1")
    if elb is None:  # an unknown region gives None, as in boto
        raise SystemExit("no such region")
    connections.append(elb)

    regions: list[RegionInfo] = boto_elb_c.ec2.elb.regions()
    endpoints: list[str | None] = [r.endpoint for r in regions if r.name in ("us-east-1", "cn-north-1")]
    print(regions[:4], endpoints)
    other = regions[-1].connect()
    if other is not None:
        connections.append(other)
    return connections


def getting_existing_load_balancers(conn: ELBConnection) -> None:
    for name in ("load-balancer-prod", "load-balancer-staging"):
        conn.create_load_balancer(name, ["us-east-1a"], [(80, 8080, "http")])

    balancers: ResultSet[LoadBalancer] = conn.get_all_load_balancers()
    prod = conn.get_all_load_balancers(load_balancer_names=["load-balancer-prod"])
    first: LoadBalancer = balancers[0]
    print(prod, first.name, first.listeners)
    for lb in balancers:
        for listener in lb.listeners or ():
            load_balancer_port: int = listener[0]  # a Listener reads like the tuple it was made from
            print(load_balancer_port, listener[1], listener[2])
    next_marker: str | None = balancers.next_marker
    print(next_marker)


def creating_a_load_balancer(conn: ELBConnection) -> LoadBalancer:
    hc = HealthCheck(
        interval=20,
        healthy_threshold=3,
        unhealthy_threshold=5,
        target="HTTP:8080/health",
    )
    regions = ["us-east-1a", "us-east-1b"]
    ports = [(80, 8080, "http"), (443, 8443, "tcp")]
    lb = conn.create_load_balancer("my-lb", regions, ports)
    if lb is None:  # only when no listener is given, as in boto
        raise ValueError("no listeners")
    configured: HealthCheck = lb.configure_health_check(hc)
    print(configured.target, configured.interval)
    dns_name: str | None = lb.dns_name
    print(dns_name)
    return lb


def adding_instances(conn: ELBConnection, lb: LoadBalancer) -> None:
    instance_ids = ["i-4f8cf126", "i-0bb7ca62"]
    lb.register_instances(instance_ids)
    described = conn.get_all_load_balancers(["my-lb"])[0]
    registered: ResultSet[InstanceInfo] | None = described.instances
    print(sorted(i.id for i in registered or () if i.id is not None))

    health: ResultSet[InstanceState] = lb.get_instance_health()
    for state in health:
        print(state.instance_id, state.state, state.reason_code, state.description)

    lb.deregister_instances(instance_ids)
    lb.degregister_instances(instance_ids)  # the tutorial's spelling
    infos: ResultSet[InstanceInfo] = conn.register_instances("my-lb", instance_ids)
    print(infos)


def modifying_availability_zones(conn: ELBConnection, lb: LoadBalancer) -> None:
    lb.disable_zones(["us-east-1a"])
    zones: Sequence[str] | None = lb.availability_zones
    print(zones)
    lb.enable_zones(["us-east-1c"])
    still_enabled: ListElement = conn.disable_availability_zones("my-lb", ["us-east-1b"])
    print(list(still_enabled))


def deleting_a_load_balancer(conn: ELBConnection, lb: LoadBalancer) -> None:
    deleted: bool = lb.delete()
    print(deleted, conn.delete_load_balancer("my-lb"))
    try:
        conn.get_all_load_balancers(["my-lb"])
    except LoadBalancerNotFound as exc:
        print(exc.error_code, exc.request_id)
    except BotoServerError as exc:
        print(exc.status, exc.reason, exc.error_message)
