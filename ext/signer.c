/* signer.c -- the Python face of sigv4.c and sigv2.c: the Signer type and the private stage functions for the
 * tests.
 *
 * Owns: credentials in C memory (wiped on free), the signature version, the per-day SigV4 signing key cache, and
 * signing of Query-protocol POST requests without the GIL (SigV4 in headers, SigV2 in the form body). The
 * secret never becomes a Python object again once the Signer holds it, and no repr or exception text mentions it.
 */
#include "module.h"

#include <structmember.h>

#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "pythread.h"
#include "sigv2.h"
#include "sigv4.h"

struct belc_signer_data {
    char *access_key;
    char *secret; /* wiped on free */
    size_t secret_len;
    char *token; /* NULL: none; wiped on free */
    char *region;
    char *service;
    int signature_version;   /* 4 (headers) or 2 (parameters in the body) */
    PyThread_type_lock lock; /* guards the key cache; taken without the GIL */
    char key_date[9];        /* YYYYMMDD of the cached key, "" if none */
    unsigned char key[32];   /* wiped on free */
};

typedef struct {
    PyObject_HEAD
    PyObject *weakreflist;
    belc_signer_data d;
} SignerObject;

static char *
dup_bytes(const char *s, size_t n)
{
    char *p = PyMem_RawMalloc(n + 1);
    if (p == NULL)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static void
wipe_free(char *p, size_t n)
{
    if (p) {
        OPENSSL_cleanse(p, n);
        PyMem_RawFree(p);
    }
}

static void
signer_data_release(belc_signer_data *d)
{
    PyMem_RawFree(d->access_key);
    wipe_free(d->secret, d->secret_len);
    if (d->token)
        wipe_free(d->token, strlen(d->token));
    PyMem_RawFree(d->region);
    PyMem_RawFree(d->service);
    if (d->lock)
        PyThread_free_lock(d->lock);
    OPENSSL_cleanse(d->key, sizeof(d->key));
    memset(d, 0, sizeof(*d));
}

/* a str argument as UTF-8 bytes with no embedded NUL; what names the argument in the error */
static const char *
utf8_arg(PyObject *o, const char *what, Py_ssize_t *len)
{
    const char *s;
    if (!PyUnicode_Check(o)) {
        PyErr_Format(PyExc_TypeError, "%s must be a str, not %.100s", what, Py_TYPE(o)->tp_name);
        return NULL;
    }
    s = PyUnicode_AsUTF8AndSize(o, len);
    if (s == NULL)
        return NULL;
    if ((Py_ssize_t)strlen(s) != *len) {
        PyErr_Format(PyExc_ValueError, "%s must not contain NUL characters", what);
        return NULL;
    }
    return s;
}

/* signature_version= : None -> 4; otherwise the int 2 or 4. Returns -1 with an exception set. */
static int
signature_version_arg(PyObject *o)
{
    long v;
    if (o == Py_None)
        return 4;
    if (!PyLong_Check(o) || PyBool_Check(o)) {
        PyErr_Format(PyExc_TypeError, "signature_version must be an int (2 or 4), not %.100s", Py_TYPE(o)->tp_name);
        return -1;
    }
    v = PyLong_AsLong(o);
    if (v == -1 && PyErr_Occurred())
        return -1;
    if (v != 2 && v != 4) {
        PyErr_Format(PyExc_ValueError, "signature_version must be 2 or 4, not %ld", v);
        return -1;
    }
    return (int)v;
}

/* --- Signer type --- */

static PyObject *
signer_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"access_key", "secret_key", "security_token", "region", "service", "signature_version",
                             NULL};
    PyObject *ak_o, *sk_o, *tok_o = Py_None, *region_o = NULL, *service_o = NULL, *version_o = Py_None;
    int version;
    const char *ak, *sk, *tok = NULL, *region, *service = "elasticloadbalancing";
    Py_ssize_t ak_len, sk_len, tok_len = 0, region_len, service_len = 20;
    SignerObject *self = NULL;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO|O$OOO:Signer", kwlist, &ak_o, &sk_o, &tok_o, &region_o,
                                     &service_o, &version_o))
        return NULL;
    if ((version = signature_version_arg(version_o)) < 0)
        return NULL;
    if (region_o == NULL) {
        PyErr_SetString(PyExc_TypeError, "Signer() needs region=");
        return NULL;
    }
    if ((ak = utf8_arg(ak_o, "access_key", &ak_len)) == NULL || (sk = utf8_arg(sk_o, "secret_key", &sk_len)) == NULL ||
        (region = utf8_arg(region_o, "region", &region_len)) == NULL)
        return NULL;
    if (tok_o != Py_None && (tok = utf8_arg(tok_o, "security_token", &tok_len)) == NULL)
        return NULL;
    if (service_o != NULL && service_o != Py_None && (service = utf8_arg(service_o, "service", &service_len)) == NULL)
        return NULL;
    if (ak_len == 0 || sk_len == 0) {
        PyErr_SetString(PyExc_ValueError, "access_key and secret_key must not be empty");
        return NULL;
    }
    if (region_len == 0 || service_len == 0) {
        PyErr_SetString(PyExc_ValueError, "region and service must not be empty");
        return NULL;
    }

    self = (SignerObject *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->d.access_key = dup_bytes(ak, (size_t)ak_len);
    self->d.secret = dup_bytes(sk, (size_t)sk_len);
    self->d.secret_len = (size_t)sk_len;
    self->d.token = tok ? dup_bytes(tok, (size_t)tok_len) : NULL;
    self->d.region = dup_bytes(region, (size_t)region_len);
    self->d.service = dup_bytes(service, (size_t)service_len);
    self->d.signature_version = version;
    self->d.lock = PyThread_allocate_lock();
    if (!self->d.access_key || !self->d.secret || (tok && !self->d.token) || !self->d.region || !self->d.service ||
        !self->d.lock) {
        Py_DECREF(self);
        return PyErr_NoMemory();
    }
    return (PyObject *)self;
}

