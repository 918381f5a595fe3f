/* http.c -- the HttpClient type: one libcurl easy handle, reused across calls (keep-alive).
 *
 * Owns: libcurl setup (TLS verification on, timeouts, no signals, http/https only, no redirects), signing and
 * performing a Query-protocol POST with the GIL released, collecting the status line, headers and body into C
 * buffers, and translating CURLcode failures through errors.c. Callbacks never call Python.
 * A handle belongs to one thread at a time: concurrent use of one HttpClient raises RuntimeError (ELBConnection
 * gives each thread its own HttpClient).
 */
#include "module.h"

#include <structmember.h>

#include <math.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#define DEFAULT_MAX_BODY (64 * 1024 * 1024)
#define CONTENT_TYPE "application/x-www-form-urlencoded; charset=utf-8"

typedef struct {
    PyObject_HEAD
    PyObject *weakreflist;
    CURL *curl;
    CURLM *multi; /* holds the connection cache: the kept-alive connection lives here between calls */
    int in_use;
    long connect_timeout_ms;
    long read_timeout_ms;
    int verify;
    size_t max_body;
    char *ca_bundle;
    char *proxy;
    char *user_agent;
    /* cached URL -> Host header value */
    char *url;
    char *host_header;
    long long requests;
    long long connects;
    char errbuf[CURL_ERROR_SIZE];
} HttpClientObject;

/* everything one transfer touches while the GIL is released */
typedef struct {
    belc_buf req_body;
    belc_buf resp_body;
    belc_buf resp_headers; /* "Name: value\n" lines of the final response */
    belc_buf reason;
    belc_buf date_line, auth_line, token_line;
    long status;
    int too_large;
    int received;    /* set by the callbacks: bytes arrived since the loop last looked */
    int timed_out;   /* our read timeout fired */
    int interrupted; /* a signal handler raised (KeyboardInterrupt) */
} transfer;

static void
transfer_free(transfer *t)
{
    belc_buf_free(&t->req_body);
    belc_buf_free(&t->resp_body);
    belc_buf_free(&t->resp_headers);
    belc_buf_free(&t->reason);
    belc_buf_wipe(&t->date_line);
    belc_buf_wipe(&t->auth_line);
    belc_buf_wipe(&t->token_line);
}

/* --- libcurl callbacks (no Python) --- */

static size_t
on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    transfer *t = userdata;
    size_t n = size * nmemb;
    t->received = 1;
    if (belc_buf_append(&t->resp_body, ptr, n) < 0) {
        t->too_large = t->resp_body.limit && t->resp_body.len + n > t->resp_body.limit;
        return 0; /* CURLE_WRITE_ERROR */
    }
    return n;
}

static size_t
on_header(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    transfer *t = userdata;
    size_t n = size * nmemb, end = n;

    t->received = 1;
    while (end && (ptr[end - 1] == '\r' || ptr[end - 1] == '\n'))
        end--;
    if (n >= 5 && memcmp(ptr, "HTTP/", 5) == 0) {
        /* a status line: a new response starts (after 100 Continue, for instance) */
        size_t i = 5, code_start;
        belc_buf_clear(&t->resp_headers);
        belc_buf_clear(&t->reason);
        while (i < end && ptr[i] != ' ')
            i++;
        while (i < end && ptr[i] == ' ')
            i++;
        code_start = i;
        while (i < end && ptr[i] >= '0' && ptr[i] <= '9')
            i++;
        (void)code_start;
        while (i < end && ptr[i] == ' ')
            i++;
        if (belc_buf_append(&t->reason, ptr + i, end - i) < 0)
            return 0;
        return n;
    }
    if (end == 0)
        return n;
    if (belc_buf_append(&t->resp_headers, ptr, end) < 0 || belc_buf_append_char(&t->resp_headers, '\n') < 0)
        return 0;
    return n;
}

/* --- setup --- */

void
belc_http_global_init(void)
{
    static int done = 0;
    if (!done) {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        done = 1;
    }
}

static char *
dup_cstr(const char *s)
{
    size_t n;
    char *p;
    if (s == NULL)
        return NULL;
    n = strlen(s);
    p = PyMem_RawMalloc(n + 1);
    if (p)
        memcpy(p, s, n + 1);
    return p;
}

