"""The XML side of the C core: the safe parse (ext/saxtape.c) and the shape-driven builder (ext/xml.c)."""
import pytest

import boto_elb_c.ec2.elb  # noqa: F401  (installs the shape table)
from boto_elb_c import _core
from boto_elb_c.ec2.elb import _shapes
from boto_elb_c.ec2.elb.loadbalancer import LoadBalancer
from boto_elb_c.exception import BotoServerError, ResponseParseError
from boto_elb_c.resultset import ResultSet

NS = 'xmlns="http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/"'


def parse_lbs(xml):
    rs = ResultSet([("member", LoadBalancer)])
    return _core.parse(xml.encode() if isinstance(xml, str) else xml, rs, _shapes.INDEX["ResultSet[LoadBalancer]"],
                       "CONN")


def describe(inner, extra=""):
    return ("<DescribeLoadBalancersResponse %s><DescribeLoadBalancersResult><LoadBalancerDescriptions>%s"
            "</LoadBalancerDescriptions>%s</DescribeLoadBalancersResult><ResponseMetadata><RequestId>rid</RequestId>"
            "</ResponseMetadata></DescribeLoadBalancersResponse>" % (NS, inner, extra))


def test_events():
    assert _core._xml_events(b"<a><b>x &amp; y</b><c><![CDATA[<z>]]></c><d/></a>") == [
        ("start", "a"), ("start", "b"), ("leaf", "x & y"), ("start", "c"), ("leaf", "<z>"), ("start", "d"),
        ("leaf", ""), ("end", None)]


@pytest.mark.parametrize("doc, message", [
    (b'<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', "DTD"),
    (b'<!DOCTYPE a SYSTEM "file:///etc/passwd"><a/>', "DTD"),
    (b"<a>&x;</a>", "Entity 'x' not defined"),
    (b"<a><b></a>", "mismatch"),
    (b"", "empty"),
    (b"   ", ""),
    (b"<a>\xff</a>", "UTF-8"),
    (b"<html><body>oops", ""),
    (b"not xml at all", ""),
])
def test_rejected_documents(doc, message):
    with pytest.raises(ValueError) as info:
        _core._xml_events(doc)
    assert message in str(info.value)


def test_deep_nesting_is_bounded():
    depth = 100000
    doc = b"<a>" * depth + b"</a>" * depth
    with pytest.raises(ValueError):
        _core._xml_events(doc)


