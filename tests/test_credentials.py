"""The credentials chain (boto_elb_c.provider): environment, profiles in the shared credentials and config files
(with credential_process), the boto config, container credentials, EC2 instance metadata (IMDSv2, v1 fallback),
refreshable temporary credentials, and the secrets that must never show.

Every endpoint is a local server on 127.0.0.1 started by the test (tests/metadata_servers.py). Instance metadata
is switched off (AWS_EC2_METADATA_DISABLED=true) unless a test points AWS_EC2_METADATA_SERVICE_ENDPOINT at its
own server, and a guard makes any connection to an address other than loopback fail the test.
"""
import errno
import ipaddress
import json
import logging
import os
import shlex
import socket
import sys
import textwrap
import time

import pytest

import boto_elb_c
from boto_elb_c import provider
from boto_elb_c.exception import BotoClientError, NoAuthHandlerFound, ProfileNotFoundError
from boto_elb_c.provider import Credentials, CredentialRetrievalError, resolve

from metadata_servers import ContainerServer, LocalServer, MetadataServer, RedirectServer
from servers import CannedServer, SilentServer

SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYzSECRET"
TOKEN = "FwoGZXIvYXdzEXAMPLESESSIONTOKENzTOKEN"


# --- fixtures ---------------------------------------------------------------------------------------------------------


def _is_loopback(host):
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return host == "localhost"


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """Fail the test if anything in this process tries to connect beyond loopback (169.254.169.254 above all)."""
    attempts = []
    real_connect = socket.socket.connect

    def connect(self, address):
        if isinstance(address, tuple) and not _is_loopback(str(address[0])):
            attempts.append(address)
            raise OSError(errno.ENETUNREACH, "test guard: only loopback may be contacted")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    yield attempts
    assert attempts == [], "a connection beyond loopback was attempted"


@pytest.fixture(autouse=True)
def imds_disabled(monkeypatch):
    """No instance metadata unless a test asks for its own server (the `imds` fixture)."""
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture
def home():
    return os.environ["HOME"]


@pytest.fixture
def servers():
    started = []

    def start(server):
        started.append(server)
        return server

    yield start
    for s in started:
        s.stop()


@pytest.fixture
def imds(monkeypatch, servers):
    """start(**kwargs) -> a MetadataServer that AWS_EC2_METADATA_SERVICE_ENDPOINT points at (IMDS enabled)."""

    def start(**kwargs):
        server = servers(MetadataServer(**kwargs))
        monkeypatch.delenv("AWS_EC2_METADATA_DISABLED", raising=False)
        monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.endpoint)
        return server

    return start