static int
setup_handle(HttpClientObject *self)
{
    CURL *c = self->curl;
    CURLcode rc = CURLE_OK;

#define SET(opt, val)                                                                                                 \
    if (rc == CURLE_OK)                                                                                               \
    rc = curl_easy_setopt(c, opt, val)
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_ERRORBUFFER, self->errbuf);
    SET(CURLOPT_FOLLOWLOCATION, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
#else
    SET(CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    SET(CURLOPT_TCP_NODELAY, 1L);
    SET(CURLOPT_TCP_KEEPALIVE, 1L);
    SET(CURLOPT_CONNECTTIMEOUT_MS, self->connect_timeout_ms);
    SET(CURLOPT_SSL_VERIFYPEER, self->verify ? 1L : 0L);
    SET(CURLOPT_SSL_VERIFYHOST, self->verify ? 2L : 0L);
    if (self->ca_bundle)
        SET(CURLOPT_CAINFO, self->ca_bundle);
    if (self->proxy)
        SET(CURLOPT_PROXY, self->proxy);
    if (self->user_agent)
        SET(CURLOPT_USERAGENT, self->user_agent);
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_HEADERFUNCTION, on_header);
    SET(CURLOPT_POST, 1L);
#undef SET
    if (rc != CURLE_OK) {
        PyErr_Format(PyExc_RuntimeError, "libcurl refused an option: %s", curl_easy_strerror(rc));
        return -1;
    }
    return 0;
}

static PyObject *
httpclient_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"connect_timeout", "read_timeout", "verify", "ca_bundle", "proxy", "user_agent",
                             "max_body", NULL};
    double connect_timeout = 60.0, read_timeout = 60.0;
    int verify = 1;
    const char *ca_bundle = NULL, *proxy = NULL, *user_agent = NULL;
    Py_ssize_t max_body = DEFAULT_MAX_BODY;
    HttpClientObject *self;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|$ddpzzzn:HttpClient", kwlist, &connect_timeout, &read_timeout,
                                     &verify, &ca_bundle, &proxy, &user_agent, &max_body))
        return NULL;
    if (!(connect_timeout > 0) || !(read_timeout > 0) || connect_timeout > 86400 || read_timeout > 86400) {
        PyErr_SetString(PyExc_ValueError, "connect_timeout and read_timeout must be > 0 and at most 86400 seconds");
        return NULL;
    }
    if (max_body <= 0) {
        PyErr_SetString(PyExc_ValueError, "max_body must be > 0");
        return NULL;
    }
    self = (HttpClientObject *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->connect_timeout_ms = (long)ceil(connect_timeout * 1000.0);
    self->read_timeout_ms = (long)ceil(read_timeout * 1000.0);
    self->verify = verify;
    self->max_body = (size_t)max_body;
    self->ca_bundle = dup_cstr(ca_bundle);
    self->proxy = dup_cstr(proxy);
    self->user_agent = dup_cstr(user_agent);
    if ((ca_bundle && !self->ca_bundle) || (proxy && !self->proxy) || (user_agent && !self->user_agent)) {
        Py_DECREF(self);
        return PyErr_NoMemory();
    }
    self->curl = curl_easy_init();
    self->multi = curl_multi_init();
    if (self->curl == NULL || self->multi == NULL) {
        Py_DECREF(self);
        PyErr_SetString(PyExc_MemoryError, "curl_easy_init failed");
        return NULL;
    }
    if (setup_handle(self) < 0) {
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

static int
httpclient_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    return 0;
}

static void
httpclient_dealloc(PyObject *op)
{
    HttpClientObject *self = (HttpClientObject *)op;
    PyTypeObject *tp = Py_TYPE(op);
    PyObject_GC_UnTrack(op);
    if (((HttpClientObject *)op)->weakreflist)
        PyObject_ClearWeakRefs(op);
    if (self->curl)
        curl_easy_cleanup(self->curl);
    if (self->multi)
        curl_multi_cleanup(self->multi);
    PyMem_RawFree(self->ca_bundle);
    if (self->proxy) { /* the proxy URL may carry user:password */
        memset(self->proxy, 0, strlen(self->proxy));
        PyMem_RawFree(self->proxy);
    }
    PyMem_RawFree(self->user_agent);
    PyMem_RawFree(self->url);
    PyMem_RawFree(self->host_header);
    tp->tp_free(op);
    Py_DECREF(tp);
}

/* Host header for a URL, as libcurl will send it: host, plus :port when the URL names one that is not the
 * scheme's default. Cached for the last URL used. */
static const char *
host_header_for(HttpClientObject *self, const char *url)
{
    CURLU *u = NULL;
    char *host = NULL, *port = NULL, *scheme = NULL;
    belc_buf hh = BELC_BUF_INIT;
    CURLUcode uc;

    if (self->url && strcmp(self->url, url) == 0)
        return self->host_header;
    u = curl_url();
    if (u == NULL) {
        PyErr_NoMemory();
        goto error;
    }
    uc = curl_url_set(u, CURLUPART_URL, url, 0);
    if (uc != CURLUE_OK) {
        PyErr_Format(PyExc_ValueError, "invalid endpoint URL: %s", url);
        goto error;
    }
    if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
        PyErr_Format(PyExc_ValueError, "endpoint URL has no scheme or host: %s", url);
        goto error;
    }
    if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) {
        PyErr_Format(PyExc_ValueError, "endpoint URL must be http:// or https://, not %s://", scheme);
        goto error;
    }
    if (belc_buf_append_str(&hh, host) < 0)
        goto nomem;
    if (curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK && port) {
        int is_default = (strcmp(scheme, "http") == 0 && strcmp(port, "80") == 0) ||
                         (strcmp(scheme, "https") == 0 && strcmp(port, "443") == 0);
        if (!is_default && (belc_buf_append_char(&hh, ':') < 0 || belc_buf_append_str(&hh, port) < 0))
            goto nomem;
    }
    PyMem_RawFree(self->url);
    PyMem_RawFree(self->host_header);
    self->url = dup_cstr(url);
    self->host_header = dup_cstr(hh.data);
    if (!self->url || !self->host_header) {
        PyMem_RawFree(self->url);
        PyMem_RawFree(self->host_header);
        self->url = self->host_header = NULL;
        goto nomem;
    }
    curl_free(host);
    curl_free(port);
    curl_free(scheme);
    curl_url_cleanup(u);
    belc_buf_free(&hh);
    return self->host_header;
