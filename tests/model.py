"""The ELB API model (shared/reference/elb-api-2012-06-01) as a test oracle: serialize an operation's input the
way the Query protocol defines it, and its output as the XML the service sends. Test-only."""
import json
from xml.sax.saxutils import escape

from conftest import reference_path

NS = "http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/"


def load():
    with open(reference_path("elb-api-2012-06-01/service-2.json")) as f:
        service = json.load(f)
    with open(reference_path("elb-api-2012-06-01/examples-1.json")) as f:
        examples = json.load(f)["examples"]
    return service, examples


SERVICE, EXAMPLES = load()
SHAPES = SERVICE["shapes"]


def _scalar(shape, value):
    t = SHAPES[shape]["type"]
    if t == "boolean":
        return "true" if value else "false"
    return str(value)


def query_params(operation, params):
    """The Query-protocol parameters of an operation's input (Action and Version included)."""
    out = {"Action": operation, "Version": SERVICE["metadata"]["apiVersion"]}
    shape = SERVICE["operations"][operation]["input"]["shape"]

    def walk(shape_name, value, prefix):
        s = SHAPES[shape_name]
        if s["type"] == "structure":
            for name, member in s["members"].items():
                if name in value:
                    walk(member["shape"], value[name], prefix + name if not prefix else prefix + "." + name)
        elif s["type"] == "list":
            if not value:
                out[prefix] = ""
            for i, item in enumerate(value, 1):
                walk(s["member"]["shape"], item, "%s.member.%d" % (prefix, i))
        else:
            out[prefix] = _scalar(shape_name, value)

    walk(shape, params, "")
    return out


def response_xml(operation, output, request_id="model-request-id"):
    """The XML body of a successful answer carrying ``output`` (a boto3-shaped dict)."""
    op = SERVICE["operations"][operation]
    parts = []

    def walk(shape_name, value, tag):
        s = SHAPES[shape_name]
        if s["type"] == "structure":
            parts.append("<%s>" % tag)
            for name, member in s["members"].items():
                if name in value:
                    walk(member["shape"], value[name], name)
            parts.append("</%s>" % tag)
        elif s["type"] == "list":
            if not value:
                parts.append("<%s/>" % tag)
                return
            parts.append("<%s>" % tag)
            for item in value:
                walk(s["member"]["shape"], item, "member")
            parts.append("</%s>" % tag)
        else:
            parts.append("<%s>%s</%s>" % (tag, escape(_scalar(shape_name, value)), tag))

    parts.append('<%sResponse xmlns="%s">' % (operation, NS))
    if "output" in op:
        wrapper = op["output"].get("resultWrapper", operation + "Result")
        shape = SHAPES[op["output"]["shape"]]
        parts.append("<%s>" % wrapper)
        for name, member in shape["members"].items():
            if name in output:
                walk(member["shape"], output[name], name)
        parts.append("</%s>" % wrapper)
    parts.append("<ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata>" % request_id)
    parts.append("</%sResponse>" % operation)
    return "".join(parts).encode("utf-8")


def error_xml(code, message, request_id="model-error-id", http_status=None):
    return ('<ErrorResponse xmlns="%s"><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error>'
            "<RequestId>%s</RequestId></ErrorResponse>" % (NS, code, escape(message), request_id)).encode()


def error_codes():
    """(wire code, HTTP status) of every modelled error shape."""
    out = []
    for name, shape in SHAPES.items():
        if shape.get("exception"):
            err = shape.get("error", {})
            out.append((err.get("code", name), err.get("httpStatusCode", 400), name))
    return sorted(out)
