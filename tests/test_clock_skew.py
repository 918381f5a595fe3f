"""Clock-skew correction: a call refused for its date (RequestExpired, RequestTimeTooSkewed, or
SignatureDoesNotMatch) whose response's Date header is more than ~4 minutes from our clock is signed again,
once, with the server's clock; later calls keep the offset.

The peer is a small server of our own whose clock runs ``skew`` seconds off ours. It checks each request's
X-Amz-Date (or, for SigV2, its Timestamp) against its own clock, as AWS does (5 minutes), and sends its own time
in the Date header (tests/servers.py's CannedServer cannot: http.server always writes the real time there).
"""
import calendar
import email.utils
import http.server
import logging
import re
import socketserver
import threading
import time
from urllib.parse import parse_qsl

import pytest

import boto_elb_c
from boto_elb_c.exception import BotoServerError
from servers import EMPTY_DESCRIBE

HOUR = 3600


def error_body(code, message="The difference between the request time and the current time is too large."):
    return ('<ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/"><Error>'
            "<Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error>"
            "<RequestId>4a5b-skew</RequestId></ErrorResponse>" % (code, message)).encode()


class SkewedPeer(object):
    """An ELB stand-in whose clock is ``skew`` seconds off ours.

    :param mode: ``'check'``: refuse a request dated more than ``tolerance`` seconds (AWS: 5 minutes) from the
        server's clock with ``code`` (HTTP ``status``), else answer an empty DescribeLoadBalancers; ``'refuse'``:
        refuse every request so.
    :param delay: seconds to wait before each answer.
    :ivar list requests: ``(headers dict, form dict)`` of every request.
    """

    def __init__(self, skew=HOUR, mode="check", code="RequestTimeTooSkewed", status=400, date_header=True,
                 tolerance=300, delay=0.0):
        self.skew = skew
        self.tolerance = tolerance
        self.delay = delay
        self.mode = mode
        self.code = code
        self.status = status
        self.date_header = date_header
        self.requests = []
        peer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, payload = peer.answer(dict(self.headers.items()), body)
                self.send_response_only(status)  # no Server/Date lines of http.server's own
                if peer.date_header:
                    self.send_header("Date", email.utils.formatdate(peer.now(), usegmt=True))
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True

        self._httpd = Server(("127.0.0.1", 0), Handler)
        self.endpoint = "http://127.0.0.1:%d" % self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()

    def now(self):
        return time.time() + self.skew

    def answer(self, headers, body):
        form = dict(parse_qsl(body.decode(), keep_blank_values=True))
        self.requests.append((headers, form))
        if "X-Amz-Date" in headers:
            sent = calendar.timegm(time.strptime(headers["X-Amz-Date"], "%Y%m%dT%H%M%SZ"))
        else:
            sent = calendar.timegm(time.strptime(form["Timestamp"], "%Y-%m-%dT%H:%M:%SZ"))
        time.sleep(self.delay)
        if self.mode == "refuse" or abs(sent - self.now()) > self.tolerance:
            return self.status, error_body(self.code)
        return 200, EMPTY_DESCRIBE

    def stop(self):
        self._httpd.shutdown()
        self._httpd.server_close()


@pytest.fixture
def peer():
    peers = []

    def start(**kw):
        p = SkewedPeer(**kw)
        peers.append(p)
        return p

    yield start
    for p in peers:
        p.stop()


def connect(endpoint, **kw):
    return boto_elb_c.connect_elb("AKIDEXAMPLE", "secret", endpoint_url=endpoint, **kw)


def sent_time(request):
    headers, _ = request
    return calendar.timegm(time.strptime(headers["X-Amz-Date"], "%Y%m%dT%H%M%SZ"))


def test_one_correction_then_none(peer, caplog):
    server = peer(skew=HOUR)
    conn = connect(server.endpoint)
    with caplog.at_level(logging.DEBUG, logger="boto_elb_c"):
        assert conn.get_all_load_balancers() == []
    assert len(server.requests) == 2
    assert abs(sent_time(server.requests[0]) - time.time()) < 60  # first signed with our clock
    assert abs(sent_time(server.requests[1]) - server.now()) < 60  # then with the server's
    assert abs(conn._clock_offset - HOUR) <= 2
    corrections = [r for r in caplog.records if r.name == "boto_elb_c" and "clock" in r.getMessage()]
    assert len(corrections) == 1 and corrections[0].levelno == logging.DEBUG
    logged = re.search(r"clock is ([+-]\d+) s from ours", corrections[0].getMessage())
    assert logged and abs(int(logged.group(1)) - HOUR) <= 2  # the Date header has whole seconds

    assert conn.get_all_load_balancers() == []  # the next call needs no correction
    assert len(server.requests) == 3


@pytest.mark.parametrize("code, status", [("RequestTimeTooSkewed", 400), ("RequestExpired", 400),
                                          ("SignatureDoesNotMatch", 403)])
def test_each_date_error_is_corrected(peer, code, status):
    server = peer(skew=-2 * HOUR, code=code, status=status)  # a server behind us, too
    conn = connect(server.endpoint)
    assert conn.get_all_load_balancers() == []
    assert len(server.requests) == 2
    assert abs(conn._clock_offset + 2 * HOUR) <= 2


