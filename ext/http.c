/* http.c -- the HttpClient type: one libcurl easy handle and one multi handle, reused across calls (keep-alive).
 *
 * Owns: libcurl setup (TLS verification on, timeouts, proxy, no signals, http/https only, no redirects, the
 * process-wide share handle of share.c), the client's settings and counters, and HttpClient.query's Python face:
 * its arguments, the GIL released around the call (transfer.c: attempts, retries, backoff), the final answer as
 * Python objects, and a final transport failure raised through errors.c.
 * A handle belongs to one thread at a time: concurrent use of one HttpClient raises RuntimeError (ELBConnection
 * gives each thread its own HttpClient).
 */
#include "http.h"

#include <structmember.h>

#include <math.h>
#include <string.h>

#include "share.h"

#define DEFAULT_MAX_BODY (64 * 1024 * 1024)
#define MAX_ATTEMPTS_LIMIT 50
#define MAX_DELAY_LIMIT 3600.0

/* --- setup --- */

void
belc_http_global_init(void)
{
    static int done = 0;
    if (!done) {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        (void)belc_share_global_init(); /* without it, clients simply do not share: not worth failing the import */
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

static void
free_secret_cstr(char *s)
{
    if (s) {
        memset(s, 0, strlen(s));
        PyMem_RawFree(s);
    }
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
    /* covers TCP, the TLS handshake and a proxy's CONNECT; the read timeout is ours (run_transfer) */
    SET(CURLOPT_CONNECTTIMEOUT_MS, self->connect_timeout_ms);
    SET(CURLOPT_SSL_VERIFYPEER, self->verify ? 1L : 0L);
    SET(CURLOPT_SSL_VERIFYHOST, self->verify ? 2L : 0L);
    if (self->ca_bundle) {
        /* this bundle instead of the system store, not in addition to it */
        SET(CURLOPT_CAINFO, self->ca_bundle);
        SET(CURLOPT_CAPATH, NULL);
    }
    /* the proxy is decided by the caller (ELBConnection reads the environment and the boto config): libcurl must
     * not look at http_proxy/https_proxy/no_proxy itself. "" = no proxy; a NOPROXY of "" = no exceptions. */
    SET(CURLOPT_PROXY, self->proxy ? self->proxy : "");
    SET(CURLOPT_NOPROXY, "");
    if (self->proxy && self->proxy_user) {
        SET(CURLOPT_PROXYUSERNAME, self->proxy_user);
        SET(CURLOPT_PROXYPASSWORD, self->proxy_pass ? self->proxy_pass : "");
    }
    if (self->user_agent)
        SET(CURLOPT_USERAGENT, self->user_agent);
    /* a Content-Length over the limit fails at once; a body without one stops at the limit (belc_transfer_on_body) */
    SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)self->max_body);
    if (self->shared && belc_share_handle())
        SET(CURLOPT_SHARE, (CURLSH *)belc_share_handle());
    SET(CURLOPT_WRITEFUNCTION, belc_transfer_on_body);
    SET(CURLOPT_HEADERFUNCTION, belc_transfer_on_header);
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
    static char *kwlist[] = {"connect_timeout", "read_timeout", "verify", "ca_bundle", "proxy", "proxy_user",
                             "proxy_pass", "user_agent", "max_body", "max_attempts", "retry_base_delay",
                             "retry_max_delay", "retry_quota", "on_retry", "share", NULL};
    double connect_timeout = 60.0, read_timeout = 60.0, retry_base_delay = 1.0, retry_max_delay = 20.0;
    int verify = 1, max_attempts = 3, retry_quota = 1, share = 1;
    const char *ca_bundle = NULL, *proxy = NULL, *proxy_user = NULL, *proxy_pass = NULL, *user_agent = NULL;
    Py_ssize_t max_body = DEFAULT_MAX_BODY;
    PyObject *on_retry = Py_None;
    HttpClientObject *self;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|$ddpzzzzzniddpOp:HttpClient", kwlist, &connect_timeout,
                                     &read_timeout, &verify, &ca_bundle, &proxy, &proxy_user, &proxy_pass,
                                     &user_agent, &max_body, &max_attempts, &retry_base_delay, &retry_max_delay,
                                     &retry_quota, &on_retry, &share))
        return NULL;
    if (!(connect_timeout > 0) || !(read_timeout > 0) || connect_timeout > 86400 || read_timeout > 86400) {
        PyErr_SetString(PyExc_ValueError, "connect_timeout and read_timeout must be > 0 and at most 86400 seconds");
        return NULL;
    }
    if (max_body <= 0) {
        PyErr_SetString(PyExc_ValueError, "max_body must be > 0");
        return NULL;
    }
    if (max_attempts < 1 || max_attempts > MAX_ATTEMPTS_LIMIT) {
        PyErr_Format(PyExc_ValueError, "max_attempts must be from 1 to %d, not %d", MAX_ATTEMPTS_LIMIT,
                     max_attempts);
        return NULL;
    }
    if (!(retry_base_delay >= 0 && retry_base_delay <= MAX_DELAY_LIMIT) ||
        !(retry_max_delay >= 0 && retry_max_delay <= MAX_DELAY_LIMIT)) {
        /* PyErr_Format has no float conversion (3.12+ rejects %g): format the limit first */
        char msg[120];
        PyOS_snprintf(msg, sizeof(msg), "retry_base_delay and retry_max_delay must be from 0 to %g seconds",
                      MAX_DELAY_LIMIT);
        PyErr_SetString(PyExc_ValueError, msg);
        return NULL;
    }
    if (on_retry != Py_None && !PyCallable_Check(on_retry)) {
        PyErr_SetString(PyExc_TypeError, "on_retry must be callable or None");
        return NULL;
    }
    self = (HttpClientObject *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->connect_timeout_ms = (long)ceil(connect_timeout * 1000.0);
    self->read_timeout_ms = (long)ceil(read_timeout * 1000.0);
    self->verify = verify;
    self->shared = share;
    self->max_body = (size_t)max_body;
    self->max_attempts = max_attempts;
    self->retry_base_delay = retry_base_delay;
    self->retry_max_delay = retry_max_delay;
    self->retry_quota = retry_quota;
    self->on_retry = on_retry == Py_None ? NULL : Py_NewRef(on_retry);
    self->ca_bundle = dup_cstr(ca_bundle);
    self->proxy = dup_cstr(proxy && proxy[0] ? proxy : NULL);
    self->proxy_user = dup_cstr(proxy_user);
    self->proxy_pass = dup_cstr(proxy_pass);
    self->user_agent = dup_cstr(user_agent);
    if ((ca_bundle && !self->ca_bundle) || (proxy && proxy[0] && !self->proxy) || (proxy_user && !self->proxy_user) ||
        (proxy_pass && !self->proxy_pass) || (user_agent && !self->user_agent)) {
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
httpclient_traverse(PyObject *op, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(op));
    Py_VISIT(((HttpClientObject *)op)->on_retry);
    return 0;
}

static int
httpclient_clear(PyObject *op)
{
    Py_CLEAR(((HttpClientObject *)op)->on_retry);
    return 0;
}

static void
httpclient_dealloc(PyObject *op)
{
    HttpClientObject *self = (HttpClientObject *)op;
    PyTypeObject *tp = Py_TYPE(op);
    PyObject_GC_UnTrack(op);
    if (self->weakreflist)
        PyObject_ClearWeakRefs(op);
    (void)httpclient_clear(op);
    if (self->curl)
        curl_easy_cleanup(self->curl);
    if (self->multi)
        curl_multi_cleanup(self->multi);
    PyMem_RawFree(self->ca_bundle);
    free_secret_cstr(self->proxy); /* an environment proxy URL may carry user:password */
    free_secret_cstr(self->proxy_user);
    free_secret_cstr(self->proxy_pass);
    PyMem_RawFree(self->user_agent);
    PyMem_RawFree(self->url);
    PyMem_RawFree(self->host_header);
    PyMem_RawFree(self->url_path);
    tp->tp_free(op);
    Py_DECREF(tp);
}

/* Host header for a URL, as libcurl will send it (host, plus :port when the URL names one that is not the scheme's
 * default) and the URL's path, decoded, which the signature covers. Both returned in PyMem_Raw memory. GIL held
 * (sets the exception). */
static int
split_url(const char *url, char **host_out, char **path_out)
{
    CURLU *u = NULL;
    char *host = NULL, *port = NULL, *scheme = NULL, *path = NULL;
    belc_buf hh = BELC_BUF_INIT;
    int rc = -1;

    *host_out = *path_out = NULL;
    u = curl_url();
    if (u == NULL) {
        PyErr_NoMemory();
        goto cleanup;
    }
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
        PyErr_Format(PyExc_ValueError, "invalid endpoint URL: %s", url);
        goto cleanup;
    }
    if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
        PyErr_Format(PyExc_ValueError, "endpoint URL has no scheme or host: %s", url);
        goto cleanup;
    }
    if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) {
        PyErr_Format(PyExc_ValueError, "endpoint URL must be http:// or https://, not %s://", scheme);
        goto cleanup;
    }
    if (curl_url_get(u, CURLUPART_PATH, &path, CURLU_URLDECODE) != CURLUE_OK || path == NULL || path[0] != '/') {
        PyErr_Format(PyExc_ValueError, "endpoint URL has no usable path: %s", url);
        goto cleanup;
    }
    if (belc_buf_append_str(&hh, host) < 0)
        goto nomem;
    if (curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK && port) {
        int is_default = (strcmp(scheme, "http") == 0 && strcmp(port, "80") == 0) ||
                         (strcmp(scheme, "https") == 0 && strcmp(port, "443") == 0);
        if (!is_default && (belc_buf_append_char(&hh, ':') < 0 || belc_buf_append_str(&hh, port) < 0))
            goto nomem;
    }
    *host_out = dup_cstr(hh.data);
    *path_out = dup_cstr(path);
    if (*host_out == NULL || *path_out == NULL) {
        PyMem_RawFree(*host_out);
        PyMem_RawFree(*path_out);
        *host_out = *path_out = NULL;
        goto nomem;
    }
    rc = 0;
    goto cleanup;
