"""Helpers of the hardening tests: memory figures, a file-open watcher, a connection recorder, live C objects.

Linux only (/proc, inotify), like the rest of the project. Every thread and server here stops by itself.
"""
import ctypes
import gc
import os
import resource
import socket
import struct
import threading
import time

PAGE = resource.getpagesize()

#: set by tests/tools/sanitize.sh and tests/tools/valgrind.sh: memory figures mean nothing there
SANITIZED = os.environ.get("BOTO_ELB_C_SANITIZED") == "1"


def rss():
    """Resident set size of this process now, in bytes."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                                     "fsmblks", "uordblks", "fordblks", "keepcost")]


def malloc_in_use():
    """Bytes malloc has handed out and not had back (glibc mallinfo2, every arena), or None without it.

    Unlike RSS, it does not hide a leak behind memory that was freed earlier and is still resident."""
    try:
        fn = ctypes.CDLL(None).mallinfo2
    except AttributeError:
        return None
    fn.restype = _MallInfo2
    m = fn()
    return m.uordblks + m.hblkhd


def _status_kb(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise LookupError(field)


class PeakRSS(object):
    """The peak RSS growth over a block: ``with PeakRSS() as peak: ...; peak.growth``.

    Resets the kernel's high-water mark (VmHWM) by writing 5 to /proc/self/clear_refs; where that is not
    allowed, a thread samples the RSS every millisecond instead (a lower bound, good enough for bounds of MBs).
    """

    def __enter__(self):
        gc.collect()
        self.start = rss()
        self._sampler = None
        try:
            with open("/proc/self/clear_refs", "w") as f:
                f.write("5")
            self.exact = True
        except OSError:
            self.exact = False
            self._max = self.start
            self._stop = threading.Event()
            self._sampler = threading.Thread(target=self._sample, daemon=True)
            self._sampler.start()
        self.t0 = time.perf_counter()
        return self

    def _sample(self):
        while not self._stop.wait(0.001):
            self._max = max(self._max, rss())

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.t0
        if self.exact:
            self.peak = _status_kb("VmHWM")
        else:
            self._stop.set()
            self._sampler.join(5)
            self.peak = max(self._max, rss())
        self.growth = max(0, self.peak - self.start)
        return False


# --- inotify: was a file opened or read? ---

IN_ACCESS = 0x001
IN_OPEN = 0x020
IN_NONBLOCK = 0o4000


class FileWatch(object):
    """Records every open or read of the given files (inotify on each file).

    ``events()`` returns the paths opened or read since the last call. Use it as a context manager.
    """

    def __init__(self, *paths):
        libc = ctypes.CDLL(None, use_errno=True)  # (find_library would run ldconfig: a subprocess per watch)
        self._fd = libc.inotify_init1(IN_NONBLOCK)
        if self._fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1")
        self._wd = {}
        for p in paths:
            wd = libc.inotify_add_watch(self._fd, os.fsencode(p), IN_OPEN | IN_ACCESS)
            if wd < 0:
                raise OSError(ctypes.get_errno(), "inotify_add_watch %s" % p)
            self._wd[wd] = p

    def events(self):
        seen = []
        while True:
            try:
                data = os.read(self._fd, 65536)
            except BlockingIOError:
                return seen
            pos = 0
            while pos + 16 <= len(data):
                wd, mask, _cookie, length = struct.unpack_from("iIII", data, pos)
                pos += 16 + length
                if mask & (IN_OPEN | IN_ACCESS):
                    seen.append(self._wd.get(wd, "?"))

    def close(self):
        os.close(self._fd)

    def __enter__(self):
        self.events()  # drop anything before the block
        return self

    def __exit__(self, *exc):
        self.close()
        return False


# --- a TCP listener that records connections ---

class ConnectionRecorder(object):
    """Listens on 127.0.0.1 and counts the connections made to it (and what they sent first).

    Answers nothing and closes each connection; stops by itself after ``lifetime`` seconds at the latest.
    """

    def __init__(self, lifetime=120.0):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.connections = []
        self._stop = threading.Event()
        self._deadline = time.monotonic() + lifetime
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set() and time.monotonic() < self._deadline:
            try:
                c, addr = self.sock.accept()
            except OSError:
                continue
            c.settimeout(0.2)
            try:
                first = c.recv(512)
            except OSError:
                first = b""
            self.connections.append((addr, first))
            c.close()

    def stop(self):
        self._stop.set()
        self._thread.join(5)
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        return False


# --- the C types, tracked ---

def core_types():
    """Every type the C core defines (found, not listed: a new one is tracked as soon as it exists)."""
    from boto_elb_c import _core

    return tuple(sorted((v for v in vars(_core).values() if isinstance(v, type) and v.__module__ == _core.__name__
                         and not issubclass(v, BaseException)), key=lambda t: t.__name__))


def live_core_objects():
    """{type name: number of live instances} of every C type of _core (they are all GC-tracked)."""
    gc.collect()
    counts = {t.__name__: 0 for t in core_types()}
    for o in gc.get_objects():
        for t in core_types():
            if type(o) is t:
                counts[t.__name__] += 1
    return counts
