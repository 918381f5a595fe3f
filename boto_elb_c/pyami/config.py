"""The boto config file, read as boto 2 reads it.

Which files: ``BOTO_CONFIG`` alone if it is set; otherwise the ``os.pathsep``-separated list in ``BOTO_PATH`` if
that is set; otherwise ``/etc/boto.cfg`` then ``~/.boto`` (later files override earlier ones).

Differences from boto 2 (see docs/compat.rst): values are read raw (no ``%`` interpolation, so a ``%`` in a
secret is safe), and the file set is re-read when ``BOTO_CONFIG``/``BOTO_PATH`` change or a file changes on
disk, so settings apply to connections made after the change.
"""
from __future__ import annotations

import configparser
import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO, Any, TypedDict, TypeVar, overload

    _D = TypeVar("_D")

    class _Cache(TypedDict):
        key: tuple[tuple[str, int | None, int | None], ...] | None
        config: Config | None

__all__ = ["Config", "current", "config_paths"]

from boto_elb_c.pyami._files import DEFAULT_PATHS, config_paths  # noqa: E402  (re-exported: boto's names)
from boto_elb_c.pyami._files import fingerprint as _fingerprint  # noqa: E402


class Config(configparser.RawConfigParser):
    """boto's Config: a ConfigParser with defaulting getters.

    :param path: one file to read instead of the standard list.
    :param fp: a file object to read instead.
    :param bool do_load: read the standard files now.
    """

    def __init__(self, path: str | None = None, fp: IO[str] | None = None, do_load: bool = True) -> None:
        super().__init__(strict=False)
        # keys keep their case, as in boto (configparser's documented idiom, which typeshed does not allow for)
        self.optionxform = str  # type: ignore[assignment,method-assign]
        self.paths: list[str] = []
        if fp is not None:
            self.read_file(fp)
        elif path is not None:
            self.paths = [path]
            self.read([path])
        elif do_load:
            self.paths = config_paths()
            self.read(self.paths)

    def get_value(self, section: str, name: str, default: str | None = None) -> str | None:
        return self.get(section, name, default)

    # boto's getters take the default as the third positional argument, where configparser's take keyword-only
    # raw=, vars=, fallback= (and Mapping.get a default for a whole section): incompatible overrides, as in boto
    def get(  # type: ignore[override]
        self, section: str, name: str, default: str | None = None, **kwargs: Any
    ) -> str | None:
        if kwargs:  # the configparser signature (raw=, vars=, fallback=)
            return super().get(section, name, **kwargs)  # type: ignore[no-any-return]  # typeshed: str | Any
        try:
            return super().get(section, name)
        except (configparser.NoSectionError, configparser.NoOptionError):
            return default

    def getint(self, section: str, name: str, default: int = 0, **kwargs: Any) -> int:  # type: ignore[override]
        value = self.get(section, name, None)
        if value is None:
            return default
        try:
            return int(value)
        except ValueError:
            raise ValueError("[%s] %s in the boto config must be an integer, not %r" % (section, name, value))

    if TYPE_CHECKING:
        @overload  # type: ignore[override]
        def getfloat(self, section: str, name: str) -> float: ...
        @overload
        def getfloat(self, section: str, name: str, default: _D, **kwargs: Any) -> float | _D: ...

    def getfloat(self, section: str, name: str, default: Any = 0.0, **kwargs: Any) -> Any:
        value = self.get(section, name, None)
        if value is None:
            return default
        try:
            return float(value)
        except ValueError:
            raise ValueError("[%s] %s in the boto config must be a number, not %r" % (section, name, value))

    def getbool(self, section: str, name: str, default: bool = False) -> bool:
        value = self.get(section, name, None)
        if value is None:
            return default
        return value.strip().lower() == "true"

    def setbool(self, section: str, name: str, value: object) -> None:
        self.set(section, name, "true" if value else "false")

    def set(self, section: str, option: str, value: str | None = None) -> None:
        if not self.has_section(section):
            self.add_section(section)
        super().set(section, option, value)


_cache: _Cache = {"key": None, "config": None}


def current() -> Config:
    """The Config for the current environment; re-read only when the file list or a file changed."""
    paths = config_paths()
    key = _fingerprint(paths)
    if _cache["config"] is None or _cache["key"] != key:
        cfg = Config(do_load=False)
        cfg.paths = paths
        for p in paths:
            try:
                cfg.read(p)
            except configparser.Error as exc:
                raise ValueError("cannot parse the boto config file %s: %s" % (p, exc)) from None
        _cache["key"] = key
        _cache["config"] = cfg
    return _cache["config"]  # type: ignore[return-value]  # set above whenever it was None
