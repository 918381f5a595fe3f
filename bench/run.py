"""boto_elb_c's benchmarks, side by side with boto3/botocore, boto 2.49 and the limits (a raw libcurl loop,
libxml2 parsing alone), in one run. Prints the ratios and writes bench/RESULTS.md and the chart.

    python bench/run.py            # the full run (a few minutes), writes bench/RESULTS.md and docs/_static/bench.png
    python bench/run.py --quick    # a smoke run: every measurement, few repetitions, nothing written

Run it on a quiet machine from outside the source tree's shadow (the script puts nothing of the repository on
sys.path but bench/ itself). Every number is a median over repetitions; the spread is min..max.
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
if sys.path and os.path.abspath(sys.path[0] or ".") == REPO:
    sys.path.pop(0)  # never import boto_elb_c from the source tree: the installed one is measured
sys.path.insert(0, HERE)

import gen  # noqa: E402

# --- targets (issue 6) ----------------------------------------------------------------------------------------
TARGETS = {
    "call_wall_vs_curl": ("per call: wall time / raw libcurl loop", "<=", 1.3),
    "call_cpu_vs_curl": ("per call: client CPU / raw libcurl loop", "<=", 2.0),
    "parse_boto3_speedup": ("parse 1,000 LBs: boto3 time / ours", ">=", 12.0),
    "parse_boto2_speedup": ("parse 1,000 LBs: boto 2 time / ours", ">=", 6.0),
    "parse_vs_libxml2": ("parse 1,000 LBs: ours / libxml2 tree alone", "<=", 1.0),
    "memory_vs_boto3": ("peak memory, 10,000 LBs: ours / boto3", "<=", 1 / 3),
    "import_speedup": ("import + connection: boto3 time / ours", ">=", 20.0),
    "sigv4_speedup": ("SigV4 signatures/s: ours / botocore", ">=", 10.0),
    "threads_speedup": ("throughput, 2 threads / 1 thread", ">=", 1.7),
    "regions_vs_one": ("16 regions at once / one request", "<=", 1.5),
}


# Why a target is not met, from profiles, and what would meet it: printed under the targets table for each target a
# run finds unmet. Figures: callgrind (instructions, deterministic) and -X importtime on the development machine,
# 2026-11-26, libcurl 7.88.1 / libxml2 2.9.14 (Debian 12).
UNMET_NOTES = {
    "call_wall_vs_curl": (
        "A call costs about 448,000 instructions in user space against the raw libcurl loop's 90,000 (callgrind, "
        "one DescribeLoadBalancers of 3,709 bytes): libxml2 parsing the answer 148,000 (libxml2's SAX parse of the "
        "same bytes with empty callbacks alone is 128,000: more than the whole loop), libcurl's multi interface "
        "104,000 (the loop's curl_easy_perform, whole, is 90,000), the objects 80,000, SigV4 44,000 (the signing "
        "key is cached per day), the cyclic GC 34,000 (collections the call's new objects set off, partly inside "
        "the parse), our transfer code 6,000. In time the gap is smaller than in instructions (1.6 to 2.6x the "
        "loop's wall time across runs) because both spend much of a call in the kernel's socket work, which they "
        "share. What would meet it: an answer tokenizer written for the ELB vocabulary instead of libxml2 (the "
        "brief requires libxml2, so not done); one libxml2 parser context kept per thread and reset between "
        "answers (measured: a quarter of the parse, about 37,000 instructions, some 5% of the call); "
        "curl_easy_perform for a lone request instead of the multi interface. Without the first, libxml2's parse "
        "alone is more instructions than the loop's whole call."),
    "call_cpu_vs_curl": (
        "Same profile as the wall time: libxml2 (148,000 instructions a call) and libcurl's multi interface "
        "(104,000) are already 2.8x the loop's 90,000 before any object is made; the CPU ratio (2.2 to 3.5x across "
        "runs) is lower only because the kernel's share is common to both. See the row above for what would close "
        "it."),
    "import_speedup": (
        "Of the import and connection, loading the extension is 8.5 to 11 ms (-X importtime): the dynamic loader "
        "maps libcurl's 40 shared libraries (Debian's libcurl4-openssl brings LDAP, Kerberos, RTMP, SSH, IDN, PSL, "
        "nghttp2, brotli, zstd) and runs their constructors, 5 to 7 ms (loading libcurl alone with ctypes costs as "
        "much); libxml2 with ICU 2 to 2.4 ms. The shape table "
        "and the Python modules are 4 to 6 ms. boto3's import and client creation is 175 to 196 ms, so 20x needs "
        "9 ms in all. What would meet it: load libcurl with dlopen at the first request rather than at import "
        "(issue 2 asked for libcurl linked, so not done), or a libcurl built without the protocols ELB never uses."),
}


def median_spread(values):
    return statistics.median(values), min(values), max(values)


def fmt_ms(seconds):
    return "%.3f ms" % (seconds * 1000)


def fmt_us(seconds):
    return "%.1f µs" % (seconds * 1e6)


# --- C helpers ------------------------------------------------------------------------------------------------

def build_helpers(outdir):
    cc = os.environ.get("CC", "cc")
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "libcurl", "libxml-2.0"], check=True,
                           capture_output=True, text=True).stdout.split()
    built = {}
    for name in ("canned_server", "curl_loop", "xml_walk"):
        exe = os.path.join(outdir, name)
        subprocess.run([cc, "-O2", "-o", exe, os.path.join(HERE, name + ".c")] + flags + ["-lpthread"], check=True)
        built[name] = exe
    return built


class Server(object):
    """bench/canned_server.c serving one body, keep-alive, optional delay per answer."""

    def __init__(self, exe, body, delay_ms=0):
        self.file = tempfile.NamedTemporaryFile(suffix=".xml", delete=False)
        self.file.write(body)
        self.file.close()
        self.proc = subprocess.Popen([exe, self.file.name, str(delay_ms)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        self.port = int(line.split()[1])
        self.endpoint = "http://127.0.0.1:%d" % self.port

    def stop(self):
        self.proc.stdin.close()
        self.proc.wait(5)
        os.unlink(self.file.name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


# --- clients --------------------------------------------------------------------------------------------------

def have_boto2():
    try:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import boto.ec2.elb  # noqa: F401
        return True
    except Exception:
        return False


def boto3_client(endpoint):
    import boto3
    from botocore.config import Config

    return boto3.client("elb", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="AK",
                        aws_secret_access_key="SK", config=Config(retries={"max_attempts": 1}))


def boto2_conn(endpoint):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import boto
        from boto.regioninfo import RegionInfo
    host, port = endpoint.rsplit("//", 1)[1].split(":")
    conn = boto.connect_elb("AK", "SK", region=RegionInfo(name="us-east-1", endpoint=host), is_secure=False,
                            port=int(port))
    conn.auth_region_name, conn.auth_service_name, conn.num_retries = "us-east-1", "elasticloadbalancing", 0
    return conn


def ours_conn(endpoint):
    import boto_elb_c

    return boto_elb_c.connect_elb("AK", "SK", endpoint_url=endpoint)


# --- measurements ---------------------------------------------------------------------------------------------

IMPORT_CODE = {
    "boto_elb_c": "import boto_elb_c\nc = boto_elb_c.connect_elb('AK', 'SK')",
    "boto3": "import boto3\nc = boto3.client('elb', region_name='us-east-1', aws_access_key_id='AK', "
             "aws_secret_access_key='SK')",
    "boto 2.49": "import warnings\nwarnings.simplefilter('ignore')\nimport boto.ec2.elb\n"
                 "c = boto.ec2.elb.connect_to_region('us-east-1', aws_access_key_id='AK', aws_secret_access_key='SK')",
}


def measure_import(runs):
    out = {}
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "BOTO_"))}
    for lib, code in IMPORT_CODE.items():
        if lib == "boto 2.49" and not have_boto2():
            continue
        child = "import time\nt0 = time.perf_counter()\n%s\nprint(time.perf_counter() - t0)\n" % code
        times = []
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as cwd:
                r = subprocess.run([sys.executable, "-I", "-c", child], capture_output=True, text=True, cwd=cwd,
                                   env=env, check=True)
            times.append(float(r.stdout.strip().splitlines()[-1]))
        out[lib] = median_spread(times)
    return out


def _time_calls(fn, n, rounds):
    walls, cpus = [], []
    for _ in range(rounds):
        w0, c0 = time.perf_counter(), time.process_time()
        for _ in range(n):
            fn()
        walls.append((time.perf_counter() - w0) / n)
        cpus.append((time.process_time() - c0) / n)
    return median_spread(walls), median_spread(cpus)


def measure_per_call(helpers, n, rounds):
    body = gen.describe_load_balancers(1)
    out = {}
    with Server(helpers["canned_server"], body) as server:
        conn = ours_conn(server.endpoint)
        for _ in range(200):
            conn.get_all_load_balancers()
        out["boto_elb_c"] = _time_calls(conn.get_all_load_balancers, n, rounds)
        client = boto3_client(server.endpoint)
        for _ in range(50):
            client.describe_load_balancers()
        out["boto3"] = _time_calls(client.describe_load_balancers, max(n // 5, 20), rounds)
        if have_boto2():
            b2 = boto2_conn(server.endpoint)
            for _ in range(50):
                b2.get_all_load_balancers()
            out["boto 2.49"] = _time_calls(b2.get_all_load_balancers, max(n // 5, 20), rounds)
        walls, cpus = [], []
        for _ in range(rounds):
            r = subprocess.run([helpers["curl_loop"], server.endpoint + "/", str(n)], capture_output=True, text=True,
                               check=True)
            fields = r.stdout.split()
            walls.append(int(fields[1]) / 1e9 / n)
            cpus.append(int(fields[3]) / 1e9 / n)
        out["raw libcurl loop"] = (median_spread(walls), median_spread(cpus))
    return out


def _parse_ours(body):
    from boto_elb_c import _core
    from boto_elb_c.ec2.elb import LoadBalancer, _shapes
    from boto_elb_c.resultset import ResultSet

    index = _shapes.INDEX["ResultSet[LoadBalancer]"]
    return lambda: _core.parse(body, ResultSet([("member", LoadBalancer)]), index, None)


def _parse_boto3(body):
    import botocore.parsers
    import botocore.session

    shape = botocore.session.get_session().get_service_model("elb").operation_model(
        "DescribeLoadBalancers").output_shape
    parser = botocore.parsers.create_parser("query")
    return lambda: parser.parse({"body": body, "headers": {}, "status_code": 200}, shape)


def _parse_boto2(body):
    import warnings
    import xml.sax

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import boto.handler
        from boto.ec2.elb.loadbalancer import LoadBalancer
        from boto.resultset import ResultSet

    def parse():
        rs = ResultSet([("member", LoadBalancer)])
        xml.sax.parseString(body, boto.handler.XmlHandler(rs, None))
        return rs

    return parse


def _best_of(fn, repeat, collect=False):
    """Median and spread of ``repeat`` timed runs. ``collect``: each run starts from a collected heap (for runs
    that make tens of thousands of objects: the garbage of the run before, cycles included, would otherwise be
    collected inside a later run's time, wherever it happens to land; for small runs the collection's cold caches
    would cost more than it spares)."""
    import gc

    times = []
    for _ in range(repeat):
        if collect:
            gc.collect()
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
        del result
    return median_spread(times)


def measure_parse(helpers, sizes, repeat_for):
    out = {}
    for n in sizes:
        body = gen.describe_load_balancers(n)
        row = {"bytes": len(body)}
        reps = repeat_for(n)
        big = n >= 100
        row["boto_elb_c"] = _best_of(_parse_ours(body), reps, big)
        row["boto3"] = _best_of(_parse_boto3(body), max(1, reps // 5), big)
        if have_boto2():
            row["boto 2.49"] = _best_of(_parse_boto2(body), max(1, reps // 5), big)
        with tempfile.NamedTemporaryFile(suffix=".xml") as f:
            f.write(body)
            f.flush()
            r = subprocess.run([helpers["xml_walk"], f.name, str(reps)], capture_output=True, text=True, check=True)
            fields = r.stdout.split()
            row["libxml2 tree alone"] = (int(fields[1]) / 1e9, int(fields[3]) / 1e9, int(fields[5]) / 1e9)
        out[n] = row
    return out


MEMORY_CHILD = r"""
import gc, json, sys
sys.path.insert(0, %(here)r)
import run
with open(%(path)r, "rb") as f:
    body = f.read()
