"""The classic boto ELB tutorial, walked step by step: ``python -m boto_elb_c.tutorial``.

Connect, list regions, create a load balancer over two zones with listeners 80->8080 HTTP and 443->8443 TCP,
configure its health check, register instances and describe their health, disable and enable zones, delete it --
printing each call and its result.

With no endpoint configured (no ``--endpoint-url``, no ``AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING`` or
``AWS_ENDPOINT_URL``) it starts a local ELB emulator (moto's server, from the ``emulator`` extra) on 127.0.0.1
and says so. Otherwise it uses that endpoint with your usual credentials.
"""
from __future__ import annotations

import argparse
import sys
import time

import boto_elb_c
from boto_elb_c.connection import endpoint_override
from boto_elb_c.ec2.elb import ELBConnection, HealthCheck, RegionData, RegionInfo
from boto_elb_c.exception import BotoClientError, BotoServerError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from boto_elb_c.emulator import MotoServer


def _show(code: str, value: Any = None, printed: bool = True) -> Any:  # returns value (of any type)
    print(">>> " + code.replace("\n", "\n... "))
    if printed and value is not None:
        print(value if isinstance(value, str) else repr(value))
    return value


def _step(n: int, title: str) -> None:
    print("\n%d. %s" % (n, title))
    print("-" * (len(title) + 3))


def walk(conn: ELBConnection, region: str, name: str, instance_ids: list[str]) -> None:
    zones = [region + "a", region + "b"]

    _step(1, "Connect")
    _show("conn", conn)
    print("    (signing region %s, service %s, endpoint %s)" % (conn.auth_region_name, conn.auth_service_name,
                                                                  conn._url))

    _step(2, "Regions and endpoints")
    regions = _show("regions = boto_elb_c.ec2.elb.regions()", boto_elb_c.ec2.elb.regions(), printed=False)
    _show("len(regions)", len(regions))
    _show("regions[:5]", regions[:5])
    _show("[r for r in regions if r.name == %r][0].endpoint" % region,
          [r for r in regions if r.name == region][0].endpoint if region in RegionData else None)

    _step(3, "Existing load balancers")
    _show("conn.get_all_load_balancers()", conn.get_all_load_balancers())

    _step(4, "A health check")
    hc = _show("hc = HealthCheck(interval=20, healthy_threshold=3, unhealthy_threshold=5,\n"
               "                 target='HTTP:8080/health')",
               HealthCheck(interval=20, healthy_threshold=3, unhealthy_threshold=5, target="HTTP:8080/health"),
               printed=False)
    _show("hc", hc)

    _step(5, "Create a load balancer")
    ports = [(80, 8080, "http"), (443, 8443, "tcp")]
    lb = _show("lb = conn.create_load_balancer(%r, %r, %r)" % (name, zones, ports),
               conn.create_load_balancer(name, zones, ports), printed=False)
    _show("lb", lb)
    _show("print(lb.dns_name)", lb.dns_name)
    _show("lb.configure_health_check(hc)", lb.configure_health_check(hc))
    described = _show("desc = conn.get_all_load_balancers(load_balancer_names=[%r])[0]" % name,
                      conn.get_all_load_balancers(load_balancer_names=[name])[0], printed=False)
    _show("desc.listeners", described.listeners)
    _show("desc.health_check, desc.availability_zones", (described.health_check, described.availability_zones))

    _step(6, "Register instances and describe their health")
    _show("instance_ids = %r" % instance_ids, printed=False)
    _show("lb.register_instances(instance_ids)", lb.register_instances(instance_ids))
    _show("lb.get_instance_health()", lb.get_instance_health())
    _show("lb.deregister_instances(instance_ids[:1])", lb.deregister_instances(instance_ids[:1]))
    _show("lb.get_instance_health()", lb.get_instance_health())

    _step(7, "Disable and enable zones")
    _show("lb.disable_zones([%r])" % zones[0], lb.disable_zones([zones[0]]))
    _show("lb.availability_zones", lb.availability_zones)
    _show("lb.enable_zones([%r])" % (region + "c"), lb.enable_zones([region + "c"]))
    _show("lb.availability_zones", lb.availability_zones)

    _step(8, "Delete it")
    _show("lb.delete()", lb.delete())
    _show("conn.get_all_load_balancers()", conn.get_all_load_balancers())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m boto_elb_c.tutorial", description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoint-url", help="an ELB endpoint such as http://127.0.0.1:5000 (default: the "
                        "environment's, else a local emulator)")
    parser.add_argument("--region", default="us-east-1", help="the region to sign for and make zones in")
    parser.add_argument("--name", default="my-lb", help="the load balancer to create and delete")
    parser.add_argument("--instance-id", action="append", dest="instance_ids",
                        help="instances to register (repeatable; default: launched in the emulator, or the "
                             "tutorial's i-4f8cf126 and i-0bb7ca62)")
    args = parser.parse_args(argv)

    print("boto_elb_c %s: the boto ELB tutorial, step by step" % boto_elb_c.__version__)
    print("(libcurl %s, libxml2 %s, %s)" % (boto_elb_c.libcurl_version, boto_elb_c.libxml2_version,
                                             boto_elb_c.openssl_version))
    server: MotoServer | None = None
    conn_kw: dict[str, Any] = {}
    instance_ids = args.instance_ids
    endpoint = endpoint_override(ELBConnection.EndpointEnvName, args.endpoint_url)
    region = RegionInfo(name=args.region,
                        endpoint=RegionData.get(args.region, "elasticloadbalancing.%s.amazonaws.com" % args.region))
    try:
        if endpoint is None:
            from boto_elb_c.emulator import MotoServer

            print("\nNo ELB endpoint is configured, so this starts a local ELB emulator (moto's server) ...")
            started = time.monotonic()
            server = MotoServer()
            server.warm_up(args.region)
            print("... listening on %s (ready in %.1f s). Nothing here talks to AWS."
                  % (server.endpoint, time.monotonic() - started))
            conn_kw = dict(aws_access_key_id="testing", aws_secret_access_key="testing",
                           endpoint_url=server.endpoint)
            if not instance_ids:
                instance_ids = server.run_instances(2, region=args.region, zone=args.region + "a")
                print("Launched 2 EC2 instances in the emulator for the health checks: %s" % ", ".join(instance_ids))
        else:
            print("\nUsing the ELB endpoint %s" % endpoint)
            if args.endpoint_url:
                conn_kw["endpoint_url"] = args.endpoint_url
        instance_ids = instance_ids or ["i-4f8cf126", "i-0bb7ca62"]
        conn = boto_elb_c.connect_elb(region=region, **conn_kw)
        walk(conn, args.region, args.name, instance_ids)
        conn.close()
        print("\nDone: every step of the tutorial ran.")
        return 0
    except (BotoServerError, BotoClientError) as exc:
        print("\nThe tutorial stopped: %r" % exc, file=sys.stderr)
        return 1
    finally:
        if server is not None:
            server.stop()
            print("(the local emulator was stopped)")


if __name__ == "__main__":
    sys.exit(main())
