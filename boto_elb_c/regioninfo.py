"""``boto.regioninfo``: a region's name and endpoint, and the connection class that reaches it."""
from __future__ import annotations

import weakref

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from boto_elb_c.connection import AWSQueryConnection
    from boto_elb_c.ec2.elb import ELBConnection

__all__ = ["RegionInfo", "load_regions", "get_regions", "connect"]


class RegionInfo(object):
    """Represents an AWS region.

    :ivar connection: the connection this region came from, if any. It is held weakly (when it can be): the
        connection holds its region, and a strong reference back would make a cycle that keeps the connection,
        its CURL handles and their sockets alive until the cycle collector happens to run.
    :ivar str name: the region name (``'us-east-1'``); it is also the SigV4 signing region.
    :ivar str endpoint: the endpoint host name (``'elasticloadbalancing.us-east-1.amazonaws.com'``).
    :ivar connection_cls: the class :meth:`connect` instantiates.
    """

    def __init__(self, connection: AWSQueryConnection | None = None, name: str | None = None,
                 endpoint: str | None = None, connection_cls: type[ELBConnection] | None = None) -> None:
        self.connection = connection
        self.name = name
        self.endpoint = endpoint
        self.connection_cls = connection_cls

    @property
    def connection(self) -> AWSQueryConnection | None:
        held = self._connection
        return held() if isinstance(held, weakref.ref) else held

    @connection.setter
    def connection(self, value: AWSQueryConnection | None) -> None:
        try:
            self._connection: Any = weakref.ref(value) if value is not None else None
        except TypeError:  # an object without weak references is held as it is
            self._connection = value

    def __repr__(self) -> str:
        return "RegionInfo:%s" % self.name

    # boto's SAX interface, kept for code that parses EC2-style region lists with it
    def startElement(self, name: str, attrs: object, connection: object) -> None:
        return None

    def endElement(self, name: str, value: str, connection: object) -> None:
        if name == "regionName":
            self.name = value
        elif name == "regionEndpoint":
            self.endpoint = value
        else:
            setattr(self, name, value)

    def connect(self, **kw_params: Any) -> ELBConnection | None:
        """Connect to this region's endpoint with ``connection_cls(region=self, **kw_params)``.

        Returns None when the RegionInfo has no connection class (a hand-made ``RegionInfo(name=..., endpoint=...)``),
        as boto does: pass such a region as ``region=`` to the connection class instead.
        """
        if self.connection_cls:
            return self.connection_cls(region=self, **kw_params)
        return None


def load_regions() -> dict[str, dict[str, str]]:
    """boto's ``load_regions()``: ``{service: {region: endpoint host}}`` for the services boto_elb_c knows
    (``elasticloadbalancing``), merged with the JSON file that ``BOTO_ENDPOINTS`` or ``[Boto] endpoints_path``
    names, as boto does."""
    import json
    import os

    from boto_elb_c._endpoints import ENDPOINTS
    from boto_elb_c.pyami import _files as _config

    regions: dict[str, dict[str, str]] = {"elasticloadbalancing": {row[1]: row[2] for row in ENDPOINTS}}
    path = os.environ.get("BOTO_ENDPOINTS") or _config.lookup().get("Boto", "endpoints_path", None)
    if path:
        with open(os.path.expanduser(path)) as f:
            extra = json.load(f)
        for service, entries in extra.items():
            regions.setdefault(service, {}).update(entries)
    return regions


def get_regions(service_name: str, region_cls: type[RegionInfo] | None = None,
                connection_cls: type[ELBConnection] | None = None) -> list[RegionInfo]:
    """boto's ``get_regions``: a RegionInfo (of ``region_cls``) per region of ``service_name``."""
    from boto_elb_c.exception import BotoClientError

    endpoints = load_regions().get(service_name)
    if endpoints is None:
        raise BotoClientError("Service '%s' not found in endpoints." % service_name)
    region_cls = region_cls or RegionInfo
    return [region_cls(name=name, endpoint=host, connection_cls=connection_cls) for name, host in endpoints.items()]


def connect(service_name: str, region_name: str, region_cls: type[RegionInfo] | None = None,
            connection_cls: type[ELBConnection] | None = None, **kw_params: Any) -> ELBConnection | None:
    """boto's ``connect``: a connection to ``region_name`` of ``service_name``, or None for an unknown region."""
    for region in get_regions(service_name, region_cls=region_cls, connection_cls=connection_cls):
        if region.name == region_name:
            return region.connect(**kw_params)
    return None
