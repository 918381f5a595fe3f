"""The ELB API's error codes as :class:`~boto_elb_c.exception.BotoServerError` subclasses.

A response whose ``<Code>`` is one of these raises that class; ``except BotoServerError`` still catches it and
``error_code`` is still the wire code. Each class is named after its wire code, and boto3's name for it (the
model's shape name, such as ``AccessPointNotFoundException``) is an alias::

    try:
        conn.get_all_load_balancers(['nope'])
    except boto_elb_c.ec2.elb.errors.LoadBalancerNotFound:
        ...

The same classes are on every connection as ``conn.exceptions`` (as in boto3).
"""
from __future__ import annotations

from boto_elb_c.exception import BotoServerError, register_error_code

__all__ = ["ELBResponseError", "CODES", "BOTO3_NAMES"]


class ELBResponseError(BotoServerError):
    """Base class of the ELB error codes."""


#: wire code -> the model's shape name (boto3's exception name); None where the code is not modelled
CODES = {
    "LoadBalancerNotFound": "AccessPointNotFoundException",
    "CertificateNotFound": "CertificateNotFoundException",
    "DependencyThrottle": "DependencyThrottleException",
    "DuplicateLoadBalancerName": "DuplicateAccessPointNameException",
    "DuplicateListener": "DuplicateListenerException",
    "DuplicatePolicyName": "DuplicatePolicyNameException",
    "DuplicateTagKeys": "DuplicateTagKeysException",
    "InvalidConfigurationRequest": "InvalidConfigurationRequestException",
    "InvalidInstance": "InvalidEndPointException",
    "InvalidScheme": "InvalidSchemeException",
    "InvalidSecurityGroup": "InvalidSecurityGroupException",
    "InvalidSubnet": "InvalidSubnetException",
    "ListenerNotFound": "ListenerNotFoundException",
    "LoadBalancerAttributeNotFound": "LoadBalancerAttributeNotFoundException",
    "OperationNotPermitted": "OperationNotPermittedException",
    "PolicyNotFound": "PolicyNotFoundException",
    "PolicyTypeNotFound": "PolicyTypeNotFoundException",
    "SubnetNotFound": "SubnetNotFoundException",
    "TooManyLoadBalancers": "TooManyAccessPointsException",
    "TooManyPolicies": "TooManyPoliciesException",
    "TooManyTags": "TooManyTagsException",
    "UnsupportedProtocol": "UnsupportedProtocolException",
    # returned by the service, not modelled
    "Throttling": None,
    "ValidationError": None,
}
BOTO3_NAMES: dict[str, type[ELBResponseError]] = {}


def _make(code: str, boto3_name: str | None) -> None:
    doc = "The service answered with error code ``%s``." % code
    if boto3_name:
        doc += " boto3 calls it ``%s``." % boto3_name
    cls = type(code, (ELBResponseError,), {"__doc__": doc, "__module__": __name__})
    globals()[code] = cls
    __all__.append(code)
    if boto3_name:
        globals()[boto3_name] = cls
        BOTO3_NAMES[boto3_name] = cls
        __all__.append(boto3_name)
    register_error_code(code, cls)


for _code, _name in CODES.items():
    _make(_code, _name)
del _code, _name

TYPE_CHECKING = False
if TYPE_CHECKING:
    # what _make() makes, spelled out for type checkers (tests/test_typing.py checks that the two agree)
    class LoadBalancerNotFound(ELBResponseError): ...
    AccessPointNotFoundException = LoadBalancerNotFound
    class CertificateNotFound(ELBResponseError): ...
    CertificateNotFoundException = CertificateNotFound
    class DependencyThrottle(ELBResponseError): ...
    DependencyThrottleException = DependencyThrottle
    class DuplicateLoadBalancerName(ELBResponseError): ...
    DuplicateAccessPointNameException = DuplicateLoadBalancerName
    class DuplicateListener(ELBResponseError): ...
    DuplicateListenerException = DuplicateListener
    class DuplicatePolicyName(ELBResponseError): ...
    DuplicatePolicyNameException = DuplicatePolicyName
    class DuplicateTagKeys(ELBResponseError): ...
    DuplicateTagKeysException = DuplicateTagKeys
    class InvalidConfigurationRequest(ELBResponseError): ...
    InvalidConfigurationRequestException = InvalidConfigurationRequest
    class InvalidInstance(ELBResponseError): ...
    InvalidEndPointException = InvalidInstance
    class InvalidScheme(ELBResponseError): ...
    InvalidSchemeException = InvalidScheme
    class InvalidSecurityGroup(ELBResponseError): ...
    InvalidSecurityGroupException = InvalidSecurityGroup
    class InvalidSubnet(ELBResponseError): ...
    InvalidSubnetException = InvalidSubnet
    class ListenerNotFound(ELBResponseError): ...
    ListenerNotFoundException = ListenerNotFound
    class LoadBalancerAttributeNotFound(ELBResponseError): ...
    LoadBalancerAttributeNotFoundException = LoadBalancerAttributeNotFound
    class OperationNotPermitted(ELBResponseError): ...
    OperationNotPermittedException = OperationNotPermitted
    class PolicyNotFound(ELBResponseError): ...
    PolicyNotFoundException = PolicyNotFound
    class PolicyTypeNotFound(ELBResponseError): ...
    PolicyTypeNotFoundException = PolicyTypeNotFound
    class SubnetNotFound(ELBResponseError): ...
    SubnetNotFoundException = SubnetNotFound
    class TooManyLoadBalancers(ELBResponseError): ...
    TooManyAccessPointsException = TooManyLoadBalancers
    class TooManyPolicies(ELBResponseError): ...
    TooManyPoliciesException = TooManyPolicies
    class TooManyTags(ELBResponseError): ...
    TooManyTagsException = TooManyTags
    class UnsupportedProtocol(ELBResponseError): ...
    UnsupportedProtocolException = UnsupportedProtocol
    class Throttling(ELBResponseError): ...
    class ValidationError(ELBResponseError): ...
