"""The child process of test_secrets_memory.py: use a secret, free everything, then scan our own memory for it.

Reads one JSON line on stdin: {"secret": masked hex, "token": masked hex, "needles": {name: masked hex},
"scenario": ..., "timestamp": ..., "endpoint": ...}. Everything secret arrives XOR-masked (0x5A), so that the
needles we search for are never in this process in the clear: memory is read through /proc/self/mem into one
reusable buffer, translated byte by byte with the same XOR (bytes.translate) and searched for the *masked*
needles; a hit means the clear bytes were in memory. The one clear copy of each secret we make (the str handed to
the package) is wiped in place before it is released, and so is the buffer it was decoded from.

Prints one JSON line: {"alive": {name: [where, ...]}, "freed": {name: [where, ...]}}: what the scan found while the
objects were alive (a positive control: the secret and the signing key must be there) and after they were freed.
"""
import ctypes
import gc
import json
import sys

MASK = 0x5A
UNMASK = bytes(b ^ MASK for b in range(256))
CHUNK = 8 * 1024 * 1024
MAX_REGION = 1 << 32


def wipe_bytearray(b):
    if len(b):
        ctypes.memset((ctypes.c_char * len(b)).from_buffer(b), 0, len(b))


def wipe_str(s):
    """Overwrite the characters of an ASCII str in place (CPython's compact ASCII layout)."""
    offset = sys.getsizeof("") - 1  # the characters follow the object header
    assert s.isascii()
    address = id(s) + offset
    # check the layout one character at a time: string_at() or encode() of the whole would each make a copy
    # of the secret, freed unwiped (one-character strs and bytes are the interpreter's cached singletons)
    for i in range(len(s)):
        assert ctypes.c_char.from_address(address + i).value == s[i].encode("ascii"), "unexpected str layout"
    ctypes.memset(address, 0, len(s))


def readable_regions():
    with open("/proc/self/maps") as f:
        for line in f:
            parts = line.split(None, 5)
            perms = parts[1]
            name = parts[5].strip() if len(parts) > 5 else ""
            if perms[0] != "r" or name in ("[vvar]", "[vsyscall]", "[vdso]"):
                continue
            if perms[1] != "w" and name.startswith("/"):
                continue  # read-only file mappings: code and constants of the binaries, not our data
            start, end = (int(x, 16) for x in parts[0].split("-"))
            if end - start > MAX_REGION:
                continue  # a sanitizer's shadow memory (terabytes reserved): not where our heap is
            yield start, end, name or "[anon]"


def scan(needles, buf):
    """{name: ["<mapping>+0x<offset>", ...]} for every masked needle found (in clear) in our memory."""
    hits = {name: [] for name in needles}
    longest = max(len(n) for n in needles.values())
    view = memoryview(buf)
    with open("/proc/self/mem", "rb", buffering=0) as mem:
        for start, end, name in list(readable_regions()):
            pos = start
            while pos < end:
                n = min(CHUNK, end - pos)
                try:
                    mem.seek(pos)
                    got = mem.readinto(view[:n])
                except OSError:
                    break
                if not got:
                    break
                # the whole buffer, translated straight from it: a slice would be a clear copy of what was read
                translated = buf.translate(UNMASK)
                for key, needle in needles.items():
                    i = translated.find(needle, 0, got)
                    while i >= 0:
                        hits[key].append("%s+0x%x (mapping %x-%x)" % (name, pos + i - start, start, end))
                        i = translated.find(needle, i + 1, got)
                # where the scan read our masked needles, `translated` holds them in clear: wipe it
                wipe_bytearray(translated)
                del translated
                # overlap so that a needle across two chunks is found
                pos += got - longest if got == n and pos + got < end else got
    wipe_bytearray(buf)
    return {k: v for k, v in hits.items() if v}


def main():
    request = json.loads(sys.stdin.readline())
    needles = {name: bytes.fromhex(h) for name, h in request["needles"].items()}
    buf = bytearray(CHUNK)

    # the one clear copy of each: unmasked in place, decoded to the str the package is given
    def unmask(field):
        raw = bytearray.fromhex(request.pop(field))
        for i in range(len(raw)):
            raw[i] ^= MASK
        text = raw.decode("ascii")
        wipe_bytearray(raw)
        return text

    secret = unmask("secret")
    token = unmask("token")

    import boto_elb_c
    from boto_elb_c import _core

    keep = []
    scenario = request["scenario"]
    if scenario == "signer":
        signer = _core.Signer("AKIDEXAMPLE", secret, token, region="us-east-1")
        for s, host in ((signer, "elasticloadbalancing.us-east-1.amazonaws.com"),
                        (signer.with_scope("eu-west-1"), "elasticloadbalancing.eu-west-1.amazonaws.com")):
            headers = s.sign_query_post(host, b"Action=DescribeLoadBalancers", request["timestamp"])
            wipe_str(headers.pop("X-Amz-Security-Token"))  # the header value we were given back is ours to wipe
            keep.append(s)
        scoped = keep.pop()
        keep += [signer, scoped]
        del signer, scoped, s, headers
    elif scenario == "connection":
        conn = boto_elb_c.connect_elb("AKIDEXAMPLE", secret, security_token=token, endpoint_url=request["endpoint"])
        conn.get_all_load_balancers()
        try:
            conn.get_all_load_balancers(["error"])
        except boto_elb_c.exception.BotoServerError:
            pass
        conn.close()
        keep.append(conn)
        del conn
    else:
        raise SystemExit("unknown scenario %r" % scenario)
    wipe_str(secret)
    wipe_str(token)
    del secret, token
    gc.collect()

    alive = scan(needles, buf)
    del keep[:]
    gc.collect()
    freed = scan(needles, buf)
    sys.stdout.write(json.dumps({"alive": alive, "freed": freed}) + "\n")


if __name__ == "__main__":
    main()
