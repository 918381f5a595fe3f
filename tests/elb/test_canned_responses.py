"""Answers moto cannot give, from a local server of ours that answers as the API model says: account limits,
every modelled error code, throttling, and the broken answers a client meets (HTML 500s, empty 200s)."""
import pytest

import boto_elb_c
from boto_elb_c.ec2.elb import errors
from boto_elb_c.ec2.elb.limits import AccountLimit
from boto_elb_c.exception import BotoServerError
from model import error_codes, error_xml, response_xml
from servers import Reply


def connect(server):
    conn = boto_elb_c.connect_elb("AK", "SK", endpoint_url=server.endpoint)
    conn.retry_base_delay = 0.001  # 5xx and throttling answers are retried: keep the backoff short
    return conn


def test_describe_account_limits(canned):
    output = {"Limits": [{"Name": "classic-load-balancers", "Max": "20"}, {"Name": "classic-listeners", "Max": "100"},
                         {"Name": "classic-registered-instances", "Max": "1000"}], "NextMarker": "page-2"}
    server = canned(lambda req: Reply(body=response_xml("DescribeAccountLimits", output)))
    limits = connect(server).describe_account_limits()
    assert all(isinstance(l, AccountLimit) for l in limits)
    assert [(l.name, l.max, l.max_value) for l in limits] == [
        ("classic-load-balancers", "20", 20), ("classic-listeners", "100", 100),
        ("classic-registered-instances", "1000", 1000)]
    assert limits.next_marker == "page-2" and limits.request_id == "model-request-id"
    assert repr(limits[0]) == "AccountLimit(classic-load-balancers, 20)"


def test_describe_policy_types_with_all_fields(canned):
    output = {"PolicyTypeDescriptions": [{
        "PolicyTypeName": "SSLNegotiationPolicyType", "Description": "Listener policy that defines the ciphers",
        "PolicyAttributeTypeDescriptions": [
            {"AttributeName": "Protocol-TLSv1.2", "AttributeType": "Boolean", "Description": "TLS 1.2",
             "DefaultValue": "true", "Cardinality": "ZERO_OR_ONE"},
            {"AttributeName": "Reference-Security-Policy", "AttributeType": "String", "Cardinality": "ZERO_OR_ONE"}]}]}
    server = canned(lambda req: Reply(body=response_xml("DescribeLoadBalancerPolicyTypes", output)))
    (t,) = connect(server).describe_lb_policy_types()
    assert repr(t) == "PolicyTypeDescription(SSLNegotiationPolicyType)"
    assert t.description == "Listener policy that defines the ciphers"
    assert [(a.attribute_name, a.attribute_type, a.default_value, a.cardinality, a.description)
            for a in t.attribute_types] == [
        ("Protocol-TLSv1.2", "Boolean", "true", "ZERO_OR_ONE", "TLS 1.2"),
        ("Reference-Security-Policy", "String", None, "ZERO_OR_ONE", None)]


@pytest.mark.parametrize("code, status, shape", error_codes())
def test_every_modelled_error(canned, code, status, shape):
    server = canned(lambda req: Reply(status=status, body=error_xml(code, "it went wrong: <%s>" % code)))
    with pytest.raises(BotoServerError) as info:
        connect(server).get_all_load_balancers()
    e = info.value
    assert (e.status, e.error_code, e.error_message, e.request_id) == (
        status, code, "it went wrong: <%s>" % code, "model-error-id")
    assert type(e) is getattr(errors, code)
    assert isinstance(e, getattr(errors, shape)) and isinstance(e, errors.ELBResponseError)


def test_throttling_and_unknown_codes(canned):
    server = canned(lambda req: Reply(status=400, body=error_xml("Throttling", "Rate exceeded")))
    with pytest.raises(errors.Throttling) as info:
        connect(server).get_all_load_balancers()
    assert info.value.error_code == "Throttling"
    server = canned(lambda req: Reply(status=400, body=error_xml("SomethingNew", "x")))
    with pytest.raises(BotoServerError) as info:
        connect(server).get_all_load_balancers()
    assert type(info.value) is BotoServerError and info.value.error_code == "SomethingNew"


def test_html_error_page(canned):
    page = b"<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n"
    server = canned(lambda req: Reply(status=500, body=page, headers=[("Content-Type", "text/html"),
                                                                       ("x-amzn-RequestId", "hdr-id")]))
    with pytest.raises(BotoServerError) as info:
        connect(server).get_all_load_balancers()
    e = info.value
    assert (e.status, e.error_code, e.body, e.request_id) == (500, None, page.decode(), "hdr-id")
    assert str(e).startswith("BotoServerError: 500 Internal Server Error\n<!doctype html>")


def test_empty_200_is_an_error(canned):
    server = canned(lambda req: Reply(status=200, body=b""))
    with pytest.raises(BotoServerError) as info:
        connect(server).get_all_load_balancers()
    assert info.value.status == 200 and info.value.body == ""


def test_missing_load_balancer_on_moto_is_an_html_500(conn):
    # moto answers several actions on an unknown load balancer with its HTML error page (moto-peer.md)
    with pytest.raises(BotoServerError) as info:
        conn.get_all_lb_attributes("nope")
    assert info.value.status == 500 and info.value.error_code is None and "<html" in info.value.body.lower()
