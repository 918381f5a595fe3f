"""Sphinx configuration: python -m sphinx -W -b html docs docs/_build/html (warnings are errors in CI)."""
import os
import sys

# Document the INSTALLED package (the source tree has no built extension).
_here = os.path.dirname(os.path.abspath(__file__))
sys.path = [p for p in sys.path if os.path.abspath(p or ".") not in (_here, os.path.dirname(_here))]

import boto_elb_c  # noqa: E402

project = "boto_elb_c"
author = "The boto_elb_c developers"
copyright = "2026, The boto_elb_c developers"
release = boto_elb_c.__version__
version = ".".join(release.split(".")[:2])

extensions = ["sphinx.ext.autodoc", "sphinx.ext.intersphinx", "sphinx.ext.viewcode"]
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": True}
autodoc_typehints = "description"
intersphinx_mapping = {}
exclude_patterns = ["_build"]
html_theme = "alabaster"
html_static_path = ["_static"]
html_theme_options = {"description": "boto 2's ELB client with a C core", "fixed_sidebar": True}
nitpicky = False