def write(path, text):
    path = os.fspath(path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(textwrap.dedent(text).lstrip())
    return path


def script(tmp_path, body, name="helper.py"):
    """A credential_process command line running ``body`` with this interpreter (no shell involved)."""
    path = write(tmp_path / "bin" / name, "import json, os, sys\n" + textwrap.dedent(body))
    return "%s %s" % (shlex.quote(sys.executable), shlex.quote(path))


def keys(**values):
    return "".join("%s = %s\n" % kv for kv in values.items())


def chain_of(exc):
    """An exception and everything chained to it."""
    out = []
    while exc is not None and exc not in out:
        out.append(exc)
        exc = exc.__cause__ or exc.__context__
    return out


def assert_secret_free(exc, *secrets):
    for e in chain_of(exc):
        texts = [str(e), repr(e)] + [str(a) for a in e.args] + [str(v) for v in vars(e).values()]
        for secret in secrets:
            assert not any(secret in t for t in texts), "secret found in %r" % type(e)


# --- 1. precedence, end to end ----------------------------------------------------------------------------------------


def test_each_source_shadows_the_next(tmp_path, monkeypatch, home, imds, servers):
    metadata = imds()
    container = servers(ContainerServer())
    proc = script(tmp_path, """
        print(json.dumps({"Version": 1, "AccessKeyId": "PROCKEY", "SecretAccessKey": "ps"}))
    """)
    shared = write(os.path.join(home, ".aws", "credentials"),
                   "[default]\n" + keys(aws_access_key_id="FILEKEY", aws_secret_access_key="fs"))
    config = write(os.path.join(home, ".aws", "config"),
                   "[default]\n" + keys(credential_process=proc, aws_access_key_id="CONFKEY",
                                        aws_secret_access_key="cs"))
    boto_cfg = write(tmp_path / "boto.cfg",
                     "[Credentials]\n" + keys(aws_access_key_id="BOTOKEY", aws_secret_access_key="bs"))
    monkeypatch.setenv("BOTO_CONFIG", boto_cfg)
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", container.url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "ENVKEY")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "es")

    seen = []

    def step():
        creds = resolve()
        seen.append((creds.access_key, creds.source))
        return creds

    step()  # environment
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    step()  # shared credentials file
    os.unlink(shared)
    step()  # credential_process in the config file, before the keys next to it
    write(config, "[default]\n" + keys(aws_access_key_id="CONFKEY", aws_secret_access_key="cs"))
    step()  # keys in the config file
    os.unlink(config)
    step()  # boto config [Credentials]
    assert container.requests == [] and metadata.requests == []  # nothing past the winner was asked
    os.unlink(boto_cfg)
    step()  # container
    assert metadata.requests == []
    monkeypatch.delenv("AWS_CONTAINER_CREDENTIALS_FULL_URI")
    step()  # instance metadata

    assert [k for k, _ in seen] == ["ENVKEY", "FILEKEY", "PROCKEY", "CONFKEY", "BOTOKEY", "ASIACONT1", "ASIAIMDS1"]
    sources = [s for _, s in seen]
    assert sources[0] == "environment"
    assert sources[1] == "%s [default]" % shared
    assert sources[2] == "credential_process of [default] in %s" % config
    assert sources[3] == "%s [default]" % config
    assert sources[4] == "boto config [Credentials]"
    assert sources[5] == "container credentials (%s)" % container.url
    assert sources[6] == "EC2 instance metadata (%s, role web-role)" % metadata.endpoint


def test_environment_tokens(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AK")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "SK")
    assert resolve().token is None
    monkeypatch.setenv("AWS_SECURITY_TOKEN", "boto-token")
    assert resolve().token == "boto-token"
    monkeypatch.setenv("AWS_SESSION_TOKEN", "session-token")
    assert resolve().token == "session-token"
    # only one of the pair is not credentials
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    with pytest.raises(NoAuthHandlerFound):
        resolve()


def test_environ_argument_is_read_instead_of_os_environ(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "OSKEY")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "SK")
    creds = resolve(environ={"AWS_ACCESS_KEY_ID": "MINE", "AWS_SECRET_ACCESS_KEY": "S",
                             "AWS_EC2_METADATA_DISABLED": "true"})
    assert creds.access_key == "MINE"
    with pytest.raises(NoAuthHandlerFound):
        resolve(environ={"AWS_EC2_METADATA_DISABLED": "true"})


# --- 2. profiles ------------------------------------------------------------------------------------------------------


def test_profile_selection_argument_then_aws_profile_then_aws_default_profile(monkeypatch, home):
    text = ""
    for name in ("default", "arg", "envp", "envd"):
        text += "[%s]\n" % name + keys(aws_access_key_id=name.upper(), aws_secret_access_key="s-" + name)
    path = write(os.path.join(home, ".aws", "credentials"), text)

    assert resolve().access_key == "DEFAULT"
    monkeypatch.setenv("AWS_DEFAULT_PROFILE", "envd")
    assert resolve().access_key == "ENVD"
    monkeypatch.setenv("AWS_PROFILE", "envp")
    assert resolve().access_key == "ENVP"
    creds = resolve(profile_name="arg")
    assert creds.access_key == "ARG" and creds.source == "%s [arg]" % path


def test_shared_credentials_file_variable_and_tokens(tmp_path, monkeypatch, home):
    write(os.path.join(home, ".aws", "credentials"), "[default]\n" + keys(aws_access_key_id="HOMEKEY",
                                                                          aws_secret_access_key="s"))
    other = write(tmp_path / "elsewhere" / "creds", "[default]\n" + keys(
        aws_access_key_id="OTHERKEY", aws_secret_access_key="s", aws_security_token="old-style-token"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", other)
    creds = resolve()
    assert (creds.access_key, creds.token) == ("OTHERKEY", "old-style-token")
    write(other, "[default]\n" + keys(aws_access_key_id="OTHERKEY", aws_secret_access_key="s",
                                      aws_session_token="new-token", aws_security_token="old-style-token"))
    assert resolve().token == "new-token"


def test_config_file_profiles(tmp_path, monkeypatch, home):
    config = write(os.path.join(home, ".aws", "config"), """
        [default]
        region = eu-west-1
        aws_access_key_id = CONFDEFAULT
        aws_secret_access_key = s0

        [profile dev]
        aws_access_key_id = CONFDEV
        aws_secret_access_key = s1
        aws_session_token = dev-token

        [staging]
        aws_access_key_id = NOTAPROFILE
        aws_secret_access_key = s2
    """)
    assert resolve().access_key == "CONFDEFAULT"
    creds = resolve(profile_name="dev")
    assert (creds.access_key, creds.token, creds.source) == ("CONFDEV", "dev-token", "%s [profile dev]" % config)
    # in the config file a profile section is [profile NAME]; a bare [staging] is not one
    with pytest.raises(ProfileNotFoundError):
        resolve(profile_name="staging")

    # the shared credentials file wins over the config file for the same profile
    write(os.path.join(home, ".aws", "credentials"), "[dev]\n" + keys(aws_access_key_id="SHAREDDEV",
                                                                      aws_secret_access_key="s3"))
    assert resolve(profile_name="dev").access_key == "SHAREDDEV"
    assert resolve().access_key == "CONFDEFAULT"

    # AWS_CONFIG_FILE moves it; [profile default] is the default profile too
    moved = write(tmp_path / "cfg", "[profile default]\n" + keys(aws_access_key_id="MOVED", aws_secret_access_key="s"))
    monkeypatch.setenv("AWS_CONFIG_FILE", moved)
    assert resolve().access_key == "MOVED"


def test_boto_config_profile_and_missing_profiles(tmp_path, monkeypatch, home):
    boto_cfg = write(tmp_path / "boto.cfg", "[profile legacy]\n" + keys(
        aws_access_key_id="BOTOPROFILE", aws_secret_access_key="s", aws_security_token="legacy-token"))
    monkeypatch.setenv("BOTO_CONFIG", boto_cfg)
    creds = resolve(profile_name="legacy")
    assert (creds.access_key, creds.token, creds.source) == ("BOTOPROFILE", "legacy-token",
                                                            "boto config [profile legacy]")
    write(os.path.join(home, ".aws", "credentials"), "[legacy]\n" + keys(aws_access_key_id="SHARED",
                                                                         aws_secret_access_key="s"))
    assert resolve(profile_name="legacy").access_key == "SHARED"

    # a profile named explicitly that exists nowhere: by argument, AWS_PROFILE or AWS_DEFAULT_PROFILE
    with pytest.raises(ProfileNotFoundError) as info:
        resolve(profile_name="missing")
    assert "'missing'" in str(info.value) and ".aws/credentials" in str(info.value)
    assert isinstance(info.value, BotoClientError)
    for variable in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        monkeypatch.setenv(variable, "missing-too")
        with pytest.raises(ProfileNotFoundError):
            resolve()
        monkeypatch.delenv(variable)
    # ... but the environment comes first, as in boto 2
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "ENVKEY")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "SK")
    assert resolve(profile_name="missing").access_key == "ENVKEY"


def test_a_profile_without_keys_falls_through(tmp_path, monkeypatch, home):
    write(os.path.join(home, ".aws", "config"), "[profile tools]\nregion = us-west-2\n")
    boto_cfg = write(tmp_path / "boto.cfg", "[Credentials]\n" + keys(aws_access_key_id="BOTOKEY",
                                                                     aws_secret_access_key="b"))
    monkeypatch.setenv("BOTO_CONFIG", boto_cfg)
    assert resolve(profile_name="tools").access_key == "BOTOKEY"


# --- 3. credential_process --------------------------------------------------------------------------------------------


def test_credential_process_static(tmp_path, home):
    cmd = script(tmp_path, """
        print(json.dumps({"Version": 1, "AccessKeyId": "PROCKEY", "SecretAccessKey": "proc-secret",
                          "SessionToken": "proc-token"}))
    """)
    config = write(os.path.join(home, ".aws", "config"), "[profile sso]\ncredential_process = %s\n" % cmd)
    creds = resolve(profile_name="sso")
    assert (creds.access_key, creds.secret_key, creds.token) == ("PROCKEY", "proc-secret", "proc-token")
    assert creds.source == "credential_process of [profile sso] in %s" % config
    assert creds.expiry is None and not creds.needs_refresh() and creds.refresh() is creds


def test_credential_process_with_expiration_is_refreshed(tmp_path, home):
    counter = tmp_path / "count"
    cmd = script(tmp_path, """
        import datetime
        path = %r
        n = int(open(path).read()) + 1 if os.path.exists(path) else 1
        open(path, "w").write(str(n))
        exp = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=2)
        print(json.dumps({"Version": 1, "AccessKeyId": "PROC%%d" %% n, "SecretAccessKey": "s%%d" %% n,
                          "SessionToken": "t%%d" %% n, "Expiration": exp.strftime("%%Y-%%m-%%dT%%H:%%M:%%SZ")}))
    """ % str(counter))
    write(os.path.join(home, ".aws", "credentials"), "[default]\ncredential_process = %s\n" % cmd)
    before = time.time()
    creds = resolve()
    assert creds.access_key == "PROC1" and counter.read_text() == "1"
    assert before + 100 < creds.expiry < time.time() + 121
    assert creds.needs_refresh() and not creds.needs_refresh(margin=60)
    assert creds.needs_refresh(now=creds.expiry + 1, margin=0)
    fresh = creds.refresh()
    assert (fresh.access_key, fresh.secret_key, fresh.token) == ("PROC2", "s2", "t2")
    assert creds.access_key == "PROC1"  # the old object is unchanged
    assert fresh.source == creds.source and counter.read_text() == "2"


def test_credential_process_arguments_without_a_shell(tmp_path, home):
    cmd = script(tmp_path, """
        print(json.dumps({"Version": 1, "AccessKeyId": json.dumps(sys.argv[1:]), "SecretAccessKey": "s"}))
    """) + " 'two words' '$HOME;exit 1' \"a|b\""
    write(os.path.join(home, ".aws", "config"), "[default]\ncredential_process = %s\n" % cmd)
    assert json.loads(resolve().access_key) == ["two words", "$HOME;exit 1", "a|b"]


def test_credential_process_failure_keeps_stderr_and_hides_stdout(tmp_path, home, capfd):
    cmd = script(tmp_path, """
        print(json.dumps({"Version": 1, "AccessKeyId": "AK", "SecretAccessKey": %r}))
        sys.stderr.write("helper: your session has expired, run login\\n")
        sys.exit(3)
    """ % SECRET)
    write(os.path.join(home, ".aws", "config"), "[default]\ncredential_process = %s\n" % cmd)
    with pytest.raises(CredentialRetrievalError) as info:
        resolve()
    message = str(info.value)
    assert "exited with status 3" in message and "credential_process of [default]" in message
    assert "helper: your session has expired, run login" in capfd.readouterr().err
    assert isinstance(info.value, NoAuthHandlerFound) and isinstance(info.value, BotoClientError)
    assert_secret_free(info.value, SECRET)


@pytest.mark.parametrize("stdout, problem", [
    ("not json at all " + SECRET, "did not print a JSON object"),
    ('{"Version": 1, "AccessKeyId": "AK", "SecretAccessKey": "%s"' % SECRET, "did not print a JSON object"),
    ('["Version", 1]', "did not print a JSON object"),
    ('{"Version": 2, "AccessKeyId": "AK", "SecretAccessKey": "%s"}' % SECRET, "printed Version 2"),
    ('{"AccessKeyId": "AK", "SecretAccessKey": "%s"}' % SECRET, "printed no Version"),
    ('{"Version": 1, "AccessKeyId": "AK"}', "no SecretAccessKey"),
    ('{"Version": 1, "SecretAccessKey": "%s"}' % SECRET, "no AccessKeyId"),
    ('{"Version": 1, "AccessKeyId": "AK", "SecretAccessKey": "%s", "Expiration": "tomorrow"}' % SECRET,
     "Expiration 'tomorrow' is not an ISO 8601 time"),
    ('{"Version": 1, "AccessKeyId": "AK", "SecretAccessKey": "s", "Expiration": {"k": "%s"}}' % SECRET,
     "Expiration is not an ISO 8601 time"),
])
def test_credential_process_bad_output(tmp_path, home, stdout, problem):
    cmd = script(tmp_path, "sys.stdout.write(%r)\n" % stdout)
    write(os.path.join(home, ".aws", "config"), "[default]\ncredential_process = %s\n" % cmd)
    with pytest.raises(CredentialRetrievalError) as info:
        resolve()
    assert problem in str(info.value)
    assert_secret_free(info.value, SECRET)


@pytest.mark.parametrize("text", ["2030-01-01T00:00:00Z", "2030-01-01T00:00:00.000Z", "2030-01-01T02:00:00+02:00",
                                  "2030-01-01T00:00:00", "2030-01-01T00:00:00.000000+00:00"])
def test_expiration_formats(text):
    assert provider._parse_expiry(text, "test") == 1893456000.0


def test_credential_process_that_cannot_run(tmp_path, home):
    write(os.path.join(home, ".aws", "config"),
          "[default]\ncredential_process = %s --flag\n" % (tmp_path / "no-such-helper"))
    with pytest.raises(CredentialRetrievalError) as info:
        resolve()
    assert "cannot run %s" % (tmp_path / "no-such-helper") in str(info.value)
    write(os.path.join(home, ".aws", "config"), "[default]\ncredential_process = helper 'unbalanced\n")
    with pytest.raises(CredentialRetrievalError, match="cannot split the command line"):
        resolve()


def test_credential_process_in_the_credentials_file_wins(tmp_path, home):
    one = script(tmp_path, 'print(json.dumps({"Version": 1, "AccessKeyId": "FROMCREDS", "SecretAccessKey": "s"}))',
                 name="one.py")
    two = script(tmp_path, 'print(json.dumps({"Version": 1, "AccessKeyId": "FROMCONF", "SecretAccessKey": "s"}))',
                 name="two.py")
    write(os.path.join(home, ".aws", "credentials"), "[work]\ncredential_process = %s\n" % one)
    write(os.path.join(home, ".aws", "config"), "[profile work]\ncredential_process = %s\n" % two)
    assert resolve(profile_name="work").access_key == "FROMCREDS"


# --- 4. container credentials -----------------------------------------------------------------------------------------


def test_container_relative_uri_with_authorization_token(monkeypatch, servers):
    server = servers(ContainerServer(authorization="Bearer task-token", lifetime=3600))
    monkeypatch.setattr(provider, "CONTAINER_BASE_URL", server.endpoint)  # stands for http://169.254.170.2
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", server.path)
    monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer task-token")
    creds = resolve()
    assert (creds.access_key, creds.secret_key, creds.token) == ("ASIACONT1", "container-secret-1",
                                                                "container-token-1")
    assert creds.expiry is not None and not creds.needs_refresh()
    req = server.requests[0]
    assert (req.method, req.path, req.header("Authorization")) == ("GET", server.path, "Bearer task-token")
    assert req.header("Accept") == "application/json"
    assert creds.refresh().access_key == "ASIACONT2"
    assert server.requests[1].header("Authorization") == "Bearer task-token"

    # without the token (or with another one) the endpoint says 401
    monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer wrong-token-value")
    with pytest.raises(CredentialRetrievalError) as info:
        resolve()
    assert "HTTP 401" in str(info.value)
    assert_secret_free(info.value, "wrong-token-value", "task-token")


def test_container_full_uri_with_a_token_file_read_at_each_fetch(tmp_path, monkeypatch, servers):
    server = servers(ContainerServer(authorization="eks-token-1"))
    token_file = write(tmp_path / "token", "eks-token-1\n")
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url)
    monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token_file)
    monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "the-file-wins")
    creds = resolve()
    assert creds.access_key == "ASIACONT1" and server.requests[0].header("Authorization") == "eks-token-1"
    # the token is rotated: refresh() reads the file again
    write(token_file, "eks-token-2")
    server.authorization = "eks-token-2"
    assert creds.refresh().access_key == "ASIACONT2"
    assert server.requests[-1].header("Authorization") == "eks-token-2"

    os.unlink(token_file)
    with pytest.raises(CredentialRetrievalError, match="cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"):
        creds.refresh()


