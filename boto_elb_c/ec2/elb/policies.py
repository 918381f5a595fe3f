"""``boto.ec2.elb.policies``: the stickiness and other policies of a load balancer."""

__all__ = ["AppCookieStickinessPolicy", "LBCookieStickinessPolicy", "OtherPolicy", "Policies"]


class AppCookieStickinessPolicy(object):
    """Stickiness that follows an application cookie.

    :ivar str cookie_name: the application's cookie.
    :ivar str policy_name: the policy name.
    """

    def __init__(self, connection=None):
        self.cookie_name = None
        self.policy_name = None

    def __repr__(self):
        return "AppCookieStickiness(%s, %s)" % (self.policy_name, self.cookie_name)


class LBCookieStickinessPolicy(object):
    """Stickiness with a cookie the load balancer issues.

    :ivar str policy_name: the policy name.
    :ivar str cookie_expiration_period: seconds, as the service sent it (a str, as in boto).
    """

    def __init__(self, connection=None):
        self.policy_name = None
        self.cookie_expiration_period = None

    def __repr__(self):
        return "LBCookieStickiness(%s, %s)" % (self.policy_name, self.cookie_expiration_period)


class OtherPolicy(object):
    """Any other policy, known by name only.

    :ivar str policy_name: the policy name.
    """

    def __init__(self, connection=None):
        self.policy_name = None

    def __repr__(self):
        return "OtherPolicy(%s)" % self.policy_name


class Policies(object):
    """The policies of a load balancer, by kind.

    :ivar app_cookie_stickiness_policies: ResultSet of :class:`AppCookieStickinessPolicy` (None if absent).
    :ivar lb_cookie_stickiness_policies: ResultSet of :class:`LBCookieStickinessPolicy` (None if absent).
    :ivar other_policies: ResultSet of :class:`OtherPolicy` (None if absent).
    """

    def __init__(self, connection=None):
        self.connection = connection
        self.app_cookie_stickiness_policies = None
        self.lb_cookie_stickiness_policies = None
        self.other_policies = None

    def __repr__(self):
        app = "AppCookieStickiness%s" % self.app_cookie_stickiness_policies
        lb = "LBCookieStickiness%s" % self.lb_cookie_stickiness_policies
        other = "Other%s" % self.other_policies
        return "Policies(%s,%s,%s)" % (app, lb, other)