static int
signer_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    return 0;
}

static void
signer_dealloc(PyObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    if (((SignerObject *)self)->weakreflist)
        PyObject_ClearWeakRefs(self);
    signer_data_release(&((SignerObject *)self)->d);
    tp->tp_free(self);
    Py_DECREF(tp);
}

static PyObject *
signer_repr(PyObject *self)
{
    belc_signer_data *d = &((SignerObject *)self)->d;
    return PyUnicode_FromFormat("<Signer region='%s' service='%s'%s%s>", d->region, d->service,
                                d->signature_version == 2 ? " SigV2" : "", d->token ? " with session token" : "");
}

static PyObject *
signer_get_access_key(PyObject *self, void *closure)
{
    (void)closure;
    return PyUnicode_FromString(((SignerObject *)self)->d.access_key);
}

static PyObject *
signer_get_region(PyObject *self, void *closure)
{
    (void)closure;
    return PyUnicode_FromString(((SignerObject *)self)->d.region);
}

static PyObject *
signer_get_service(PyObject *self, void *closure)
{
    (void)closure;
    return PyUnicode_FromString(((SignerObject *)self)->d.service);
}

static PyObject *
signer_get_signature_version(PyObject *self, void *closure)
{
    (void)closure;
    return PyLong_FromLong(((SignerObject *)self)->d.signature_version);
}

static PyObject *
signer_get_has_token(PyObject *self, void *closure)
{
    (void)closure;
    return PyBool_FromLong(((SignerObject *)self)->d.token != NULL);
}

static void
format_amz_date(long long unix_time, char out[17])
{
    time_t t = (time_t)unix_time;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm);
}

