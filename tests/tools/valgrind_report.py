"""Summarize valgrind memcheck XML files: every error and definite leak, and which of them are ours (ext/).

    python tests/tools/valgrind_report.py build/valgrind/*.xml

An error or leak is "ours" when a frame of one of its stacks (where it happened, or where an uninitialised value
was created) is in the extension (_core*.so) or in a file of ext/.
Prints the totals and each of ours with its stack; exits 1 if any is ours (any error kind, or a definite leak),
else 0. Leak kinds other than definite (possible, indirect, still reachable) are counted, never fatal: CPython
keeps most of its objects until exit.
"""
import collections
import os
import sys
import xml.etree.ElementTree as ET

EXT_FILES = None


def ext_files():
    global EXT_FILES
    if EXT_FILES is None:
        here = os.path.dirname(os.path.abspath(__file__))
        ext = os.path.join(here, "..", "..", "ext")
        EXT_FILES = {f for f in os.listdir(ext) if f.endswith((".c", ".h"))} if os.path.isdir(ext) else set()
    return EXT_FILES


def is_ours(frame):
    obj = frame.findtext("obj") or ""
    f = frame.findtext("file") or ""
    return "/boto_elb_c/_core" in obj or (f in ext_files() and "ext" in (frame.findtext("dir") or "ext"))


def describe(err):
    kind = err.findtext("kind")
    what = err.findtext("what") or (err.find("xwhat").findtext("text") if err.find("xwhat") is not None else "")
    lines = ["%s: %s" % (kind, what)]
    for frame in [f for stack in err.findall("stack") for f in stack.findall("frame")]:
        lines.append("    %s %s:%s (%s)%s" % (
            frame.findtext("fn") or "?", frame.findtext("file") or "", frame.findtext("line") or "",
            os.path.basename(frame.findtext("obj") or ""), "  <-- ext" if is_ours(frame) else ""))
    return "\n".join(lines)


def main(paths):
    totals = collections.Counter()
    leak_bytes = collections.Counter()
    ours = []
    processes = incomplete = 0
    for path in paths:
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError:
            # a forked child that exec'd another program (not traced: --trace-children=no) leaves the header only
            incomplete += 1
            continue
        processes += 1
        for err in root.findall("error"):
            kind = err.findtext("kind")
            # every stack of the record: where it happened, and (--track-origins) where the value came from
            frames = [f for stack in err.findall("stack") for f in stack.findall("frame")]
            if kind.startswith("Leak_"):
                xwhat = err.find("xwhat")
                nbytes = int(xwhat.findtext("leakedbytes") or 0) if xwhat is not None else 0
                totals[kind] += 1
                leak_bytes[kind] += nbytes
                if kind == "Leak_DefinitelyLost" and any(is_ours(f) for f in frames):
                    ours.append(describe(err))
            else:
                totals[kind] += 1
                if any(is_ours(f) for f in frames):
                    ours.append(describe(err))
    print("valgrind: %d process(es) checked (%d forked children that exec'd another program: not traced)" % (
        processes, incomplete))
    for kind in sorted(totals):
        extra = " (%d bytes)" % leak_bytes[kind] if kind.startswith("Leak_") else ""
        print("  %-28s %6d record(s)%s" % (kind, totals[kind], extra))
    print("  attributed to ext/: %d" % len(ours))
    for text in ours:
        print(text)
    return 1 if ours else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
