"""boto_elb_c: boto 2's ``boto.ec2.elb`` (classic Elastic Load Balancing) with a C core.

``import boto_elb_c`` and use it as you used ``boto``::

    conn = boto_elb_c.connect_elb()
    conn = boto_elb_c.ec2.elb.connect_to_region('eu-west-1')

or run existing boto code unchanged after :func:`install_as_boto`.
"""
from __future__ import annotations

import sys

from boto_elb_c._version import __version__
from boto_elb_c import exception  # noqa: F401  (the C core looks its exception classes up here)
try:
    from boto_elb_c import _core
except ImportError as _exc:  # pragma: no cover - the message is the point
    import os as _os

    if not any(f.startswith("_core") for f in _os.listdir(_os.path.dirname(_os.path.abspath(__file__)))):
        raise ImportError(
            "boto_elb_c's C extension is not built in %s: this is the source tree (is the current directory the "
            "repository?). Run from another directory or with python -I, or build in place with "
            "'python setup.py build_ext --inplace'." % _os.path.dirname(_os.path.abspath(__file__))
        ) from _exc
    raise

TYPE_CHECKING = False
if TYPE_CHECKING:
    from logging import Logger
    from typing import Any

    from boto_elb_c.ec2.elb import ELBConnection
    from boto_elb_c.pyami.config import Config

__all__ = ["__version__", "connect_elb", "install_as_boto", "set_stream_logger", "config", "Version"]

Version = __version__


def _runs_and_built(running: str, built: str) -> str:
    """The version a library runs with, and the one the extension was compiled against when they differ."""
    return running if running == built else "%s (built with %s)" % (running, built)


#: the libcurl, libxml2 and OpenSSL versions the extension runs with (and was built with, when that differs)
libcurl_version = _runs_and_built(_core.libcurl_version, _core.libcurl_build_version)
libxml2_version = _runs_and_built(_core.libxml2_version, _core.libxml2_build_version)
openssl_version = _runs_and_built(_core.openssl_version, _core.openssl_build_version)

from boto_elb_c._log import log  # noqa: E402  (imports logging only once the program uses logging)


if TYPE_CHECKING:
    # ``boto.config``, which __getattr__ below gives: declared so that type checkers know this name, and no other,
    # from __getattr__
    config: Config
else:
    def __getattr__(name: str) -> Config:
        # ``boto.config``: the boto config for the current environment (re-read when its files change)
        if name == "config":
            from boto_elb_c.pyami import config as _config_module  # configparser only when asked for

            return _config_module.current()
        raise AttributeError("module 'boto_elb_c' has no attribute %r" % name)


def connect_elb(aws_access_key_id: str | None = None, aws_secret_access_key: str | None = None,
                **kwargs: Any) -> ELBConnection:
    """A :class:`boto_elb_c.ec2.elb.ELBConnection` (boto's ``boto.connect_elb``)."""
    from boto_elb_c.ec2.elb import ELBConnection

    return ELBConnection(aws_access_key_id, aws_secret_access_key, **kwargs)


def set_stream_logger(name: str = "boto_elb_c", level: int = 10, format_string: str | None = None) -> Logger:
    """Log ``name`` to stderr at ``level`` (default DEBUG; boto's helper). Secrets never reach the log."""
    import logging

    if format_string is None:
        format_string = "%(asctime)s %(name)s [%(levelname)s]:%(message)s"
    logger = logging.getLogger(name)
    logger.setLevel(level)
    handler = logging.StreamHandler()
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter(format_string))
    logger.addHandler(handler)
    return logger


_BOTO_MODULES = (
    "ec2",
    "ec2.elb",
    "ec2.elb.loadbalancer",
    "ec2.elb.healthcheck",
    "ec2.elb.listener",
    "ec2.elb.listelement",
    "ec2.elb.instancestate",
    "ec2.elb.policies",
    "ec2.elb.attributes",
    "ec2.elb.securitygroup",
    "ec2.instanceinfo",
    "regioninfo",
    "exception",
    "resultset",
    "connection",
    "handler",
    "provider",
    "pyami",
    "pyami.config",
)


def install_as_boto() -> None:
    """Make ``import boto`` (and ``boto.ec2.elb``, ``boto.regioninfo``, ...) resolve to boto_elb_c.

    After this, a boto 2 ELB script runs unchanged: ``boto.connect_elb``, ``import boto.ec2.elb``,
    ``from boto.ec2.elb import HealthCheck``, ``from boto.regioninfo import RegionInfo``. Call it before anything
    imports boto. Modules boto_elb_c does not have (``boto.s3``, ...) stay unavailable.
    """
    import importlib

    this = sys.modules[__name__]
    sys.modules["boto"] = this
    for name in _BOTO_MODULES:
        module = importlib.import_module("boto_elb_c." + name)
        sys.modules["boto." + name] = module


# ``import boto_elb_c`` is enough to use boto_elb_c.ec2.elb (boto needed ``import boto.ec2.elb``; both work)
import boto_elb_c.ec2.elb  # noqa: E402,F401
