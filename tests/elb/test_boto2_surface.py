"""Every public name of boto 2.49's ``boto.ec2.elb`` (and its sub-modules) exists in ``boto_elb_c.ec2.elb`` with
a compatible signature: the same positional parameters in the same order with the same defaults (we may add
parameters after them, each with a default). Checked by introspecting the real boto 2.49."""
import importlib
import inspect
import pkgutil

import pytest

from boto2 import import_boto2

# Deliberate differences of defaults (docs/compat.rst): the verb of the generic request methods (we POST)
CHANGED_DEFAULTS = {("make_request", "verb"), ("get_list", "verb"), ("get_object", "verb"), ("get_status", "verb")}
# names boto's modules merely import (not API)
NOT_API = {"boto", "six", "json", "time", "ConfigParser", "urlparse"}


def _modules(boto):
    import boto.ec2.elb as elb

    names = ["boto.ec2.elb"] + ["boto.ec2.elb." + m.name for m in pkgutil.iter_modules(elb.__path__)]
    return [(n, importlib.import_module(n)) for n in names]


def _public(module):
    for name in dir(module):
        if name.startswith("_") or name in NOT_API:
            continue
        obj = getattr(module, name)
        if inspect.ismodule(obj):
            continue
        yield name, obj


def _compatible(theirs, ours, where):
    try:
        ps, po = inspect.signature(theirs), inspect.signature(ours)
    except (TypeError, ValueError):
        return []
    problems = []
    tp = [p for p in ps.parameters.values() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    op = list(po.parameters.values())
    for i, p in enumerate(tp):
        if i >= len(op) or op[i].name != p.name:
            problems.append("%s: parameter %d is %r in boto, %r here" % (where, i, p.name,
                                                                         op[i].name if i < len(op) else None))
            break
        if p.default is not p.empty and op[i].default != p.default and (where.split(".")[-1], p.name) \
                not in CHANGED_DEFAULTS:
            problems.append("%s: default of %s is %r in boto, %r here" % (where, p.name, p.default, op[i].default))
    for q in op[len(tp):]:
        if q.kind in (q.POSITIONAL_OR_KEYWORD, q.KEYWORD_ONLY) and q.default is q.empty:
            problems.append("%s: extra parameter %s has no default" % (where, q.name))
    has_var = any(p.kind == p.VAR_KEYWORD for p in ps.parameters.values())
    if has_var and not any(p.kind == p.VAR_KEYWORD for p in op):
        problems.append("%s: boto takes **kwargs, we do not" % where)
    return problems


def test_every_public_name_with_a_compatible_signature():
    boto = import_boto2()
    problems = []
    checked = 0
    for modname, module in _modules(boto):
        ours_name = modname.replace("boto.", "boto_elb_c.", 1)
        try:
            ours_module = importlib.import_module(ours_name)
        except ImportError:
            problems.append("no module %s" % ours_name)
            continue
        for name, obj in _public(module):
            if not hasattr(ours_module, name):
                problems.append("%s.%s is missing" % (ours_name, name))
                continue
            mine = getattr(ours_module, name)
            checked += 1
            if inspect.isclass(obj):
                problems += _compatible(obj.__init__, mine.__init__, "%s.%s()" % (ours_name, name))
                for attr, member in vars(obj).items():
                    if attr.startswith("_") or not callable(member):
                        continue
                    if not hasattr(mine, attr):
                        problems.append("%s.%s.%s is missing" % (ours_name, name, attr))
                        continue
                    checked += 1
                    problems += _compatible(member, getattr(mine, attr), "%s.%s.%s" % (ours_name, name, attr))
            elif callable(obj):
                problems += _compatible(obj, mine, "%s.%s" % (ours_name, name))
    assert checked > 100
    assert not problems, "\n".join(problems)


def test_inherited_connection_methods():
    boto = import_boto2()
    from boto.ec2.elb import ELBConnection as Theirs

    from boto_elb_c.ec2.elb import ELBConnection as Ours

    problems = []
    for name in ("make_request", "get_list", "get_object", "get_status", "build_list_params",
                 "build_complex_list_params", "close"):
        problems += _compatible(getattr(Theirs, name), getattr(Ours, name), "ELBConnection." + name)
    for attr in ("APIVersion", "DefaultRegionName", "DefaultRegionEndpoint"):
        assert getattr(Ours, attr) == getattr(Theirs, attr)
    assert not problems, "\n".join(problems)