nomem:
    PyErr_NoMemory();
error:
    curl_free(host);
    curl_free(port);
    curl_free(scheme);
    if (u)
        curl_url_cleanup(u);
    belc_buf_free(&hh);
    return NULL;
}

static long long
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Drive the transfer through the client's multi handle until it ends. Runs WITHOUT the GIL, except for a
 * signal check about every 100 ms (so Ctrl-C interrupts a long call). The read timeout is ours: it starts when
 * the request has been sent and restarts with every byte received (libcurl's low-speed check counts the bytes
 * sent too, so it fires seconds late). */
static CURLcode
run_transfer(HttpClientObject *self, transfer *t, PyThreadState **save)
{
    CURL *c = self->curl;
    CURLM *m = self->multi;
    CURLMsg *msg;
    CURLcode result = CURLE_OK;
    int running = 1, queued, done = 0;
    long long last_rx = 0, last_signal_check = now_ms();

    if (curl_multi_add_handle(m, c) != CURLM_OK)
        return CURLE_FAILED_INIT;
    while (!done) {
        long long now;
        if (curl_multi_perform(m, &running) != CURLM_OK) {
            result = CURLE_FAILED_INIT;
            break;
        }
        while ((msg = curl_multi_info_read(m, &queued)) != NULL) {
            if (msg->msg == CURLMSG_DONE && msg->easy_handle == c) {
                result = msg->data.result;
                done = 1;
            }
        }
        if (done || !running)
            break;
        now = now_ms();
        if (t->received) {
            t->received = 0;
            last_rx = now;
        }
        else if (last_rx == 0) {
            curl_off_t sent = 0;
            /* the clock starts once the whole request is out */
            if (curl_easy_getinfo(c, CURLINFO_SIZE_UPLOAD_T, &sent) == CURLE_OK && (size_t)sent >= t->req_body.len)
                last_rx = now;
        }
        if (last_rx && now - last_rx >= self->read_timeout_ms) {
            t->timed_out = 1;
            result = CURLE_OPERATION_TIMEDOUT;
            break;
        }
        if (now - last_signal_check >= 100) {
            int sig;
            last_signal_check = now;
            PyEval_RestoreThread(*save);
            sig = PyErr_CheckSignals();
            if (sig < 0)
                PyErr_Clear(); /* raised again below, with the GIL, after cleanup */
            *save = PyEval_SaveThread();
            if (sig < 0) {
                t->interrupted = 1;
                result = CURLE_ABORTED_BY_CALLBACK;
                break;
            }
        }
        {
            long wait = 100;
            if (last_rx) {
                long long left = self->read_timeout_ms - (now - last_rx);
                if (left < wait)
                    wait = left > 1 ? (long)left : 1;
            }
            if (curl_multi_poll(m, NULL, 0, (int)wait, NULL) != CURLM_OK) {
                result = CURLE_FAILED_INIT;
                break;
            }
        }
    }
    curl_multi_remove_handle(m, c);
    return result;
}