nomem:
    PyErr_NoMemory();
cleanup:
    curl_free(path);
    curl_free(host);
    curl_free(port);
    curl_free(scheme);
    if (u)
        curl_url_cleanup(u);
    belc_buf_free(&hh);
    return rc;
}

/* split_url, cached for the last URL the client used (query() calls one endpoint again and again) */
static const char *
host_header_for(HttpClientObject *self, const char *url)
{
    char *host, *path, *url_copy;

    if (self->url && strcmp(self->url, url) == 0)
        return self->host_header;
    if (split_url(url, &host, &path) < 0)
        return NULL;
    url_copy = dup_cstr(url);
    if (url_copy == NULL) {
        PyMem_RawFree(host);
        PyMem_RawFree(path);
        PyErr_NoMemory();
        return NULL;
    }
    PyMem_RawFree(self->url);
    PyMem_RawFree(self->host_header);
    PyMem_RawFree(self->url_path);
    self->url = url_copy;
    self->host_header = host;
    self->url_path = path;
    return self->host_header;
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

static int
parse_time_offset(PyObject *offset_o, long long *out)
{
    double f;
    *out = 0;
    if (offset_o == NULL || offset_o == Py_None)
        return 0;
    f = PyFloat_AsDouble(offset_o);
    if (f == -1.0 && PyErr_Occurred())
        return -1;
    if (!(f > -1e9 && f < 1e9)) {
        PyErr_SetString(PyExc_ValueError, "time_offset out of range");
        return -1;
    }
    *out = (long long)f;
    return 0;
}

static int
check_usable(HttpClientObject *self)
{
    if (self->curl == NULL || self->multi == NULL) {
        PyErr_SetString(PyExc_ValueError, "HttpClient is closed");
        return -1;
    }
    if (self->in_use) {
        PyErr_SetString(PyExc_RuntimeError,
                        "this HttpClient is already performing a request in another thread; use one per thread");
        return -1;
    }
    return 0;
}

/* The outcome of a finished call as Python sees it: (status, reason, headers, body), or NULL with the exception
 * set (a transport failure that outlasted the retries, or a signing failure). GIL held. */
/* (status, reason, headers, body), and the time the answer arrived when with_time (query_many) */
static PyObject *
call_result(belc_state *st, belc_call *c, int with_time)
{
    PyObject *headers, *result;
    if (c->sign_failed) {
        PyErr_SetString(PyExc_MemoryError, "out of memory (or an OpenSSL error while signing the request)");
        return NULL;
    }
    if (c->rc != CURLE_OK)
        return belc_raise_transport_error(st, c->kind, (int)c->rc, c->why, c->url, c->attempts);
    headers = headers_to_list(&c->t.resp_headers);
    if (headers == NULL)
        return NULL;
    if (with_time)
        result = Py_BuildValue("(lNNy#d)", c->t.status,
                               PyUnicode_DecodeLatin1(c->t.reason.data ? c->t.reason.data : "",
                                                      (Py_ssize_t)c->t.reason.len, NULL),
                               headers, c->t.resp_body.data ? c->t.resp_body.data : "",
                               (Py_ssize_t)c->t.resp_body.len, c->ended_at);
    else
        result = Py_BuildValue("(lNNy#)", c->t.status,
                               PyUnicode_DecodeLatin1(c->t.reason.data ? c->t.reason.data : "",
                                                      (Py_ssize_t)c->t.reason.len, NULL),
                               headers, c->t.resp_body.data ? c->t.resp_body.data : "",
                               (Py_ssize_t)c->t.resp_body.len);
    return result;
}

/* Run the calls with the GIL released. The client is marked in use; keep what the calls point into alive. */
static void
run_calls(HttpClientObject *self, belc_engine *e, belc_call *calls, size_t n)
{
    self->in_use = 1;
    e->self = self;
    e->save = PyEval_SaveThread();
    belc_transfer_perform(e, calls, n);
    PyEval_RestoreThread(e->save);
    self->in_use = 0;
    self->requests += (long long)n;
}

static PyObject *
httpclient_query(PyObject *op, PyTypeObject *defining_class, PyObject *const *args, Py_ssize_t nargs,
                 PyObject *kwnames)
{
    HttpClientObject *self = (HttpClientObject *)op;
    belc_state *st = PyType_GetModuleState(defining_class);
    belc_engine e;
    belc_call c;
    PyObject *signer, *offset_o = NULL, *result = NULL;

    memset(&e, 0, sizeof(e));
    memset(&c, 0, sizeof(c));
    c.self = self;
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
    if (parse_time_offset(offset_o, &c.time_offset) < 0)
        return NULL;
    if (!PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "url must be a str");
        return NULL;
    }
    c.url = PyUnicode_AsUTF8(args[0]);
    if (c.url == NULL)
        return NULL;
    signer = args[2];
    c.sd = belc_signer_data_of(st, signer);
    if (c.sd == NULL || check_usable(self) < 0)
        return NULL;
    c.host = host_header_for(self, c.url);
    if (c.host == NULL)
        return NULL;
    c.path = self->url_path;
    c.easy = self->curl;
    if (belc_query_encode_params(args[1], &c.params) < 0)
        goto cleanup;
    c.t.resp_body.limit = self->max_body;

    Py_INCREF(signer);  /* keeps sd alive while the GIL is released */
    Py_INCREF(args[0]); /* keeps c.url alive (an on_retry callable runs Python code meanwhile) */
    run_calls(self, &e, &c, 1);
    Py_DECREF(args[0]);
    Py_DECREF(signer);
    self->last_attempts = c.attempts;
    if (e.interrupted) {
        belc_transfer_restore_exception(&e); /* KeyboardInterrupt, or what a signal handler or on_retry raised */
        goto cleanup;
    }
    result = call_result(st, &c, 0);
cleanup:
    curl_easy_setopt(self->curl, CURLOPT_ERRORBUFFER, self->errbuf);
    belc_buf_free(&c.params);
    belc_transfer_free(&c.t);
    return result;
}

