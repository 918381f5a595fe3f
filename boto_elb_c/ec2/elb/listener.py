"""``boto.ec2.elb.listener.Listener``: one port a load balancer listens on."""

from boto_elb_c.ec2.elb.listelement import ListElement

__all__ = ["Listener"]


class Listener(object):
    """A load balancer listener.

    :ivar int load_balancer_port: the port the load balancer listens on.
    :ivar int instance_port: the port traffic goes to on the instances.
    :ivar str protocol: ``'HTTP'``, ``'HTTPS'``, ``'TCP'`` or ``'SSL'``.
    :ivar str instance_protocol: the protocol to the instances (None: same as ``protocol``).
    :ivar str ssl_certificate_id: the certificate ARN for HTTPS/SSL.
    :ivar policy_names: the names of the policies on this listener.
    """

    def __init__(self, load_balancer=None, load_balancer_port=0, instance_port=0, protocol="",
                 ssl_certificate_id=None, instance_protocol=None):
        self.load_balancer = load_balancer
        self.load_balancer_port = load_balancer_port
        self.instance_port = instance_port
        self.protocol = protocol
        self.instance_protocol = instance_protocol
        self.ssl_certificate_id = ssl_certificate_id
        self.policy_names = ListElement()

    def __repr__(self):
        r = "(%d, %d, '%s'" % (self.load_balancer_port, self.instance_port, self.protocol)
        if self.instance_protocol:
            r += ", '%s'" % self.instance_protocol
        if self.ssl_certificate_id:
            r += ", %s" % self.ssl_certificate_id
        r += ")"
        return r

    def get_tuple(self):
        return self.load_balancer_port, self.instance_port, self.protocol

    def get_complex_tuple(self):
        return self.load_balancer_port, self.instance_port, self.protocol, self.instance_protocol

    def __getitem__(self, key):
        if key == 0:
            return self.load_balancer_port
        if key == 1:
            return self.instance_port
        if key == 2:
            return self.protocol
        if key == 3:
            return self.instance_protocol
        if key == 4:
            return self.ssl_certificate_id
        raise KeyError