/* Sign and perform one POST. Runs WITHOUT the GIL (see run_transfer for the one exception). */
static CURLcode
perform_nogil(HttpClientObject *self, belc_signer_data *sd, const char *url, const char *host, long long time_offset,
              transfer *t, int *sign_failed, PyThreadState **save)
{
    struct curl_slist *hdrs = NULL, *tmp;
    CURLcode rc;
    CURL *c = self->curl;

    *sign_failed = 0;
    if (belc_signer_sign_post(sd, host, CONTENT_TYPE, &t->req_body, (long long)time(NULL) + time_offset,
                              &t->date_line, &t->auth_line, &t->token_line) < 0) {
        *sign_failed = 1;
        return CURLE_OUT_OF_MEMORY;
    }
#define ADD(line)                                                                                                     \
    do {                                                                                                              \
        tmp = curl_slist_append(hdrs, line);                                                                          \
        if (tmp == NULL) {                                                                                            \
            rc = CURLE_OUT_OF_MEMORY;                                                                                 \
            goto done;                                                                                                \
        }                                                                                                             \
        hdrs = tmp;                                                                                                   \
    } while (0)
    ADD("Content-Type: " CONTENT_TYPE);
    if (t->date_line.len)
        ADD(t->date_line.data);
    if (t->token_line.len)
        ADD(t->token_line.data);
    if (t->auth_line.len)
        ADD(t->auth_line.data);
    ADD("Expect:");
    ADD("Accept:");
#undef ADD
    self->errbuf[0] = '\0';
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, t->req_body.data ? t->req_body.data : "");
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)t->req_body.len);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, t);
    rc = run_transfer(self, t, save);
    if (rc == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &t->status);
done:
    /* the handle must not keep pointers into buffers that are about to go away */
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, NULL);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, NULL);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, NULL);
    curl_slist_free_all(hdrs);
    return rc;
}

static int
classify(CURL *c, CURLcode rc, const transfer *t)
{
    if (t->timed_out)
        return BELC_TRANSPORT_READ_TIMEOUT;
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
        return BELC_TRANSPORT_CONNECT;
    case CURLE_OPERATION_TIMEDOUT: {
        curl_off_t connect_us = 0;
        curl_easy_getinfo(c, CURLINFO_CONNECT_TIME_T, &connect_us);
        return connect_us == 0 ? BELC_TRANSPORT_CONNECT_TIMEOUT : BELC_TRANSPORT_READ_TIMEOUT;
    }
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_USE_SSL_FAILED:
        return BELC_TRANSPORT_SSL;
    case CURLE_WRITE_ERROR:
        return t->too_large ? BELC_TRANSPORT_TOO_LARGE : BELC_TRANSPORT_OTHER;
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
        return BELC_TRANSPORT_CLOSED;
    default:
        return BELC_TRANSPORT_OTHER;
    }
}

/* "Name: value\n" lines -> list of (name, value) str tuples */
static PyObject *
headers_to_list(const belc_buf *raw)
{
    PyObject *list = PyList_New(0); /* new reference */
    const char *p, *end;

    if (list == NULL)
        return NULL;
    p = raw->data;
    end = raw->data ? raw->data + raw->len : NULL;
    while (p && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *colon, *v;
        PyObject *item;
        if (nl == NULL)
            nl = end;
        colon = memchr(p, ':', (size_t)(nl - p));
        if (colon) {
            v = colon + 1;
            while (v < nl && (*v == ' ' || *v == '\t'))
                v++;
            item = Py_BuildValue("(NN)", PyUnicode_DecodeLatin1(p, colon - p, NULL),
                                 PyUnicode_DecodeLatin1(v, nl - v, NULL)); /* new reference */
            if (item == NULL || PyList_Append(list, item) < 0) {
                Py_XDECREF(item);
                Py_DECREF(list);
                return NULL;
            }
            Py_DECREF(item);
        }
        p = nl + 1;
    }
    return list;
}