def test_a_server_that_keeps_refusing_gets_exactly_two_requests(peer):
    server = peer(skew=HOUR, mode="refuse")
    conn = connect(server.endpoint)
    with pytest.raises(BotoServerError) as e:
        conn.get_all_load_balancers()
    assert len(server.requests) == 2  # no loop
    assert e.value.status == 400 and e.value.error_code == "RequestTimeTooSkewed"
    assert e.value.request_id == "4a5b-skew"
    # the offset is kept (the server's clock is the best we know); the next call tries once, no retry
    with pytest.raises(BotoServerError):
        conn.get_all_load_balancers()
    assert len(server.requests) == 3


def test_bad_signature_with_a_date_close_to_ours_is_not_retried(peer):
    server = peer(skew=20, mode="refuse", code="SignatureDoesNotMatch", status=403)
    conn = connect(server.endpoint)
    with pytest.raises(BotoServerError) as e:
        conn.get_all_load_balancers()
    assert len(server.requests) == 1
    assert e.value.status == 403 and e.value.error_code == "SignatureDoesNotMatch"
    assert conn._clock_offset == 0


def test_other_errors_are_not_retried_whatever_the_date(peer):
    server = peer(skew=HOUR, mode="refuse", code="ValidationError")
    conn = connect(server.endpoint)
    with pytest.raises(BotoServerError) as e:
        conn.get_all_load_balancers()
    assert e.value.error_code == "ValidationError" and len(server.requests) == 1 and conn._clock_offset == 0


def test_no_date_header_no_retry(peer):
    server = peer(skew=HOUR, date_header=False)
    conn = connect(server.endpoint)
    with pytest.raises(BotoServerError) as e:
        conn.get_all_load_balancers()
    assert e.value.error_code == "RequestTimeTooSkewed" and len(server.requests) == 1


def test_an_offset_that_became_wrong_is_corrected_back(peer):
    server = peer(skew=0)
    conn = connect(server.endpoint)
    conn._clock_offset = HOUR  # as if an earlier server had been an hour ahead
    assert conn.get_all_load_balancers() == []
    assert len(server.requests) == 2
    assert abs(conn._clock_offset) <= 2


def test_make_request_is_corrected_too(peer):
    server = peer(skew=HOUR)
    conn = connect(server.endpoint)
    resp = conn.make_request("DescribeLoadBalancers")
    assert resp.status == 200 and len(server.requests) == 2


def test_sigv2_timestamp_is_corrected(peer, tmp_path):
    (tmp_path / "no-boto-config").write_text("[Boto]\nelb_signature_version = 2\n")  # BOTO_CONFIG (conftest.py)
    server = peer(skew=HOUR)
    conn = connect(server.endpoint)
    assert conn.get_all_load_balancers() == []
    assert len(server.requests) == 2
    first, second = (calendar.timegm(time.strptime(f["Timestamp"], "%Y-%m-%dT%H:%M:%SZ"))
                     for _, f in server.requests)
    assert abs(first - time.time()) < 60 and abs(second - server.now()) < 60


def test_many_regions_at_once_are_corrected_each_once(peer):
    from boto_elb_c.ec2.elb import get_all_load_balancers_in_regions
    from boto_elb_c.regioninfo import RegionInfo

    ahead, behind, refusing, right = peer(skew=HOUR), peer(skew=-HOUR), peer(skew=HOUR, mode="refuse"), peer(skew=0)
    regions = [RegionInfo(name=n, endpoint=p.endpoint) for n, p in
               (("ahead", ahead), ("behind", behind), ("refusing", refusing), ("right", right))]
    out = get_all_load_balancers_in_regions(regions, aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="s")
    assert out["ahead"] == [] and out["behind"] == [] and out["right"] == []
    assert [len(p.requests) for p in (ahead, behind, refusing, right)] == [2, 2, 2, 1]
    for server in (ahead, behind):
        assert abs(sent_time(server.requests[1]) - server.now()) < 60  # signed again with that server's clock
    assert isinstance(out["refusing"], BotoServerError) and out["refusing"].error_code == "RequestTimeTooSkewed"


def test_many_regions_read_each_date_against_its_own_arrival(peer):
    """A region's Date header is compared with the time its answer arrived, not with the time the slowest region's
    did: here the skewed region's 245 s would look like 239 s (under the 240 s limit: no correction) if read after
    the slow region's 6 s."""
    from boto_elb_c.ec2.elb import get_all_load_balancers_in_regions
    from boto_elb_c.regioninfo import RegionInfo

    skewed, slow = peer(skew=245, tolerance=200), peer(skew=0, delay=6.0)
    regions = [RegionInfo(name="skewed", endpoint=skewed.endpoint), RegionInfo(name="slow", endpoint=slow.endpoint)]
    out = get_all_load_balancers_in_regions(regions, aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="s")
    assert out == {"skewed": [], "slow": []}
    assert len(skewed.requests) == 2 and len(slow.requests) == 1
