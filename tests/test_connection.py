"""Connections: endpoints, the endpoint override, regions, the boto config, and credentials found lazily."""
import os

import pytest

import boto_elb_c
from boto_elb_c.ec2.elb import ELBConnection, RegionData, connect_to_region, regions
from boto_elb_c.exception import NoAuthHandlerFound, ProfileNotFoundError
from boto_elb_c.regioninfo import RegionInfo
from servers import CannedServer


def scope_of(request):
    cred = request.header("Authorization").split("Credential=")[1].split(",")[0]
    return cred.split("/")[2], cred.split("/")[3]


def test_default_connection():
    conn = boto_elb_c.connect_elb("AK", "SK")
    assert repr(conn) == "ELBConnection:elasticloadbalancing.us-east-1.amazonaws.com"
    assert (conn.host, conn.port, conn.is_secure, conn.protocol, conn.path) == (
        "elasticloadbalancing.us-east-1.amazonaws.com", 443, True, "https", "/")
    assert repr(conn.region) == "RegionInfo:us-east-1"
    assert conn.region.connection is conn
    assert (conn.auth_region_name, conn.auth_service_name) == ("us-east-1", "elasticloadbalancing")
    assert conn.APIVersion == "2012-06-01" and conn.aws_access_key_id == "AK"


def test_connect_to_region():
    conn = connect_to_region("us-east-1", aws_access_key_id="foo", aws_secret_access_key="bar")
    assert isinstance(conn, ELBConnection) and conn.host == "elasticloadbalancing.us-east-1.amazonaws.com"
    assert connect_to_region("cn-north-1").host == "elasticloadbalancing.cn-north-1.amazonaws.com.cn"
    assert connect_to_region("xx-fake-1") is None


def test_regions():
    rs = regions()
    names = [r.name for r in rs]
    assert len(names) == len(set(names)) >= 40
    for expected in ("us-east-1", "eu-west-1", "ap-northeast-1", "cn-north-1", "us-gov-west-1", "us-gov-east-1",
                     "eu-west-3", "eu-north-1"):
        assert expected in names
    assert all(repr(r) == "RegionInfo:" + r.name and r.connection_cls is ELBConnection for r in rs)
    assert RegionData["eu-west-1"] == "elasticloadbalancing.eu-west-1.amazonaws.com"
    assert [r.name for r in regions()] == names  # stable order (boto's depended on the hash seed)
    conn = rs[-1].connect()
    assert isinstance(conn, ELBConnection) and conn.region is rs[-1]


def test_hand_made_regioninfo():
    reg = RegionInfo(name="eu-west-1", endpoint="elasticloadbalancing.eu-west-1.amazonaws.com")
    assert reg.connect() is None  # as boto: no connection class
    conn = boto_elb_c.connect_elb("AK", "SK", region=reg)
    assert conn.host == "elasticloadbalancing.eu-west-1.amazonaws.com" and conn.auth_region_name == "eu-west-1"


def test_endpoint_with_port_and_scheme():
    conn = boto_elb_c.connect_elb("AK", "SK", region=RegionInfo(name="local", endpoint="127.0.0.1:8123"),
                                  is_secure=False)
    assert (conn.host, conn.port, conn._url) == ("127.0.0.1", 8123, "http://127.0.0.1:8123/")
    conn = boto_elb_c.connect_elb("AK", "SK", region=RegionInfo(name="local", endpoint="http://[::1]:8124"))
    assert conn._url == "http://[::1]:8124/"


def test_boto_config_region(tmp_path, monkeypatch):
    cfg = tmp_path / "boto.cfg"
    cfg.write_text("[Boto]\nelb_region_name = eu-west-1\nelb_region_endpoint = "
                   "elasticloadbalancing.eu-west-1.amazonaws.com\n")
    monkeypatch.setenv("BOTO_CONFIG", str(cfg))
    conn = boto_elb_c.connect_elb("AK", "SK")
    assert repr(conn.region) == "RegionInfo:eu-west-1"
    assert conn.host == "elasticloadbalancing.eu-west-1.amazonaws.com" and conn.auth_region_name == "eu-west-1"
    assert boto_elb_c.config.get("Boto", "elb_region_name") == "eu-west-1"