def test_parse_whole_load_balancer():
    xml = describe(
        "<member><LoadBalancerName>lb1</LoadBalancerName><DNSName>lb1.example</DNSName>"
        "<CanonicalHostedZoneNameID>Z3DZXE0Q79N41H</CanonicalHostedZoneNameID>"
        "<ListenerDescriptions><member><Listener><Protocol>HTTPS</Protocol><LoadBalancerPort>443</LoadBalancerPort>"
        "<InstanceProtocol>HTTP</InstanceProtocol><InstancePort>80</InstancePort>"
        "<SSLCertificateId>arn:aws:iam::1:server-certificate/c</SSLCertificateId></Listener>"
        "<PolicyNames><member>p1</member></PolicyNames></member></ListenerDescriptions>"
        "<Policies><AppCookieStickinessPolicies><member><PolicyName>app1</PolicyName><CookieName>JSESSIONID</CookieName>"
        "</member></AppCookieStickinessPolicies><LBCookieStickinessPolicies><member><PolicyName>lb1p</PolicyName>"
        "<CookieExpirationPeriod>300</CookieExpirationPeriod></member></LBCookieStickinessPolicies>"
        "<OtherPolicies><member>other1</member></OtherPolicies></Policies>"
        "<BackendServerDescriptions><member><InstancePort>80</InstancePort><PolicyNames><member>EnableProxyProtocol"
        "</member></PolicyNames></member></BackendServerDescriptions>"
        "<AvailabilityZones><member>us-east-1a</member><member>us-east-1b</member></AvailabilityZones>"
        "<Subnets/><VPCId>vpc-1</VPCId><Instances><member><InstanceId>i-1</InstanceId></member></Instances>"
        "<HealthCheck><Interval>30</Interval><Target>TCP:8000</Target><HealthyThreshold>10</HealthyThreshold>"
        "<Timeout>5</Timeout><UnhealthyThreshold>2</UnhealthyThreshold></HealthCheck>"
        "<SourceSecurityGroup><OwnerAlias>amazon-elb</OwnerAlias><GroupName>amazon-elb-sg</GroupName>"
        "</SourceSecurityGroup><SecurityGroups><member>sg-1</member></SecurityGroups>"
        "<CreatedTime>2013-07-09T19:18:00.520Z</CreatedTime><Scheme>internet-facing</Scheme></member>",
        extra="<NextMarker>next-page</NextMarker>")
    rs = parse_lbs(xml)
    assert rs.next_marker == "next-page" and rs.RequestId == "rid" and rs.request_id == "rid"
    (lb,) = rs
    assert lb.connection == "CONN"
    assert repr(lb) == "LoadBalancer:lb1"
    assert lb.dns_name == "lb1.example" and lb.canonical_hosted_zone_name_id == "Z3DZXE0Q79N41H"
    assert repr(lb.listeners) == "[(443, 80, 'HTTPS', 'HTTP', arn:aws:iam::1:server-certificate/c)]"
    assert lb.listeners[0].policy_names == ["p1"]
    assert lb.listeners[0].load_balancer == "CONN"
    assert repr(lb.policies) == ("Policies(AppCookieStickiness[AppCookieStickiness(app1, JSESSIONID)],"
                                 "LBCookieStickiness[LBCookieStickiness(lb1p, 300)],Other[OtherPolicy(other1)])")
    assert repr(lb.backends) == "[Backend(80:[OtherPolicy(EnableProxyProtocol)])]"
    assert lb.backends[0].instance_port == 80
    assert lb.availability_zones == ["us-east-1a", "us-east-1b"] and lb.subnets == []
    assert lb.vpc_id == "vpc-1" and repr(lb.instances) == "[InstanceInfo:i-1]"
    hc = lb.health_check
    assert (hc.interval, hc.target, hc.healthy_threshold, hc.timeout, hc.unhealthy_threshold) == (
        30, "TCP:8000", 10, 5, 2)
    assert hc.access_point is lb
    assert repr(lb.source_security_group) == "SecurityGroup(amazon-elb-sg, amazon-elb)"
    assert lb.security_groups == ["sg-1"]
    assert lb.created_time == "2013-07-09T19:18:00.520Z" and lb.scheme == "internet-facing"


def test_absent_and_empty_elements_keep_boto_defaults():
    rs = parse_lbs(describe("<member><LoadBalancerName>x</LoadBalancerName><HealthCheck/><Instances/></member>"))
    lb = rs[0]
    assert lb.health_check.interval == 30 and lb.health_check.target is None
    assert lb.instances == [] and lb.listeners is None and lb.policies is None and lb.availability_zones == []


def test_pretty_printed_response_parses_the_same():
    compact = describe("<member><LoadBalancerName>x</LoadBalancerName><AvailabilityZones><member>a</member>"
                       "</AvailabilityZones></member>")
    pretty = compact.replace("><", ">\n\t\t<")
    a, b = parse_lbs(compact)[0], parse_lbs(pretty)[0]
    assert (a.name, a.availability_zones) == (b.name, b.availability_zones) == ("x", ["a"])


def test_unknown_leaves_become_attributes_but_never_clobber():
    rs = parse_lbs(describe("<member><LoadBalancerName>x</LoadBalancerName><NewField>v</NewField>"
                            "<connection>evil</connection><delete>evil</delete><__class__>evil</__class__>"
                            "<_attributes>evil</_attributes></member>"))
    lb = rs[0]
    assert lb.NewField == "v"
    assert lb.connection == "CONN" and callable(lb.delete) and type(lb) is LoadBalancer and lb._attributes is None


