"""SigV2 (HmacSHA256 parameters in the form body, as boto 2.3.0 signed ELB): ext/sigv2.c against a reference
written here with Python's hmac/hashlib/base64/urllib.parse, AWS's published example, the Signer's
signature_version, and the request on the wire (a capture server: the SigV2 parameters in the body, no
Authorization header). moto cannot check SigV2 (it routes requests without an Authorization header to S3), so
the server here checks the signature itself."""
import base64
import calendar
import hashlib
import hmac
import inspect
import random
import string
import time
from urllib.parse import parse_qsl, quote

import pytest

import boto_elb_c
from boto_elb_c import _core
from boto_elb_c.connection import AWSQueryConnection
from boto_elb_c.exception import BotoServerError
from servers import Reply

AUTH_NAMES = ("AWSAccessKeyId", "SignatureMethod", "SignatureVersion", "Timestamp", "SecurityToken", "Signature")


# --- the reference: AWS's SigV2 steps, in Python ---------------------------------------------------------------


def reference(method, host, path, body, access_key, secret_key, timestamp, token=None):
    """(canonical query, string to sign, signature) as the SigV2 documentation describes them."""
    # every parameter of the form body, decoded to bytes (latin-1 maps each byte to one char and back)
    params = [(k.encode("latin-1"), v.encode("latin-1"))
              for k, v in parse_qsl(body.decode("latin-1"), keep_blank_values=True, encoding="latin-1")]
    auth = [("AWSAccessKeyId", access_key), ("SignatureMethod", "HmacSHA256"), ("SignatureVersion", "2"),
            ("Timestamp", timestamp)]
    if token is not None:
        auth.append(("SecurityToken", token))
    params += [(k.encode("utf-8"), v.encode("utf-8")) for k, v in auth]
    # RFC 3986 (unreserved kept, the rest %XX upper case), sorted by the encoded name in byte order
    encoded = sorted((quote(k, safe="-_.~"), quote(v, safe="-_.~")) for k, v in params)
    canonical = "&".join("%s=%s" % kv for kv in encoded)
    sts = "%s\n%s\n%s\n%s" % (method, host.lower(), path, canonical)
    sig = base64.b64encode(hmac.new(secret_key.encode("utf-8"), sts.encode("utf-8"), hashlib.sha256).digest())
    return canonical, sts, sig.decode("ascii")


def sigv2_timestamp(unix_time):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(unix_time))


def split_body(body):
    """(the request's own form body, {auth parameter: value}, order of the auth names) of a signed body."""
    pairs = parse_qsl(body.decode("ascii"), keep_blank_values=True)
    auth = [(k, v) for k, v in pairs if k in AUTH_NAMES]
    n_own = len(pairs) - len(auth)
    own = body.split(b"&")[:n_own] if n_own else []
    return b"&".join(own), dict(auth), [k for k, _ in auth]


# --- known answer ---------------------------------------------------------------------------------------------


def test_aws_published_example():
    # AWS General Reference, "Signature Version 2 signing process" (a GET; its Timestamp has no Z)
    out = _core._sigv2_sign("GET", "elasticmapreduce.amazonaws.com", "/",
                            b"Action=DescribeJobFlows&Version=2009-03-31", "AKIAIOSFODNN7EXAMPLE",
                            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "2011-10-03T15:19:30")
    assert out["string_to_sign"] == (
        "GET\nelasticmapreduce.amazonaws.com\n/\n"
        "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Action=DescribeJobFlows&SignatureMethod=HmacSHA256"
        "&SignatureVersion=2&Timestamp=2011-10-03T15%3A19%3A30&Version=2009-03-31")
    assert out["signature"] == "i91nKc4PWAt0JJIdXwz9HxZCJDdiy6cf/Mj6vPxyYIs="
    assert out["auth_params"] == ("AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&SignatureMethod=HmacSHA256"
                                  "&SignatureVersion=2&Timestamp=2011-10-03T15%3A19%3A30"
                                  "&Signature=i91nKc4PWAt0JJIdXwz9HxZCJDdiy6cf%2FMj6vPxyYIs%3D")


# --- the stages against the reference -------------------------------------------------------------------------

TEXT = string.ascii_letters + string.digits + "-._~" + " !\"#$%&'()*+,/:;<=>?@[\\]^`{|}" + "é中😀\t\n"


def rand_text(rng, lo, hi):
    return "".join(rng.choices(TEXT, k=rng.randint(lo, hi)))