@pytest.mark.parametrize("url", [
    "http://192.0.2.10/v2/credentials",
    "http://example.com/v2/credentials",
    "http://169.254.169.254/latest/meta-data/",
    "http://127.0.0.1.example.com/creds",
    "ftp://127.0.0.1/creds",
])
def test_container_full_uri_refused_hosts(monkeypatch, url, loopback_only):
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url)
    with pytest.raises(CredentialRetrievalError) as info:
        resolve()
    assert "AWS_CONTAINER_CREDENTIALS_FULL_URI" in str(info.value)
    assert loopback_only == []  # refused before any connection


@pytest.mark.parametrize("url", [
    "http://169.254.170.2/v2/credentials/x",
    "http://169.254.170.23/v1/credentials",
    "http://[fd00:ec2::23]/v1/credentials",
    "http://localhost:8080/creds",
    "http://127.0.0.5/creds",
    "http://[::1]:51679/creds",
    "https://credentials.example.com/creds",
])
def test_container_full_uri_allowed_hosts(url):
    assert provider._container_url({"AWS_CONTAINER_CREDENTIALS_FULL_URI": url}) == url


def test_container_bad_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "@evil.example/creds")
    with pytest.raises(CredentialRetrievalError, match="must start with '/'"):
        resolve()
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/creds")
    monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "token\r\nX-Injected: 1")
    with pytest.raises(CredentialRetrievalError, match="not a legal header value") as info:
        resolve()
    assert "X-Injected" not in str(info.value)