def test_bad_integer_is_a_parse_error():
    with pytest.raises(ResponseParseError) as info:
        parse_lbs(describe("<member><HealthCheck><Interval>abc</Interval></HealthCheck></member>"))
    assert "Interval" in str(info.value)
    assert isinstance(info.value, BotoServerError) and info.value.status == 200


def test_malformed_body_is_a_parse_error_with_the_body():
    with pytest.raises(ResponseParseError) as info:
        parse_lbs(b"<DescribeLoadBalancersResponse><Truncated")
    assert info.value.body.startswith("<DescribeLoadBalancersResponse>")


def test_error_fields_in_any_nesting():
    aws = b"<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message>" \
          b"</Error><RequestId>r-1</RequestId></ErrorResponse>"
    moto_auth = b'<?xml version="1.0" encoding="utf-8"?><ErrorResponse><Errors><Error><Code>SignatureDoesNotMatch' \
                b"</Code><Message>bad</Message><Type>Sender</Type></Error></Errors></ErrorResponse>"
    assert _core._error_fields(aws) == {"Code": "Throttling", "Message": "Rate exceeded", "RequestId": "r-1",
                                        "BoxUsage": None}
    assert _core._error_fields(moto_auth)["Code"] == "SignatureDoesNotMatch"
    assert _core._error_fields(b"<!doctype html><html>") is None
    assert _core._error_fields(b"") is None


def test_server_error_from_body():
    body = "<ErrorResponse><Error><Code>LoadBalancerNotFound</Code><Message>nope</Message></Error>" \
           "<RequestId>r-9</RequestId></ErrorResponse>"
    e = BotoServerError(400, "Bad Request", body)
    assert (e.status, e.reason, e.error_code, e.error_message, e.message, e.request_id) == (
        400, "Bad Request", "LoadBalancerNotFound", "nope", "nope", "r-9")
    assert str(e) == repr(e) == "BotoServerError: 400 Bad Request\n" + body
    html = BotoServerError(500, "Internal Server Error", "<!doctype html><title>500</title>")
    assert html.error_code is None and html.body.startswith("<!doctype") and html.message == html.body


def test_fast_construction_matches_init():
    """The builder makes objects without running __init__ (ext/xml.c construct_fast); what it makes must equal,
    attribute for attribute and in the same order, what cls(arg) makes."""
    from boto_elb_c.ec2.elb import _shapes as shapes_mod

    _, classes, index = shapes_mod._compile(shapes_mod.SHAPES)
    fast_ones = 0
    for name, i in index.items():
        spec = classes[i][6]
        if spec is None:
            continue
        fast_ones += 1
        arg = object()
        with_arg = any(spec_kind == shapes_mod.INIT_ARG for spec_kind in spec[2])
        slow = shapes_mod.SHAPES[name].cls(arg) if with_arg else shapes_mod.SHAPES[name].cls()
        fast1 = _core._construct(shapes_mod.INDEX[name], arg)
        fast2 = _core._construct(shapes_mod.INDEX[name], arg)
        assert type(fast1) is type(slow), name
        assert list(vars(fast1)) == list(vars(slow)), name
        for key, value in vars(slow).items():
            got = getattr(fast1, key)
            if value is arg:
                assert got is arg
            else:
                assert type(got) is type(value) and got == value, (name, key)
                if isinstance(value, (list, dict)) and key != "markers":
                    assert got is not getattr(fast2, key), (name, key)  # fresh per object
    assert fast_ones >= 35


def test_containers_absent_from_the_answer_are_fresh_empty_ones():
    rs = parse_lbs(describe("<member><LoadBalancerName>a</LoadBalancerName></member>"
                            "<member><LoadBalancerName>b</LoadBalancerName><Subnets><member>s</member></Subnets>"
                            "</member>"))
    a, b = rs
    assert type(a.availability_zones).__name__ == "ListElement" and a.availability_zones == []
    assert a.availability_zones is not b.availability_zones and a.subnets is not b.subnets
    assert b.subnets == ["s"] and a.subnets == []
    a.availability_zones.append("x")
    assert b.availability_zones == []