/* SigV2 timestamp: YYYY-MM-DDTHH:MM:SSZ */
static void
format_sigv2_timestamp(long long unix_time, char out[BELC_SIGV2_TIMESTAMP_LEN + 1])
{
    time_t t = (time_t)unix_time;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, BELC_SIGV2_TIMESTAMP_LEN + 1, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* SigV4: three header lines, the body unchanged */
static int
sign_post_v4(belc_signer_data *sd, const char *host, const char *path, const char *content_type, belc_buf *body,
             long long unix_time, belc_buf *date_line, belc_buf *auth_line, belc_buf *token_line)
{
    belc_sigv4 s;
    belc_kv headers[2];
    char amz_date[17], payload_hash[BELC_SHA256_HEX_LEN + 1];
    unsigned char key[32];
    int rc = -1;

    belc_sigv4_init(&s);
    format_amz_date(unix_time, amz_date);
    if (belc_sha256_hex(body->data ? body->data : "", body->len, payload_hash) < 0)
        goto cleanup;
    headers[0].name = "content-type";
    headers[0].name_len = 12;
    headers[0].value = content_type;
    headers[0].value_len = strlen(content_type);
    headers[1].name = "host";
    headers[1].name_len = 4;
    headers[1].value = host;
    headers[1].value_len = strlen(host);
    s.method = "POST";
    s.path = path;
    s.path_len = strlen(path);
    s.query = "";
    s.query_len = 0;
    s.headers = headers;
    s.n_headers = 2;
    s.payload_hash = payload_hash;
    s.amz_date = amz_date;
    s.region = sd->region;
    s.service = sd->service;
    s.access_key = sd->access_key;
    s.session_token = sd->token;
    s.normalize_path = 1;
    if (belc_sigv4_canonical_request(&s) < 0 || belc_sigv4_string_to_sign(&s) < 0)
        goto cleanup;

    /* signing key: cached per day (region and service are fixed for a Signer) */
    PyThread_acquire_lock(sd->lock, WAIT_LOCK);
    if (memcmp(sd->key_date, amz_date, 8) != 0) {
        if (belc_sigv4_signing_key(sd->secret, sd->secret_len, amz_date, sd->region, sd->service, sd->key) < 0) {
            sd->key_date[0] = '\0';
            PyThread_release_lock(sd->lock);
            goto cleanup;
        }
        memcpy(sd->key_date, amz_date, 8);
        sd->key_date[8] = '\0';
    }
    memcpy(key, sd->key, 32);
    PyThread_release_lock(sd->lock);

    if (belc_sigv4_signature(&s, key) < 0)
        goto cleanup;
    belc_buf_clear(date_line);
    belc_buf_clear(auth_line);
    belc_buf_clear(token_line);
    if (belc_buf_append_str(date_line, "X-Amz-Date: ") < 0 || belc_buf_append_str(date_line, amz_date) < 0 ||
        belc_buf_append_str(auth_line, "Authorization: ") < 0 || belc_sigv4_authorization(&s, auth_line) < 0)
        goto cleanup;
    if (sd->token && (belc_buf_append_str(token_line, "X-Amz-Security-Token: ") < 0 ||
                      belc_buf_append_str(token_line, sd->token) < 0))
        goto cleanup;
    rc = 0;
cleanup:
    OPENSSL_cleanse(key, sizeof(key));
    belc_sigv4_clear(&s);
    return rc;
}

/* SigV2: the auth parameters and the signature appended to the form body, no header lines */
static int
sign_post_v2(belc_signer_data *sd, const char *host, const char *path, belc_buf *body, long long unix_time,
             belc_buf *date_line, belc_buf *auth_line, belc_buf *token_line)
{
    belc_sigv2 s;
    belc_buf params = BELC_BUF_INIT;
    char timestamp[BELC_SIGV2_TIMESTAMP_LEN + 1];
    int rc = -1;

    belc_sigv2_init(&s);
    belc_buf_clear(date_line);
    belc_buf_clear(auth_line);
    belc_buf_clear(token_line);
    format_sigv2_timestamp(unix_time, timestamp);
    s.method = "POST";
    s.host = host;
    s.path = path;
    s.form = body->data;
    s.form_len = body->len;
    s.access_key = sd->access_key;
    s.timestamp = timestamp;
    s.session_token = sd->token;
    if (belc_sigv2_string_to_sign(&s) < 0 || belc_sigv2_signature(&s, sd->secret, sd->secret_len) < 0 ||
        belc_sigv2_auth_params(&s, &params) < 0)
        goto cleanup;
    s.form = NULL; /* the body is about to grow (and may move) */
    if ((body->len && belc_buf_append_char(body, '&') < 0) || belc_buf_append(body, params.data, params.len) < 0)
        goto cleanup;
    rc = 0;
cleanup:
    belc_buf_wipe(&params);
    belc_sigv2_clear(&s);
    return rc;
}

int
belc_signer_sign_post(belc_signer_data *sd, const char *host, const char *path, const char *content_type,
                      belc_buf *body, long long unix_time, belc_buf *date_line, belc_buf *auth_line,
                      belc_buf *token_line)
{
    if (path == NULL || path[0] != '/')
        path = "/";
    if (sd->signature_version == 2)
        return sign_post_v2(sd, host, path, body, unix_time, date_line, auth_line, token_line);
    return sign_post_v4(sd, host, path, content_type, body, unix_time, date_line, auth_line, token_line);
}

belc_signer_data *
belc_signer_data_of(belc_state *st, PyObject *obj)
{
    if (!PyObject_TypeCheck(obj, st->signer_type)) {
        PyErr_Format(PyExc_TypeError, "expected a boto_elb_c._core.Signer, not %.100s", Py_TYPE(obj)->tp_name);
        return NULL;
    }
    return &((SignerObject *)obj)->d;
}

/* "Name: value" lines -> {"Name": "value"} (new reference) */
static PyObject *
header_lines_to_dict(belc_buf *date, belc_buf *auth, belc_buf *token)
{
    belc_buf *lines[3] = {date, auth, token};
    PyObject *result = PyDict_New(); /* new reference */
    int i;

    if (result == NULL)
        return NULL;
    for (i = 0; i < 3; i++) {
        char *colon;
        PyObject *v;
        if (lines[i]->len == 0)
            continue;
        colon = strchr(lines[i]->data, ':');
        v = PyUnicode_FromString(colon + 2); /* new reference */
        if (v == NULL)
            goto error;
        *colon = '\0';
        if (PyDict_SetItemString(result, lines[i]->data, v) < 0) {
            Py_DECREF(v);
            goto error;
        }
        Py_DECREF(v);
    }
    return result;
error:
    Py_DECREF(result);
    return NULL;
}

/* sign_query_post() (want_body 0: the headers) and sign_post() (want_body 1: (body, headers)) */
static PyObject *
sign_impl(PyObject *self, PyObject *args, PyObject *kwargs, int want_body)
{
    static char *kwlist[] = {"host", "body", "timestamp", NULL};
    const char *host;
    Py_buffer body = {0};
    PyObject *ts_o = Py_None, *headers = NULL, *result = NULL;
    long long ts;
    belc_buf date = BELC_BUF_INIT, auth = BELC_BUF_INIT, token = BELC_BUF_INIT, body_buf = BELC_BUF_INIT;
    belc_signer_data *d = &((SignerObject *)self)->d;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, want_body ? "sy*|O:sign_post" : "sy*|O:sign_query_post", kwlist,
                                     &host, &body, &ts_o))
        return NULL;
    if (!want_body && d->signature_version == 2) {
        PyErr_SetString(PyExc_ValueError,
                        "a SigV2 Signer signs inside the form body: use sign_post(), which returns the body too");
        goto cleanup;
    }
    if (ts_o == Py_None) {
        ts = (long long)time(NULL);
    }
    else {
        double f = PyFloat_AsDouble(ts_o);
        if (f == -1.0 && PyErr_Occurred())
            goto cleanup;
        ts = (long long)f;
    }
    if (belc_buf_append(&body_buf, body.buf, (size_t)body.len) < 0 ||
        belc_signer_sign_post(d, host, "/", "application/x-www-form-urlencoded; charset=utf-8", &body_buf, ts, &date,
                              &auth, &token) < 0) {
        PyErr_NoMemory();
        goto cleanup;
    }
    headers = header_lines_to_dict(&date, &auth, &token); /* new reference */
    if (headers == NULL)
        goto cleanup;
    if (want_body) {
        result = Py_BuildValue("(y#O)", body_buf.data ? body_buf.data : "", (Py_ssize_t)body_buf.len, headers);
    }
    else {
        result = headers;
        headers = NULL; /* now owned by result */
    }
