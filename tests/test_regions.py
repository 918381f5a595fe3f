"""Regions: the generated table matches botocore's endpoint data, FIPS and dual-stack variants, pseudo-regions,
the default region, boto's BOTO_ENDPOINTS file and endpoint heuristics."""
import json
import os
import subprocess
import sys

import pytest

import boto_elb_c
from boto_elb_c._endpoints import ENDPOINTS
from boto_elb_c.ec2.elb import ELBConnection, connect_to_region, regions
from boto_elb_c.regioninfo import RegionInfo
from conftest import REPO


def test_table_matches_installed_botocore():
    pytest.importorskip("botocore")
    result = subprocess.run([sys.executable, os.path.join(REPO, "tests", "tools", "gen_endpoints.py"), "--check"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def test_every_partition_is_there():
    partitions = {row[0] for row in ENDPOINTS}
    assert {"aws", "aws-cn", "aws-us-gov"} <= partitions
    for row in ENDPOINTS:
        conn = connect_to_region(row[1], aws_access_key_id="a", aws_secret_access_key="b")
        assert conn.host == row[2] and conn.auth_region_name == row[1]


@pytest.mark.parametrize("region, fips, dual, host", [
    ("us-east-1", True, False, "elasticloadbalancing-fips.us-east-1.amazonaws.com"),
    ("us-east-1", False, True, "elasticloadbalancing.us-east-1.api.aws"),
    ("us-east-1", True, True, "elasticloadbalancing-fips.us-east-1.api.aws"),
    ("us-gov-west-1", True, False, "elasticloadbalancing.us-gov-west-1.amazonaws.com"),
    ("cn-north-1", False, True, "elasticloadbalancing.cn-north-1.api.amazonwebservices.com.cn"),
])
def test_fips_and_dualstack(region, fips, dual, host, monkeypatch):
    assert connect_to_region(region, use_fips_endpoint=fips, use_dualstack_endpoint=dual).host == host
    monkeypatch.setenv("AWS_USE_FIPS_ENDPOINT", "true" if fips else "false")
    monkeypatch.setenv("AWS_USE_DUALSTACK_ENDPOINT", "true" if dual else "false")
    conn = connect_to_region(region)
    assert conn.host == host and conn.auth_region_name == region
    assert ELBConnection(region=RegionInfo(name=region, endpoint=conn.region.endpoint)).host == host


def test_pseudo_regions():
    for name in ("fips-us-east-1", "us-east-1-fips"):
        conn = connect_to_region(name)
        assert conn.host == "elasticloadbalancing-fips.us-east-1.amazonaws.com"
        assert conn.auth_region_name == "us-east-1"


def test_variants_that_do_not_exist_or_cannot_apply(monkeypatch):
    iso_e = [row[1] for row in ENDPOINTS if row[4] is None]
    if iso_e:
        with pytest.raises(ValueError):
            connect_to_region(iso_e[0], use_dualstack_endpoint=True)
    with pytest.raises(ValueError):
        ELBConnection(region=RegionInfo(name="local", endpoint="127.0.0.1:5000"), use_fips_endpoint=True)
    with pytest.raises(ValueError):
        connect_to_region("us-east-1", use_fips_endpoint=True, endpoint_url="http://127.0.0.1:5000")
    monkeypatch.setenv("AWS_USE_FIPS_ENDPOINT", "maybe")
    with pytest.raises(ValueError):
        connect_to_region("us-east-1")


def test_default_region(monkeypatch, tmp_path):
    assert boto_elb_c.connect_elb().region.name == "us-east-1"
    cfg = tmp_path / "boto.cfg"
    cfg.write_text("[Boto]\nelb_region_name = ap-south-1\n")
    monkeypatch.setenv("BOTO_CONFIG", str(cfg))
    assert boto_elb_c.connect_elb().host == "elasticloadbalancing.ap-south-1.amazonaws.com"
    monkeypatch.setenv("AWS_REGION", "eu-west-2")
    assert boto_elb_c.connect_elb().region.name == "eu-west-2"
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ca-central-1")
    assert boto_elb_c.connect_elb().host == "elasticloadbalancing.ca-central-1.amazonaws.com"
    reg = RegionInfo(name="sa-east-1", endpoint="elasticloadbalancing.sa-east-1.amazonaws.com")
    assert boto_elb_c.connect_elb(region=reg).region is reg
    monkeypatch.setenv("AWS_DEFAULT_REGION", "xx-nowhere-1")
    with pytest.raises(ValueError):
        boto_elb_c.connect_elb()


def test_boto_endpoints_file_and_heuristics(monkeypatch, tmp_path):
    assert connect_to_region("local-1") is None
    path = tmp_path / "endpoints.json"
    path.write_text(json.dumps({"elasticloadbalancing": {"local-1": "127.0.0.1"}}))
    monkeypatch.setenv("BOTO_ENDPOINTS", str(path))
    conn = connect_to_region("local-1")
    assert conn.host == "127.0.0.1" and conn.auth_region_name == "local-1"
    assert regions()[-1].name == "local-1"
    assert connect_to_region("xx-future-1") is None
    monkeypatch.setenv("BOTO_USE_ENDPOINT_HEURISTICS", "true")
    assert connect_to_region("xx-future-1").host == "elasticloadbalancing.xx-future-1.amazonaws.com"
    assert connect_to_region("cn-future-1").host == "elasticloadbalancing.cn-future-1.amazonaws.com.cn"
