"""Hostile XML served by a local server: each answer gives a clear exception, reads no file, opens no connection,
and stays within bounded memory and time.

Every case goes through the whole stack (``ELBConnection`` -> libcurl -> the tape parser -> the builder). Files:
the external entities point at a file holding a unique marker, watched with inotify (no open, no read), and the
marker must appear in no exception text, attribute, object or log line. Network: the external DTDs and entities
point at a local listener of ours, which must see no connection. Memory: the peak RSS growth over the call
(VmHWM reset through /proc/self/clear_refs), time: wall clock; both against generous, explicit bounds.
The same bodies also go through the other two parsers of the package: the error-body scan (a non-2xx answer)
and the SAX path for classes outside the shape table (``boto_elb_c.handler``).
"""
import logging
import os
import time
import uuid

import pytest

import boto_elb_c
from boto_elb_c import _core, handler
from boto_elb_c.ec2.elb import errors
from boto_elb_c.exception import BotoServerError, ResponseParseError
from hardening_tools import SANITIZED, ConnectionRecorder, FileWatch, PeakRSS
from servers import Reply

NS = "http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/"
MB = 1024 * 1024

# generous bounds: a normal answer of these sizes parses in milliseconds with a few MB
SMALL_BODY_PEAK = 24 * MB  # peak RSS growth for a body under 1 MB
SMALL_BODY_SECONDS = 5.0
if SANITIZED:  # ASan's shadow memory and quarantine, valgrind's slowness
    SMALL_BODY_PEAK *= 8
    SMALL_BODY_SECONDS *= 20


def describe(inner="", root_attrs='xmlns="%s"' % NS, prolog=""):
    return ('%s<DescribeLoadBalancersResponse %s><DescribeLoadBalancersResult><LoadBalancerDescriptions>%s'
            "</LoadBalancerDescriptions></DescribeLoadBalancersResult><ResponseMetadata><RequestId>rid</RequestId>"
            "</ResponseMetadata></DescribeLoadBalancersResponse>" % (prolog, root_attrs, inner)).encode("utf-8")


@pytest.fixture
def secret_file(tmp_path):
    """A local file with a unique marker, and an external DTD next to it that would pull the marker in."""
    marker = "BELC-MARKER-%s" % uuid.uuid4().hex
    secret = tmp_path / "secret.txt"
    secret.write_text(marker)
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY xxe SYSTEM "file://%s">' % secret)
    return marker, str(secret), str(dtd)


@pytest.fixture
def recorder():
    with ConnectionRecorder() as r:
        yield r