parse = getattr(run, %(fn)r)(body)


def status_kb(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])


gc.collect()
try:
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # reset the peak (VmHWM) to the current RSS: the peak below is this parse's alone
    reset = True
except OSError:
    reset = False
before = status_kb("VmRSS")
result = parse()
print(json.dumps({"before_kb": before, "peak_kb": status_kb("VmHWM"), "after_kb": status_kb("VmRSS"),
                  "reset": reset}))
"""


def measure_memory(n):
    """Peak RSS growth of one parse of an n-load-balancer answer, each client in a fresh process; the answer is read
    from a file and the parser set up before the peak is reset, so only the parse and its objects count."""
    out = {}
    fns = {"boto_elb_c": "_parse_ours", "boto3": "_parse_boto3"}
    if have_boto2():
        fns["boto 2.49"] = "_parse_boto2"
    with tempfile.NamedTemporaryFile(suffix=".xml") as body:
        body.write(gen.describe_load_balancers(n))
        body.flush()
        for lib, fn in fns.items():
            code = MEMORY_CHILD % {"here": HERE, "path": body.name, "fn": fn}
            with tempfile.TemporaryDirectory() as cwd:
                r = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True, cwd=cwd,
                                   check=True)
            data = json.loads(r.stdout.strip().splitlines()[-1])
            if not data["reset"]:
                print("memory: /proc/self/clear_refs not writable; the peak may include the set-up", file=sys.stderr)
            out[lib] = (data["peak_kb"] - data["before_kb"]) * 1024
    return out


def measure_sigv4(n):
    import boto_elb_c
    from boto_elb_c import _core

    body = boto_elb_c._core.encode_form({"Action": "DescribeLoadBalancers", "Version": "2012-06-01",
                                          "LoadBalancerNames.member.1": "my-load-balancer"})
    signer = _core.Signer("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", region="us-east-1")
    ts = time.time()
    ours = _best_of(lambda: [signer.sign_query_post("elasticloadbalancing.us-east-1.amazonaws.com", body, ts)
                             for _ in range(n)], 5)

    import botocore.auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    auth = botocore.auth.SigV4Auth(Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
                                   "elasticloadbalancing", "us-east-1")
    url = "https://elasticloadbalancing.us-east-1.amazonaws.com/"
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}

    def botocore_batch():
        for _ in range(n // 10):
            auth.add_auth(AWSRequest(method="POST", url=url, data=body, headers=dict(headers)))

    theirs = _best_of(botocore_batch, 5)
    return {"boto_elb_c": n / ours[0], "botocore": (n // 10) / theirs[0]}


def measure_threads(helpers, n, delay_ms):
    """Calls per second from 1 and from 2 threads sharing one connection, against a server that answers after
    delay_ms (so that the threads have something to overlap: the GIL is released for the whole transfer)."""
    body = gen.describe_load_balancers(1)
    out = {}
    with Server(helpers["canned_server"], body, delay_ms) as server:
        conn = ours_conn(server.endpoint)
        conn.get_all_load_balancers()
        for threads in (1, 2):
            per_thread = n // threads

            def worker():
                for _ in range(per_thread):
                    conn.get_all_load_balancers()

            rates = []
            for _ in range(3):
                pool = [threading.Thread(target=worker) for _ in range(threads)]
                t0 = time.perf_counter()
                for t in pool:
                    t.start()
                for t in pool:
                    t.join()
                rates.append(per_thread * threads / (time.perf_counter() - t0))
            out[threads] = median_spread(rates)
    return out


def measure_regions(helpers, delay_ms):
    import boto_elb_c.ec2.elb as elb

    fn = getattr(elb, "get_all_load_balancers_in_regions", None)
    if fn is None:
        return None
    body = gen.describe_load_balancers(1)
    names = [r.name for r in elb.regions() if r.name.startswith(("us-", "eu-", "ap-"))][:16]
    with Server(helpers["canned_server"], body, delay_ms) as server:
        one = ours_conn(server.endpoint)
        one.get_all_load_balancers()
        single = _best_of(one.get_all_load_balancers, 5)
        many = _best_of(lambda: fn(names, aws_access_key_id="AK", aws_secret_access_key="SK",
                                   endpoint_url=server.endpoint), 5)
        loop = _best_of(lambda: [elb.connect_to_region(n, aws_access_key_id="AK", aws_secret_access_key="SK",
                                                       endpoint_url=server.endpoint).get_all_load_balancers()
                                 for n in names], 1)
    return {"one request": single, "16 regions at once": many, "16 regions in a loop": loop}


# --- report ---------------------------------------------------------------------------------------------------

def machine_line():
    import boto_elb_c

    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    versions = ["Python %s" % platform.python_version(), "boto_elb_c %s" % boto_elb_c.__version__,
                "libcurl %s" % boto_elb_c.libcurl_version, "libxml2 %s" % boto_elb_c.libxml2_version,
                boto_elb_c.openssl_version.split(" ")[0] + " " + boto_elb_c.openssl_version.split(" ")[1]]
    try:
        import boto3
        import botocore

        versions.append("boto3 %s / botocore %s" % (boto3.__version__, botocore.__version__))
    except ImportError:
        pass
    if have_boto2():
        versions.append("boto 2.49.0")
    return "%s, %d cores, %s %s; %s" % (cpu, os.cpu_count(), platform.system(), platform.release(), ", ".join(versions))


def check(key, value):
    label, op, target = TARGETS[key]
    ok = value <= target if op == "<=" else value >= target
    return label, op, target, value, ok


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: few repetitions, nothing written")
    parser.add_argument("--results", default=os.path.join(HERE, "RESULTS.md"))
    parser.add_argument("--chart", default=os.path.join(REPO, "docs", "_static", "bench.png"))
    parser.add_argument("--rst", default=os.path.join(REPO, "docs", "bench_results.inc"),
                        help="the same tables in reStructuredText, included by docs/performance.rst")
    args = parser.parse_args(argv)
    quick = args.quick

    work = tempfile.mkdtemp(prefix="boto_elb_c-bench-")
    try:
        helpers = build_helpers(work)
        results = {"machine": machine_line(), "quick": quick}
        print(results["machine"])

        print("import + connection ...", flush=True)
        results["import"] = measure_import(3 if quick else 15)
        print("per call ...", flush=True)
        results["per_call"] = measure_per_call(helpers, 200 if quick else 3000, 2 if quick else 5)
        print("parse ...", flush=True)
        sizes = (1, 100, 1000) if quick else (1, 100, 1000, 10000)
        results["parse"] = measure_parse(helpers, sizes,
                                         lambda n: 3 if quick else {1: 2000, 100: 100, 1000: 25, 10000: 5}[n])
        print("memory ...", flush=True)
        results["memory"] = measure_memory(1000 if quick else 10000)
        print("SigV4 ...", flush=True)
        results["sigv4"] = measure_sigv4(500 if quick else 20000)
        print("threads ...", flush=True)
        results["threads"] = measure_threads(helpers, 100 if quick else 1000, 2)
        print("regions ...", flush=True)
        results["regions"] = measure_regions(helpers, 100)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    ratios = compute_ratios(results)
    report = render(results, ratios)
    print(report)
    if not quick:
        with open(args.results, "w") as f:
            f.write(report)
        with open(args.rst, "w") as f:
            f.write(markdown_to_rst(report))
        chart(ratios, args.chart)
        print("wrote %s, %s and %s" % (args.results, args.rst, args.chart))
    return 0


def compute_ratios(r):
    out = {}
    pc = r["per_call"]
    out["call_wall_vs_curl"] = pc["boto_elb_c"][0][0] / pc["raw libcurl loop"][0][0]
    out["call_cpu_vs_curl"] = pc["boto_elb_c"][1][0] / pc["raw libcurl loop"][1][0]
    big = max(n for n in r["parse"] if n <= 1000)
    row = r["parse"][big]
    out["parse_boto3_speedup"] = row["boto3"][0] / row["boto_elb_c"][0]
    if "boto 2.49" in row:
        out["parse_boto2_speedup"] = row["boto 2.49"][0] / row["boto_elb_c"][0]
    out["parse_vs_libxml2"] = row["boto_elb_c"][0] / row["libxml2 tree alone"][0]
    out["memory_vs_boto3"] = r["memory"]["boto_elb_c"] / r["memory"]["boto3"]
    out["import_speedup"] = r["import"]["boto3"][0] / r["import"]["boto_elb_c"][0]
    out["sigv4_speedup"] = r["sigv4"]["boto_elb_c"] / r["sigv4"]["botocore"]
    out["threads_speedup"] = r["threads"][2][0] / r["threads"][1][0]
    if r["regions"]:
        out["regions_vs_one"] = r["regions"]["16 regions at once"][0] / r["regions"]["one request"][0]
    return out


def render(r, ratios):
    L = []
    L.append("# boto_elb_c benchmark results\n")
    L.append("Machine: %s\n" % r["machine"])
    L.append("Produced by `python bench/run.py`%s. Medians over repetitions; spread = min..max.\n"
             % (" --quick (a smoke run: numbers are indicative only)" if r["quick"] else ""))
    L.append("## Targets\n")
    L.append("| target | wanted | measured | met |")
    L.append("|---|---|---|---|")
    for key in TARGETS:
        if key not in ratios:
            label, op, target = TARGETS[key]
            L.append("| %s | %s %.2f | not measured | - |" % (label, op, target))
            continue
        label, op, target, value, ok = check(key, ratios[key])
        L.append("| %s | %s %.2f | %.2f | %s |" % (label, op, target, value, "yes" if ok else "**no**"))
    unmet = [key for key in TARGETS if key in ratios and not check(key, ratios[key])[4]]
    if unmet:
        L.append("\n## Targets not met: why, and what would meet them\n")
        for key in unmet:
            L.append("**%s** (%.2f): %s\n" % (TARGETS[key][0], ratios[key],
                                             UNMET_NOTES.get(key, "not yet profiled.")))
    L.append("\n## Import + connection creation (fresh processes)\n")
    L.append("| client | median | spread |")
    L.append("|---|---|---|")
    for lib, (med, lo, hi) in r["import"].items():
        L.append("| %s | %s | %s .. %s |" % (lib, fmt_ms(med), fmt_ms(lo), fmt_ms(hi)))
    L.append("\n## Per call: DescribeLoadBalancers, 1 load balancer, keep-alive, canned C server\n")
    L.append("| client | wall per call | spread | client CPU per call | spread |")
    L.append("|---|---|---|---|---|")
    for lib, (wall, cpu) in r["per_call"].items():
        L.append("| %s | %s | %s .. %s | %s | %s .. %s |" % (lib, fmt_us(wall[0]), fmt_us(wall[1]), fmt_us(wall[2]),
                                                              fmt_us(cpu[0]), fmt_us(cpu[1]), fmt_us(cpu[2])))
    L.append("\n## Parse + objects: DescribeLoadBalancers answers\n")
    libs = ["boto_elb_c", "boto3", "boto 2.49", "libxml2 tree alone"]
    L.append("| load balancers | bytes | " + " | ".join(libs) + " |")
    L.append("|---|---|" + "---|" * len(libs))
    for n, row in r["parse"].items():
        cells = []
        for lib in libs:
            if lib in row:
                med, lo, hi = row[lib]
                cells.append("%s (%s..%s)" % (fmt_ms(med), fmt_ms(lo), fmt_ms(hi)))
            else:
                cells.append("-")
        L.append("| %s | %s | %s |" % ("{:,}".format(n), "{:,}".format(row["bytes"]), " | ".join(cells)))
    L.append("\n## Peak memory of one parse (%s load balancers)\n" % ("1,000" if r["quick"] else "10,000"))
    L.append("| client | peak RSS growth |")
    L.append("|---|---|")
    for lib, b in r["memory"].items():
        L.append("| %s | %.1f MiB |" % (lib, b / 2 ** 20))
    L.append("\n## SigV4 signatures per second, from Python\n")
    L.append("| signer | signatures/s |")
    L.append("|---|---|")
    for lib, rate in r["sigv4"].items():
        L.append("| %s | %s |" % (lib, "{:,.0f}".format(rate)))
    L.append("\n## Threads: calls per second against a server that answers after 2 ms\n")
    L.append("| threads | calls/s | spread |")
    L.append("|---|---|---|")
    for t, (med, lo, hi) in r["threads"].items():
        L.append("| %d | %.0f | %.0f .. %.0f |" % (t, med, lo, hi))
    if r["regions"]:
        L.append("\n## Many regions at once: a server that answers each request after 100 ms\n")
        L.append("| what | median | spread |")
        L.append("|---|---|---|")
        for what, (med, lo, hi) in r["regions"].items():
            L.append("| %s | %s | %s .. %s |" % (what, fmt_ms(med), fmt_ms(lo), fmt_ms(hi)))
    return "\n".join(L) + "\n"


def markdown_to_rst(md):
    """The report's small Markdown (a title, ## headings, pipe tables, paragraphs with `code` and **bold**) as
    reStructuredText for the docs: headings one level below the including page's, tables as list-tables."""
    import re

    def inline(text):
        if text == "-":
            return "n/a"  # a lone "-" would start a bullet list
        return re.sub(r"`([^`]+)`", r"``\1``", text)

    out, table = [], []

    def flush_table():
        if not table:
            return
        rows = [[inline(c.strip()) for c in row.strip().strip("|").split("|")] for row in table
                if not re.match(r"^\|[-|\s]+\|$", row.strip())]
        out.extend([".. list-table::", "   :header-rows: 1", ""])
        for row in rows:
            out.append("   * - " + (row[0] or " "))
            out.extend("     - " + (c or " ") for c in row[1:])
        out.append("")
        del table[:]

    for line in md.splitlines():
        if line.startswith("|"):
            table.append(line)
            continue
        flush_table()
        if line.startswith("# "):
            continue  # the including page has the title
        if line.startswith("## "):
            title = line[3:].strip()
            out.extend([title, "~" * len(title), ""])
        elif line.strip():
            out.extend([inline(line), ""])
    flush_table()
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def chart(ratios, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    keys = [k for k in TARGETS if k in ratios]
    labels, measured, wanted, colors = [], [], [], []
    for key in keys:
        label, op, target, value, ok = check(key, ratios[key])
        # plot everything as "how many times better than needed": >= 1 means met
        margin = value / target if op == ">=" else target / value
        labels.append(label)
        measured.append(margin)
        colors.append("#2b8a3e" if ok else "#c92a2a")
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(keys) + 1.2))
    ax.barh(range(len(keys)), measured, color=colors)
    ax.axvline(1.0, color="black", linewidth=1)
    ax.set_yticks(range(len(keys)))
    ax.set_yticklabels(labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel("measured / target (right of the line: target met)")
    ax.set_title("boto_elb_c against its targets")
    for i, (key, m) in enumerate(zip(keys, measured)):
        ax.text(m, i, "  %.2f" % ratios[key], va="center", fontsize=8)
    fig.tight_layout()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fig.savefig(path, dpi=120)


if __name__ == "__main__":
    sys.exit(main())