static PyObject *
httpclient_query(PyObject *op, PyTypeObject *defining_class, PyObject *const *args, Py_ssize_t nargs,
                 PyObject *kwnames)
{
    HttpClientObject *self = (HttpClientObject *)op;
    belc_state *st = PyType_GetModuleState(defining_class);
    const char *url, *host;
    belc_signer_data *sd;
    transfer t;
    CURLcode rc;
    int sign_failed = 0;
    PyObject *signer, *headers = NULL, *result = NULL;

    long long time_offset = 0;
    PyObject *offset_o = NULL;

    memset(&t, 0, sizeof(t));
    if (nargs < 3 || nargs > 4) {
        PyErr_Format(PyExc_TypeError,
                     "HttpClient.query(url, params, signer, time_offset=0) takes 3 or 4 arguments (%zd given)", nargs);
        return NULL;
    }
    if (nargs == 4)
        offset_o = args[3];
    if (kwnames) {
        Py_ssize_t k;
        for (k = 0; k < PyTuple_GET_SIZE(kwnames); k++) {
            PyObject *name = PyTuple_GET_ITEM(kwnames, k);
            if (PyUnicode_Check(name) && PyUnicode_CompareWithASCIIString(name, "time_offset") == 0 && !offset_o) {
                offset_o = args[nargs + k];
            }
            else {
                PyErr_Format(PyExc_TypeError, "HttpClient.query() got an unexpected keyword argument %R", name);
                return NULL;
            }
        }
    }
    if (offset_o && offset_o != Py_None) {
        double f = PyFloat_AsDouble(offset_o);
        if (f == -1.0 && PyErr_Occurred())
            return NULL;
        if (!(f > -1e9 && f < 1e9)) {
            PyErr_SetString(PyExc_ValueError, "time_offset out of range");
            return NULL;
        }
        time_offset = (long long)f;
    }
    if (!PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "url must be a str");
        return NULL;
    }
    url = PyUnicode_AsUTF8(args[0]);
    if (url == NULL)
        return NULL;
    signer = args[2];
    sd = belc_signer_data_of(st, signer);
    if (sd == NULL)
        return NULL;
    if (self->curl == NULL) {
        PyErr_SetString(PyExc_ValueError, "HttpClient is closed");
        return NULL;
    }
    if (self->in_use) {
        PyErr_SetString(PyExc_RuntimeError,
                        "this HttpClient is already performing a request in another thread; use one per thread");
        return NULL;
    }
    host = host_header_for(self, url);
    if (host == NULL)
        return NULL;
    if (belc_query_encode_params(args[1], &t.req_body) < 0)
        goto cleanup;
    t.resp_body.limit = self->max_body;

    self->in_use = 1;
    Py_INCREF(signer); /* keeps sd alive while the GIL is released */
    {
        PyThreadState *save = PyEval_SaveThread();
        rc = perform_nogil(self, sd, url, host, time_offset, &t, &sign_failed, &save);
        PyEval_RestoreThread(save);
    }
    Py_DECREF(signer);
    self->in_use = 0;
    self->requests++;
    {
        long n = 0;
        if (curl_easy_getinfo(self->curl, CURLINFO_NUM_CONNECTS, &n) == CURLE_OK)
            self->connects += n;
    }

    if (sign_failed) {
        PyErr_SetString(PyExc_MemoryError, "signing the request failed (out of memory or an OpenSSL error)");
        goto cleanup;
    }
    if (t.interrupted) {
        PyErr_CheckSignals(); /* raises KeyboardInterrupt (or whatever the handler raises) again */
        if (!PyErr_Occurred())
            PyErr_SetNone(PyExc_KeyboardInterrupt);
        goto cleanup;
    }
    if (rc != CURLE_OK) {
        const char *msg = self->errbuf[0] ? self->errbuf : curl_easy_strerror(rc);
        char timeout_msg[160];
        if (t.timed_out) {
            snprintf(timeout_msg, sizeof(timeout_msg), "no data from the server for %.3g s (read_timeout)",
                     self->read_timeout_ms / 1000.0);
            msg = timeout_msg;
        }
        if (t.too_large) {
            char m[200];
            snprintf(m, sizeof(m), "response body larger than the limit of %zu bytes", self->max_body);
            belc_raise_transport_error(st, BELC_TRANSPORT_TOO_LARGE, (int)rc, m, url);
        }
        else {
            belc_raise_transport_error(st, classify(self->curl, rc, &t), (int)rc, msg, url);
        }
        goto cleanup;
    }
    headers = headers_to_list(&t.resp_headers);
    if (headers == NULL)
        goto cleanup;
    result = Py_BuildValue("(lNOy#)", t.status,
                           PyUnicode_DecodeLatin1(t.reason.data ? t.reason.data : "", (Py_ssize_t)t.reason.len, NULL),
                           headers, t.resp_body.data ? t.resp_body.data : "", (Py_ssize_t)t.resp_body.len);