/* query_many: each call gets its own duplicate of the client's handle (same options: TLS, proxy, timeouts, share
 * handle), and all share the client's multi handle, so they run at once and their connections stay in the same
 * cache for the next run. */
static PyObject *
httpclient_query_many(PyObject *op, PyTypeObject *defining_class, PyObject *const *args, Py_ssize_t nargs,
                      PyObject *kwnames)
{
    HttpClientObject *self = (HttpClientObject *)op;
    belc_state *st = PyType_GetModuleState(defining_class);
    belc_engine e;
    belc_call *calls = NULL;
    PyObject *fast = NULL, *result = NULL;
    Py_ssize_t n = 0, i, ready = 0;

    memset(&e, 0, sizeof(e));
    if (nargs != 1 || (kwnames && PyTuple_GET_SIZE(kwnames))) {
        PyErr_SetString(PyExc_TypeError, "HttpClient.query_many(requests) takes one list of "
                                         "(url, params, signer[, time_offset]) tuples");
        return NULL;
    }
    if (check_usable(self) < 0)
        return NULL;
    fast = PySequence_Fast(args[0], "query_many() takes a sequence of (url, params, signer[, time_offset])");
    if (fast == NULL)
        return NULL;
    n = PySequence_Fast_GET_SIZE(fast);
    calls = PyMem_Calloc((size_t)(n ? n : 1), sizeof(belc_call));
    if (calls == NULL) {
        PyErr_NoMemory();
        goto cleanup;
    }
    for (i = 0; i < n; i++) {
        PyObject *item = PySequence_Fast_GET_ITEM(fast, i); /* borrowed reference */
        belc_call *c = &calls[i];
        char *host = NULL, *path = NULL;
        c->self = self;
        if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) < 3 || PyTuple_GET_SIZE(item) > 4 ||
            !PyUnicode_Check(PyTuple_GET_ITEM(item, 0))) {
            PyErr_SetString(PyExc_TypeError, "query_many() takes (url, params, signer[, time_offset]) tuples");
            goto cleanup;
        }
        c->url = PyUnicode_AsUTF8(PyTuple_GET_ITEM(item, 0));
        if (c->url == NULL)
            goto cleanup;
        c->sd = belc_signer_data_of(st, PyTuple_GET_ITEM(item, 2));
        if (c->sd == NULL)
            goto cleanup;
        if (PyTuple_GET_SIZE(item) == 4 && parse_time_offset(PyTuple_GET_ITEM(item, 3), &c->time_offset) < 0)
            goto cleanup;
        if (split_url(c->url, &host, &path) < 0)
            goto cleanup;
        c->host = host; /* freed in cleanup (owned by the call) */
        c->path = path;
        if (belc_query_encode_params(PyTuple_GET_ITEM(item, 1), &c->params) < 0)
            goto cleanup;
        c->t.resp_body.limit = self->max_body;
        c->easy = curl_easy_duphandle(self->curl);
        if (c->easy == NULL) {
            PyErr_NoMemory();
            goto cleanup;
        }
        ready = i + 1;
    }
    run_calls(self, &e, calls, (size_t)n); /* `fast` holds the tuples, so every url and signer stays alive */
    if (e.interrupted) {
        belc_transfer_restore_exception(&e);
        goto cleanup;
    }
    result = PyList_New(n); /* new reference */
    if (result == NULL)
        goto cleanup;
    for (i = 0; i < n; i++) {
        PyObject *r = call_result(st, &calls[i], 1); /* new reference */
        if (r == NULL) {
            PyObject *type, *value, *tb;
            if (!PyErr_ExceptionMatches(st->HTTPClientError)) {
                Py_CLEAR(result); /* MemoryError and the like end the whole call */
                goto cleanup;
            }
            PyErr_Fetch(&type, &value, &tb);
            PyErr_NormalizeException(&type, &value, &tb);
            Py_XDECREF(type);
            Py_XDECREF(tb);
            r = value; /* the exception instance stands for that request's result */
        }
        PyList_SET_ITEM(result, i, r); /* reference stolen */
    }
