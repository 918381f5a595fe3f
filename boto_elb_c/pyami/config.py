"""The boto config file, read as boto 2 reads it.

Which files: ``BOTO_CONFIG`` alone if it is set; otherwise the ``os.pathsep``-separated list in ``BOTO_PATH`` if
that is set; otherwise ``/etc/boto.cfg`` then ``~/.boto`` (later files override earlier ones).

Differences from boto 2 (see docs/compat.rst): values are read raw (no ``%`` interpolation, so a ``%`` in a
secret is safe), and the file set is re-read when ``BOTO_CONFIG``/``BOTO_PATH`` change or a file changes on
disk, so settings apply to connections made after the change.
"""
import configparser
import os

__all__ = ["Config", "current", "config_paths"]

DEFAULT_PATHS = ("/etc/boto.cfg", "~/.boto")


def config_paths(environ=None):
    """The config files boto would read, in order, for this environment."""
    environ = os.environ if environ is None else environ
    if environ.get("BOTO_CONFIG"):
        return [os.path.expanduser(environ["BOTO_CONFIG"])]
    if environ.get("BOTO_PATH"):
        return [os.path.expanduser(p) for p in environ["BOTO_PATH"].split(os.pathsep) if p]
    return [os.path.expanduser(p) for p in DEFAULT_PATHS]


class Config(configparser.RawConfigParser):
    """boto's Config: a ConfigParser with defaulting getters.

    :param path: one file to read instead of the standard list.
    :param fp: a file object to read instead.
    :param bool do_load: read the standard files now.
    """

    def __init__(self, path=None, fp=None, do_load=True):
        super().__init__(strict=False)
        self.optionxform = str  # keys keep their case, as in boto
        self.paths = []
        if fp is not None:
            self.read_file(fp)
        elif path is not None:
            self.paths = [path]
            self.read([path])
        elif do_load:
            self.paths = config_paths()
            self.read(self.paths)

    def get_value(self, section, name, default=None):
        return self.get(section, name, default)

    def get(self, section, name, default=None, **kwargs):
        if kwargs:  # the configparser signature (raw=, vars=, fallback=)
            return super().get(section, name, **kwargs)
        try:
            return super().get(section, name)
        except (configparser.NoSectionError, configparser.NoOptionError):
            return default

    def getint(self, section, name, default=0, **kwargs):
        value = self.get(section, name, None)
        if value is None:
            return default
        try:
            return int(value)
        except ValueError:
            raise ValueError("[%s] %s in the boto config must be an integer, not %r" % (section, name, value))

    def getfloat(self, section, name, default=0.0, **kwargs):
        value = self.get(section, name, None)
        if value is None:
            return default
        try:
            return float(value)
        except ValueError:
            raise ValueError("[%s] %s in the boto config must be a number, not %r" % (section, name, value))

    def getbool(self, section, name, default=False):
        value = self.get(section, name, None)
        if value is None:
            return default
        return value.strip().lower() == "true"

    def setbool(self, section, name, value):
        self.set(section, name, "true" if value else "false")

    def set(self, section, option, value=None):
        if not self.has_section(section):
            self.add_section(section)
        super().set(section, option, value)


_cache = {"key": None, "config": None}


def _fingerprint(paths):
    out = []
    for p in paths:
        try:
            st = os.stat(p)
            out.append((p, st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((p, None, None))
    return tuple(out)


def current():
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
    return _cache["config"]
