"""The fuzzers' seeds and every minimized crash input, replayed through the extension itself (not only through
the C targets): the XML through the tape parser, the error-field scan, the SAX path and the shape-driven builder
with every root shape; the encoder and SigV4 inputs through their Python entry points. Plus a deterministic
mutation run of the XML seeds through the builder (longer with BOTO_ELB_C_SLOW_TESTS=1), which the sanitizer
suite runs under ASan/UBSan: the part of the parser the C targets cannot reach (xml.c needs Python).

Also checks that tests/c/shape_names.h (the XML target's name table) is the shape table's current name list.
"""
import os
import random
import sys

import pytest

import boto_elb_c.ec2.elb  # noqa: F401  (installs the shape table)
from boto_elb_c import _core, handler
from boto_elb_c.ec2.elb import _shapes
from boto_elb_c.exception import BotoServerError
from boto_elb_c.resultset import ResultSet

HERE = os.path.dirname(os.path.abspath(__file__))
C_DIR = os.path.join(HERE, "..", "c")
SLOW = os.environ.get("BOTO_ELB_C_SLOW_TESTS") == "1"


def inputs(target):
    """(name, bytes) of every seed and regression input of a fuzz target."""
    out = []
    for kind in ("corpus", "regressions"):
        d = os.path.join(C_DIR, kind, target)
        if os.path.isdir(d):
            for name in sorted(os.listdir(d)):
                path = os.path.join(d, name)
                if os.path.isfile(path) and not name.startswith(("README", ".")):
                    with open(path, "rb") as f:
                        out.append(("%s/%s" % (kind, name), f.read()))
    return out


def test_shape_names_header_is_current():
    sys.path.insert(0, os.path.join(HERE, "..", "tools"))
    try:
        import make_seeds
    finally:
        sys.path.pop(0)
    with open(os.path.join(C_DIR, "shape_names.h")) as f:
        assert f.read() == make_seeds.shape_names_header(), \
            "tests/c/shape_names.h is stale: run .venv/bin/python tests/tools/make_seeds.py"


def test_every_target_has_seeds():
    for target in ("xml", "encode", "sigv4"):
        assert len(inputs(target)) >= 20, target


# --- XML ---

def root_shapes():
    """(shape index, a fresh root object) for every root the connection parses into."""
    out = [(_shapes.INDEX["ResultSet"], lambda: ResultSet()), (_shapes.INDEX["ResultSet[str]"], lambda: ResultSet())]
    for cls, name in sorted(_shapes.LIST_SHAPES.items(), key=lambda kv: kv[1]):
        out.append((_shapes.INDEX[name], lambda cls=cls: ResultSet([("member", cls)])))
    for cls, name in sorted(_shapes.OBJECT_SHAPES.items(), key=lambda kv: kv[1]):
        out.append((_shapes.INDEX[name], lambda cls=cls: cls("CONN")))
    return out


ROOTS = root_shapes()


class _SaxSink(object):
    def startElement(self, name, attrs, connection):
        return None

    def endElement(self, name, value, connection):
        pass


def through_everything(body, roots=ROOTS):
    """Every parser of the package on one body; only the documented exceptions may come out."""
    try:
        _core._xml_events(body)
    except ValueError as e:
        assert type(e) is ValueError  # not a UnicodeDecodeError from a message cut inside a character
        assert str(e)
    fields = _core._error_fields(body)
    assert fields is None or set(fields) == {"Code", "Message", "RequestId", "BoxUsage"}
    BotoServerError.from_response(400, "Bad Request", body)
    try:
        handler.parse(body, _SaxSink(), None)
    except BotoServerError:
        pass
    for index, make_root in roots:
        try:
            _core.parse(body, make_root(), index, "CONN")
        except BotoServerError:  # ResponseParseError, or the error an <ErrorResponse> names
            pass


@pytest.mark.parametrize("name, body", inputs("xml"), ids=[n for n, _ in inputs("xml")])
def test_xml_input(name, body):
    through_everything(body)


MUTATION_TOKENS = [b"<", b">", b"/>", b"</", b"&amp;", b"&#x10FFFF;", b"<![CDATA[", b"]]>", b"<!--", b"-->",
                   b"<member>", b"</member>", b"<HealthCheck>", b"<Interval>", b"99999999999999999999",
                   b"<ErrorResponse>", b'xmlns="urn:x"', b"\xff", b"\x00", b"<NextMarker>", b"<_private>",
                   b"<__class__>", b"<connection>", b"<Instances>", b"<Policies>", b"<OtherPolicies>"]


def mutate(rng, seeds):
    data = bytearray(rng.choice(seeds))
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(6)
        pos = rng.randrange(len(data) + 1)
        if op == 0 and data:
            data[min(pos, len(data) - 1)] = rng.randrange(256)
        elif op == 1:
            data[pos:pos] = rng.choice(MUTATION_TOKENS)
        elif op == 2 and data:
            end = min(len(data), pos + rng.randint(1, 64))
            del data[pos:end]
        elif op == 3 and data:
            end = min(len(data), pos + rng.randint(1, 200))
            data[pos:pos] = data[pos:end] * rng.randint(1, 4)
        elif op == 4:
            other = rng.choice(seeds)
            cut = rng.randrange(len(other) + 1)
            data = data[:pos] + other[cut:]
        else:
            del data[pos:]
    return bytes(data)


def test_mutated_xml_through_the_builder():
    seeds = [body for _, body in inputs("xml")]
    rng = random.Random(20240611)
    n = 50000 if SLOW else 5000
    for i in range(n):
        body = mutate(rng, seeds)
        through_everything(body, roots=[rng.choice(ROOTS)])


# --- encoder and SigV4 ---

@pytest.mark.parametrize("name, data", inputs("encode"), ids=[n for n, _ in inputs("encode")])
def test_encode_input(name, data):
    query = data.split(b"\x00", 1)[0]
    text = query.decode("utf-8", "surrogateescape")
    assert isinstance(_core._uri_encode(data), str) and isinstance(_core._uri_encode(data, True), str)
    try:
        _core._canonical_query(text)
    except UnicodeEncodeError:  # lone surrogates from undecodable bytes: refused before any C code runs
        _core._canonical_query(query.decode("latin-1"))
    form = _core.encode_form([("k", data), ("t", query.decode("latin-1"))])
    assert isinstance(form, bytes)


def sigv4_fields(data):
    flags, fields = data[0], data[1:].split(b"\x00")
    fields += [b""] * (10 - len(fields))
    text = [f.decode("utf-8", "replace").replace("\x00", "") for f in fields]
    headers = [(text[i], text[i + 1]) for i in range(10, len(text) - 1, 2)]
    return flags, text, headers


@pytest.mark.parametrize("name, data", inputs("sigv4"), ids=[n for n, _ in inputs("sigv4")])
def test_sigv4_input(name, data):
    import hashlib

    flags, f, headers = sigv4_fields(data)
    if len(f[3]) < 8:
        pytest.skip("no date")
    out = _core._sigv4_sign(
        method=f[0], path=f[1], query=f[2], headers=headers, payload_hash=hashlib.sha256(f[9].encode()).hexdigest(),
        amz_date=f[3], region=f[4], service=f[5], access_key=f[6], secret_key=f[7] or "x",
        session_token=f[8] if flags & 16 else None, normalize=bool(flags & 1), query_mode=bool(flags & 2),
        omit_session_token=bool(flags & 4), sign_body=bool(flags & 8))
    assert len(out["signature"]) == 64