cleanup:
    if (calls) {
        for (i = 0; i < n; i++) {
            if (i < ready || calls[i].easy) {
                if (calls[i].easy)
                    curl_easy_cleanup(calls[i].easy);
            }
            PyMem_RawFree((char *)calls[i].host);
            PyMem_RawFree((char *)calls[i].path);
            belc_buf_free(&calls[i].params);
            belc_transfer_free(&calls[i].t);
        }
        PyMem_Free(calls);
    }
    Py_XDECREF(fast);
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

static PyObject *
httpclient_get_last_attempts(PyObject *op, void *closure)
{
    (void)closure;
    return PyLong_FromLong(((HttpClientObject *)op)->last_attempts);
}

static PyObject *
httpclient_get_retries(PyObject *op, void *closure)
{
    (void)closure;
    return PyLong_FromLongLong(((HttpClientObject *)op)->retries);
}

static PyObject *
httpclient_get_max_attempts(PyObject *op, void *closure)
{
    (void)closure;
    return PyLong_FromLong(((HttpClientObject *)op)->max_attempts);
}

static PyObject *
httpclient_get_shared(PyObject *op, void *closure)
{
    (void)closure;
    return PyBool_FromLong(((HttpClientObject *)op)->shared && belc_share_handle() != NULL);
}

