"""boto's SAX interface (``startElement``/``endElement``) on the object model, driven by the shape table.

The C parser fills boto_elb_c's own classes straight from the table in :mod:`._shapes`. These methods exist so
that the classes keep boto 2's public surface: code that drives them with boto's handler (or subclasses that
override them, which :mod:`boto_elb_c.handler` then drives) reads the same elements into the same attributes.
"""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from boto_elb_c.ec2.elb._shapes import Shape

__all__ = ["SaxMixin"]


def _shape_of(cls: type) -> Shape | None:
    from boto_elb_c.ec2.elb import _shapes

    for klass in cls.__mro__:
        name = _shapes.SHAPE_BY_CLASS.get(klass)
        if name is not None:
            return _shapes.SHAPES[name]
    return None


def _convert(value: str, conv: int) -> str | int | bool:
    from boto_elb_c.ec2.elb import _shapes

    if conv == _shapes.INT:
        return int(value)
    if conv == _shapes.BOOL:
        return value.strip().lower() == "true"
    return value


class SaxMixin(object):
    """``startElement``/``endElement`` as boto's classes have them."""

    def startElement(self, name: str, attrs: object, connection: object) -> object:
        from boto_elb_c.ec2.elb import _shapes

        shape = _shape_of(type(self))
        rule = shape.rules.get(name) if shape else None
        if rule is None or rule[0] not in (_shapes._SET_CHILD, _shapes._APPEND_CHILD):
            return None
        kind, attr, _, child_shape, arg = rule
        args = {_shapes.NONE: (), _shapes.CONNECTION: (connection,), _shapes.PARENT: (self,)}[arg]
        child = _shapes.SHAPES[child_shape].cls(*args)
        if kind == _shapes._SET_CHILD:
            setattr(self, attr, child)
        else:
            self.append(child)  # type: ignore[attr-defined]  # APPEND rules are only on list-like shapes
        return child

    def endElement(self, name: str, value: str, connection: object) -> None:
        from boto_elb_c.ec2.elb import _shapes

        shape = _shape_of(type(self))
        if shape is None:
            return
        rule = shape.rules.get(name)
        if rule is None:
            if shape.text_attr:
                setattr(self, shape.text_attr, _convert(value, shape.text_conv))
            elif shape.setattr_unknown and name and not name.startswith("_") and not hasattr(self, name):
                setattr(self, name, value)
            return
        kind, attr, conv = rule[0], rule[1], rule[2]
        if kind == _shapes._SET_TEXT:
            setattr(self, attr, _convert(value, conv))
        elif kind == _shapes._APPEND_TEXT:
            self.append(_convert(value, conv))  # type: ignore[attr-defined]  # as above
