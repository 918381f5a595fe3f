"""Realistic DescribeLoadBalancers answers for the benchmarks: every field of the API model's
LoadBalancerDescription, in the model's member order, indented as AWS sends it (2 spaces, one element a line).

    python bench/gen.py N > body.xml
"""
import random
import sys

NS = "http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/"


def _lb(rng, i):
    name = "lb-%05d-%s" % (i, "".join(rng.choice("abcdefghij") for _ in range(6)))
    dns = "%s-%d.us-east-1.elb.amazonaws.com" % (name, rng.randint(10 ** 8, 10 ** 9))
    zones = ["us-east-1%s" % z for z in rng.sample("abcdef", rng.randint(2, 3))]
    instances = ["i-%017x" % rng.getrandbits(68) for _ in range(rng.randint(0, 6))]
    other = ["ELBSecurityPolicy-2016-08", "my-ProxyProtocol-policy", "AWSConsole-SSLNegotiationPolicy-%s" % name]
    x = []
    a = x.append
    a("      <member>")
    a("        <LoadBalancerName>%s</LoadBalancerName>" % name)
    a("        <DNSName>%s</DNSName>" % dns)
    a("        <CanonicalHostedZoneName>%s</CanonicalHostedZoneName>" % dns)
    a("        <CanonicalHostedZoneNameID>Z35SXDOTRQ7X7K</CanonicalHostedZoneNameID>")
    a("        <ListenerDescriptions>")
    for port, iport, proto, iproto, cert, pols in (
            (80, 8080, "HTTP", "HTTP", None, []),
            (443, 8443, "HTTPS", "HTTP", "arn:aws:iam::123456789012:server-certificate/%s" % name,
             ["ELBSecurityPolicy-2016-08"])):
        a("          <member>")
        a("            <Listener>")
        a("              <Protocol>%s</Protocol>" % proto)
        a("              <LoadBalancerPort>%d</LoadBalancerPort>" % port)
        a("              <InstanceProtocol>%s</InstanceProtocol>" % iproto)
        if cert:
            a("              <SSLCertificateId>%s</SSLCertificateId>" % cert)
        a("              <InstancePort>%d</InstancePort>" % iport)
        a("            </Listener>")
        if pols:
            a("            <PolicyNames>")
            for p in pols:
                a("              <member>%s</member>" % p)
            a("            </PolicyNames>")
        else:
            a("            <PolicyNames/>")
        a("          </member>")
    a("        </ListenerDescriptions>")
    a("        <Policies>")
    a("          <AppCookieStickinessPolicies/>")
    a("          <LBCookieStickinessPolicies>")
    a("            <member>")
    a("              <PolicyName>my-duration-cookie-policy</PolicyName>")
    a("              <CookieExpirationPeriod>60</CookieExpirationPeriod>")
    a("            </member>")
    a("          </LBCookieStickinessPolicies>")
    a("          <OtherPolicies>")
    for p in other:
        a("            <member>%s</member>" % p)
    a("          </OtherPolicies>")
    a("        </Policies>")
    a("        <BackendServerDescriptions>")
    a("          <member>")
    a("            <InstancePort>8080</InstancePort>")
    a("            <PolicyNames>")
    a("              <member>my-ProxyProtocol-policy</member>")
    a("            </PolicyNames>")
    a("          </member>")
    a("        </BackendServerDescriptions>")
    a("        <AvailabilityZones>")
    for z in zones:
        a("          <member>%s</member>" % z)
    a("        </AvailabilityZones>")
    a("        <Subnets>")
    for _ in zones:
        a("          <member>subnet-%017x</member>" % rng.getrandbits(68))
    a("        </Subnets>")
    a("        <VPCId>vpc-%017x</VPCId>" % rng.getrandbits(68))
    if instances:
        a("        <Instances>")
        for inst in instances:
            a("          <member>")
            a("            <InstanceId>%s</InstanceId>" % inst)
            a("          </member>")
        a("        </Instances>")
    else:
        a("        <Instances/>")
    a("        <HealthCheck>")
    a("          <Target>HTTP:8080/health</Target>")
    a("          <Interval>30</Interval>")
    a("          <Timeout>5</Timeout>")
    a("          <UnhealthyThreshold>2</UnhealthyThreshold>")
    a("          <HealthyThreshold>10</HealthyThreshold>")
    a("        </HealthCheck>")
    a("        <SourceSecurityGroup>")
    a("          <OwnerAlias>123456789012</OwnerAlias>")
    a("          <GroupName>%s-sg</GroupName>" % name)
    a("        </SourceSecurityGroup>")
    a("        <SecurityGroups>")
    a("          <member>sg-%017x</member>" % rng.getrandbits(68))
    a("        </SecurityGroups>")
    a("        <CreatedTime>2026-%02d-%02dT%02d:%02d:%02d.%03dZ</CreatedTime>" % (
        rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59),
        rng.randint(0, 999)))
    a("        <Scheme>internet-facing</Scheme>")
    a("      </member>")
    return "\n".join(x)


def describe_load_balancers(n, seed=2012):
    """The body of a DescribeLoadBalancers answer with ``n`` load balancers (bytes)."""
    rng = random.Random(seed)
    parts = ['<DescribeLoadBalancersResponse xmlns="%s">' % NS, "  <DescribeLoadBalancersResult>"]
    if n:
        parts.append("    <LoadBalancerDescriptions>")
        parts.extend(_lb(rng, i) for i in range(n))
        parts.append("    </LoadBalancerDescriptions>")
    else:
        parts.append("    <LoadBalancerDescriptions/>")
    parts += ["  </DescribeLoadBalancersResult>", "  <ResponseMetadata>",
              "    <RequestId>83c88b9d-12b7-11e3-8b82-87b12EXAMPLE</RequestId>", "  </ResponseMetadata>",
              "</DescribeLoadBalancersResponse>", ""]
    return "\n".join(parts).encode("utf-8")


if __name__ == "__main__":
    sys.stdout.buffer.write(describe_load_balancers(int(sys.argv[1])))
