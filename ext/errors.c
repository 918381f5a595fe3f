/* errors.c -- every foreign failure becomes one of boto's exceptions.
 *
 * Owns: the lookup of the exception classes defined in boto_elb_c/exception.py (once, into module state);
 * HTTP error responses (status + <ErrorResponse> body) -> BotoServerError with status, reason, body, error_code,
 * error_message and request_id; the error code of a response body for the retry decision (without the GIL);
 * unexpected 2xx bodies -> ResponseParseError; transport failures (after the retries) -> HTTPClientError
 * subclasses.
 */
#include "module.h"

#include <string.h>

#include "saxtape.h"

static const struct {
    const char *attr;
    size_t offset;
} EXCEPTIONS[] = {
    {"BotoServerError", offsetof(belc_state, BotoServerError)},
    {"BotoClientError", offsetof(belc_state, BotoClientError)},
    {"ResponseParseError", offsetof(belc_state, ResponseParseError)},
    {"HTTPClientError", offsetof(belc_state, HTTPClientError)},
    {"EndpointConnectionError", offsetof(belc_state, EndpointConnectionError)},
    {"ConnectTimeoutError", offsetof(belc_state, ConnectTimeoutError)},
    {"ReadTimeoutError", offsetof(belc_state, ReadTimeoutError)},
    {"ConnectionClosedError", offsetof(belc_state, ConnectionClosedError)},
    {"SSLError", offsetof(belc_state, SSLError)},
    {"ResponseTooLargeError", offsetof(belc_state, ResponseTooLargeError)},
    {"ProxyConnectionError", offsetof(belc_state, ProxyConnectionError)},
};
#define N_EXCEPTIONS (sizeof(EXCEPTIONS) / sizeof(EXCEPTIONS[0]))

#define STATE_SLOT(st, i) ((PyObject **)((char *)(st) + EXCEPTIONS[i].offset))

int
belc_errors_traverse(belc_state *st, visitproc visit, void *arg)
{
    size_t i;
    for (i = 0; i < N_EXCEPTIONS; i++)
        Py_VISIT(*STATE_SLOT(st, i));
    return 0;
}

void
belc_errors_clear(belc_state *st)
{
    size_t i;
    for (i = 0; i < N_EXCEPTIONS; i++)
        Py_CLEAR(*STATE_SLOT(st, i));
}

/* --- server errors --- */

enum { F_CODE, F_MESSAGE, F_REQUEST_ID, F_REQUEST_ID2, F_BOX_USAGE, N_FIELDS };
static const char *const FIELD_NAMES[N_FIELDS] = {"Code", "Message", "RequestId", "RequestID", "BoxUsage"};

/* first leaf text of each field anywhere in the document; fields[i] = NULL if absent. Returns 0 if the body
 * parsed as XML. The texts live in tape's arena. */
static int
scan_error_fields(belc_tape *tape, const char *body, size_t len, const char *fields[N_FIELDS])
{
    belc_names names;
    size_t lens[N_FIELDS], i;
    int rc;

    for (i = 0; i < N_FIELDS; i++) {
        lens[i] = strlen(FIELD_NAMES[i]);
        fields[i] = NULL;
    }
    if (belc_names_init(&names, FIELD_NAMES, lens, N_FIELDS) < 0)
        return -1;
    rc = belc_tape_parse(tape, &names, body, len);
    belc_names_free(&names);
    if (rc < 0)
        return -1;
    for (i = 0; i < tape->n; i++) {
        const belc_event *ev = &tape->ev[i];
        if (ev->kind == BELC_EV_END && (ev->flags & BELC_EV_LEAF) && ev->id >= 0 && fields[ev->id] == NULL)
            fields[ev->id] = tape->arena.data + ev->off;
    }
    return 0;
}

int
belc_errors_scan_code(const char *body, size_t len, char *code, size_t cap)
{
    belc_tape tape;
    const char *fields[N_FIELDS];
    int rc = 0;

    if (cap == 0)
        return 0;
    code[0] = '\0';
    if (body == NULL || len == 0)
        return 0;
    belc_tape_init(&tape);
    if (scan_error_fields(&tape, body, len, fields) < 0) {
        rc = strcmp(tape.error, "out of memory") == 0 ? -1 : 0;
        goto cleanup;
    }
    if (fields[F_CODE]) {
        size_t n = strlen(fields[F_CODE]);
        if (n >= cap)
            n = cap - 1;
        memcpy(code, fields[F_CODE], n);
        code[n] = '\0';
        rc = 1;
    }
cleanup:
    belc_tape_free(&tape);
    return rc;
}

static PyObject *
decode_body(const char *body, size_t len)
{
    return PyUnicode_DecodeUTF8(body ? body : "", (Py_ssize_t)len, "replace"); /* new reference */
}

/* _error_fields(body) -> {"Code": ..., "Message": ..., "RequestId": ..., "BoxUsage": ...} or None if the body is
 * not XML. Used by BotoServerError.__init__ (boto_elb_c/exception.py), which picks the class and sets the
 * attributes. Each key maps to the first leaf of that name anywhere in the document, or None. */
