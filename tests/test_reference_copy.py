"""tests/data holds a copy of the reference material the tests read (the SigV4 test suite, the boto ELB
tutorial, the API model), so the suite runs where ../shared is absent. Where ../shared is present, the copy must match it."""
import filecmp
import os

import pytest

from conftest import DATA, SHARED


@pytest.mark.parametrize("name", ["sigv4-test-suite", "elb_tut.rst", "elb-api-2012-06-01"])
def test_copy_matches_shared(name):
    original = os.path.join(SHARED, "reference", name)
    if not os.path.exists(original):
        pytest.skip("../shared/reference is not present here; the tests use the copy in tests/data")
    copy = os.path.join(DATA, name)
    if os.path.isfile(original):
        assert filecmp.cmp(original, copy, shallow=False)
        return
    for root, _, files in os.walk(original):
        for f in files:
            rel = os.path.relpath(os.path.join(root, f), original)
            assert filecmp.cmp(os.path.join(original, rel), os.path.join(copy, rel), shallow=False), rel
    assert sorted(os.listdir(original)) == sorted(os.listdir(copy))
