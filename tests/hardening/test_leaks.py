"""Leaks: 100,000 calls against a fast local server with every kind of answer leave RSS where it settled after the
first 1,000; every function of the C core is called in a loop without growing; every C type (_core.Signer,
_core.HttpClient) is tracked with weakrefs and gc, so a reference cycle or a leaked handle fails a test.

Under tests/tools/sanitize.sh or valgrind.sh (BOTO_ELB_C_SANITIZED=1) the loops are short and the memory figures
are not checked (ASan's quarantine and shadow memory are not the program's); the sanitizers check those runs.
"""
import gc
import os
import subprocess
import sys
import threading
import time
import weakref

import pytest

import boto_elb_c
from boto_elb_c import _core
from boto_elb_c.ec2.elb import _shapes
from boto_elb_c.ec2.elb.healthcheck import HealthCheck
from boto_elb_c.ec2.elb.loadbalancer import LoadBalancer
from boto_elb_c.exception import BotoServerError, HTTPClientError, ResponseParseError
from boto_elb_c.resultset import ResultSet
from hardening_tools import SANITIZED, live_core_objects, malloc_in_use, rss

HERE = os.path.dirname(os.path.abspath(__file__))
MB = 1024 * 1024
CALLS = int(os.environ.get("BOTO_ELB_C_LEAK_CALLS", 2000 if SANITIZED else 100000))
SETTLE = 1000