cleanup:
    Py_XDECREF(headers);
    PyBuffer_Release(&body);
    belc_buf_wipe(&body_buf); /* a SigV2 body holds the session token */
    belc_buf_wipe(&date);
    belc_buf_wipe(&auth);
    belc_buf_wipe(&token);
    return result;
}

static PyObject *
signer_sign_query_post(PyObject *self, PyObject *args, PyObject *kwargs)
{
    return sign_impl(self, args, kwargs, 0);
}

static PyObject *
signer_sign_post(PyObject *self, PyObject *args, PyObject *kwargs)
{
    return sign_impl(self, args, kwargs, 1);
}

static PyObject *
signer_with_scope(PyObject *op, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"region", "service", NULL};
    SignerObject *self = (SignerObject *)op, *copy;
    PyObject *region_o, *service_o = Py_None;
    const char *region, *service;
    Py_ssize_t region_len, service_len;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|O:with_scope", kwlist, &region_o, &service_o))
        return NULL;
    if ((region = utf8_arg(region_o, "region", &region_len)) == NULL)
        return NULL;
    if (service_o == Py_None) {
        service = self->d.service;
        service_len = (Py_ssize_t)strlen(service);
    }
    else if ((service = utf8_arg(service_o, "service", &service_len)) == NULL) {
        return NULL;
    }
    if (region_len == 0 || service_len == 0) {
        PyErr_SetString(PyExc_ValueError, "region and service must not be empty");
        return NULL;
    }
    copy = (SignerObject *)Py_TYPE(op)->tp_alloc(Py_TYPE(op), 0);
    if (copy == NULL)
        return NULL;
    copy->d.access_key = dup_bytes(self->d.access_key, strlen(self->d.access_key));
    copy->d.secret = dup_bytes(self->d.secret, self->d.secret_len);
    copy->d.secret_len = self->d.secret_len;
    copy->d.token = self->d.token ? dup_bytes(self->d.token, strlen(self->d.token)) : NULL;
    copy->d.region = dup_bytes(region, (size_t)region_len);
    copy->d.service = dup_bytes(service, (size_t)service_len);
    copy->d.signature_version = self->d.signature_version;
    copy->d.lock = PyThread_allocate_lock();
    if (!copy->d.access_key || !copy->d.secret || (self->d.token && !copy->d.token) || !copy->d.region ||
        !copy->d.service || !copy->d.lock) {
        Py_DECREF(copy);
        return PyErr_NoMemory();
    }
    return (PyObject *)copy;
}

