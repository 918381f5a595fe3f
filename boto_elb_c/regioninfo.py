"""``boto.regioninfo``: a region's name and endpoint, and the connection class that reaches it."""

__all__ = ["RegionInfo", "load_regions", "get_regions", "connect"]


class RegionInfo(object):
    """Represents an AWS region.

    :ivar connection: the connection this region came from, if any.
    :ivar str name: the region name (``'us-east-1'``); it is also the SigV4 signing region.
    :ivar str endpoint: the endpoint host name (``'elasticloadbalancing.us-east-1.amazonaws.com'``).
    :ivar connection_cls: the class :meth:`connect` instantiates.
    """

    def __init__(self, connection=None, name=None, endpoint=None, connection_cls=None):
        self.connection = connection
        self.name = name
        self.endpoint = endpoint
        self.connection_cls = connection_cls

    def __repr__(self):
        return "RegionInfo:%s" % self.name

    # boto's SAX interface, kept for code that parses EC2-style region lists with it
    def startElement(self, name, attrs, connection):
        return None

    def endElement(self, name, value, connection):
        if name == "regionName":
            self.name = value
        elif name == "regionEndpoint":
            self.endpoint = value
        else:
            setattr(self, name, value)

    def connect(self, **kw_params):
        """Connect to this region's endpoint with ``connection_cls(region=self, **kw_params)``.

        Returns None when the RegionInfo has no connection class (a hand-made ``RegionInfo(name=..., endpoint=...)``),
        as boto does: pass such a region as ``region=`` to the connection class instead.
        """
        if self.connection_cls:
            return self.connection_cls(region=self, **kw_params)
        return None


def load_regions():
    """boto's ``load_regions()``: ``{service: {region: endpoint host}}`` for the services boto_elb_c knows
    (``elasticloadbalancing``), merged with the JSON file that ``BOTO_ENDPOINTS`` or ``[Boto] endpoints_path``
    names, as boto does."""
    import json
    import os

    from boto_elb_c._endpoints import ENDPOINTS
    from boto_elb_c.pyami import config as _config

    regions = {"elasticloadbalancing": {row[1]: row[2] for row in ENDPOINTS}}
    path = os.environ.get("BOTO_ENDPOINTS") or _config.current().get("Boto", "endpoints_path", None)
    if path:
        with open(os.path.expanduser(path)) as f:
            extra = json.load(f)
        for service, entries in extra.items():
            regions.setdefault(service, {}).update(entries)
    return regions


def get_regions(service_name, region_cls=None, connection_cls=None):
    """boto's ``get_regions``: a RegionInfo (of ``region_cls``) per region of ``service_name``."""
    from boto_elb_c.exception import BotoClientError

    endpoints = load_regions().get(service_name)
    if endpoints is None:
        raise BotoClientError("Service '%s' not found in endpoints." % service_name)
    region_cls = region_cls or RegionInfo
    return [region_cls(name=name, endpoint=host, connection_cls=connection_cls) for name, host in endpoints.items()]


def connect(service_name, region_name, region_cls=None, connection_cls=None, **kw_params):
    """boto's ``connect``: a connection to ``region_name`` of ``service_name``, or None for an unknown region."""
    for region in get_regions(service_name, region_cls=region_cls, connection_cls=connection_cls):
        if region.name == region_name:
            return region.connect(**kw_params)
    return None
