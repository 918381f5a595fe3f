"""Which ELB endpoint host a region name means: the generated table (boto_elb_c/_endpoints.py), its FIPS and
dual-stack variants, boto's BOTO_ENDPOINTS file, boto's endpoint heuristics, and the default region.

Precedence, as botocore and boto do it:

* default region: the ``region`` argument, then ``AWS_DEFAULT_REGION``, then ``AWS_REGION``, then the boto config's
  ``[Boto] elb_region_name``, then ``us-east-1``;
* FIPS / dual-stack: the ``use_fips_endpoint`` / ``use_dualstack_endpoint`` arguments, else the environment
  variables ``AWS_USE_FIPS_ENDPOINT`` / ``AWS_USE_DUALSTACK_ENDPOINT`` (``true``/``false``); the pseudo-regions
  ``fips-us-east-1`` and ``us-east-1-fips`` mean ``us-east-1`` with FIPS.
"""
from __future__ import annotations

import os

from boto_elb_c._endpoints import ENDPOINTS
from boto_elb_c.pyami import _files as _config
from boto_elb_c.regioninfo import load_regions

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

SERVICE = "elasticloadbalancing"

# region -> (partition, host, fips host, dual-stack host, fips + dual-stack host)
_TABLE = {row[1]: (row[0],) + tuple(row[2:]) for row in ENDPOINTS}


def _env_flag(name: str, environ: Mapping[str, str]) -> bool | None:
    value = environ.get(name)
    if value is None or value.strip() == "":
        return None
    value = value.strip().lower()
    if value not in ("true", "false"):
        raise ValueError("%s must be 'true' or 'false', not %r" % (name, environ.get(name)))
    return value == "true"


def variant_flags(use_fips_endpoint: bool | None = None, use_dualstack_endpoint: bool | None = None,
                  environ: Mapping[str, str] | None = None) -> tuple[bool, bool]:
    """(fips, dualstack) from the arguments, else the environment."""
    environ = os.environ if environ is None else environ
    fips = use_fips_endpoint if use_fips_endpoint is not None else _env_flag("AWS_USE_FIPS_ENDPOINT", environ)
    dual = use_dualstack_endpoint if use_dualstack_endpoint is not None else \
        _env_flag("AWS_USE_DUALSTACK_ENDPOINT", environ)
    return bool(fips), bool(dual)


def split_pseudo_region(region_name: str) -> tuple[str, bool]:
    """``fips-us-east-1`` / ``us-east-1-fips`` -> (``us-east-1``, True); anything else -> (name, False)."""
    if region_name.startswith("fips-"):
        return region_name[5:], True
    if region_name.endswith("-fips"):
        return region_name[:-5], True
    return region_name, False


def _heuristics_enabled() -> bool:
    if os.environ.get("BOTO_USE_ENDPOINT_HEURISTICS", "").strip().lower() == "true":
        return True
    return _config.lookup().getbool("Boto", "use_endpoint_heuristics", False)


def endpoint_for(region_name: str, fips: bool = False, dualstack: bool = False) -> str | None:
    """The endpoint host for a region, or None when the region is unknown (boto's ``connect_to_region`` returns
    None then). Raises ValueError for a variant the region does not have."""
    row = _TABLE.get(region_name)
    if row is None:
        extra = load_regions().get(SERVICE, {}).get(region_name)
        if extra is not None:
            if fips or dualstack:
                raise ValueError("no FIPS or dual-stack endpoint is known for region %s" % region_name)
            return extra
        if not _heuristics_enabled():
            return None
        if fips or dualstack:
            raise ValueError("no FIPS or dual-stack endpoint is known for region %s" % region_name)
        suffix = "amazonaws.com.cn" if region_name.startswith("cn-") else "amazonaws.com"
        return "%s.%s.%s" % (SERVICE, region_name, suffix)
    host = row[1 + (1 if fips else 0) + (2 if dualstack else 0)]
    if host is None:
        raise ValueError("region %s (partition %s) has no %s endpoint" % (
            region_name, row[0], " + ".join(n for n, on in (("FIPS", fips), ("dual-stack", dualstack)) if on)))
    return host


def is_standard_host(region_name: str | None, host: str | None) -> bool:
    """Whether ``host`` is one of the table's endpoints for ``region_name`` (any variant)."""
    row = _TABLE.get(region_name)  # type: ignore[arg-type]  # None (a RegionInfo without a name): no row
    return row is not None and host in row[1:]


def default_region(environ: Mapping[str, str] | None = None) -> tuple[str, str | None]:
    """(region name, endpoint host or None) when no region is given: ``AWS_DEFAULT_REGION``/``AWS_REGION``, else
    the boto config's ``[Boto] elb_region_name`` with its ``elb_region_endpoint``, else us-east-1."""
    environ = os.environ if environ is None else environ
    name = environ.get("AWS_DEFAULT_REGION") or environ.get("AWS_REGION")
    if name:
        return name, None
    cfg = _config.lookup()
    return cfg.get("Boto", "elb_region_name", None) or "us-east-1", cfg.get("Boto", "elb_region_endpoint", None)
