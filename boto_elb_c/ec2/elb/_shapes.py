"""The one table that joins the C parser to boto's object model: XML element -> (class, attribute, converter).

Every response the connection parses is read with a root object and one of the shapes below. For the object
on top, each element is either:

* ``text(attr, conv)``: a leaf whose text becomes ``attr`` (converted to int or bool if asked);
* ``item(conv)``: a leaf whose text is appended (the object is a list);
* ``child(attr, shape, arg)``: a new object ``cls(arg)`` set as ``attr``; the element's content fills it;
* ``append(shape, arg)``: a new object appended to the object on top (a ResultSet's marker element);
* ``IGNORED``: skipped;
* anything else: transparent (its children are read by the same object); a leaf nobody names becomes an
  attribute under its own name, unless the object already has that attribute or the name is private.

``arg`` is what the new object's class is called with, as boto does it: the connection, the parent object, or
nothing. This module is the only place that knows element names.
"""
from __future__ import annotations

import sys

from boto_elb_c import _core
from boto_elb_c.ec2.elb.attributes import (
    AccessLogAttribute,
    ConnectionDrainingAttribute,
    ConnectionSettingAttribute,
    CrossZoneLoadBalancingAttribute,
    LbAttributes,
)
from boto_elb_c.ec2.elb.healthcheck import HealthCheck
from boto_elb_c.ec2.elb.instancestate import InstanceState
from boto_elb_c.ec2.elb.listelement import ListElement
from boto_elb_c.ec2.elb.listener import Listener
from boto_elb_c.ec2.elb.keyvalue import KeyValue, KeyValueDict
from boto_elb_c.ec2.elb.limits import AccountLimit
from boto_elb_c.ec2.elb.loadbalancer import Backend, LoadBalancer, LoadBalancerZones
from boto_elb_c.ec2.elb.policies import (
    AppCookieStickinessPolicy,
    LBCookieStickinessPolicy,
    OtherPolicy,
    Policies,
    PolicyAttributeType,
    PolicyDescription,
    PolicyTypeDescription,
)
from boto_elb_c.ec2.elb.tags import TagDescription, TagSet
from boto_elb_c.ec2.elb.securitygroup import SecurityGroup
from boto_elb_c.ec2.instanceinfo import InstanceInfo
from boto_elb_c.resultset import ResultSet

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any, Optional

    # (kind, attribute, converter, child shape name, ctor argument). The attribute is a str for the SET kinds and
    # None for the others, the child shape a str for the *_CHILD kinds and None for the others: typed Any, since
    # which it is follows from the kind (text(), item(), child() and append() below are typed precisely)
    _Rule = tuple[int, Any, int, Any, int]
    # what _core.install_shapes takes for one class (see boto_elb_c/_core.pyi)
    _InitSpec = Optional[tuple[type, tuple[str, ...], tuple[int, ...], tuple[object, ...]]]
    _ClassSpec = tuple[Callable[..., object], Optional[str], int, bool,
                       list[tuple[int, int, Optional[str], int, int, int]], Optional[str], _InitSpec]

# converters
STR, INT, BOOL = 0, 1, 2
# what a new object's class is called with
NONE, CONNECTION, PARENT = 0, 1, 2
# rule kinds (ext/xml.c)
_SET_TEXT, _APPEND_TEXT, _SET_CHILD, _APPEND_CHILD, _IGNORE = range(5)


def text(attr: str, conv: int = STR) -> _Rule:
    return (_SET_TEXT, attr, conv, None, NONE)


def item(conv: int = STR) -> _Rule:
    return (_APPEND_TEXT, None, conv, None, NONE)


def child(attr: str, shape: str, arg: int = NONE) -> _Rule:
    return (_SET_CHILD, attr, STR, shape, arg)


def append(shape: str, arg: int = CONNECTION) -> _Rule:
    return (_APPEND_CHILD, None, STR, shape, arg)


IGNORED: _Rule = (_IGNORE, None, STR, None, NONE)


class Shape(object):
    """How to fill one class. ``end_hook`` names a method called (with no arguments) when the object's element
    closes, as boto's handler called ``endNode``."""

    def __init__(self, cls: Callable[..., object], rules: dict[str, _Rule] | None = None, text_attr: str | None = None,
                 text_conv: int = STR, setattr_unknown: bool = True, end_hook: str | None = None) -> None:
        self.cls = cls
        self.rules = rules or {}
        self.text_attr = text_attr
        self.text_conv = text_conv
        self.setattr_unknown = setattr_unknown
        self.end_hook = end_hook


# the paging fields of any ResultSet (boto's ResultSet.endElement)
_PAGING: dict[str, _Rule] = {
    "NextMarker": text("next_marker"),
    "Marker": text("marker"),
    "IsTruncated": text("is_truncated", BOOL),
    "NextToken": text("next_token"),
    "nextToken": text("next_token"),
}


