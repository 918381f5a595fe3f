"""``boto.ec2.elb.policies``: the stickiness and other policies of a load balancer."""
from __future__ import annotations

from boto_elb_c.ec2.elb._sax import SaxMixin

from boto_elb_c.ec2.elb.keyvalue import KeyValueDict
from boto_elb_c.resultset import ResultSet  # noqa: F401  (boto's module exposes it)

__all__ = [
    "AppCookieStickinessPolicy",
    "LBCookieStickinessPolicy",
    "OtherPolicy",
    "Policies",
    "PolicyDescription",
    "PolicyAttributeType",
    "PolicyTypeDescription",
]


class AppCookieStickinessPolicy(SaxMixin):
    """Stickiness that follows an application cookie.

    :ivar str cookie_name: the application's cookie.
    :ivar str policy_name: the policy name.
    """

    def __init__(self, connection: object = None) -> None:
        self.cookie_name: str | None = None
        self.policy_name: str | None = None

    def __repr__(self) -> str:
        return "AppCookieStickiness(%s, %s)" % (self.policy_name, self.cookie_name)


class LBCookieStickinessPolicy(SaxMixin):
    """Stickiness with a cookie the load balancer issues.

    :ivar str policy_name: the policy name.
    :ivar str cookie_expiration_period: seconds, as the service sent it (a str, as in boto).
    """

    def __init__(self, connection: object = None) -> None:
        self.policy_name: str | None = None
        self.cookie_expiration_period: str | None = None

    def __repr__(self) -> str:
        return "LBCookieStickiness(%s, %s)" % (self.policy_name, self.cookie_expiration_period)


class OtherPolicy(SaxMixin):
    """Any other policy, known by name only.

    :ivar str policy_name: the policy name.
    """

    def __init__(self, connection: object = None) -> None:
        self.policy_name: str | None = None

    def __repr__(self) -> str:
        return "OtherPolicy(%s)" % self.policy_name


class Policies(SaxMixin):
    """The policies of a load balancer, by kind.

    :ivar app_cookie_stickiness_policies: ResultSet of :class:`AppCookieStickinessPolicy` (None if absent).
    :ivar lb_cookie_stickiness_policies: ResultSet of :class:`LBCookieStickinessPolicy` (None if absent).
    :ivar other_policies: ResultSet of :class:`OtherPolicy` (None if absent).
    """

    def __init__(self, connection: object = None) -> None:
        self.connection = connection
        self.app_cookie_stickiness_policies: ResultSet[AppCookieStickinessPolicy] | None = None
        self.lb_cookie_stickiness_policies: ResultSet[LBCookieStickinessPolicy] | None = None
        self.other_policies: ResultSet[OtherPolicy] | None = None

    def __repr__(self) -> str:
        app = "AppCookieStickiness%s" % self.app_cookie_stickiness_policies
        lb = "LBCookieStickiness%s" % self.lb_cookie_stickiness_policies
        other = "Other%s" % self.other_policies
        return "Policies(%s,%s,%s)" % (app, lb, other)


class PolicyDescription(SaxMixin):
    """One policy of a load balancer with its attributes (DescribeLoadBalancerPolicies; not in boto 2).

    :ivar str policy_name:
    :ivar str policy_type_name:
    :ivar dict attributes: ``{attribute name: value}``
    """

    def __init__(self, connection: object = None) -> None:
        self.connection = connection
        self.policy_name: str | None = None
        self.policy_type_name: str | None = None
        self.attributes = KeyValueDict()

    def __repr__(self) -> str:
        return "PolicyDescription(%s, %s)" % (self.policy_name, self.policy_type_name)


class PolicyAttributeType(SaxMixin):
    """One attribute a policy type takes.

    :ivar str attribute_name:
    :ivar str attribute_type:
    :ivar str description:
    :ivar str default_value:
    :ivar str cardinality: ``'ONE'``, ``'ZERO_OR_ONE'``, ``'ZERO_OR_MORE'``, ``'ONE_OR_MORE'``
    """

    def __init__(self, connection: object = None) -> None:
        self.attribute_name: str | None = None
        self.attribute_type: str | None = None
        self.description: str | None = None
        self.default_value: str | None = None
        self.cardinality: str | None = None

    def __repr__(self) -> str:
        return "PolicyAttributeType(%s, %s)" % (self.attribute_name, self.attribute_type)


class PolicyTypeDescription(SaxMixin):
    """A policy type (DescribeLoadBalancerPolicyTypes; not in boto 2).

    :ivar str policy_type_name:
    :ivar str description:
    :ivar attribute_types: list of :class:`PolicyAttributeType`
    """

    def __init__(self, connection: object = None) -> None:
        self.connection = connection
        self.policy_type_name: str | None = None
        self.description: str | None = None
        self.attribute_types: list[PolicyAttributeType] = []

    def __repr__(self) -> str:
        return "PolicyTypeDescription(%s)" % self.policy_type_name
