"""get_all_load_balancers_in_regions: every region's load balancers at once (libcurl multi), errors per region."""
import threading
import time

import pytest

import boto_elb_c
from boto_elb_c.ec2.elb import ELBConnection, get_all_load_balancers_in_regions
from boto_elb_c.emulator import free_port
from boto_elb_c.exception import BotoServerError, EndpointConnectionError
from boto_elb_c.regioninfo import RegionInfo
from model import error_xml
from servers import Reply


def test_regions_on_moto(moto):
    kw = dict(aws_access_key_id="AK", aws_secret_access_key="SK", endpoint_url=moto.endpoint)
    east = boto_elb_c.ec2.elb.connect_to_region("us-east-1", **kw)
    west = boto_elb_c.ec2.elb.connect_to_region("eu-west-1", **kw)
    for i in range(3):
        east.create_load_balancer("east-%d" % i, ["us-east-1a"], [(80, 80, "http")])
    west.create_load_balancer("west-0", ["eu-west-1a"], [(80, 80, "http")])
    result = get_all_load_balancers_in_regions(["us-east-1", "eu-west-1", "ap-south-1"], **kw)
    assert list(result) == ["us-east-1", "eu-west-1", "ap-south-1"]
    assert [lb.name for lb in result["us-east-1"]] == ["east-0", "east-1", "east-2"]
    assert [lb.name for lb in result["eu-west-1"]] == ["west-0"] and result["ap-south-1"] == []
    assert result["us-east-1"][0].connection.region.name == "us-east-1"
    assert result["eu-west-1"][0].connection.auth_region_name == "eu-west-1"
    assert result["us-east-1"].request_id


def test_all_pages_are_followed(moto):
    kw = dict(aws_access_key_id="AK", aws_secret_access_key="SK", endpoint_url=moto.endpoint)
    east = boto_elb_c.ec2.elb.connect_to_region("us-east-1", **kw)
    names = sorted("p-%03d" % i for i in range(60))  # moto pages by 50, whatever PageSize says
    for name in names:
        east.create_load_balancer(name, ["us-east-1a"], [(80, 80, "http")])
    result = get_all_load_balancers_in_regions(["us-east-1"], **kw)
    assert [lb.name for lb in result["us-east-1"]] == names


def test_errors_are_per_region(moto, canned):
    throttled = canned(lambda req: Reply(status=400, body=error_xml("AccessDenied", "no")))
    closed = "http://127.0.0.1:%d" % free_port()
    regions = [RegionInfo(name="us-east-1", endpoint=moto.endpoint),
               RegionInfo(name="eu-west-1", endpoint=throttled.endpoint),
               RegionInfo(name="ap-south-1", endpoint=closed)]
    result = get_all_load_balancers_in_regions(regions, aws_access_key_id="AK", aws_secret_access_key="SK",
                                               max_attempts=1)
    assert result["us-east-1"] == []
    assert isinstance(result["eu-west-1"], BotoServerError) and result["eu-west-1"].error_code == "AccessDenied"
    assert isinstance(result["ap-south-1"], EndpointConnectionError)
    assert get_all_load_balancers_in_regions(["xx-nowhere-1"], aws_access_key_id="a",
                                             aws_secret_access_key="b")["xx-nowhere-1"].reason.startswith("unknown")


def test_requests_run_at_once(canned):
    """Six regions against a server that answers each request after 0.3 s: all six requests are in flight
    together (the server sees them all before it answers any)."""
    arrived = []
    lock = threading.Condition()

    def answer(req):
        with lock:
            arrived.append(req)
            lock.notify_all()
            lock.wait_for(lambda: len(arrived) >= 6, timeout=5)
        return Reply()

    server = canned(answer)
    regions = [RegionInfo(name=n, endpoint=server.endpoint) for n in
               ("us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-central-1")]
    result = get_all_load_balancers_in_regions(regions, aws_access_key_id="AK", aws_secret_access_key="SK")
    assert all(v == [] for v in result.values()) and len(arrived) == 6
    scopes = sorted(r.header("Authorization").split("/")[2] for r in arrived)
    assert scopes == sorted(r.name for r in regions)


def test_default_is_the_aws_partition(canned):
    server = canned()
    result = get_all_load_balancers_in_regions(aws_access_key_id="AK", aws_secret_access_key="SK",
                                               endpoint_url=server.endpoint)
    assert "us-east-1" in result and "cn-north-1" not in result and "us-gov-west-1" not in result
    assert len(server.requests) == len(result) >= 30


def test_query_many_directly(canned):
    server = canned()
    client = boto_elb_c._core.HttpClient()
    signer = boto_elb_c._core.Signer("AK", "SK", region="us-east-1")
    before = time.time()
    out = client.query_many([(server.endpoint + "/", {"Action": "DescribeLoadBalancers"}, signer)] * 3 +
                            [("http://127.0.0.1:%d/" % free_port(), {"Action": "X"}, signer)])
    after = time.time()
    assert [o[0] for o in out[:3]] == [200, 200, 200]
    assert all(len(o) == 5 and before <= o[4] <= after for o in out[:3])  # each answer's arrival time
    assert isinstance(out[3], EndpointConnectionError)
    with pytest.raises(ValueError):
        client.query_many([("ftp://x/", {}, signer)])
    assert client.query_many([]) == []
