"""A local ELB emulator: moto's server in a subprocess on 127.0.0.1 (``pip install 'boto_elb_c[emulator]'``).

Used by ``python -m boto_elb_c.tutorial`` when no endpoint is configured, and by the test suite as its peer::

    with MotoServer() as server:
        conn = boto_elb_c.connect_elb('testing', 'testing', endpoint_url=server.endpoint)

moto's server answers on one port for every service; it is reset with :meth:`reset` and stopped with
:meth:`stop`. It listens on the loopback interface only.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

__all__ = ["MotoServer", "EmulatorUnavailable", "free_port"]

HOST = "127.0.0.1"


class EmulatorUnavailable(RuntimeError):
    """moto's server is not installed or did not start."""


def free_port(host: str = HOST) -> int:
    """A TCP port that is free on ``host`` right now (the kernel picks it)."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]  # type: ignore[no-any-return]  # typeshed: Any (an address tuple here)


def _post(url: str, data: bytes = b"") -> bytes:
    # reset-auth reads the raw body: it must not be sent as a form
    req = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": "text/plain"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.read()  # type: ignore[no-any-return]  # typeshed: urlopen() returns Any


class MotoServer(object):
    """moto's server as a subprocess.

    :param int port: the port (default: a free one).
    :param str log_path: where the server's output goes (default: discarded).
    :param float timeout: seconds to wait for it to answer.
    :ivar str endpoint: ``http://127.0.0.1:PORT``.
    """

    def __init__(self, port: int | None = None, log_path: str | None = None, timeout: float = 60.0,
                 python: str | None = None) -> None:
        # moto runs as a subprocess, so it may run under another interpreter than ours (python=, or
        # BOTO_ELB_C_MOTO_PYTHON): moto 5.2 needs Python 3.10+, boto_elb_c runs on 3.9 too
        self.python = python or os.environ.get("BOTO_ELB_C_MOTO_PYTHON") or sys.executable
        if self.python == sys.executable:
            try:
                import moto.server  # noqa: F401  (only to fail early with a clear message)
            except ImportError:
                raise EmulatorUnavailable(
                    "moto's server is not installed: pip install 'boto_elb_c[emulator]' (or 'moto[server]'), or set "
                    "BOTO_ELB_C_MOTO_PYTHON to a Python that has it"
                ) from None
        self.port = port or free_port()
        self.endpoint = "http://%s:%d" % (HOST, self.port)
        env = dict(os.environ)
        env.pop("INITIAL_NO_AUTH_ACTION_COUNT", None)  # signature checks off unless enable_auth()
        for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
            env.pop(name, None)
        self._log = open(log_path or os.devnull, "ab")
        self.proc = subprocess.Popen(
            [self.python, "-m", "moto.server", "-H", HOST, "-p", str(self.port)],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
        )
        try:
            self._wait_ready(timeout)
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self, timeout: float) -> None:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise EmulatorUnavailable(
                    "moto's server exited with status %s (port %d busy?)" % (self.proc.returncode, self.port)
                )
            try:
                opener.open(self.endpoint + "/moto-api/data.json", timeout=2).read()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise EmulatorUnavailable("moto's server did not answer within %.0f s" % timeout)
                time.sleep(0.05)

    def warm_up(self, region: str = "us-east-1") -> None:
        """Make the first ELB request (moto loads its ELB and EC2 backends lazily, ~0.7 s)."""
        from boto_elb_c.ec2.elb import ELBConnection, RegionInfo

        conn = ELBConnection("testing", "testing", endpoint_url=self.endpoint,
                             region=RegionInfo(name=region, endpoint="elasticloadbalancing.%s.amazonaws.com" % region))
        conn.get_all_load_balancers()
        conn.close()

    def reset(self) -> None:
        """Wipe all of moto's state (every service, region and account). Does not change the auth mode."""
        _post(self.endpoint + "/moto-api/reset")

    def set_auth(self, count: int | str) -> Any:
        """``'inf'``: accept any signature; ``0``: verify every following request (SigV4 + IAM)."""
        return json.loads(_post(self.endpoint + "/moto-api/reset-auth", str(count).encode()))

    def _boto3(self, script: str, **values: Any) -> Any:
        """Run a boto3 script against the server in moto's interpreter (which has boto3, a dependency of moto);
        return what it prints as JSON. ``values`` are available to the script as ``args``."""
        prelude = ("import json, sys\nimport boto3\nargs = json.loads(sys.argv[1])\n"
                   "def client(name, region='us-east-1'):\n"
                   "    return boto3.client(name, endpoint_url=args['endpoint'], region_name=region,\n"
                   "                        aws_access_key_id='testing', aws_secret_access_key='testing')\n")
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        out = subprocess.run([self.python, "-c", prelude + script, json.dumps(dict(values, endpoint=self.endpoint))],
                             capture_output=True, text=True, env=env, timeout=120)
        if out.returncode != 0:
            raise EmulatorUnavailable("a boto3 call against the emulator failed:\n" + out.stderr[-2000:])
        return json.loads(out.stdout)

    def enable_auth(self, actions: Sequence[str] = ("elasticloadbalancing:*", "ec2:*")) -> tuple[str, str]:
        """Create an IAM user and key on the server, then switch signature checking on.

        Returns ``(access_key_id, secret_access_key)``. Call :meth:`disable_auth` before the next :meth:`reset`.
        """
        self.set_auth("inf")
        key = self._boto3(
            "iam = client('iam')\n"
            "iam.create_user(UserName='elb-tester')\n"
            "iam.put_user_policy(UserName='elb-tester', PolicyName='elb', PolicyDocument=json.dumps(\n"
            "    {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': args['actions'],\n"
            "                                             'Resource': '*'}]}))\n"
            "key = iam.create_access_key(UserName='elb-tester')['AccessKey']\n"
            "print(json.dumps([key['AccessKeyId'], key['SecretAccessKey']]))\n",
            actions=list(actions))
        self.set_auth(0)
        return key[0], key[1]

    def disable_auth(self) -> None:
        self.set_auth("inf")

    def run_instances(self, count: int = 2, region: str = "us-east-1", zone: str | None = None) -> list[str]:
        """Launch ``count`` EC2 instances in the emulator (so DescribeInstanceHealth has something to report).
        Returns their ids."""
        return self._boto3(  # type: ignore[no-any-return]  # the script prints a JSON list of ids
            "kw = {'ImageId': 'ami-12c6146b', 'MinCount': args['count'], 'MaxCount': args['count'],\n"
            "      'InstanceType': 't2.micro'}\n"
            "if args['zone']:\n"
            "    kw['Placement'] = {'AvailabilityZone': args['zone']}\n"
            "r = client('ec2', args['region']).run_instances(**kw)\n"
            "print(json.dumps([i['InstanceId'] for i in r['Instances']]))\n",
            count=count, region=region, zone=zone)

    def ec2(self, script: str, region: str = "us-east-1", **values: Any) -> Any:
        """Run a few lines of boto3 against the emulator's EC2 (``ec2`` is the client; print JSON to return a
        value), in moto's interpreter. For tests that need subnets, security groups, stopped instances."""
        return self._boto3("ec2 = client('ec2', args['region'])\n" + script, region=region, **values)

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 10 s)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if not self._log.closed:
            self._log.close()

    def __enter__(self) -> MotoServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