def result_set(member_shape: str, member_cls: type, arg: int = CONNECTION) -> Shape:
    """A ResultSet whose ``<member>`` elements become ``member_shape`` objects."""

    def make_result_set(*_ignored: object) -> ResultSet[object]:
        return ResultSet([("member", member_cls)])

    rules = dict(_PAGING)
    rules["member"] = append(member_shape, arg)
    return Shape(make_result_set, rules)


SHAPES = {
    # --- lists ---
    "ResultSet": Shape(ResultSet, dict(_PAGING)),
    "ListElement": Shape(ListElement, {"member": item()}, setattr_unknown=False),
    "ResultSet[LoadBalancer]": result_set("LoadBalancer", LoadBalancer),
    "ResultSet[Listener]": result_set("Listener", Listener),
    "ResultSet[InstanceInfo]": result_set("InstanceInfo", InstanceInfo),
    "ResultSet[InstanceState]": result_set("InstanceState", InstanceState),
    "ResultSet[Backend]": result_set("Backend", Backend),
    "ResultSet[OtherPolicy]": result_set("OtherPolicy", OtherPolicy),
    "ResultSet[AppCookieStickinessPolicy]": result_set("AppCookieStickinessPolicy", AppCookieStickinessPolicy),
    "ResultSet[LBCookieStickinessPolicy]": result_set("LBCookieStickinessPolicy", LBCookieStickinessPolicy),
    "ResultSet[str]": Shape(ResultSet, dict(_PAGING, member=item())),
    "ResultSet[PolicyDescription]": result_set("PolicyDescription", PolicyDescription),
    "ResultSet[PolicyTypeDescription]": result_set("PolicyTypeDescription", PolicyTypeDescription),
    "ResultSet[PolicyAttributeType]": result_set("PolicyAttributeType", PolicyAttributeType),
    "ResultSet[AccountLimit]": result_set("AccountLimit", AccountLimit),
    "ResultSet[TagDescription]": result_set("TagDescription", TagDescription),
    "KeyValueDict": Shape(KeyValueDict, {"member": append("KeyValue", NONE)}, setattr_unknown=False,
                          end_hook="_finish"),
    "TagSet": Shape(TagSet, {"member": append("KeyValue", NONE)}, setattr_unknown=False, end_hook="_finish"),
    "KeyValue": Shape(KeyValue, {
        "Key": text("key"),
        "Value": text("value"),
        "AttributeName": text("key"),
        "AttributeValue": text("value"),
    }, setattr_unknown=False),
    # --- objects ---
    "LoadBalancer": Shape(LoadBalancer, {
        "LoadBalancerName": text("name"),
        "DNSName": text("dns_name"),
        "CreatedTime": text("created_time"),
        "CanonicalHostedZoneName": text("canonical_hosted_zone_name"),
        "CanonicalHostedZoneNameID": text("canonical_hosted_zone_name_id"),
        "VPCId": text("vpc_id"),
        "Scheme": text("scheme"),
        "HealthCheck": child("health_check", "HealthCheck", PARENT),
        "ListenerDescriptions": child("listeners", "ResultSet[Listener]"),
        "AvailabilityZones": child("availability_zones", "ListElement"),
        "Subnets": child("subnets", "ListElement"),
        "SecurityGroups": child("security_groups", "ListElement"),
        "Instances": child("instances", "ResultSet[InstanceInfo]"),
        "Policies": child("policies", "Policies", PARENT),
        "SourceSecurityGroup": child("source_security_group", "SecurityGroup"),
        "BackendServerDescriptions": child("backends", "ResultSet[Backend]"),
    }),
    "HealthCheck": Shape(HealthCheck, {
        "Interval": text("interval", INT),
        "Target": text("target"),
        "HealthyThreshold": text("healthy_threshold", INT),
        "Timeout": text("timeout", INT),
        "UnhealthyThreshold": text("unhealthy_threshold", INT),
    }),
    "Listener": Shape(Listener, {
        "LoadBalancerPort": text("load_balancer_port", INT),
        "InstancePort": text("instance_port", INT),
        "Protocol": text("protocol"),
        "InstanceProtocol": text("instance_protocol"),
        "SSLCertificateId": text("ssl_certificate_id"),
        "PolicyNames": child("policy_names", "ListElement"),
    }),
    "InstanceInfo": Shape(InstanceInfo, {
        "InstanceId": text("id"),
        "instanceId": text("id"),
        "state": text("state"),
    }),
    "InstanceState": Shape(InstanceState, {
        "Description": text("description"),
        "State": text("state"),
        "InstanceId": text("instance_id"),
        "ReasonCode": text("reason_code"),
    }),
    "SecurityGroup": Shape(SecurityGroup, {"GroupName": text("name"), "OwnerAlias": text("owner_alias")}),
    "Backend": Shape(Backend, {
        "InstancePort": text("instance_port", INT),
        "PolicyNames": child("policies", "ResultSet[OtherPolicy]"),
    }),
    "Policies": Shape(Policies, {
        "AppCookieStickinessPolicies": child("app_cookie_stickiness_policies", "ResultSet[AppCookieStickinessPolicy]"),
        "LBCookieStickinessPolicies": child("lb_cookie_stickiness_policies", "ResultSet[LBCookieStickinessPolicy]"),
        "OtherPolicies": child("other_policies", "ResultSet[OtherPolicy]"),
    }),
    "AppCookieStickinessPolicy": Shape(AppCookieStickinessPolicy, {
        "CookieName": text("cookie_name"),
        "PolicyName": text("policy_name"),
    }),
    "LBCookieStickinessPolicy": Shape(LBCookieStickinessPolicy, {
        "PolicyName": text("policy_name"),
        "CookieExpirationPeriod": text("cookie_expiration_period"),
    }),
    "OtherPolicy": Shape(OtherPolicy, text_attr="policy_name"),
    "LoadBalancerZones": Shape(LoadBalancerZones, {"AvailabilityZones": child("zones", "ListElement")}),
    "LbAttributes": Shape(LbAttributes, {
        "CrossZoneLoadBalancing": child("cross_zone_load_balancing", "CrossZoneLoadBalancingAttribute", CONNECTION),
        "AccessLog": child("access_log", "AccessLogAttribute", CONNECTION),
        "ConnectionDraining": child("connection_draining", "ConnectionDrainingAttribute", CONNECTION),
        "ConnectionSettings": child("connecting_settings", "ConnectionSettingAttribute", CONNECTION),
        "AdditionalAttributes": child("additional_attributes", "KeyValueDict"),
    }, setattr_unknown=False),
    "CrossZoneLoadBalancingAttribute": Shape(CrossZoneLoadBalancingAttribute, {"Enabled": text("enabled", BOOL)}),
    "AccessLogAttribute": Shape(AccessLogAttribute, {
        "Enabled": text("enabled", BOOL),
        "S3BucketName": text("s3_bucket_name"),
        "S3BucketPrefix": text("s3_bucket_prefix"),
        "EmitInterval": text("emit_interval", INT),
    }),
    "ConnectionDrainingAttribute": Shape(ConnectionDrainingAttribute, {
        "Enabled": text("enabled", BOOL),
        "Timeout": text("timeout", INT),
    }),
    "ConnectionSettingAttribute": Shape(ConnectionSettingAttribute, {"IdleTimeout": text("idle_timeout", INT)}),
    "PolicyDescription": Shape(PolicyDescription, {
        "PolicyName": text("policy_name"),
        "PolicyTypeName": text("policy_type_name"),
        "PolicyAttributeDescriptions": child("attributes", "KeyValueDict"),
    }),
    "PolicyTypeDescription": Shape(PolicyTypeDescription, {
        "PolicyTypeName": text("policy_type_name"),
        "Description": text("description"),
        "PolicyAttributeTypeDescriptions": child("attribute_types", "ResultSet[PolicyAttributeType]"),
    }),
    "PolicyAttributeType": Shape(PolicyAttributeType, {
        "AttributeName": text("attribute_name"),
        "AttributeType": text("attribute_type"),
        "Description": text("description"),
        "DefaultValue": text("default_value"),
        "Cardinality": text("cardinality"),
    }),
    "AccountLimit": Shape(AccountLimit, {"Name": text("name"), "Max": text("max")}),
    "TagDescription": Shape(TagDescription, {
        "LoadBalancerName": text("load_balancer_name"),
        "Tags": child("tags", "TagSet"),
    }),
}