def test_container_retries_a_5xx_and_never_follows_a_redirect(monkeypatch, servers):
    server = servers(ContainerServer(statuses=[500, 503]))
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url)
    assert resolve().access_key == "ASIACONT1" and len(server.requests) == 3

    target = servers(ContainerServer(authorization="Bearer t"))
    bouncer = servers(RedirectServer(target.url))
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", bouncer.endpoint + "/creds")
    monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer t")
    with pytest.raises(CredentialRetrievalError, match="HTTP 302"):
        resolve()
    assert target.requests == []  # the token never went to the other host


def test_a_failing_container_endpoint_is_an_error_not_a_fall_through(monkeypatch, imds, servers):
    metadata = imds()
    server = servers(ContainerServer(statuses=[500] * 3))
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url)
    with pytest.raises(CredentialRetrievalError, match="HTTP 500"):
        resolve()
    assert len(server.requests) == 3 and metadata.requests == []
    server.stop()
    with pytest.raises(CredentialRetrievalError, match="no answer"):
        resolve()


# --- 5. EC2 instance metadata -----------------------------------------------------------------------------------------


def test_imdsv2_token_flow(imds):
    server = imds(mode="v2")  # GETs without the token get 401
    creds = resolve()
    assert (creds.access_key, creds.secret_key, creds.token) == ("ASIAIMDS1", "imds-secret-1", "imds-token-1")
    assert [(r.method, r.path) for r in server.requests] == [
        ("PUT", "/latest/api/token"),
        ("GET", "/latest/meta-data/iam/security-credentials/"),
        ("GET", "/latest/meta-data/iam/security-credentials/web-role"),
    ]
    assert server.requests[0].header("X-aws-ec2-metadata-token-ttl-seconds") == "21600"
    assert all(r.header("X-aws-ec2-metadata-token") == MetadataServer.TOKEN for r in server.requests[1:])