def rand_params(rng):
    pairs = [("Action", "DescribeLoadBalancers"), ("Version", "2012-06-01")]
    for _ in range(rng.randint(0, 8)):
        key = rand_text(rng, 1, 12)
        pairs.append((key, rand_text(rng, 0, 40) if rng.random() > 0.02 else rand_text(rng, 1000, 3000)))
        if rng.random() < 0.1:
            pairs.append((key, rand_text(rng, 0, 5)))  # repeated name
    return pairs


def test_stages_match_the_reference_on_generated_bodies():
    rng = random.Random(2)
    for _ in range(2000):
        body = _core.encode_form(rand_params(rng))
        host = rng.choice(["elasticloadbalancing.us-east-1.amazonaws.com",
                           "ElasticLoadBalancing.EU-West-1.AmazonAWS.com", "127.0.0.1:%d" % rng.randint(1, 65535),
                           "[::1]:8443", "localhost"])
        ak = "AKIA" + "".join(rng.choices(string.ascii_uppercase + string.digits, k=16))
        sk = "".join(rng.choices(string.ascii_letters + string.digits + "+/", k=40)) + rng.choice(["", "é"])
        ts = sigv2_timestamp(rng.randint(0, 2 ** 31 - 1))
        token = None if rng.random() < 0.5 else "".join(rng.choices(string.ascii_letters + "+/=", k=200))
        out = _core._sigv2_sign("POST", host, "/", body, ak, sk, ts, token)
        canonical, sts, sig = reference("POST", host, "/", body, ak, sk, ts, token)
        assert (out["canonical_query"], out["string_to_sign"], out["signature"]) == (canonical, sts, sig), body
        expected_params = [("AWSAccessKeyId", ak), ("SignatureMethod", "HmacSHA256"), ("SignatureVersion", "2"),
                           ("Timestamp", ts)] + ([("SecurityToken", token)] if token else []) + [("Signature", sig)]
        assert parse_qsl(out["auth_params"], keep_blank_values=True) == expected_params


@pytest.mark.parametrize("body, canonical_part", [
    (b"", ""),
    (b"a=b+c", "a=b%20c"),  # '+' in a form is a space
    (b"a=b%2Bc", "a=b%2Bc"),
    (b"a=%7e", "a=~"),  # decoded, then encoded again: unreserved stays
    (b"flag&x=", "flag=&x="),  # no '=': an empty value
    (b"a=1&&b=2&", "a=1&b=2"),  # empty pieces are nothing
    (b"k%2Fz=caf%C3%A9", "k%2Fz=caf%C3%A9"),
    (b"b=2&a=2&a=1", "a=1&a=2&b=2"),  # a repeated name: by value
    (b"Z=1&a=1&%5F=1", "Z=1&_=1&a=1"),  # byte order of the encoded name: 'Z' < '_' < 'a'
    (b"a=%FF%00", "a=%FF%00"),  # any byte
])
def test_canonical_query_details(body, canonical_part):
    out = _core._sigv2_sign("POST", "h", "/", body, "AK", "SK", "2020-01-02T03:04:05Z")
    canonical, sts, sig = reference("POST", "h", "/", body, "AK", "SK", "2020-01-02T03:04:05Z")
    assert out["canonical_query"] == canonical and out["signature"] == sig
    own = [p for p in canonical.split("&") if p.split("=")[0] not in AUTH_NAMES]
    assert "&".join(own) == canonical_part


def test_host_is_lower_cased_and_keeps_its_port():
    out = _core._sigv2_sign("POST", "ELB.Example.COM:8080", "/", b"a=b", "AK", "SK", "2020-01-02T03:04:05Z")
    assert out["string_to_sign"].startswith("POST\nelb.example.com:8080\n/\n")


# --- the Signer -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("token", [None, "FQoGZXIvYXdzE/+=token"])
def test_signer_v2_signs_in_the_body(token):
    signer = _core.Signer("AKIDEXAMPLE", "secret/+=key", token, region="eu-west-1", signature_version=2)
    assert signer.signature_version == 2
    body = _core.encode_form({"Action": "DescribeLoadBalancers", "Version": "2012-06-01",
                              "LoadBalancerNames.member.1": "a b/c~é"})
    ts = 1700000000
    signed, headers = signer.sign_post("elasticloadbalancing.eu-west-1.amazonaws.com", body, ts)
    assert headers == {}
    assert signed.startswith(body + b"&AWSAccessKeyId=AKIDEXAMPLE&SignatureMethod=HmacSHA256&SignatureVersion=2"
                             b"&Timestamp=2023-11-14T22%3A13%3A20Z&")
    own, auth, names = split_body(signed)
    assert own == body
    assert names == [n for n in AUTH_NAMES if token or n != "SecurityToken"]  # the Signature comes last
    assert auth.get("SecurityToken") == token
    _, _, sig = reference("POST", "elasticloadbalancing.eu-west-1.amazonaws.com", "/", body, "AKIDEXAMPLE",
                          "secret/+=key", "2023-11-14T22:13:20Z", token)
    assert auth["Signature"] == sig


