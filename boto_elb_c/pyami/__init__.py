"""boto's ``boto.pyami`` package; here it only holds :mod:`boto_elb_c.pyami.config`."""
