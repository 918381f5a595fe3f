"""Tags of load balancers (AddTags, RemoveTags, DescribeTags -- boto 2 had none of these)."""
from __future__ import annotations

from boto_elb_c.ec2.elb._sax import SaxMixin

from boto_elb_c.ec2.elb.keyvalue import KeyValueDict

__all__ = ["TagSet", "TagDescription"]


class TagSet(KeyValueDict):
    """The tags of one load balancer: a dict ``{key: value}``."""


class TagDescription(SaxMixin):
    """One member of a DescribeTags answer.

    :ivar str load_balancer_name:
    :ivar tags: :class:`TagSet`
    """

    def __init__(self, connection: object = None) -> None:
        self.connection = connection
        self.load_balancer_name: str | None = None
        self.tags = TagSet()

    def __repr__(self) -> str:
        return "TagDescription(%s, %r)" % (self.load_balancer_name, dict(self.tags))