#: shape name -> the class index the C parser takes
INDEX: dict[str, int] = {}
#: class -> the name of its shape (the first one listed for it), for the SAX methods of boto_elb_c.ec2.elb._sax
SHAPE_BY_CLASS: dict[type, str] = {}
for _name, _shape in SHAPES.items():
    if isinstance(_shape.cls, type):
        SHAPE_BY_CLASS.setdefault(_shape.cls, _name)
del _name, _shape
#: the root shape for a ``get_object`` class, and for ``get_list`` markers
OBJECT_SHAPES: dict[Callable[..., object], str] = {
    LoadBalancer: "LoadBalancer",
    HealthCheck: "HealthCheck",
    LoadBalancerZones: "LoadBalancerZones",
    LbAttributes: "LbAttributes",
}
LIST_SHAPES: dict[Callable[..., object], str] = {
    LoadBalancer: "ResultSet[LoadBalancer]",
    Listener: "ResultSet[Listener]",
    InstanceInfo: "ResultSet[InstanceInfo]",
    InstanceState: "ResultSet[InstanceState]",
    Backend: "ResultSet[Backend]",
    OtherPolicy: "ResultSet[OtherPolicy]",
    PolicyDescription: "ResultSet[PolicyDescription]",
    PolicyTypeDescription: "ResultSet[PolicyTypeDescription]",
    AccountLimit: "ResultSet[AccountLimit]",
    TagDescription: "ResultSet[TagDescription]",
}


