"""Which boto config files apply, and a reader for the library's own lookups that imports nothing heavy.

Most programs have no boto config file at all. :func:`lookup` then answers every ``get`` with its default without
importing :mod:`configparser` (which, with the ``re`` and ``enum`` it pulls in, is a third of the time a bare
``import boto_elb_c; connect_elb()`` would otherwise take). ``boto_elb_c.config`` is always a real
:class:`boto_elb_c.pyami.config.Config`.
"""
from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any, TypeVar, Union

    from boto_elb_c.pyami.config import Config

    _D = TypeVar("_D")
    Reader = Union[Config, "NoConfig"]

DEFAULT_PATHS = ("/etc/boto.cfg", "~/.boto")



def config_paths(environ: Mapping[str, str] | None = None) -> list[str]:
    """The config files boto would read, in order, for this environment."""
    environ = os.environ if environ is None else environ
    if environ.get("BOTO_CONFIG"):
        return [os.path.expanduser(environ["BOTO_CONFIG"])]
    if environ.get("BOTO_PATH"):
        return [os.path.expanduser(p) for p in environ["BOTO_PATH"].split(os.pathsep) if p]
    return [os.path.expanduser(p) for p in DEFAULT_PATHS]


def fingerprint(paths: list[str]) -> tuple[tuple[str, int | None, int | None], ...]:
    """(path, mtime, size) of each file, None for one that does not exist: a change means a re-read."""
    out: list[tuple[str, int | None, int | None]] = []
    for p in paths:
        try:
            st = os.stat(p)
            out.append((p, st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((p, None, None))
    return tuple(out)


class NoConfig(object):
    """The boto config when none of its files exists: empty, with :class:`Config`'s getters."""

    def __init__(self, paths: list[str]) -> None:
        self.paths = paths

    def has_section(self, section: str) -> bool:
        return False

    def has_option(self, section: str, name: str) -> bool:
        return False

    def get(self, section: str, name: str, default: str | None = None, **kwargs: Any) -> str | None:
        return default

    def get_value(self, section: str, name: str, default: str | None = None) -> str | None:
        return default

    def getint(self, section: str, name: str, default: int = 0, **kwargs: Any) -> int:
        return default

    def getfloat(self, section: str, name: str, default: Any = 0.0, **kwargs: Any) -> Any:
        return default

    def getbool(self, section: str, name: str, default: bool = False) -> bool:
        return default


def lookup() -> Reader:
    """The boto config for the library's own reads: :func:`boto_elb_c.pyami.config.current` when a config file
    exists, else an empty :class:`NoConfig` (and configparser stays unimported)."""
    paths = config_paths()
    if all(size is None for _, _, size in fingerprint(paths)):
        return NoConfig(paths)
    from boto_elb_c.pyami import config

    return config.current()