cleanup:
    Py_XDECREF(headers);
    transfer_free(&t);
    return result;
}

static PyObject *
httpclient_close(PyObject *op, PyObject *unused)
{
    HttpClientObject *self = (HttpClientObject *)op;
    (void)unused;
    if (self->in_use) {
        PyErr_SetString(PyExc_RuntimeError, "cannot close an HttpClient while a request is in progress");
        return NULL;
    }
    if (self->curl) {
        curl_easy_cleanup(self->curl);
        self->curl = NULL;
    }
    if (self->multi) {
        curl_multi_cleanup(self->multi);
        self->multi = NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
httpclient_get_requests(PyObject *op, void *closure)
{
    (void)closure;
    return PyLong_FromLongLong(((HttpClientObject *)op)->requests);
}

static PyObject *
httpclient_get_connects(PyObject *op, void *closure)
{
    (void)closure;
    return PyLong_FromLongLong(((HttpClientObject *)op)->connects);
}

static PyObject *
httpclient_get_closed(PyObject *op, void *closure)
{
    (void)closure;
    return PyBool_FromLong(((HttpClientObject *)op)->curl == NULL);
}

static PyMethodDef httpclient_methods[] = {
    {"query", (PyCFunction)(void (*)(void))httpclient_query, METH_METHOD | METH_FASTCALL | METH_KEYWORDS,
     "query(url, params, signer, time_offset=0) -> (status, reason, headers, body)\n\n"
     "Form-encode params, sign a POST to url with signer and perform it with the GIL released.\n"
     "time_offset (seconds) is added to the local clock for signing (clock-skew correction).\n"
     "Returns the HTTP status, the reason phrase, a list of (name, value) headers and the body bytes.\n"
     "Transport failures raise HTTPClientError subclasses; HTTP error statuses are returned, not raised."},
    {"close", httpclient_close, METH_NOARGS, "Close the connection and release the handle."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef httpclient_getset[] = {
    {"requests", httpclient_get_requests, NULL, "Requests performed.", NULL},
    {"connects", httpclient_get_connects, NULL, "New connections opened (the rest reused a kept-alive one).", NULL},
    {"closed", httpclient_get_closed, NULL, "Whether close() was called.", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyMemberDef httpclientobject_members[] = {
    {"__weaklistoffset__", T_PYSSIZET, offsetof(HttpClientObject, weakreflist), READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyType_Slot httpclient_slots[] = {
    {Py_tp_new, httpclient_new},
    {Py_tp_dealloc, httpclient_dealloc},
    {Py_tp_traverse, httpclient_traverse},
    {Py_tp_methods, httpclient_methods},
    {Py_tp_members, httpclientobject_members},
    {Py_tp_getset, httpclient_getset},
    {Py_tp_doc, "HttpClient(*, connect_timeout=60.0, read_timeout=60.0, verify=True, ca_bundle=None, proxy=None,\n"
                "           user_agent=None, max_body=67108864)\n\n"
                "One libcurl handle with its kept-alive connection. Use one per thread."},
    {0, NULL},
};

static PyType_Spec httpclient_spec = {
    .name = "boto_elb_c._core.HttpClient",
    .basicsize = sizeof(HttpClientObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_IMMUTABLETYPE,
    .slots = httpclient_slots,
};

int
belc_http_exec(PyObject *m)
{
    belc_state *st = belc_get_state(m);
    st->httpclient_type = (PyTypeObject *)PyType_FromModuleAndSpec(m, &httpclient_spec, NULL);
    if (st->httpclient_type == NULL)
        return -1;
    return PyModule_AddType(m, st->httpclient_type);
}
