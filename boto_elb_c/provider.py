"""Where credentials come from, searched in order.

1. arguments (``aws_access_key_id``, ``aws_secret_access_key``, ``security_token``);
2. the environment: ``AWS_ACCESS_KEY_ID`` + ``AWS_SECRET_ACCESS_KEY``, with ``AWS_SESSION_TOKEN`` or boto's
   ``AWS_SECURITY_TOKEN``;
3. a named profile (``profile_name=``, else ``AWS_PROFILE``, else ``AWS_DEFAULT_PROFILE``) in the shared
   credentials file (``AWS_SHARED_CREDENTIALS_FILE``, else ``~/.aws/credentials``), then in the boto config as
   ``[profile NAME]``; a named profile found nowhere is an error;
4. without a profile: ``[default]`` of the shared credentials file;
5. the boto config's ``[Credentials]`` section.

Credentials are looked up when the first request is made, not when a connection is created, so
``connect_to_region()`` works on a machine without credentials until a call needs them. The values found are
handed to the C signer at once and are not kept as Python attributes.
"""
import configparser
import os

from boto_elb_c.exception import NoAuthHandlerFound, ProfileNotFoundError
from boto_elb_c.pyami import config as _config

__all__ = ["Credentials", "resolve"]


class Credentials(object):
    """Credentials found by :func:`resolve`. The repr names the source, never the secret."""

    __slots__ = ("access_key", "secret_key", "token", "source")

    def __init__(self, access_key, secret_key, token=None, source=""):
        self.access_key = access_key
        self.secret_key = secret_key
        self.token = token or None
        self.source = source

    def __repr__(self):
        return "<Credentials from %s>" % self.source


def _shared_credentials_path(environ):
    return os.path.expanduser(environ.get("AWS_SHARED_CREDENTIALS_FILE") or "~/.aws/credentials")


def _read_ini(path):
    parser = configparser.RawConfigParser(strict=False)
    try:
        parser.read(path)
    except configparser.Error as exc:
        raise ValueError("cannot parse %s: %s" % (path, exc)) from None
    return parser


def _from_section(parser, section, source, key="aws_access_key_id", secret="aws_secret_access_key"):
    if not parser.has_section(section):
        return None
    ak = parser.get(section, key, fallback=None)
    sk = parser.get(section, secret, fallback=None)
    if not ak or not sk:
        return None
    token = parser.get(section, "aws_session_token", fallback=None) or parser.get(
        section, "aws_security_token", fallback=None
    )
    return Credentials(ak.strip(), sk.strip(), token.strip() if token else None, source)


def resolve(profile_name=None, environ=None):
    """Find credentials; raise :class:`~boto_elb_c.exception.NoAuthHandlerFound` naming every place searched."""
    environ = os.environ if environ is None else environ
    searched = []

    searched.append("environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)")
    ak, sk = environ.get("AWS_ACCESS_KEY_ID"), environ.get("AWS_SECRET_ACCESS_KEY")
    if ak and sk:
        token = environ.get("AWS_SESSION_TOKEN") or environ.get("AWS_SECURITY_TOKEN")
        return Credentials(ak, sk, token, "environment")

    shared_path = _shared_credentials_path(environ)
    shared = _read_ini(shared_path)
    boto_cfg = _config.current()
    profile = profile_name or environ.get("AWS_PROFILE") or environ.get("AWS_DEFAULT_PROFILE")
    if profile:
        searched.append("profile [%s] in %s" % (profile, shared_path))
        creds = _from_section(shared, profile, "%s [%s]" % (shared_path, profile))
        if creds:
            return creds
        searched.append("[profile %s] in the boto config (%s)" % (profile, ", ".join(boto_cfg.paths)))
        creds = _from_section(boto_cfg, "profile %s" % profile, "boto config [profile %s]" % profile)
        if creds:
            return creds
        if not shared.has_section(profile) and not boto_cfg.has_section("profile %s" % profile):
            raise ProfileNotFoundError("Profile %r not found in %s or the boto config" % (profile, shared_path))
    else:
        searched.append("[default] in %s" % shared_path)
        creds = _from_section(shared, "default", "%s [default]" % shared_path)
        if creds:
            return creds

    searched.append("[Credentials] in the boto config (%s)" % ", ".join(boto_cfg.paths))
    creds = _from_section(boto_cfg, "Credentials", "boto config [Credentials]")
    if creds:
        return creds
    raise NoAuthHandlerFound(
        "No credentials were found. Searched, in order: %s. Pass aws_access_key_id and aws_secret_access_key, "
        "or set them in one of those places." % "; ".join(searched)
    )