def test_signer_v2_empty_body():
    signer = _core.Signer("AK", "SK", region="us-east-1", signature_version=2)
    signed, _ = signer.sign_post("h", b"", 0)
    assert signed.startswith(b"AWSAccessKeyId=AK&")  # no leading '&'


def test_signer_version_argument():
    assert _core.Signer("AK", "SK", region="r").signature_version == 4
    assert _core.Signer("AK", "SK", region="r", signature_version=None).signature_version == 4
    assert _core.Signer("AK", "SK", region="r", signature_version=4).signature_version == 4
    v2 = _core.Signer("AK", "SK", region="r", signature_version=2)
    assert v2.with_scope("eu-west-1").signature_version == 2
    for bad in (1, 3, 5, 0, -2):
        with pytest.raises(ValueError, match="2 or 4"):
            _core.Signer("AK", "SK", region="r", signature_version=bad)
    for bad in ("2", 2.0, True):
        with pytest.raises(TypeError):
            _core.Signer("AK", "SK", region="r", signature_version=bad)


def test_sign_query_post_refuses_v2_and_sign_post_works_for_v4():
    v2 = _core.Signer("AK", "SK", region="r", signature_version=2)
    with pytest.raises(ValueError, match="sign_post"):
        v2.sign_query_post("h", b"a=b", 0)
    v4 = _core.Signer("AK", "SK", region="r")
    body, headers = v4.sign_post("h", b"a=b", 0)
    assert body == b"a=b" and headers == v4.sign_query_post("h", b"a=b", 0)


def test_repr_names_the_version_but_not_the_secret():
    r = repr(_core.Signer("AK", "the-secret", "the-token", region="r", signature_version=2))
    assert "SigV2" in r and "the-secret" not in r and "the-token" not in r
    assert "SigV2" not in repr(_core.Signer("AK", "SK", region="r"))


# --- on the wire ----------------------------------------------------------------------------------------------


def sigv2_checker(secret):
    """A responder that verifies SigV2 as a service would: 403 SignatureDoesNotMatch unless it holds."""

    def respond(req):
        own, auth, _ = split_body(req.body)
        _, _, sig = reference("POST", req.header("Host"), req.path, own, auth.get("AWSAccessKeyId", ""), secret,
                              auth.get("Timestamp", ""), auth.get("SecurityToken"))
        if not hmac.compare_digest(sig, auth.get("Signature", "")):
            return Reply(403, b"<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>no</Message>"
                              b"</Error></ErrorResponse>")
        return None

    return respond


class QueryConn(AWSQueryConnection):
    """The generic connection, as ELBConnection builds on it (which does not pass signature_version yet)."""

    APIVersion = "2012-06-01"
    SigningService = "elasticloadbalancing"
    EndpointEnvName = "ELASTIC_LOAD_BALANCING"


def _check_v2_request(req, token):
    assert req.method == "POST" and req.path == "/"
    assert req.header("Authorization") is None
    assert req.header("X-Amz-Date") is None and req.header("X-Amz-Security-Token") is None
    assert req.header("Content-Type") == "application/x-www-form-urlencoded; charset=utf-8"
    own, auth, names = split_body(req.body)
    assert names == [n for n in AUTH_NAMES if token or n != "SecurityToken"]
    assert auth["SignatureMethod"] == "HmacSHA256" and auth["SignatureVersion"] == "2"
    assert auth.get("SecurityToken") == token
    sent = calendar.timegm(time.strptime(auth["Timestamp"], "%Y-%m-%dT%H:%M:%SZ"))
    assert abs(sent - time.time()) < 60
    return own


@pytest.mark.parametrize("token", [None, "TOKEN/+= é"])
def test_keyword_sends_sigv2_parameters_in_the_body(canned, token):
    server = canned(sigv2_checker("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"))
    conn = QueryConn("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", security_token=token,
                     endpoint_url=server.endpoint, signature_version=2)
    assert conn.signature_version == 2
    resp = conn.make_request("DescribeLoadBalancers", {"LoadBalancerNames.member.1": "a b", "X": "c/d:é"})
    assert resp.status == 200  # the server checked the signature
    (req,) = server.requests
    own = _check_v2_request(req, token)
    assert own == b"Action=DescribeLoadBalancers&Version=2012-06-01&LoadBalancerNames.member.1=a+b&X=c%2Fd%3A%C3%A9"
    assert req.header("Host") == "127.0.0.1:%d" % server.port