@pytest.mark.parametrize("status", [403, 404, 405])
def test_imdsv1_fallback_when_the_token_request_is_refused(imds, status):
    server = imds(mode="v1", v1_status=status)
    assert resolve().access_key == "ASIAIMDS1"
    assert [r.method for r in server.requests] == ["PUT", "GET", "GET"]
    assert all(r.header("X-aws-ec2-metadata-token") is None for r in server.requests)


def test_imdsv1_can_be_forbidden(imds, monkeypatch):
    server = imds(mode="v1", v1_status=403)
    monkeypatch.setenv("AWS_EC2_METADATA_V1_DISABLED", "true")
    with pytest.raises(NoAuthHandlerFound, match="AWS_EC2_METADATA_V1_DISABLED forbids IMDSv1"):
        resolve()
    assert [r.method for r in server.requests] == ["PUT"]


@pytest.mark.parametrize("status", [400, 401])
def test_no_v1_fallback_for_other_token_errors(imds, status):
    server = imds(override={"PUT /latest/api/token": (status, b"")})
    with pytest.raises(NoAuthHandlerFound, match="token request got HTTP %d" % status):
        resolve()
    assert [r.method for r in server.requests] == ["PUT"]


def test_imds_attempts_and_5xx(imds, monkeypatch):
    server = imds(override={"PUT /latest/api/token": (500, b"")})
    with pytest.raises(NoAuthHandlerFound, match="HTTP 500"):
        resolve()
    assert len(server.requests) == 1  # one attempt by default
    monkeypatch.setenv("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "3")
    with pytest.raises(NoAuthHandlerFound):
        resolve()
    assert len(server.requests) == 1 + 3


def test_imds_disabled_is_not_contacted(imds, monkeypatch):
    server = imds()
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "TRUE")
    with pytest.raises(NoAuthHandlerFound, match="disabled by AWS_EC2_METADATA_DISABLED"):
        resolve()
    assert server.requests == []


