"""``boto_elb_c.install_as_boto()`` makes boto 2 code resolve to boto_elb_c."""
import textwrap

from conftest import run_python


def run(code):
    return run_python(["-c", textwrap.dedent(code)])


def test_boto_names_resolve_to_this_package():
    out = run("""
        import boto_elb_c
        boto_elb_c.install_as_boto()
        import boto
        import boto.ec2.elb
        from boto.ec2.elb import HealthCheck
        from boto.regioninfo import RegionInfo
        from boto.exception import BotoServerError
        from boto.ec2.elb.loadbalancer import LoadBalancer
        from boto.resultset import ResultSet
        assert boto is boto_elb_c
        assert boto.ec2.elb is boto_elb_c.ec2.elb
        assert HealthCheck is boto_elb_c.ec2.elb.HealthCheck
        assert RegionInfo is boto_elb_c.regioninfo.RegionInfo
        assert BotoServerError is boto_elb_c.exception.BotoServerError
        conn = boto.connect_elb('AK', 'SK')
        assert type(conn) is boto_elb_c.ec2.elb.ELBConnection
        print(repr(conn), boto.ec2.elb.regions()[0])
    """)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("ELBConnection:elasticloadbalancing.us-east-1.amazonaws.com RegionInfo:")


def test_other_boto_modules_stay_missing():
    out = run("""
        import boto_elb_c
        boto_elb_c.install_as_boto()
        try:
            import boto.s3
        except ImportError:
            print('no s3')
    """)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "no s3"