static PyObject *
httpclient_get_timeouts(PyObject *op, void *closure)
{
    HttpClientObject *self = (HttpClientObject *)op;
    (void)closure;
    return Py_BuildValue("(dd)", self->connect_timeout_ms / 1000.0, self->read_timeout_ms / 1000.0);
}

static PyObject *
httpclient_get_proxy(PyObject *op, void *closure)
{
    HttpClientObject *self = (HttpClientObject *)op;
    (void)closure;
    /* the URL as given (which may carry credentials from the environment) is not shown; only whether there is one
     * and which user authenticates */
    if (self->proxy == NULL)
        Py_RETURN_NONE;
    return Py_BuildValue("(Oz)", Py_True, self->proxy_user);
}

static PyMethodDef httpclient_methods[] = {
    {"query", (PyCFunction)(void (*)(void))httpclient_query, METH_METHOD | METH_FASTCALL | METH_KEYWORDS,
     "query(url, params, signer, time_offset=0) -> (status, reason, headers, body)\n\n"
     "Form-encode params, sign a POST to url with signer and perform it with the GIL released, retrying\n"
     "(re-signed each time) on HTTP 500/502/503/504, throttling error codes, connection failures and timeouts,\n"
     "up to max_attempts attempts, with full-jitter exponential backoff and the process-wide retry quota.\n"
     "time_offset (seconds) is added to the local clock for signing (clock-skew correction).\n"
     "Returns the final HTTP status, reason phrase, list of (name, value) headers and body bytes.\n"
     "Transport failures that outlast the retries raise HTTPClientError subclasses; HTTP error statuses are\n"
     "returned, not raised."},
    {"query_many", (PyCFunction)(void (*)(void))httpclient_query_many, METH_METHOD | METH_FASTCALL | METH_KEYWORDS,
     "query_many(requests) -> list\n\n"
     "requests: a list of (url, params, signer[, time_offset]) tuples. Performs them all at once over libcurl's\n"
     "multi interface with the GIL released, each with the retries of query(), and returns, in the same order,\n"
     "(status, reason, headers, body, received_at) for each request that got an answer (received_at: time.time()\n"
     "when it arrived, for reading its Date header), or the HTTPClientError instance for each that did not (it is\n"
     "not raised). KeyboardInterrupt ends them all."},
    {"close", httpclient_close, METH_NOARGS, "Close the connection and release the handle."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef httpclient_getset[] = {
    {"requests", httpclient_get_requests, NULL, "Requests performed.", NULL},
    {"connects", httpclient_get_connects, NULL, "New connections opened (the rest reused a kept-alive one).", NULL},
    {"closed", httpclient_get_closed, NULL, "Whether close() was called.", NULL},
    {"last_attempts", httpclient_get_last_attempts, NULL, "Attempts the last query() made (1 = no retry).", NULL},
    {"retries", httpclient_get_retries, NULL, "Retries made by all query() calls.", NULL},
    {"max_attempts", httpclient_get_max_attempts, NULL, "Attempts a query() may make, the first included.", NULL},
    {"shared", httpclient_get_shared, NULL,
     "Whether the client uses the process-wide share handle (DNS cache and TLS sessions).", NULL},
    {"timeouts", httpclient_get_timeouts, NULL, "(connect_timeout, read_timeout) in seconds.", NULL},
    {"proxy", httpclient_get_proxy, NULL, "None, or (True, proxy_user) when a proxy is used (never its URL).",
     NULL},
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
    {Py_tp_clear, httpclient_clear},
    {Py_tp_methods, httpclient_methods},
    {Py_tp_members, httpclientobject_members},
    {Py_tp_getset, httpclient_getset},
    {Py_tp_doc, "HttpClient(*, connect_timeout=60.0, read_timeout=60.0, verify=True, ca_bundle=None, proxy=None,\n"
                "           proxy_user=None, proxy_pass=None, user_agent=None, max_body=67108864, max_attempts=3,\n"
                "           retry_base_delay=1.0, retry_max_delay=20.0, retry_quota=True, on_retry=None,\n"
                "           share=True)\n\n"
                "One libcurl handle with its kept-alive connection. Use one per thread.\n"
                "proxy is a proxy URL or None (the proxy environment variables are NOT read here); ca_bundle\n"
                "replaces the system CA store; on_retry(url, attempt, max_attempts, reason, delay) is called before\n"
                "each retry (delay None: the retry quota refused it); share=True shares DNS and TLS sessions\n"
                "with every other client of the process."},
    {0, NULL},
};

static PyType_Spec httpclient_spec = {
    .name = "boto_elb_c._core.HttpClient",
    .basicsize = sizeof(HttpClientObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_IMMUTABLETYPE,
    .slots = httpclient_slots,
};

static PyObject *
core_share_stats(PyObject *module, PyObject *unused)
{
    unsigned long long dns, ssl_session;
    (void)module;
    (void)unused;
    if (belc_share_handle() == NULL)
        Py_RETURN_NONE;
    belc_share_stats(&dns, &ssl_session);
    return Py_BuildValue("{sKsK}", "dns_locks", dns, "ssl_session_locks", ssl_session);
}

static PyMethodDef http_functions[] = {
    {"_share_stats", core_share_stats, METH_NOARGS,
     "_share_stats() -> {'dns_locks': n, 'ssl_session_locks': n} or None\n\n"
     "How often the process-wide share handle's caches were used (None if there is no share handle)."},
    {NULL, NULL, 0, NULL},
};

int
belc_http_exec(PyObject *m)
{
    belc_state *st = belc_get_state(m);
    st->httpclient_type = (PyTypeObject *)PyType_FromModuleAndSpec(m, &httpclient_spec, NULL);
    if (st->httpclient_type == NULL)
        return -1;
    if (PyModule_AddType(m, st->httpclient_type) < 0 || PyModule_AddFunctions(m, http_functions) < 0)
        return -1;
    return 0;
}
