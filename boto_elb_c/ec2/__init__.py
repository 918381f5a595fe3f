"""``boto.ec2``: only what ELB needs (:mod:`boto_elb_c.ec2.elb`, :mod:`boto_elb_c.ec2.instanceinfo`)."""