def hostile_cases(secret, dtd, port):
    """name -> (make the body, expected exception class, text the message must hold). The bodies are made only
    when a test asks for one: some are megabytes."""
    url = "http://127.0.0.1:%d" % port
    lol = '<!ENTITY lol "lol">' + "".join(
        '<!ENTITY lol%d "%s">' % (i, ("&lol%s;" % (i - 1 if i > 1 else "")) * 10) for i in range(1, 10))
    deep = 100000
    entity = '<!DOCTYPE r [<!ENTITY xxe SYSTEM "%s">]>'
    lb_xxe = "<member><LoadBalancerName>&xxe;</LoadBalancerName></member>"
    error = ('<ErrorResponse xmlns="%s"><Error><Type>Sender</Type><Code>LoadBalancerNotFound</Code>'
             "<Message>There is no ACTIVE Load Balancer named 'x'</Message></Error><RequestId>req-err</RequestId>"
             "</ErrorResponse>" % NS)

    def attrs(n):
        return 'xmlns="%s" %s' % (NS, " ".join('a%d="x"' % i for i in range(n)))

    return {
        "billion laughs": (
            lambda: describe("<member><LoadBalancerName>&lol9;</LoadBalancerName></member>",
                             prolog="<!DOCTYPE DescribeLoadBalancersResponse [%s]>" % lol),
            ResponseParseError, "DTD"),
        "external entity, local file": (
            lambda: describe(lb_xxe, prolog=entity % ("file://" + secret)), ResponseParseError, "DTD"),
        "external entity in an attribute": (
            lambda: describe(root_attrs='xmlns="%s" a="&xxe;"' % NS, prolog=entity % ("file://" + secret)),
            ResponseParseError, "DTD"),
        "external entity, url": (
            lambda: describe(lb_xxe, prolog=entity % (url + "/entity")), ResponseParseError, "DTD"),
        "parameter entity, url": (
            lambda: describe(prolog='<!DOCTYPE r [<!ENTITY %% p SYSTEM "%s/param.dtd"> %%p;]>' % url),
            ResponseParseError, "DTD"),
        "external DTD, local file": (
            lambda: describe(prolog='<!DOCTYPE r SYSTEM "file://%s">' % dtd), ResponseParseError, "DTD"),
        "external DTD, url": (
            lambda: describe(prolog='<!DOCTYPE r SYSTEM "%s/evil.dtd">' % url), ResponseParseError, "DTD"),
        "external DTD, public id and ftp": (
            lambda: describe(prolog='<!DOCTYPE r PUBLIC "-//EVIL//X" "ftp://127.0.0.1:%d/evil.dtd">' % port),
            ResponseParseError, "DTD"),
        "undeclared entity": (lambda: describe(lb_xxe), ResponseParseError, "xxe"),
        # no XInclude processing: a harmless unknown element, and no file read
        "xinclude": (
            lambda: describe('<member xmlns:xi="http://www.w3.org/2001/XInclude"><LoadBalancerName>'
                             '<xi:include href="file://%s" parse="text"/><xi:include href="%s/xi"/>'
                             "</LoadBalancerName></member>" % (secret, url)),
            None, None),
        "xml-stylesheet and schemaLocation": (
            lambda: describe('<member xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                             'xsi:schemaLocation="%s %s/x.xsd"><LoadBalancerName>lb</LoadBalancerName></member>'
                             % (NS, url), prolog='<?xml-stylesheet type="text/xsl" href="%s/evil.xsl"?>' % url),
            None, None),
        "100,000-deep nesting": (
            lambda: describe("<member>" + "<a>" * deep + "x" + "</a>" * deep + "</member>"),
            ResponseParseError, "nested deeper than"),
        "huge attribute": (
            lambda: describe(root_attrs='xmlns="%s" a="%s"' % (NS, "A" * (20 * MB))),
            ResponseParseError, "longer than"),
        "many attributes": (
            lambda: describe(root_attrs=attrs(5000)), ResponseParseError, "5000 attributes (at most"),
        "a tag with 200,000 attributes": (
            lambda: describe(root_attrs=attrs(200000)), ResponseParseError, "longer than"),
        "many namespace declarations": (
            lambda: describe("".join('<member xmlns:p%d="urn:%d"><LoadBalancerName>x</LoadBalancerName></member>'
                                     % (i, i) for i in range(200))),
            ResponseParseError, "namespace declarations"),
        "invalid UTF-8": (
            lambda: describe("<member><LoadBalancerName>BAD</LoadBalancerName></member>").replace(
                b"BAD", b"\xff\xfe\xc3"),
            ResponseParseError, "UTF-8"),
        "wrong namespace": (
            lambda: describe(root_attrs='xmlns="http://example.com/not-elb/"'), ResponseParseError, "namespace"),
        "ErrorResponse inside a 200": (
            lambda: error.encode(), errors.LoadBalancerNotFound, "LoadBalancerNotFound"),
    }


def hostile_case(name, secret, dtd, port):
    make, expected, message = hostile_cases(secret, dtd, port)[name]
    return make(), expected, message


CASE_NAMES = list(hostile_cases("/s", "/d", 1))


def _texts(exc):
    """Every text an exception shows or carries."""
    out = [str(exc), repr(exc)]
    for v in vars(exc).values():
        out.append(v if isinstance(v, str) else repr(v))
    out += [repr(a) for a in exc.args]
    return out


@pytest.mark.parametrize("name", CASE_NAMES)
def test_hostile_answer(canned, caplog, capfd, secret_file, recorder, name):
    marker, secret, dtd = secret_file
    body, expected, message = hostile_case(name, secret, dtd, recorder.port)
    server = canned(lambda req: Reply(body=body))
    conn = boto_elb_c.connect_elb("AKIDEXAMPLE", "hostile-test-secret", endpoint_url=server.endpoint)
    caplog.set_level(logging.DEBUG)
    with FileWatch(secret, dtd) as watch:
        with PeakRSS() as peak:
            if expected is None:
                result = conn.get_all_load_balancers()
                exc = None
            else:
                with pytest.raises(expected) as info:
                    conn.get_all_load_balancers()
                exc = info.value
        opened = watch.events()
    conn.close()

    # a clear exception
    if exc is not None:
        assert type(exc) is expected
        assert message in str(exc)
        assert exc.status == 200
        if expected is ResponseParseError:
            assert exc.detail and message in exc.detail
    else:
        assert [lb.name for lb in result] == ["lb"] or len(result) == 1
    # no file read, no connection
    assert opened == [], "a hostile answer opened %s" % opened
    assert recorder.connections == [], "a hostile answer connected to %r" % recorder.connections
    # the marker reached nothing
    texts = _texts(exc) if exc is not None else [repr(vars(lb)) for lb in result]
    out, err = capfd.readouterr()
    assert not any(marker in t for t in texts + [caplog.text, out, err])
    # bounded memory and time (the figures are printed: pytest -s shows them)
    print("\nhostile %-36s %-22s body %9d B, peak RSS +%6.1f MB, %7.1f ms" % (
        name, type(exc).__name__ if exc is not None else "(parsed)", len(body), peak.growth / MB,
        peak.seconds * 1000))
    big = len(body) > MB
    peak_bound = 6 * len(body) + 32 * MB if big else SMALL_BODY_PEAK
    seconds_bound = SMALL_BODY_SECONDS * (4 if big else 1)
    assert peak.growth < peak_bound, "%s: peak RSS grew by %.1f MB" % (name, peak.growth / MB)
    assert peak.seconds < seconds_bound, "%s: took %.2f s" % (name, peak.seconds)