static PyObject *
core_error_fields(PyObject *module, PyObject *arg)
{
    Py_buffer body;
    belc_tape tape;
    const char *fields[N_FIELDS];
    PyObject *result = NULL;
    size_t i;
    int rc;
    (void)module;

    if (PyObject_GetBuffer(arg, &body, PyBUF_SIMPLE) < 0)
        return NULL;
    belc_tape_init(&tape);
    if (body.len == 0) {
        result = Py_NewRef(Py_None);
        goto cleanup;
    }
    Py_BEGIN_ALLOW_THREADS
    rc = scan_error_fields(&tape, body.buf, (size_t)body.len, fields);
    Py_END_ALLOW_THREADS
    if (rc < 0) {
        if (strcmp(tape.error, "out of memory") == 0)
            PyErr_NoMemory();
        else
            result = Py_NewRef(Py_None);
        goto cleanup;
    }
    if (fields[F_REQUEST_ID] == NULL)
        fields[F_REQUEST_ID] = fields[F_REQUEST_ID2];
    result = PyDict_New();
    if (result == NULL)
        goto cleanup;
    for (i = 0; i < N_FIELDS; i++) {
        PyObject *v;
        if (i == F_REQUEST_ID2)
            continue;
        v = fields[i] ? PyUnicode_DecodeUTF8(fields[i], (Py_ssize_t)strlen(fields[i]), "replace") : Py_NewRef(Py_None);
        if (v == NULL || PyDict_SetItemString(result, FIELD_NAMES[i], v) < 0) {
            Py_XDECREF(v);
            Py_CLEAR(result);
            goto cleanup;
        }
        Py_DECREF(v);
    }
cleanup:
    belc_tape_free(&tape);
    PyBuffer_Release(&body);
    return result;
}

static PyMethodDef errors_functions[] = {
    {"_error_fields", core_error_fields, METH_O,
     "_error_fields(body) -> dict or None\n\nCode, Message, RequestId and BoxUsage of an error response body."},
    {NULL, NULL, 0, NULL},
};

PyObject *
belc_raise_parse_error(belc_state *st, long status, const char *reason, const char *body, size_t len,
                       const char *detail)
{
    PyObject *body_str = NULL, *exc = NULL;

    body_str = decode_body(body, len);
    if (body_str == NULL)
        goto cleanup;
    exc = PyObject_CallFunction(st->ResponseParseError, "lsOs", status, reason ? reason : "", body_str,
                                detail ? detail : "unexpected response"); /* new reference */
    if (exc == NULL)
        goto cleanup;
    PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
cleanup:
    Py_XDECREF(body_str);
    Py_XDECREF(exc);
    return NULL;
}

PyObject *
belc_raise_transport_error(belc_state *st, int kind, int code, const char *message, const char *url, int attempts)
{
    PyObject *cls, *exc;

    switch (kind) {
    case BELC_TRANSPORT_CONNECT:
        cls = st->EndpointConnectionError;
        break;
    case BELC_TRANSPORT_CONNECT_TIMEOUT:
        cls = st->ConnectTimeoutError;
        break;
    case BELC_TRANSPORT_READ_TIMEOUT:
        cls = st->ReadTimeoutError;
        break;
    case BELC_TRANSPORT_CLOSED:
        cls = st->ConnectionClosedError;
        break;
    case BELC_TRANSPORT_SSL:
        cls = st->SSLError;
        break;
    case BELC_TRANSPORT_TOO_LARGE:
        cls = st->ResponseTooLargeError;
        break;
    case BELC_TRANSPORT_PROXY:
        cls = st->ProxyConnectionError;
        break;
    default:
        cls = st->HTTPClientError;
        break;
    }
    exc = PyObject_CallFunction(cls, "ssii", message ? message : "transport error", url ? url : "", code,
                                attempts); /* new reference */
    if (exc == NULL)
        return NULL;
    PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
    Py_DECREF(exc);
    return NULL;
}

int
belc_errors_exec(PyObject *m)
{
    belc_state *st = belc_get_state(m);
    PyObject *mod = NULL;
    size_t i;
    int rc = -1;

    mod = PyImport_ImportModule("boto_elb_c.exception"); /* new reference */
    if (mod == NULL)
        goto cleanup;
    for (i = 0; i < N_EXCEPTIONS; i++) {
        PyObject *cls = PyObject_GetAttrString(mod, EXCEPTIONS[i].attr); /* new reference */
        if (cls == NULL)
            goto cleanup;
        if (!PyType_Check(cls) || !PyType_IsSubtype((PyTypeObject *)cls, (PyTypeObject *)PyExc_Exception)) {
            PyErr_Format(PyExc_ImportError, "boto_elb_c.exception.%s is not an exception class", EXCEPTIONS[i].attr);
            Py_DECREF(cls);
            goto cleanup;
        }
        Py_XSETREF(*STATE_SLOT(st, i), cls); /* reference now owned by the state */
    }
    rc = PyModule_AddFunctions(m, errors_functions);
cleanup:
    Py_XDECREF(mod);
    return rc;
}