def test_imds_without_a_role(imds):
    imds(role=None)
    with pytest.raises(NoAuthHandlerFound, match="no IAM role is attached"):
        resolve()


@pytest.mark.parametrize("body, problem", [
    (b'{"AccessKeyId": "ASIA", "SecretAccessKey": "' + SECRET.encode(), "not a JSON object"),
    (b'{"Code": "AssumeRoleUnauthorizedAccess", "SecretAccessKey": "' + SECRET.encode() + b'"}',
     "Code is 'AssumeRoleUnauthorizedAccess'"),
    (b'{"Code": "Success", "AccessKeyId": "ASIA", "SecretAccessKey": "x", "Token": "t", "Expiration": "soon"}',
     "Expiration 'soon'"),
])
def test_imds_bad_answers(imds, body, problem):
    imds(override={"/latest/meta-data/iam/security-credentials/web-role": (200, body)})
    with pytest.raises(NoAuthHandlerFound) as info:
        resolve()
    assert problem in str(info.value)
    assert_secret_free(info.value, SECRET)


def test_oversized_answers_are_refused(imds):
    imds(override={"/latest/meta-data/iam/security-credentials/web-role": (200, b"{" + b" " * 70000 + b"}")})
    with pytest.raises(NoAuthHandlerFound, match="larger than 65536 bytes"):
        resolve()