def test_boto_config_search_order(tmp_path, monkeypatch):
    monkeypatch.delenv("BOTO_CONFIG")
    home = tmp_path / "home"
    (home / ".boto").write_text("[Boto]\nelb_region_name = ap-northeast-1\n")
    assert boto_elb_c.connect_elb("AK", "SK").host == "elasticloadbalancing.ap-northeast-1.amazonaws.com"
    other = tmp_path / "other.cfg"
    other.write_text("[Boto]\nelb_region_name = sa-east-1\n")
    monkeypatch.setenv("BOTO_PATH", str(other))
    assert boto_elb_c.connect_elb("AK", "SK").host == "elasticloadbalancing.sa-east-1.amazonaws.com"


def test_endpoint_override_precedence(monkeypatch):
    with CannedServer() as a, CannedServer() as b, CannedServer() as c:
        monkeypatch.setenv("AWS_ENDPOINT_URL", a.endpoint)
        boto_elb_c.connect_elb("AK", "SK").get_all_load_balancers()
        monkeypatch.setenv("AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING", b.endpoint)
        boto_elb_c.connect_elb("AK", "SK").get_all_load_balancers()
        boto_elb_c.connect_elb("AK", "SK", endpoint_url=c.endpoint).get_all_load_balancers()
        assert (len(a.requests), len(b.requests), len(c.requests)) == (1, 1, 1)
        monkeypatch.setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")
        assert boto_elb_c.connect_elb("AK", "SK").host == "elasticloadbalancing.us-east-1.amazonaws.com"


def test_override_keeps_the_regions_scope_whatever_the_region(monkeypatch):
    with CannedServer() as server:
        monkeypatch.setenv("AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING", server.endpoint)
        for conn in (connect_to_region("ap-southeast-2"), regions()[0].connect(),
                     boto_elb_c.connect_elb(region=RegionInfo(name="eu-west-1",
                                                              endpoint="elasticloadbalancing.eu-west-1.amazonaws.com"))):
            conn = ELBConnection("AK", "SK", region=conn.region)
            conn.get_all_load_balancers()
        assert [scope_of(r) for r in server.requests] == [
            ("ap-southeast-2", "elasticloadbalancing"), (regions()[0].name, "elasticloadbalancing"),
            ("eu-west-1", "elasticloadbalancing")]


def test_bad_endpoint_url():
    with pytest.raises(ValueError):
        boto_elb_c.connect_elb("AK", "SK", endpoint_url="127.0.0.1:5000")
    with pytest.raises(ValueError):
        boto_elb_c.connect_elb("AK", "SK", endpoint_url="ftp://127.0.0.1/")


def test_half_credentials_are_an_error():
    with pytest.raises(ValueError):
        boto_elb_c.connect_elb("AK", None)


def test_credentials_are_looked_up_at_the_first_request(tmp_path):
    conn = connect_to_region("eu-west-1")  # no credentials anywhere: creating the connection still works
    assert conn is not None and conn.aws_access_key_id is None
    with pytest.raises(NoAuthHandlerFound) as info:
        conn.get_all_load_balancers()
    message = str(info.value)
    assert "AWS_ACCESS_KEY_ID" in message and ".aws/credentials" in message and "[Credentials]" in message


def test_credentials_from_environment(monkeypatch):
    with CannedServer() as server:
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "ENVKEY")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "ENVSECRET")
        monkeypatch.setenv("AWS_SECURITY_TOKEN", "ENVTOKEN")
        boto_elb_c.connect_elb(endpoint_url=server.endpoint).get_all_load_balancers()
        req = server.requests[0]
        assert "Credential=ENVKEY/" in req.header("Authorization")
        assert req.header("X-Amz-Security-Token") == "ENVTOKEN"


