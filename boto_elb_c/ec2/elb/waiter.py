"""Waiters built from the API model's waiters (waiters-2.json): poll DescribeInstanceHealth until the instances
are in service, or deregistered. boto 2 had none; boto3's are ``instance_in_service`` and
``instance_deregistered``."""
from __future__ import annotations

import time

from boto_elb_c._log import log
from boto_elb_c.exception import BotoClientError, BotoServerError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from boto_elb_c.ec2.elb import ELBConnection
    from boto_elb_c.ec2.elb.instancestate import InstanceState
    from boto_elb_c.resultset import ResultSet

__all__ = ["WaiterTimeoutError", "wait_for_instances_in_service", "wait_for_instances_deregistered"]


#: the model's defaults: 15 s between polls, 40 polls
DEFAULT_DELAY = 15.0
DEFAULT_TIMEOUT = 40 * DEFAULT_DELAY

_DEREGISTERED_STATES = ("OutOfService", "Unknown")


class WaiterTimeoutError(BotoClientError):
    """The instances did not reach the state in time.

    :ivar str waiter: ``'instances_in_service'`` or ``'instances_deregistered'``.
    :ivar list pending: the instance ids that were not there yet.
    :ivar dict states: ``{instance id: last state seen}`` (None for an instance the service did not report).
    """

    def __init__(self, reason: str, waiter: str, pending: list[str], states: dict[str, str | None]) -> None:
        super().__init__(reason)
        self.waiter = waiter
        self.pending = pending
        self.states = states


def _check_args(timeout: float, delay: float) -> None:
    if timeout is None or delay is None:
        raise TypeError("timeout and delay must be numbers")
    if timeout < 0 or delay <= 0:
        raise ValueError("timeout must be >= 0 and delay > 0")


def _wait(connection: ELBConnection, lb_name: str, instance_ids: str | Iterable[str] | None, timeout: float,
          delay: float, waiter: str, sleep: Callable[[float], object]) -> ResultSet[InstanceState] | None:
    _check_args(timeout, delay)
    if isinstance(instance_ids, str):
        instance_ids = [instance_ids]
    wanted = list(instance_ids) if instance_ids else None
    deadline = time.monotonic() + timeout
    attempt = 0
    health: ResultSet[InstanceState] | None
    while True:
        attempt += 1
        states: dict[str, str | None] = {}
        error_code: str | None = None
        try:
            health = connection.describe_instance_health(lb_name, wanted)
            # every member of a DescribeInstanceHealth answer has an <InstanceId>
            states = {s.instance_id: s.state for s in health}  # type: ignore[misc]
        except BotoServerError as exc:
            if exc.error_code != "InvalidInstance":
                raise
            error_code = exc.error_code
            health = None
        ids = wanted if wanted is not None else list(states)
        if waiter == "instances_in_service":
            # InstanceInService: every state InService (an empty answer is not a match); InvalidInstance: retry
            pending = [i for i in ids if states.get(i) != "InService"]
            done = error_code is None and bool(ids) and not pending
        else:
            # InstanceDeregistered: every state OutOfService, or InvalidInstance. Also counted as deregistered:
            # an instance the answer leaves out, or reports as Unknown (not registered).
            pending = [] if error_code else [i for i in ids if states.get(i) not in _DEREGISTERED_STATES + (None,)]
            done = not pending
        if done:
            return health
        left = deadline - time.monotonic()
        log.debug("%s for %s: attempt %d, waiting on %s", waiter, lb_name, attempt, pending or "registrations")
        if left < delay:
            if waiter == "instances_in_service" and not ids:
                reason = "no instances are registered with load balancer %s" % lb_name
            else:
                reason = "%d instance(s) of load balancer %s not %s after %.0f s: %s" % (
                    len(pending), lb_name, "in service" if waiter == "instances_in_service" else "deregistered",
                    timeout, ", ".join("%s (%s)" % (i, states.get(i) or "not reported") for i in pending))
            raise WaiterTimeoutError(reason, waiter, pending, {i: states.get(i) for i in ids})
        sleep(delay)


def wait_for_instances_in_service(connection: ELBConnection, lb_name: str,
                                  instance_ids: str | Iterable[str] | None = None, timeout: float = DEFAULT_TIMEOUT,
                                  delay: float = DEFAULT_DELAY,
                                  sleep: Callable[[float], object] = time.sleep) -> ResultSet[InstanceState]:
    """Poll until every instance (all registered ones if ``instance_ids`` is None) is ``InService``.
    Returns the last ResultSet of InstanceState; raises :class:`WaiterTimeoutError`."""
    # this waiter is done only after an answer (never after InvalidInstance), so it returns a ResultSet
    return _wait(  # type: ignore[return-value]
        connection, lb_name, instance_ids, timeout, delay, "instances_in_service", sleep)


def wait_for_instances_deregistered(connection: ELBConnection, lb_name: str,
                                    instance_ids: str | Iterable[str] | None = None, timeout: float = DEFAULT_TIMEOUT,
                                    delay: float = DEFAULT_DELAY,
                                    sleep: Callable[[float], object] = time.sleep) -> ResultSet[InstanceState] | None:
    """Poll until every instance is deregistered (``OutOfService``, ``Unknown``, not reported, or the service
    answers ``InvalidInstance``). Returns the last ResultSet (None after InvalidInstance); raises
    :class:`WaiterTimeoutError`."""
    return _wait(connection, lb_name, instance_ids, timeout, delay, "instances_deregistered", sleep)
