"""boto 2.49 itself, as a test oracle (the test extra installs it where it imports: Python < 3.12)."""
import importlib
import sys
import warnings

import pytest


def import_boto2():
    """The real boto 2.49 package (not boto_elb_c installed under its name), or skip with the reason."""
    if "boto" in sys.modules and getattr(sys.modules["boto"], "__version__", None) != "2.49.0":
        pytest.skip("sys.modules['boto'] is not boto 2.49 (install_as_boto() is active in this process)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            boto = importlib.import_module("boto")
            importlib.import_module("boto.ec2.elb")
        except Exception as exc:  # ImportError on 3.12+, or not installed
            pytest.skip("boto 2.49 cannot be imported here (%s: %s); pip install boto==2.49.0 on Python <= 3.11"
                        % (type(exc).__name__, exc))
    if boto.__version__ != "2.49.0":
        pytest.skip("boto %s is installed, the oracle is 2.49.0" % boto.__version__)
    return boto