def test_imds_timeout_is_short_by_default(monkeypatch, servers):
    silent = SilentServer()
    try:
        monkeypatch.delenv("AWS_EC2_METADATA_DISABLED")
        monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", silent.endpoint)
        start = time.monotonic()
        with pytest.raises(NoAuthHandlerFound, match="timed out"):
            resolve()
        elapsed = time.monotonic() - start
        assert 0.8 < elapsed < 3.0  # 1 s, one attempt
        monkeypatch.setenv("AWS_METADATA_SERVICE_TIMEOUT", "0.2")
        start = time.monotonic()
        with pytest.raises(NoAuthHandlerFound):
            resolve()
        assert time.monotonic() - start < 0.9
    finally:
        silent.stop()


def test_imds_settings_from_the_boto_config_and_bad_values(tmp_path, monkeypatch):
    boto_cfg = write(tmp_path / "boto.cfg", "[Boto]\nmetadata_service_timeout = 0.25\n"
                                            "metadata_service_num_attempts = 2\n")
    monkeypatch.setenv("BOTO_CONFIG", boto_cfg)
    settings = provider._imds_settings({})
    assert (settings.endpoint, settings.timeout, settings.attempts) == ("http://169.254.169.254", 0.25, 2)
    settings = provider._imds_settings({"AWS_METADATA_SERVICE_TIMEOUT": "3", "AWS_METADATA_SERVICE_NUM_ATTEMPTS": "4",
                                        "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "IPv6"})
    assert (settings.endpoint, settings.timeout, settings.attempts) == ("http://[fd00:ec2::254]", 3.0, 4)

    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED")
    for variable, value in (("AWS_METADATA_SERVICE_TIMEOUT", "soon"), ("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "0"),
                            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", "169.254.169.254")):
        monkeypatch.setenv(variable, value)
        with pytest.raises(CredentialRetrievalError, match=variable):
            resolve()
        monkeypatch.delenv(variable)


def test_no_proxy_is_ever_used(monkeypatch, imds, servers):
    proxy = servers(LocalServer())
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "all_proxy"):
        monkeypatch.setenv(name, proxy.endpoint)
    monkeypatch.setenv("no_proxy", "")
    metadata = imds()
    assert resolve().access_key == "ASIAIMDS1"
    container = servers(ContainerServer())
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", container.url)
    assert resolve().access_key == "ASIACONT1"
    assert proxy.requests == [] and len(metadata.requests) == 3 and len(container.requests) == 1


# --- refresh ----------------------------------------------------------------------------------------------------------


def test_imds_credentials_expiring_soon_are_refreshed(imds):
    server = imds(lifetime=120)  # credentials expire 2 minutes after they are served
    creds = resolve()
    assert creds.access_key == "ASIAIMDS1"
    assert time.time() + 100 < creds.expiry <= time.time() + 121
    assert creds.needs_refresh()  # within the default 300 s margin
    assert not creds.needs_refresh(margin=60)
    assert not creds.needs_refresh(now=creds.expiry - 301)
    fresh = creds.refresh()
    assert (fresh.access_key, fresh.secret_key, fresh.token) == ("ASIAIMDS2", "imds-secret-2", "imds-token-2")
    assert [r.method for r in server.requests] == ["PUT", "GET", "GET"] * 2  # a new IMDSv2 token each time
    assert creds.access_key == "ASIAIMDS1" and fresh.source == creds.source
    # a holder that handed the secret to the C signer may drop it: refresh() does not need it
    fresh.secret_key = fresh.token = None
    assert fresh.refresh().access_key == "ASIAIMDS3"

    server.stop()
    with pytest.raises(CredentialRetrievalError) as info:
        fresh.refresh()
    assert isinstance(info.value, NoAuthHandlerFound) and "no answer" in str(info.value)


def test_static_credentials_do_not_refresh(monkeypatch, home):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AK")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "SK")
    creds = resolve()
    assert creds.expiry is None and not creds.needs_refresh(now=1e12) and creds.refresh() is creds
    creds = Credentials("AK", "SK", source="test", expiry=1000.0)
    assert creds.needs_refresh(now=800) and not creds.needs_refresh(now=600)
    assert creds.refresh() is creds  # no source to fetch from


# --- nothing found ----------------------------------------------------------------------------------------------------


def test_nothing_found_names_every_place_in_order(tmp_path, monkeypatch, home):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED")
    monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:%d" % port)
    shared = os.path.join(home, ".aws", "credentials")
    config = os.path.join(home, ".aws", "config")
    boto_cfg = str(tmp_path / "no-boto-config")
    with pytest.raises(NoAuthHandlerFound) as info:
        resolve()
    message = str(info.value)
    places = [
        "environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)",
        "[default] in %s" % shared,
        "[default] in %s (keys or credential_process)" % config,
        "[Credentials] in the boto config (%s)" % boto_cfg,
        "container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "EC2 instance metadata (http://127.0.0.1:%d): no answer" % port,
    ]
    positions = [message.index(p) for p in places]
    assert positions == sorted(positions)
    assert not isinstance(info.value, CredentialRetrievalError)

    # a named profile that exists but has no keys: its three places are named
    write(config, "[profile empty]\nregion = eu-west-1\n")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    with pytest.raises(NoAuthHandlerFound) as info:
        resolve(profile_name="empty")
    message = str(info.value)
    places = ["[empty] in %s" % shared, "[profile empty] in %s" % config,
              "[profile empty] in the boto config (%s)" % boto_cfg, "[Credentials] in the boto config",
              "EC2 instance metadata (disabled by AWS_EC2_METADATA_DISABLED)"]
    positions = [message.index(p) for p in places]
    assert positions == sorted(positions)


# --- secrets ----------------------------------------------------------------------------------------------------------


def test_secrets_are_absent_from_reprs_and_logs(tmp_path, monkeypatch, home, imds, servers, caplog):
    caplog.set_level(logging.DEBUG)
    found = []
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AK")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", TOKEN)
    found.append(resolve())
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    write(os.path.join(home, ".aws", "credentials"), "[a]\n" + keys(
        aws_access_key_id="AK", aws_secret_access_key=SECRET, aws_session_token=TOKEN))
    found.append(resolve(profile_name="a"))
    cmd = script(tmp_path, "print(json.dumps({'Version': 1, 'AccessKeyId': 'AK', 'SecretAccessKey': %r, "
                           "'SessionToken': %r, 'Expiration': '2999-01-01T00:00:00Z'}))" % (SECRET, TOKEN))
    write(os.path.join(home, ".aws", "config"), "[profile p]\ncredential_process = %s\n" % cmd)
    found.append(resolve(profile_name="p"))
    imds(secret=SECRET, token=TOKEN)
    found.append(resolve())
    container = servers(ContainerServer(secret=SECRET, token=TOKEN))
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", container.url)
    found.append(resolve())
    found.append(found[-1].refresh())

    assert len(found) == 6
    for creds in found:
        assert creds.secret_key.startswith(SECRET) and creds.token.startswith(TOKEN)
        for text in (repr(creds), str(creds), creds.source, repr(creds.expiry)):
            assert SECRET not in text and TOKEN not in text
        # nothing else on the object holds them
        others = [getattr(creds, name) for name in Credentials.__slots__ if name not in ("secret_key", "token")]
        assert not any(SECRET in repr(v) or TOKEN in repr(v) for v in others)
    assert SECRET not in caplog.text and TOKEN not in caplog.text


# --- through a connection ---------------------------------------------------------------------------------------------


def test_a_connection_signs_with_instance_metadata_credentials(imds):
    metadata = imds(mode="v2")
    with CannedServer() as elb:
        conn = boto_elb_c.connect_elb(endpoint_url=elb.endpoint)
        conn.get_all_load_balancers()
        conn.close()
        req = elb.requests[0]
        assert "Credential=ASIAIMDS1/" in req.header("Authorization")
        assert req.header("X-Amz-Security-Token") == "imds-token-1"
    assert [r.method for r in metadata.requests] == ["PUT", "GET", "GET"]


def test_connection_refreshes_temporary_credentials_before_they_expire(monkeypatch):
    """A connection made from instance-metadata credentials that expire in 2 minutes (inside the 5-minute
    margin) signs its next request with a fresh set, and keeps no secret on the Python side."""
    import boto_elb_c
    from metadata_servers import MetadataServer
    from servers import CannedServer

    with MetadataServer(lifetime=120) as imds, CannedServer() as elb:
        monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "false")
        monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.endpoint)
        conn = boto_elb_c.connect_elb(endpoint_url=elb.endpoint)
        conn.get_all_load_balancers()
        conn.get_all_load_balancers()
        keys = [r.header("Authorization").split("Credential=")[1].split("/")[0] for r in elb.requests]
        assert keys[0] != keys[1] and all(k.startswith("ASIAIMDS") for k in keys)
        assert conn._creds is not None and conn._creds.secret_key is None and conn._creds.token is None
        assert "imds-secret" not in repr(vars(conn))
