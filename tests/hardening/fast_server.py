"""A fast canned ELB server for the leak tests: HTTP/1.1 keep-alive on 127.0.0.1, asyncio, one process.

    python fast_server.py            prints "PORT <n>" and serves until its stdin closes (the test's end), after
                                     --max-seconds (600), or after --idle-seconds (120) without a request.

What it answers is chosen by the request: the Action, and for DescribeLoadBalancers the first load balancer
name (``LoadBalancerNames.member.1``) names the kind of answer:

    ok (or none)  200, two whole load balancers        notfound     400 LoadBalancerNotFound
    throttle      400 Throttling                       unavailable  503 ServiceUnavailable (XML)
    html500       500 with an HTML page                error200     200 whose root is <ErrorResponse>
    garbage       200 with truncated XML               close        the connection is closed, no answer
    flaky         503 the first time a Marker is seen, then 200 (what a retrying client recovers from)

ConfigureHealthCheck, DescribeLoadBalancerAttributes and DeleteLoadBalancer get their success answers.
Every loop here is bounded by the deadlines above.
"""
import argparse
import asyncio
import os
import re
import stat
import sys
import time

NS = "http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/"

LB = (
    "<member><LoadBalancerName>lb-%d</LoadBalancerName><DNSName>lb.example</DNSName>"
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
    "</SourceSecurityGroup><SecurityGroups><member>sg-1</member></SecurityGroups><NewField>unknown leaf</NewField>"
    "<CreatedTime>2013-07-09T19:18:00.520Z</CreatedTime><Scheme>internet-facing</Scheme></member>"
)


def _response(action, result):
    return ('<%sResponse xmlns="%s"><%sResult>%s</%sResult><ResponseMetadata><RequestId>req-ok</RequestId>'
            "</ResponseMetadata></%sResponse>" % (action, NS, action, result, action, action)).encode()


def _error(code, message):
    return ('<ErrorResponse xmlns="%s"><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error>'
            "<RequestId>req-err</RequestId></ErrorResponse>" % (NS, code, message)).encode()


DESCRIBE = _response("DescribeLoadBalancers", "<LoadBalancerDescriptions>%s%s</LoadBalancerDescriptions>"
                     "<NextMarker>next</NextMarker>" % (LB % 1, LB % 2))
