"""Account limits (DescribeAccountLimits -- boto 2 had no such call)."""
from __future__ import annotations

from boto_elb_c.ec2.elb._sax import SaxMixin

__all__ = ["AccountLimit"]


class AccountLimit(SaxMixin):
    """One limit of the account.

    :ivar str name: ``'classic-load-balancers'``, ``'classic-listeners'``, ``'classic-registered-instances'``.
    :ivar str max: the limit, as the service sends it (text; see :attr:`max_value`).
    """

    def __init__(self, connection: object = None) -> None:
        self.name: str | None = None
        self.max: str | None = None

    @property
    def max_value(self) -> int | None:
        """The limit as an int (None if the service sent something that is not a number)."""
        try:
            return int(self.max)  # type: ignore[arg-type]  # None is the TypeError caught below
        except (TypeError, ValueError):
            return None

    def __repr__(self) -> str:
        return "AccountLimit(%s, %s)" % (self.name, self.max)