@pytest.mark.parametrize("name", CASE_NAMES)
def test_hostile_error_body_and_sax_path(secret_file, recorder, name):
    """The same bodies as an error answer's body (the error-field scan) and through the SAX path used for
    classes outside the shape table: no file, no connection, no marker; the error keeps the raw text."""
    marker, secret, dtd = secret_file
    body, expected, _ = hostile_case(name, secret, dtd, recorder.port)
    with FileWatch(secret, dtd) as watch:
        t0 = time.perf_counter()
        exc = BotoServerError.from_response(400, "Bad Request", body)
        try:
            handler.parse(body, _Recorder(), None)
            sax_error = None
        except ResponseParseError as e:
            sax_error = e
        seconds = time.perf_counter() - t0
        opened = watch.events()
    assert opened == [] and recorder.connections == []
    assert not any(marker in t for t in _texts(exc) + (_texts(sax_error) if sax_error else []))
    if expected is ResponseParseError and name not in ("wrong namespace", "invalid UTF-8"):
        # refused by the tape parser: not XML to the error scan either, so the error keeps the raw text (the
        # invalid UTF-8 is replaced when BotoServerError decodes the body, and then it is XML)
        assert exc.error_code is None and exc.message == body.decode("utf-8", "replace")
        assert sax_error is not None
    assert seconds < 2 * SMALL_BODY_SECONDS * (4 if len(body) > MB else 1)


class _Recorder(object):
    """A user class driven through boto's SAX interface (handler.parse)."""

    def __init__(self):
        self.events = []

    def startElement(self, name, attrs, connection):
        self.events.append(name)

    def endElement(self, name, value, connection):
        pass


def test_watchers_see_what_they_should(secret_file, recorder):
    """Positive controls: the file watch sees a read, the recorder sees a connection."""
    import socket

    marker, secret, dtd = secret_file
    with FileWatch(secret, dtd) as watch:
        with open(secret) as f:
            assert f.read() == marker
        assert secret in watch.events()
    with socket.create_connection(("127.0.0.1", recorder.port), timeout=5) as s:
        s.sendall(b"GET / HTTP/1.0\r\n\r\n")
    deadline = time.monotonic() + 5
    while not recorder.connections and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(recorder.connections) == 1


def test_error_response_in_200_picks_the_class_and_keeps_the_fields(canned):
    body = ('<ErrorResponse xmlns="%s"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded'
            "</Message></Error><RequestId>r-200</RequestId></ErrorResponse>" % NS).encode()
    server = canned(lambda req: Reply(body=body))
    conn = boto_elb_c.connect_elb("AK", "SK", endpoint_url=server.endpoint)
    with pytest.raises(errors.Throttling) as info:
        conn.get_all_load_balancers()
    e = info.value
    assert (e.status, e.reason, e.error_code, e.message, e.request_id) == (200, "OK", "Throttling", "Rate exceeded",
                                                                            "r-200")
    # without a namespace, with an unregistered code, and through get_object and the string lists
    server2 = canned(lambda req: Reply(body=b"<ErrorResponse><Error><Code>Odd</Code></Error></ErrorResponse>"))
    conn2 = boto_elb_c.connect_elb("AK", "SK", endpoint_url=server2.endpoint)
    for call in (conn2.get_all_load_balancers, lambda: conn2.get_all_lb_attributes("x"),
                 lambda: conn2.apply_security_groups_to_lb("x", ["sg-1"])):
        with pytest.raises(BotoServerError) as info:
            call()
        assert type(info.value) is BotoServerError and info.value.error_code == "Odd"


