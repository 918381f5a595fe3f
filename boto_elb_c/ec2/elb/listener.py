"""``boto.ec2.elb.listener.Listener``: one port a load balancer listens on."""
from __future__ import annotations

from boto_elb_c.ec2.elb._sax import SaxMixin

from boto_elb_c.ec2.elb.listelement import ListElement

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Literal, Union, overload

    _Field = Union[int, str, None]

__all__ = ["Listener"]


class Listener(SaxMixin):
    """A load balancer listener.

    A Listener reads like the tuple it was made from: ``listener[0]`` is the load balancer port, ``[1]`` the
    instance port, ``[2]`` the protocol, ``[3]`` the instance protocol and ``[4]`` the certificate;
    ``tuple(listener)`` gives those five, and a listener equals a tuple of its first 3, 4 or 5 fields, so
    ``listener == (80, 8080, 'HTTP')`` holds. (boto 2's Listener raised KeyError past index 4, could not be
    iterated, and equalled no tuple.)

    :ivar int load_balancer_port: the port the load balancer listens on.
    :ivar int instance_port: the port traffic goes to on the instances.
    :ivar str protocol: ``'HTTP'``, ``'HTTPS'``, ``'TCP'`` or ``'SSL'``.
    :ivar str instance_protocol: the protocol to the instances (None: same as ``protocol``).
    :ivar str ssl_certificate_id: the certificate ARN for HTTPS/SSL.
    :ivar policy_names: the names of the policies on this listener.
    """

    def __init__(self, load_balancer: object = None, load_balancer_port: int = 0, instance_port: int = 0,
                 protocol: str = "", ssl_certificate_id: str | None = None,
                 instance_protocol: str | None = None) -> None:
        self.load_balancer = load_balancer
        self.load_balancer_port = load_balancer_port
        self.instance_port = instance_port
        self.protocol = protocol
        self.instance_protocol = instance_protocol
        self.ssl_certificate_id = ssl_certificate_id
        self.policy_names = ListElement()

    def __repr__(self) -> str:
        r = "(%s, %s, '%s'" % (self.load_balancer_port, self.instance_port, self.protocol)
        if self.instance_protocol:
            r += ", '%s'" % self.instance_protocol
        if self.ssl_certificate_id:
            r += ", %s" % self.ssl_certificate_id
        r += ")"
        return r

    def get_tuple(self) -> tuple[int, int, str]:
        """``(load_balancer_port, instance_port, protocol)``"""
        return self.load_balancer_port, self.instance_port, self.protocol

    def get_complex_tuple(self) -> tuple[int, int, str, str | None]:
        """``(load_balancer_port, instance_port, protocol, instance_protocol)``"""
        return self.load_balancer_port, self.instance_port, self.protocol, self.instance_protocol

    def _fields(self) -> tuple[int, int, str, str | None, str | None]:
        return (self.load_balancer_port, self.instance_port, self.protocol, self.instance_protocol,
                self.ssl_certificate_id)

    if TYPE_CHECKING:
        # like the tuple (load_balancer_port, instance_port, protocol, instance_protocol, ssl_certificate_id)
        @overload
        def __getitem__(self, key: Literal[0, 1, -5, -4]) -> int: ...
        @overload
        def __getitem__(self, key: Literal[2, -3]) -> str: ...
        @overload
        def __getitem__(self, key: Literal[3, 4, -2, -1]) -> str | None: ...
        @overload
        def __getitem__(self, key: int) -> _Field: ...
        @overload
        def __getitem__(self, key: slice) -> tuple[_Field, ...]: ...

    def __getitem__(self, key: int | slice) -> _Field | tuple[_Field, ...]:
        return self._fields()[key]

    def __len__(self) -> int:
        return 5

    def __iter__(self) -> Iterator[_Field]:
        return iter(self._fields())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Listener):
            return self._fields() == other._fields()
        if isinstance(other, (tuple, list)) and 3 <= len(other) <= 5:
            return self._fields()[:len(other)] == tuple(other)
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self) -> int:
        return hash(self._fields())
