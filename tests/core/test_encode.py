"""The Query-protocol form body and RFC 3986 encoding (ext/encode.c, ext/query.c)."""
import random
import string
from urllib.parse import quote, urlencode

import pytest

from boto_elb_c import _core


def test_form_body_is_exactly_urlencode():
    # moto's signature check (and AWS) hash the bytes; urlencode's form is the one both accept
    params = {"Action": "CreateLoadBalancer", "Version": "2012-06-01", "Tags.member.1.Value": "a b",
              "X": "* ~ + & = / : café ሴ"}
    assert _core.encode_form(params) == urlencode(params).encode()


def test_random_strings_match_urlencode():
    rng = random.Random(1234)
    alphabet = string.printable + "éüሴ😀\u0000\u00ff"
    for _ in range(2000):
        params = [("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))),
                   "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))) for _ in range(rng.randint(1, 4))]
        assert _core.encode_form(params) == urlencode(params).encode()


def test_value_conversions():
    body = _core.encode_form({"s": "x", "t": True, "f": False, "i": 42, "big": 2 ** 70, "n": None, "b": b"\x00\xff"})
    assert body == b"s=x&t=true&f=false&i=42&big=%d&b=%%00%%FF" % 2 ** 70
    assert b"n=" not in body  # None is left out (boto 2 sent the text "None")


def test_empty_values_are_kept():
    assert _core.encode_form({"PolicyNames": ""}) == b"PolicyNames="


@pytest.mark.parametrize("bad", [{1: "x"}, {"": "x"}, [("a",)], 5])
def test_bad_params(bad):
    with pytest.raises((TypeError, ValueError)):
        _core.encode_form(bad)


def test_uri_encode_matches_rfc3986():
    rng = random.Random(7)
    for _ in range(2000):
        s = "".join(rng.choice(string.printable + "éሴ") for _ in range(rng.randint(0, 20)))
        assert _core._uri_encode(s) == quote(s, safe="-_.~")
        assert _core._uri_encode(s, True) == quote(s, safe="-_.~/")


def test_canonical_query():
    assert _core._canonical_query("b=2&a=1&a=0") == "a=0&a=1&b=2"
    assert _core._canonical_query("Param-3=Value3&Param=Value2&%E1%88%B4=Value1") == \
        "%E1%88%B4=Value1&Param=Value2&Param-3=Value3"
    assert _core._canonical_query("k") == "k="
    assert _core._canonical_query("") == ""
    assert _core._canonical_query("a=%zz&b=%4") == "a=%25zz&b=%254"