@pytest.mark.parametrize("root_attrs, ok", [
    ('xmlns="%s"' % NS, True),
    ("", True),
    ('xmlns=""', True),
    ('xmlns:e="%s"' % NS, True),  # the root itself is not in it
    ('xmlns="%s"' % NS.replace("2012-06-01", "2011-11-15"), False),
    ('xmlns="https://elasticloadbalancing.amazonaws.com/doc/2012-06-01/"', False),
    ('xmlns="urn:x"', False),
])
def test_root_namespace(canned, root_attrs, ok):
    server = canned(lambda req: Reply(body=describe("<member><LoadBalancerName>lb</LoadBalancerName></member>",
                                                    root_attrs=root_attrs)))
    conn = boto_elb_c.connect_elb("AK", "SK", endpoint_url=server.endpoint)
    if ok:
        assert [lb.name for lb in conn.get_all_load_balancers()] == ["lb"]
    else:
        with pytest.raises(ResponseParseError) as info:
            conn.get_all_load_balancers()
        assert "namespace" in info.value.detail and NS in info.value.detail


def test_prefixed_root_in_the_elb_namespace_parses():
    body = ('<e:DescribeLoadBalancersResponse xmlns:e="%s"><e:DescribeLoadBalancersResult><e:LoadBalancerDescriptions>'
            "<e:member><e:LoadBalancerName>p</e:LoadBalancerName></e:member></e:LoadBalancerDescriptions>"
            "</e:DescribeLoadBalancersResult></e:DescribeLoadBalancersResponse>" % NS).encode()
    from boto_elb_c.ec2.elb import _shapes
    from boto_elb_c.ec2.elb.loadbalancer import LoadBalancer
    from boto_elb_c.resultset import ResultSet

    rs = _core.parse(body, ResultSet([("member", LoadBalancer)]), _shapes.INDEX["ResultSet[LoadBalancer]"], None)
    assert [lb.name for lb in rs] == ["p"]


def test_large_legitimate_answer_parses():
    """An answer over libxml2's 10,000,000-byte look-ahead limit (it was refused with 'Huge input lookup' when the
    body went to the parser in one piece)."""
    from boto_elb_c.ec2.elb import _shapes
    from boto_elb_c.ec2.elb.loadbalancer import LoadBalancer
    from boto_elb_c.resultset import ResultSet

    member = ("<member><LoadBalancerName>lb-%d</LoadBalancerName><DNSName>lb.example</DNSName>"
              "<AvailabilityZones><member>us-east-1a</member></AvailabilityZones>"
              "<HealthCheck><Interval>30</Interval><Target>TCP:80</Target></HealthCheck>"
              "<Description>" + "d" * 1000 + "</Description></member>")
    n = 9000
    body = describe("".join(member % i for i in range(n)))
    assert len(body) > 10_500_000
    with PeakRSS() as peak:
        rs = _core.parse(body, ResultSet([("member", LoadBalancer)]), _shapes.INDEX["ResultSet[LoadBalancer]"], None)
    assert len(rs) == n and rs[-1].name == "lb-%d" % (n - 1) and rs[0].health_check.interval == 30
    assert peak.seconds < SMALL_BODY_SECONDS * 4


def test_limits_leave_room_for_real_answers():
    """Text of any length is fine (it is not buffered as one piece of markup), and so are the few attributes and
    namespaces an answer can carry."""
    assert _core._xml_events(b"<a>" + b"x" * (5 * MB) + b"</a>")[1] == ("leaf", "x" * (5 * MB))
    ok = b'<a xmlns="urn:a" xmlns:xsi="urn:xsi" ' + b" ".join(b'a%d="v"' % i for i in range(32)) + b"/>"
    assert _core._xml_events(ok)[0] == ("start", "a")
    with pytest.raises(ValueError, match="33 attributes"):
        _core._xml_events(ok.replace(b"/>", b' extra="1"/>'))
    nested_ns = b"".join(b'<n xmlns:p%d="urn:%d">' % (i, i) for i in range(64)) + b"</n>" * 64
    _core._xml_events(nested_ns)
    with pytest.raises(ValueError, match="namespace declarations"):
        _core._xml_events(b'<r xmlns:z="urn:z">' + nested_ns + b"</r>")
    with pytest.raises(ValueError, match="longer than"):
        _core._xml_events(b"<a><!--" + b"c" * (100 * 1024) + b"--></a>")


def test_no_file_is_read_when_the_document_is_only_a_reference(secret_file, recorder):
    """The body names a file or a URL as the whole document's source: it is just bytes, never a location."""
    marker, secret, dtd = secret_file
    with FileWatch(secret, dtd) as watch:
        for body in (("file://" + secret).encode(), secret.encode(), ("http://127.0.0.1:%d/" % recorder.port).encode()):
            with pytest.raises(ValueError):
                _core._xml_events(body)
        assert watch.events() == []
    assert recorder.connections == []
    assert os.path.exists(secret)
