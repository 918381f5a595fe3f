"""moto with its signature checks on (shared/reference/moto-peer.md section 4): moto recomputes every request's
SigV4 signature with botocore from the key of an IAM user it created, so a call that passes was signed exactly
as AWS expects. A wrong secret is refused with 403 SignatureDoesNotMatch, an unknown key with 403
InvalidClientTokenId."""
import pytest

import boto_elb_c
from boto_elb_c.ec2.elb.healthcheck import HealthCheck
from boto_elb_c.exception import BotoServerError

ODD = "a b * ~ + & = / : café"


@pytest.fixture
def auth(moto):
    """(access key, secret) of an IAM user on the moto server, with signature checking switched on."""
    try:
        key = moto.enable_auth()
        yield key
    finally:
        moto.disable_auth()  # before the next test's reset, or the reset IAM would lock everyone out


def connect(moto, access_key, secret_key, **kw):
    return boto_elb_c.connect_elb(access_key, secret_key, endpoint_url=moto.endpoint, **kw)


def test_signed_calls_are_accepted(moto, auth):
    conn = connect(moto, *auth)
    assert conn.get_all_load_balancers() == []
    lb = conn.create_load_balancer("auth-lb", ["us-east-1a"], [(80, 8080, "http"), (443, 8443, "tcp")])
    assert lb.name == "auth-lb"
    hc = HealthCheck(interval=20, target="HTTP:8080/" + ODD, healthy_threshold=3, unhealthy_threshold=5, timeout=5)
    assert conn.configure_health_check("auth-lb", hc).target == "HTTP:8080/" + ODD
    (described,) = conn.get_all_load_balancers(load_balancer_names=["auth-lb"])
    assert described.health_check.target == "HTTP:8080/" + ODD
    assert sorted(l.load_balancer_port for l in described.listeners) == [80, 443]


def test_odd_values_in_a_refused_call_are_signed_right_too(moto, auth):
    # the service answers (400 LoadBalancerNotFound), so the signature over these values was accepted
    conn = connect(moto, *auth)
    with pytest.raises(BotoServerError) as e:
        conn.get_all_load_balancers(load_balancer_names=[ODD, "x" * 300])
    assert e.value.status == 400 and e.value.error_code == "LoadBalancerNotFound"


def test_another_signing_region_is_accepted(moto, auth):
    conn = boto_elb_c.ec2.elb.connect_to_region("eu-west-1", aws_access_key_id=auth[0], aws_secret_access_key=auth[1],
                                                endpoint_url=moto.endpoint)
    assert conn.auth_region_name == "eu-west-1"
    assert conn.get_all_load_balancers() == []


def test_a_wrong_secret_is_refused(moto, auth):
    access_key, secret = auth
    wrong = secret[:-1] + ("x" if secret[-1] != "x" else "y")
    conn = connect(moto, access_key, wrong)
    with pytest.raises(BotoServerError) as e:
        conn.get_all_load_balancers()
    assert e.value.status == 403 and e.value.error_code == "SignatureDoesNotMatch"
    assert conn._clock_offset == 0  # moto's Date agrees with our clock: not taken for a skew
    assert secret not in str(e.value) and wrong not in str(e.value) and wrong not in repr(e.value)


def test_an_unknown_key_is_refused(moto, auth):
    conn = connect(moto, "AKIAUNKNOWNKEY000000", auth[1])
    with pytest.raises(BotoServerError) as e:
        conn.get_all_load_balancers()
    assert e.value.status == 403 and e.value.error_code == "InvalidClientTokenId"