static PyMethodDef signer_methods[] = {
    {"with_scope", (PyCFunction)(void (*)(void))signer_with_scope, METH_VARARGS | METH_KEYWORDS,
     "with_scope(region, service=None) -> Signer\n\nThe same credentials for another region (and service)."},
    {"sign_query_post", (PyCFunction)(void (*)(void))signer_sign_query_post, METH_VARARGS | METH_KEYWORDS,
     "sign_query_post(host, body, timestamp=None) -> dict\n\n"
     "Sign a Query-protocol POST to / with the form body `body` (bytes) for `host` (the Host header value).\n"
     "Returns the headers to add: X-Amz-Date, Authorization and, with a session token, X-Amz-Security-Token.\n"
     "SigV4 only (a SigV2 Signer raises ValueError: use sign_post)."},
    {"sign_post", (PyCFunction)(void (*)(void))signer_sign_post, METH_VARARGS | METH_KEYWORDS,
     "sign_post(host, body, timestamp=None) -> (body, headers)\n\n"
     "Sign a Query-protocol POST to / as HttpClient.query does, for either signature version: the body to send\n"
     "(SigV2 appends its parameters and the Signature to it; SigV4 leaves it as it is) and the headers to add\n"
     "(none for SigV2)."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef signer_getset[] = {
    {"access_key", signer_get_access_key, NULL, "The access key id.", NULL},
    {"region", signer_get_region, NULL, "The region of the credential scope.", NULL},
    {"service", signer_get_service, NULL, "The service of the credential scope.", NULL},
    {"has_token", signer_get_has_token, NULL, "Whether a session token is sent.", NULL},
    {"signature_version", signer_get_signature_version, NULL,
     "4: SigV4 (Authorization header); 2: SigV2 (HmacSHA256 parameters in the form body).", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyMemberDef signerobject_members[] = {
    {"__weaklistoffset__", T_PYSSIZET, offsetof(SignerObject, weakreflist), READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyType_Slot signer_slots[] = {
    {Py_tp_new, signer_new},
    {Py_tp_dealloc, signer_dealloc},
    {Py_tp_traverse, signer_traverse},
    {Py_tp_repr, signer_repr},
    {Py_tp_methods, signer_methods},
    {Py_tp_members, signerobject_members},
    {Py_tp_getset, signer_getset},
    {Py_tp_doc, "Signer(access_key, secret_key, security_token=None, *, region, service='elasticloadbalancing',\n"
                "       signature_version=4)\n\n"
                "Credentials held in C memory that is wiped when the object is freed. signature_version 4 signs\n"
                "with SigV4 (headers); 2 with SigV2 (HmacSHA256 parameters in the form body)."},
    {0, NULL},
};

static PyType_Spec signer_spec = {
    .name = "boto_elb_c._core.Signer",
    .basicsize = sizeof(SignerObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_IMMUTABLETYPE,
    .slots = signer_slots,
};

int
belc_signer_exec(PyObject *m)
{
    belc_state *st = belc_get_state(m);
    st->signer_type = (PyTypeObject *)PyType_FromModuleAndSpec(m, &signer_spec, NULL);
    if (st->signer_type == NULL)
        return -1;
    return PyModule_AddType(m, st->signer_type);
}