def test_credentials_from_files(tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / ".aws").mkdir()
    (home / ".aws" / "credentials").write_text("[default]\naws_access_key_id = FILEKEY\naws_secret_access_key = S\n"
                                               "[dev]\naws_access_key_id = DEVKEY\naws_secret_access_key = S2\n"
                                               "aws_session_token = DEVTOKEN\n")
    cfg = tmp_path / "boto.cfg"
    cfg.write_text("[Credentials]\naws_access_key_id = BOTOKEY\naws_secret_access_key = B\n")
    monkeypatch.setenv("BOTO_CONFIG", str(cfg))
    with CannedServer() as server:
        boto_elb_c.connect_elb(endpoint_url=server.endpoint).get_all_load_balancers()
        boto_elb_c.connect_elb(endpoint_url=server.endpoint, profile_name="dev").get_all_load_balancers()
        monkeypatch.setenv("AWS_PROFILE", "dev")
        boto_elb_c.connect_elb(endpoint_url=server.endpoint).get_all_load_balancers()
        monkeypatch.delenv("AWS_PROFILE")
        (home / ".aws" / "credentials").unlink()
        boto_elb_c.connect_elb(endpoint_url=server.endpoint).get_all_load_balancers()
        keys = [r.header("Authorization").split("Credential=")[1].split("/")[0] for r in server.requests]
        assert keys == ["FILEKEY", "DEVKEY", "DEVKEY", "BOTOKEY"]
        assert server.requests[1].header("X-Amz-Security-Token") == "DEVTOKEN"
    with pytest.raises(ProfileNotFoundError):
        boto_elb_c.connect_elb(profile_name="missing").get_all_load_balancers()


def test_secrets_are_nowhere_in_python_objects():
    secret, token = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "SESSIONTOKENVALUE"
    conn = boto_elb_c.connect_elb("AKID", secret, security_token=token)
    seen = [repr(conn), str(vars(conn)), repr(conn._signer), repr(conn.region)]
    assert not any(secret in s or token in s for s in seen)
    assert not hasattr(conn, "aws_secret_access_key")


def test_import_and_connect_load_little_of_the_standard_library(tmp_path):
    """With no boto config file, import + connect_elb() leave configparser, re, urllib, threading, datetime and
    logging unimported (they are loaded when a config file, an endpoint URL, a proxy or logging needs them)."""
    import subprocess
    import sys

    code = ("import sys\nimport boto_elb_c\nc = boto_elb_c.connect_elb('AK', 'SK')\n"
            "print(' '.join(m for m in ('configparser', 're', 'urllib.parse', 'threading', 'datetime', 'logging',"
            " 'email.utils') if m in sys.modules))\n")
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "BOTO_CONFIG": str(tmp_path / "none")}
    # under tests/tools/sanitize.sh the ASan runtime must stay preloaded in the child
    env.update({k: v for k, v in os.environ.items() if k in ("LD_PRELOAD", "ASAN_OPTIONS", "UBSAN_OPTIONS",
                                                             "LSAN_OPTIONS")})

    def run(code):
        proc = subprocess.run([sys.executable, "-I", "-c", code], cwd=str(tmp_path), env=env, capture_output=True,
                              text=True)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout.strip()

    out = run(code)
    assert out == ""
    # and a config file brings configparser in, and is honoured
    (tmp_path / "cfg").write_text("[Boto]\nelb_region_name = eu-west-1\n")
    env["BOTO_CONFIG"] = str(tmp_path / "cfg")
    code = ("import sys\nimport boto_elb_c\nc = boto_elb_c.connect_elb('AK', 'SK')\n"
            "print(c.region.name, 'configparser' in sys.modules)\n")
    out = run(code)
    assert out == "eu-west-1 True"