def test_values_are_shared_but_equal():
    rs = parse_lbs(describe("<member><Scheme>internet-facing</Scheme></member>" * 3))
    assert [lb.scheme for lb in rs] == ["internet-facing"] * 3


def _summary(lb):
    return (lb.name, lb.dns_name, lb.NewField, lb.availability_zones, lb.instances and [i.id for i in lb.instances],
            repr(lb.listeners), lb.health_check.target, lb.health_check.interval, lb.scheme)


def test_a_large_answer_builds_the_same_wherever_its_pieces_end():
    """The parse hands its events to the builder a 64 KiB batch at a time: an element, a leaf's text, an unknown
    name cut by a batch's end must come out as they do from a small answer."""
    member = ("<member><LoadBalancerName>lb-%s</LoadBalancerName><DNSName>" + "d" * 40 + ".example</DNSName>"
              "<NewField>" + "\u00e9t\u00e9 " * 20 + "</NewField><Wrapper><Inner>x</Inner></Wrapper>"
              "<ListenerDescriptions><member><Listener><Protocol>HTTP</Protocol><LoadBalancerPort>80"
              "</LoadBalancerPort><InstancePort>8080</InstancePort></Listener><PolicyNames/></member>"
              "</ListenerDescriptions><AvailabilityZones><member>us-east-1a</member><member>us-east-1b</member>"
              "</AvailabilityZones><Instances><member><InstanceId>i-1</InstanceId></member></Instances>"
              "<HealthCheck><Interval>17</Interval><Target>HTTP:8080/ping</Target></HealthCheck>"
              "<Scheme>internal</Scheme></member>")
    (want,) = [_summary(lb) for lb in parse_lbs(describe(member % "x"))]
    head = describe("").split("<LoadBalancerDescriptions>")[0] + "<LoadBalancerDescriptions>"
    one = len((member % "x").encode())
    filler = "<!--" + "f" * 996 + "-->"
    checked = 0
    for before in range(65536 - one - 8, 65536 + 8, 3):
        pad = before - len(head.encode())
        comments, rest = divmod(pad, len(filler))
        if rest < 7:  # the last comment needs room for its own <!-- -->
            continue
        doc = describe(filler * comments + "<!--" + "r" * (rest - 7) + "-->" + member % "x" + member % "y")
        assert doc.index("<member>") == before
        lbs = parse_lbs(doc)
        assert [_summary(lb) for lb in lbs] == [want, (("lb-y",) + want[1:])]
        checked += 1
    assert checked > 100


@pytest.mark.parametrize("size", [1000, 200000])
def test_an_error_response_in_a_200_is_the_services_error_only_when_well_formed(size):
    """An <ErrorResponse> root in a 2xx answer is raised as the service's error, whatever the answer's size; but
    an answer that turns malformed after the root, even past the first parsed batch (64 KiB), is a parse error."""
    doc = ('<ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/"><Error><Type>Sender'
           '</Type><Code>Throttling</Code><Message>slow down</Message></Error>'
           + ("<!--" + "p" * 493 + "--><Padding>" + "q" * 490 + "</Padding>") * (size // 1000)
           + "<RequestId>rid-200</RequestId></ErrorResponse>")
    assert len(doc) > size
    with pytest.raises(BotoServerError) as info:
        parse_lbs(doc)
    assert type(info.value) is not ResponseParseError
    assert info.value.error_code == "Throttling" and info.value.request_id == "rid-200"
    with pytest.raises(ResponseParseError) as info:
        parse_lbs(doc.replace("</ErrorResponse>", "<junk"))
    assert "junk" in str(info.value)  # libxml2's message about the cut tag, not the service's error
