"""``boto.regioninfo``: a region's name and endpoint, and the connection class that reaches it."""

__all__ = ["RegionInfo"]


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