def _write_config(tmp_path, text):
    (tmp_path / "no-boto-config").write_text(text)  # the file BOTO_CONFIG names (tests/conftest.py)


@pytest.mark.parametrize("token", [None, "TOKEN/+="])
def test_config_key_switches_elb_to_sigv2(canned, tmp_path, token):
    _write_config(tmp_path, "[Boto]\nelb_signature_version = 2\n")
    server = canned(sigv2_checker("SK"))
    conn = boto_elb_c.connect_elb("AK", "SK", security_token=token, endpoint_url=server.endpoint)
    assert conn.signature_version == 2
    assert conn.get_all_load_balancers(load_balancer_names=["a b", "c/d"]) == []
    (req,) = server.requests
    own = _check_v2_request(req, token)
    assert own == (b"Action=DescribeLoadBalancers&Version=2012-06-01&LoadBalancerNames.member.1=a+b"
                   b"&LoadBalancerNames.member.2=c%2Fd")


def test_a_wrong_sigv2_secret_is_refused_by_the_checking_server(canned, tmp_path):
    _write_config(tmp_path, "[Boto]\nelb_signature_version = 2\n")
    server = canned(sigv2_checker("the-right-secret"))
    conn = boto_elb_c.connect_elb("AK", "a-wrong-secret", endpoint_url=server.endpoint)
    with pytest.raises(BotoServerError) as e:
        conn.get_all_load_balancers()
    assert e.value.status == 403 and e.value.error_code == "SignatureDoesNotMatch"
    assert len(server.requests) == 1  # its Date header agrees with our clock: not a clock problem, no retry


def test_credentials_found_later_get_the_version_too(canned, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "SKENV")
    server = canned(sigv2_checker("SKENV"))
    conn = QueryConn(endpoint_url=server.endpoint, signature_version=2)
    assert conn.make_request("DescribeLoadBalancers").status == 200
    assert split_body(server.requests[0].body)[1]["AWSAccessKeyId"] == "AKENV"


def test_the_version_survives_a_change_of_signing_region(canned):
    server = canned(sigv2_checker("SK"))
    conn = QueryConn("AK", "SK", endpoint_url=server.endpoint, signature_version=2)
    conn.auth_region_name = "eu-west-1"
    assert conn.make_request("DescribeLoadBalancers").status == 200
    assert server.requests[0].header("Authorization") is None


def test_default_and_precedence(tmp_path, canned):
    server = canned()
    assert QueryConn("AK", "SK", endpoint_url=server.endpoint).signature_version == 4
    _write_config(tmp_path, "[Boto]\nelb_signature_version = 2\n")
    assert QueryConn("AK", "SK", endpoint_url=server.endpoint).signature_version == 2
    assert QueryConn("AK", "SK", endpoint_url=server.endpoint, signature_version=4).signature_version == 4
    conn = QueryConn("AK", "SK", endpoint_url=server.endpoint, signature_version="4")
    conn.make_request("DescribeLoadBalancers")
    assert server.requests[-1].header("Authorization").startswith("AWS4-HMAC-SHA256 ")
    _write_config(tmp_path, "[Boto]\nelb_signature_version = v4\n")
    assert QueryConn("AK", "SK", endpoint_url=server.endpoint).signature_version == 4


@pytest.mark.parametrize("value", ["3", "two", ""])
def test_a_bad_config_value_is_an_error_that_names_the_key(tmp_path, value):
    _write_config(tmp_path, "[Boto]\nelb_signature_version = %s\n" % value)
    with pytest.raises(ValueError, match=r"\[Boto\] elb_signature_version must be 2 or 4"):
        boto_elb_c.connect_elb("AK", "SK", endpoint_url="http://127.0.0.1:9")


@pytest.mark.parametrize("value", [3, "x", True])
def test_a_bad_keyword_value_is_an_error(value):
    with pytest.raises(ValueError, match="signature_version must be 2 or 4"):
        QueryConn("AK", "SK", endpoint_url="http://127.0.0.1:9", signature_version=value)


def test_connect_elb_keyword_once_elbconnection_passes_it_on(canned):
    from boto_elb_c.ec2.elb import ELBConnection

    if "signature_version" not in inspect.signature(ELBConnection.__init__).parameters:
        pytest.skip("ELBConnection does not pass signature_version on to AWSQueryConnection yet")
    server = canned(sigv2_checker("SK"))
    conn = boto_elb_c.connect_elb("AK", "SK", endpoint_url=server.endpoint, signature_version=2)
    assert conn.get_all_load_balancers() == []
    _check_v2_request(server.requests[0], None)