@pytest.fixture(scope="module")
def fast_server(tmp_path_factory):
    """tests/hardening/fast_server.py in its own process (so its memory is not ours); stops when we close its
    stdin, or by itself."""
    env = dict(os.environ)
    env.pop("LD_PRELOAD", None)  # not our code: no sanitizer runtime in it
    # it stops when we close its stdin; the deadlines are for a test process that dies (long: under valgrind this
    # module takes ten minutes, with quiet stretches)
    proc = subprocess.Popen([sys.executable, os.path.join(HERE, "fast_server.py"), "--max-seconds", "3600",
                             "--idle-seconds", "1800"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            cwd=str(tmp_path_factory.mktemp("fast_server")))
    try:
        line = proc.stdout.readline().decode()
        assert line.startswith("PORT "), "fast_server did not start: %r %r" % (line, proc.stderr.read())
        yield "http://127.0.0.1:%d" % int(line.split()[1])
    finally:
        proc.stdin.close()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()


@pytest.fixture
def retry_config(tmp_path, monkeypatch):
    """A boto config for a retrying transport: few retries and no sleeping between them (boto 2's option names).
    Today 503 and Throttling come back as BotoServerError at once; once the transport retries them, this keeps
    the 100,000 calls fast."""
    cfg = tmp_path / "boto.cfg"
    cfg.write_text("[Boto]\nnum_retries = 2\nmax_retry_delay = 0\n")
    monkeypatch.setenv("BOTO_CONFIG", str(cfg))


# one round of the mix: (weight, kind); the kinds are those of fast_server.py, plus three other actions
MIX = [
    (60, "ok"), (8, "healthcheck"), (8, "attributes"), (4, "delete"), (4, "notfound"), (4, "throttle"),
    (3, "unavailable"), (2, "html500"), (2, "error200"), (2, "garbage"), (2, "flaky"), (1, "close"),
]
ROUND = [kind for weight, kind in MIX for _ in range(weight)]
assert len(ROUND) == 100


def one_call(conn, i):
    """One call of the mix; returns the kind of outcome. Wrong outcomes fail the test."""
    kind = ROUND[i % len(ROUND)]
    try:
        if kind == "healthcheck":
            hc = conn.configure_health_check("lb", HealthCheck(interval=30, target="HTTP:80/"))
            assert hc.target == "HTTP:80/"
        elif kind == "attributes":
            attrs = conn.get_all_lb_attributes("lb")
            assert attrs.connection_draining.timeout == 300
        elif kind == "delete":
            assert conn.delete_load_balancer("lb") is True
        else:
            lbs = conn.get_all_load_balancers([kind], marker="m-%d" % i)
            assert len(lbs) == 2 and lbs[1].health_check.interval == 30 and lbs.next_marker == "next"
            assert kind in ("ok", "flaky"), kind
        return "ok"
    except ResponseParseError:
        assert kind == "garbage", kind
        return "parse-error"
    except BotoServerError as e:
        expected = {"notfound": 400, "throttle": 400, "unavailable": 503, "html500": 500, "error200": 200,
                    "flaky": 503}
        assert e.status == expected.get(kind), (kind, e.status)
        return "server-error"
    except HTTPClientError:
        assert kind == "close", kind
        return "transport-error"


def test_rss_is_flat_over_100000_calls(fast_server, retry_config):
    conn = boto_elb_c.connect_elb("AKIDEXAMPLE", "leak-test-secret", endpoint_url=fast_server)
    outcomes = {}
    t0 = time.perf_counter()
    for i in range(SETTLE):
        r = one_call(conn, i)
        outcomes[r] = outcomes.get(r, 0) + 1
    gc.collect()
    settled, settled_malloc = rss(), malloc_in_use()
    for i in range(SETTLE, CALLS):
        r = one_call(conn, i)
        outcomes[r] = outcomes.get(r, 0) + 1
    gc.collect()
    final, final_malloc = rss(), malloc_in_use()
    seconds = time.perf_counter() - t0
    clients = list(conn._clients)
    requests = sum(c.requests for c in clients)
    print("\nleaks: %d calls in %.1f s (%.0f us/call), %d requests on %d connection(s); RSS after %d calls %.2f MB, "
          "after %d calls %.2f MB (%+.3f MB); malloc in use %+d bytes; outcomes %s" % (
              CALLS, seconds, seconds / CALLS * 1e6, requests, sum(c.connects for c in clients), SETTLE,
              settled / MB, CALLS, final / MB, (final - settled) / MB,
              (final_malloc - settled_malloc) if settled_malloc is not None else 0, outcomes))
    conn.close()
    assert set(outcomes) == {"ok", "parse-error", "server-error", "transport-error"}
    if not SANITIZED:
        assert final - settled <= 2 * MB, "RSS grew by %.2f MB over %d calls" % ((final - settled) / MB, CALLS)


# --- every C function in a loop ---

NS = "http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/"
DESCRIBE = open(os.path.join(HERE, "..", "c", "corpus", "xml", "test_xml-whole-load-balancer.xml"), "rb").read()
ERROR = ('<ErrorResponse xmlns="%s"><Error><Code>Throttling</Code><Message>m</Message></Error>'
         "<RequestId>r</RequestId></ErrorResponse>" % NS).encode()
SIGNER = _core.Signer("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "token", region="us-east-1")


def _expect(exc_type, fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except exc_type:
        return
    raise AssertionError("%s did not raise %s" % (fn, exc_type))


def _parse(body):
    return _core.parse(body, ResultSet([("member", LoadBalancer)]), _shapes.INDEX["ResultSet[LoadBalancer]"], "CONN")


CORE_CALLS = {
    "parse": lambda: _parse(DESCRIBE),
    "parse, malformed": lambda: _expect(ResponseParseError, _parse, DESCRIBE[:700]),
    "parse, bad integer": lambda: _expect(ResponseParseError, _parse, DESCRIBE.replace(b">30<", b">x<")),
    "parse, ErrorResponse": lambda: _expect(BotoServerError, _parse, ERROR),
    "parse, wrong namespace": lambda: _expect(ResponseParseError, _parse, DESCRIBE.replace(b"2012-06-01", b"x")),
    "parse, DTD": lambda: _expect(ResponseParseError, _parse, b'<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'),
    "parse, bad class index": lambda: _expect(ValueError, _core.parse, DESCRIBE, [], 10000),
    "parse, root refuses the members": lambda: _expect(AttributeError, _core.parse, DESCRIBE, object(),
                                                       _shapes.INDEX["ResultSet[LoadBalancer]"], "CONN"),
    "_xml_events": lambda: _core._xml_events(DESCRIBE),
    "_xml_events, refused": lambda: _expect(ValueError, _core._xml_events, b"<a>" * 300),
    "_error_fields": lambda: _core._error_fields(ERROR),
    "_error_fields, not XML": lambda: _core._error_fields(b"<html"),
    "BotoServerError.from_response": lambda: BotoServerError.from_response(400, "Bad", ERROR, [("x", "y")]),
    "encode_form": lambda: _core.encode_form({"Action": "X", "A.member.1": "a b/é", "n": 3, "b": True, "z": None}),
    "encode_form, pairs": lambda: _core.encode_form([("a", b"\xff"), ("b", 1.5)]),
    "encode_form, bad key": lambda: _expect(TypeError, _core.encode_form, {1: "x"}),
    "encode_form, bad pair": lambda: _expect(TypeError, _core.encode_form, [("a", "b"), "c"]),
    "_uri_encode": lambda: _core._uri_encode("a b/c~é", True),
    "_canonical_query": lambda: _core._canonical_query("b=2&a=1&a=%41&c"),
    "_sigv4_sign": lambda: _core._sigv4_sign(
        method="GET", path="/a/../b", query="x=1&y=2", headers=[("Host", "example.com"), ("X-A", " a  b ")],
        payload_hash="e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", amz_date="20150830T123600Z",
        region="us-east-1", service="service", access_key="AKIDEXAMPLE", secret_key="secret", session_token="tok",
        query_mode=True),
    "_sigv4_string_to_sign": lambda: _core._sigv4_string_to_sign("GET\n/\n\nhost:x\n\nhost\nabc", "20150830T123600Z",
                                                                 "us-east-1", "service"),
    "_sigv4_signature": lambda: _core._sigv4_signature("sts", "secret", "20150830T123600Z", "us-east-1", "s"),
    "Signer": lambda: repr(_core.Signer("AK", "SK", region="eu-west-1")),
    "Signer, bad argument": lambda: _expect(ValueError, _core.Signer, "AK", "", region="x"),
    "Signer.with_scope": lambda: SIGNER.with_scope("eu-west-1", "other"),
    "Signer.sign_query_post": lambda: SIGNER.sign_query_post("example.com", b"Action=X", 1700000000),
    "HttpClient": lambda: _core.HttpClient(connect_timeout=1, read_timeout=1, proxy="http://u:p@127.0.0.1:1",
                                           user_agent="ua", ca_bundle="/nonexistent").close(),
    "HttpClient, unused": lambda: _core.HttpClient(),
    "HttpClient.query, closed": lambda: _expect(ValueError, _closed_client().query, "http://127.0.0.1:1/", {}, SIGNER),
    "HttpClient.query, bad url": lambda: _expect(ValueError, _core.HttpClient().query, "ftp://x/", {}, SIGNER),
    "install_shapes": lambda: _shapes.install(),
}


def _closed_client():
    c = _core.HttpClient()
    c.close()
    return c


WINDOWS = 3


def growth(call, n):
    """(new pymalloc blocks, growth of malloc's bytes in use, RSS growth) over n calls after a warm-up: the
    smallest of WINDOWS consecutive windows of n / WINDOWS calls each, scaled back to n calls. A leak grows in
    every window; a one-time growth (a global table such as the interned strings' dict reaching its next size)
    in one of them only."""
    for _ in range(500):
        call()
    per = n // WINDOWS
    results = []
    for _ in range(WINDOWS):
        gc.collect()
        start = sys.getallocatedblocks(), malloc_in_use(), rss()
        for _ in range(per):
            call()
        gc.collect()
        end = sys.getallocatedblocks(), malloc_in_use(), rss()
        results.append((end[0] - start[0], (end[1] - start[1]) if start[1] is not None else None, end[2] - start[2]))
    blocks = min(r[0] for r in results) * WINDOWS
    in_use = min(r[1] for r in results) * WINDOWS if results[0][1] is not None else None
    return blocks, in_use, min(r[2] for r in results) * WINDOWS


LOOP = 300 if SANITIZED else 21000


def check_growth(name, blocks, in_use, grown_rss):
    # a leak of one object per call would be LOOP blocks; of one 16-byte C buffer per call, LOOP * 16+ bytes of
    # malloc (RSS only shows what memory freed earlier cannot absorb: the fallback without mallinfo2)
    assert blocks < LOOP // 20, "%s: %d more pymalloc blocks after %d calls" % (name, blocks, LOOP)
    if in_use is not None:
        assert in_use < LOOP * 4, "%s: malloc holds %d more bytes after %d calls" % (name, in_use, LOOP)
    else:
        assert grown_rss < 1 * MB, "%s: RSS grew by %.2f MB over %d calls" % (name, grown_rss / MB, LOOP)


@pytest.mark.parametrize("name", sorted(CORE_CALLS))
def test_core_function_does_not_grow(name):
    """A leaked Python object per call shows in pymalloc's block count (sys.getallocatedblocks), a leaked C
    buffer in malloc's bytes in use (mallinfo2). (tracemalloc's total is not used: a dict table that existed
    before tracing started and is reallocated once during the loop, such as the interned strings', counts as
    growth there.)"""
    before_objects = live_core_objects()
    blocks, in_use, grown_rss = growth(CORE_CALLS[name], LOOP)
    assert live_core_objects() == before_objects
    if not SANITIZED:
        check_growth(name, blocks, in_use, grown_rss)


@pytest.mark.skipif(SANITIZED, reason="memory figures are not checked under the sanitizers")
def test_the_loop_check_sees_a_leak():
    """Positive controls: one leaked object, or one leaked 16-byte malloc, per call fails the checks above."""
    import ctypes

    kept = []
    with pytest.raises(AssertionError, match="pymalloc blocks"):
        check_growth("control", *growth(lambda: kept.append(object()), LOOP))
    libc = ctypes.CDLL(None)
    libc.malloc.restype = ctypes.c_void_p
    with pytest.raises(AssertionError, match="malloc holds|RSS grew"):
        check_growth("control", *growth(lambda: ctypes.memset(libc.malloc(16), 1, 16), LOOP))


# --- every C type, tracked ---

def test_every_c_type_is_tracked():
    """live_core_objects() counts the instances of every type _core defines; each must be GC-tracked (or the
    count, and the cycle collector, would not see it) and weak-referenceable (the tests below use weakrefs)."""
    from hardening_tools import core_types

    assert {t.__name__ for t in core_types()} >= {"Signer", "HttpClient"}
    assert live_core_objects().keys() == {t.__name__ for t in core_types()}
    samples = {"Signer": lambda: _core.Signer("AK", "SK", region="us-east-1"), "HttpClient": _core.HttpClient}
    for t in core_types():
        assert t.__name__ in samples, "a new C type, %s: add it to the leak tests" % t.__name__
        obj = samples[t.__name__]()
        assert gc.is_tracked(obj) and weakref.ref(obj)() is obj

def test_c_objects_die_with_their_last_reference():
    """No C type keeps itself alive: the last reference going frees it at once (no gc needed)."""
    gc.disable()
    try:
        signer = _core.Signer("AK", "SK", region="us-east-1")
        scoped = signer.with_scope("eu-west-1")
        client = _core.HttpClient()
        refs = [weakref.ref(o) for o in (signer, scoped, client)]
        del signer, scoped, client
        assert [r() for r in refs] == [None, None, None]
    finally:
        gc.enable()


def _used_connection(endpoint):
    conn = boto_elb_c.connect_elb("AKIDEXAMPLE", "leak-test-secret", endpoint_url=endpoint)
    conn.get_all_load_balancers()
    try:
        conn.get_all_load_balancers(["notfound"])
    except BotoServerError as e:
        status = e.status  # (keeping e would keep this frame, and conn, through its traceback)
    return conn, status


def test_connection_frees_its_signer_and_clients(fast_server):
    baseline = live_core_objects()
    conn, status = _used_connection(fast_server)
    assert status == 400
    try:
        conn.get_all_load_balancers(["throttle"])
    except BotoServerError as e:
        error = e.with_traceback(None)  # an exception the caller keeps holds no client
    refs = [weakref.ref(conn), weakref.ref(conn._signer)] + [weakref.ref(c) for c in conn._clients]
    assert len(refs) == 3 and live_core_objects() == {k: v + 1 for k, v in baseline.items()}
    del conn
    gc.collect()
    assert [r() for r in refs] == [None] * 3
    assert live_core_objects() == baseline
    assert error.error_code == "Throttling"


def test_no_reference_cycle_keeps_the_clients_alive(fast_server):
    """del conn frees the connection, its Signer and its CURL handles at once: the region refers back to the
    connection weakly (boto 2's strong back reference made a cycle that only the cycle collector broke)."""
    conn, _ = _used_connection(fast_server)
    assert conn.region.connection is conn
    refs = [weakref.ref(conn), weakref.ref(conn._signer)] + [weakref.ref(c) for c in conn._clients]
    gc.collect()
    gc.disable()
    try:
        del conn
        alive = [r() for r in refs]
        assert alive == [None] * 3, "kept alive by a reference cycle: %r" % (alive,)
    finally:
        gc.enable()


def test_each_thread_client_goes_away(fast_server):
    baseline = live_core_objects()
    conn = boto_elb_c.connect_elb("AKIDEXAMPLE", "leak-test-secret", endpoint_url=fast_server)
    errors, refs, requests = [], [], []
    ready = threading.Barrier(4, timeout=60)

    def work():
        try:
            for i in range(50):
                one_call(conn, i)
            client = conn._local.client
            refs.append(weakref.ref(client))
            requests.append(client.requests)
            ready.wait()  # all four alive at once: four clients
            assert len(conn._clients) == 4
            ready.wait()
        except Exception as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors and requests == [50] * 4
    # a finished thread's client goes with the thread's local storage, while the connection lives on
    del threads
    gc.collect()
    assert [r() for r in refs] == [None] * 4 and len(conn._clients) == 0
    assert live_core_objects() == {"Signer": baseline["Signer"] + 1, "HttpClient": baseline["HttpClient"]}
    ref_conn = weakref.ref(conn)
    del conn
    gc.collect()
    assert ref_conn() is None and live_core_objects() == baseline


def test_close_releases_the_handle_and_the_object_still_goes(fast_server):
    conn, _ = _used_connection(fast_server)
    (client,) = list(conn._clients)
    conn.close()
    assert client.closed
    conn.get_all_load_balancers()  # a new client for this thread
    assert conn._local.client is not client and not conn._local.client.closed
    ref = weakref.ref(client)
    del client
    gc.collect()
    assert ref() is None and len(conn._clients) == 1