_PROBE = object()
_IMMUTABLE = (type(None), bool, int, float, complex, str, bytes, tuple, frozenset)
INIT_CONST, INIT_ARG, INIT_FACTORY, INIT_DEFERRED = 0, 1, 2, 3


def _init_spec(shape: Shape, args_used: set[int]) -> _InitSpec:
    """How to build the shape's objects without running ``__init__``: ``(type, names, kinds, values)``, read off
    one object made the normal way, or None when the class does more than plain attribute assignment (then the
    C builder calls ``cls(arg)``). ``args_used`` is the set of ctor-argument kinds the table's rules use for it.
    tests/core/test_xml.py checks both ways give equal objects."""
    with_arg = bool(args_used - {NONE})
    try:
        obj = shape.cls(_PROBE) if with_arg else shape.cls()
    except TypeError:
        return None
    if with_arg and NONE in args_used:
        # also made without an argument: the argument's attribute must default to None then
        plain = shape.cls()
        if any(v is _PROBE and getattr(plain, k, _PROBE) is not None for k, v in vars(obj).items()):
            return None
    t = type(obj)
    if "__slots__" in vars(t) or not hasattr(obj, "__dict__"):
        return None
    if isinstance(obj, (list, dict)) and len(obj):
        return None
    names: list[str]
    kinds: list[int]
    values: list[object]
    names, kinds, values = [], [], []
    for name, value in vars(obj).items():
        if value is _PROBE:
            kinds.append(INIT_ARG)
            values.append(None)
        elif type(value) in _IMMUTABLE:
            kinds.append(INIT_CONST)
            values.append(value)
        elif name == "markers" and isinstance(obj, ResultSet) and type(value) is list:
            # a ResultSet's (element, class) pairs: never mutated, so every nested ResultSet can share them
            kinds.append(INIT_CONST)
            values.append(value)
        elif isinstance(value, (list, dict)) and not len(value) and not getattr(value, "__dict__", {}).keys() - {
                "_pending"}:
            # an empty container: made for each object. If an element of the object's content replaces it
            # (AvailabilityZones -> availability_zones), it is made only when that element was absent.
            replaced = any(rule[0] == _SET_CHILD and rule[1] == name for rule in shape.rules.values())
            kinds.append(INIT_DEFERRED if replaced else INIT_FACTORY)
            values.append(type(value))
        else:
            return None
        names.append(sys.intern(name))
    return (t, tuple(names), tuple(kinds), tuple(values))


def _compile(shapes: dict[str, Shape]) -> tuple[list[str], list[_ClassSpec], dict[str, int]]:
    names = sorted({name for shape in shapes.values() for name in shape.rules})
    name_index = {n: i for i, n in enumerate(names)}
    order = list(shapes)
    index = {n: i for i, n in enumerate(order)}
    classes: list[_ClassSpec] = []
    for shape_name in order:
        shape = shapes[shape_name]
        rules: list[tuple[int, int, str | None, int, int, int]] = []
        for elem, (kind, attr, conv, child_shape, arg) in sorted(shape.rules.items()):
            if child_shape is not None and child_shape not in index:
                raise ValueError("shape %r names an unknown shape %r" % (shape_name, child_shape))
            rules.append((name_index[elem], kind, attr, conv, index[child_shape] if child_shape else -1, arg))
        args_used = {rule[4] for other in shapes.values() for rule in other.rules.values() if rule[3] == shape_name}
        classes.append((shape.cls, shape.text_attr, shape.text_conv, shape.setattr_unknown, rules, shape.end_hook,
                        _init_spec(shape, args_used or {NONE})))
    return names, classes, index


def install() -> None:
    names, classes, index = _compile(SHAPES)
    _core.install_shapes(names, classes)
    INDEX.clear()
    INDEX.update(index)


def shape_for_markers(markers: Sequence[tuple[str, type]] | None) -> int | None:
    """The shape index of a ResultSet for boto-style markers ``[('member', cls)]``, or None."""
    if markers is None or markers == []:
        return INDEX["ResultSet"]
    if len(markers) == 1 and markers[0][0] == "member" and markers[0][1] in LIST_SHAPES:
        return INDEX[LIST_SHAPES[markers[0][1]]]
    return None


def shape_for_class(cls: Callable[..., object]) -> int | None:
    """The shape index of an object of class ``cls`` (for ``get_object``), or None."""
    name = OBJECT_SHAPES.get(cls)
    return INDEX[name] if name else None


install()