ANSWERS = {
    "ok": (200, "OK", DESCRIBE),
    "notfound": (400, "Bad Request", _error("LoadBalancerNotFound", "There is no ACTIVE Load Balancer named 'x'")),
    "throttle": (400, "Bad Request", _error("Throttling", "Rate exceeded")),
    "unavailable": (503, "Service Unavailable", _error("ServiceUnavailable", "Please try again")),
    "html500": (500, "Internal Server Error", b"<!doctype html><html><body><h1>500</h1></body></html>"),
    "error200": (200, "OK", _error("LoadBalancerNotFound", "in a 200")),
    "garbage": (200, "OK", DESCRIBE[: len(DESCRIBE) // 2]),
}
OTHER_ACTIONS = {
    "ConfigureHealthCheck": _response("ConfigureHealthCheck", "<HealthCheck><Interval>30</Interval><Target>HTTP:80/"
                                      "</Target><HealthyThreshold>2</HealthyThreshold><Timeout>3</Timeout>"
                                      "<UnhealthyThreshold>5</UnhealthyThreshold></HealthCheck>"),
    "DescribeLoadBalancerAttributes": _response(
        "DescribeLoadBalancerAttributes", "<LoadBalancerAttributes><CrossZoneLoadBalancing><Enabled>true</Enabled>"
        "</CrossZoneLoadBalancing><AccessLog><Enabled>false</Enabled><EmitInterval>60</EmitInterval></AccessLog>"
        "<ConnectionDraining><Enabled>true</Enabled><Timeout>300</Timeout></ConnectionDraining><ConnectionSettings>"
        "<IdleTimeout>60</IdleTimeout></ConnectionSettings><AdditionalAttributes><member><Key>k</Key><Value>v"
        "</Value></member></AdditionalAttributes></LoadBalancerAttributes>"),
    "DeleteLoadBalancer": _response("DeleteLoadBalancer", ""),
}

ACTION = re.compile(rb"(?:^|&)Action=([A-Za-z]+)")
KIND = re.compile(rb"(?:^|&)LoadBalancerNames\.member\.1=([a-z0-9]+)")
MARKER = re.compile(rb"(?:^|&)Marker=([A-Za-z0-9-]+)")


class Server(object):
    def __init__(self):
        self.requests = 0
        self.last = time.monotonic()
        self.flaky_seen = set()

    def answer(self, body):
        action = ACTION.search(body)
        action = action.group(1).decode() if action else ""
        if action in OTHER_ACTIONS:
            return 200, "OK", OTHER_ACTIONS[action]
        kind = KIND.search(body)
        kind = kind.group(1).decode() if kind else "ok"
        if kind == "close":
            return None
        if kind == "flaky":
            token = MARKER.search(body)
            token = token.group(1) if token else b""
            if token not in self.flaky_seen:
                if len(self.flaky_seen) > 100000:
                    self.flaky_seen.clear()
                self.flaky_seen.add(token)
                return ANSWERS["unavailable"]
            self.flaky_seen.discard(token)
            return ANSWERS["ok"]
        return ANSWERS.get(kind, ANSWERS["ok"])


class Protocol(asyncio.Protocol):
    def __init__(self, server):
        self.server = server
        self.buf = b""

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.buf += data
        while True:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buf) > 1 << 20:
                    self.transport.close()
                return
            head = self.buf[:end].lower()
            length = 0
            i = head.find(b"\r\ncontent-length:")
            if i >= 0:
                j = head.find(b"\r\n", i + 2)
                length = int(head[i + 17: j if j >= 0 else len(head)].strip() or 0)
            if len(self.buf) < end + 4 + length:
                return
            body = self.buf[end + 4: end + 4 + length]
            self.buf = self.buf[end + 4 + length:]
            self.server.requests += 1
            self.server.last = time.monotonic()
            reply = self.server.answer(body)
            if reply is None:
                self.transport.close()
                return
            status, reason, payload = reply
            self.transport.write(b"HTTP/1.1 %d %s\r\nContent-Type: text/xml\r\nx-amzn-RequestId: hdr-req\r\n"
                                 b"Content-Length: %d\r\n\r\n%s" % (status, reason.encode(), len(payload), payload))


async def main(max_seconds, idle_seconds):
    state = Server()
    loop = asyncio.get_running_loop()
    srv = await loop.create_server(lambda: Protocol(state), "127.0.0.1", 0, backlog=64)
    port = srv.sockets[0].getsockname()[1]
    sys.stdout.write("PORT %d\n" % port)
    sys.stdout.flush()
    stdin_closed = asyncio.Event()

    async def watch_stdin():
        while await reader.read(4096):
            pass
        stdin_closed.set()

    watcher = None
    if stat.S_ISFIFO(os.fstat(0).st_mode):
        reader = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        watcher = asyncio.ensure_future(watch_stdin())
    # (stdin not a pipe: only the deadlines stop the server)
    deadline = time.monotonic() + max_seconds
    while not stdin_closed.is_set():
        now = time.monotonic()
        if now > deadline or now - state.last > idle_seconds:
            break
        try:
            await asyncio.wait_for(stdin_closed.wait(), 0.5)
        except asyncio.TimeoutError:
            pass
    if watcher is not None:
        watcher.cancel()
    srv.close()
    sys.stderr.write("fast_server: %d requests\n" % state.requests)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-seconds", type=float, default=600.0)
    parser.add_argument("--idle-seconds", type=float, default=120.0)
    args = parser.parse_args()
    asyncio.run(main(args.max_seconds, args.idle_seconds))
