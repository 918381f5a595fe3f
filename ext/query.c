/* query.c -- Python values -> the Query-protocol form body.
 *
 * Owns: turning a params mapping (or a sequence of (key, value) pairs) into
 * `k1=v1&k2=v2` with encode.c's form encoding (exactly Python's urlencode, which moto's signature check and AWS
 * both accept). Value rules, decided once here: str as is; bool -> "true"/"false" (boto 2 sent "True");
 * int -> decimal; None -> the parameter is left out (boto 2 sent the text "None"); bytes -> raw bytes;
 * anything else -> str(value).
 */
#include "module.h"

#include "encode.h"

static int
append_value(PyObject *v, belc_buf *out)
{
    const char *s;
    Py_ssize_t n;
    PyObject *tmp = NULL;
    int rc = -1;

    if (PyBool_Check(v)) {
        s = v == Py_True ? "true" : "false";
        return belc_form_encode(out, s, strlen(s)) < 0 ? (PyErr_NoMemory(), -1) : 0;
    }
    if (PyBytes_Check(v)) {
        return belc_form_encode(out, PyBytes_AS_STRING(v), (size_t)PyBytes_GET_SIZE(v)) < 0 ? (PyErr_NoMemory(), -1)
                                                                                         : 0;
    }
    if (PyUnicode_Check(v)) {
        tmp = Py_NewRef(v);
    }
    else {
        tmp = PyObject_Str(v); /* new reference: int, float, and anything with a __str__ */
        if (tmp == NULL)
            return -1;
    }
    s = PyUnicode_AsUTF8AndSize(tmp, &n);
    if (s == NULL)
        goto cleanup;
    if (belc_form_encode(out, s, (size_t)n) < 0) {
        PyErr_NoMemory();
        goto cleanup;
    }
    rc = 0;
cleanup:
    Py_XDECREF(tmp);
    return rc;
}

static int
append_pair(PyObject *key, PyObject *value, belc_buf *out)
{
    const char *k;
    Py_ssize_t kn;

    if (value == Py_None)
        return 0;
    if (!PyUnicode_Check(key)) {
        PyErr_Format(PyExc_TypeError, "request parameter names must be str, not %.100s", Py_TYPE(key)->tp_name);
        return -1;
    }
    k = PyUnicode_AsUTF8AndSize(key, &kn);
    if (k == NULL)
        return -1;
    if (kn == 0) {
        PyErr_SetString(PyExc_ValueError, "request parameter names must not be empty");
        return -1;
    }
    if ((out->len && belc_buf_append_char(out, '&') < 0) || belc_form_encode(out, k, (size_t)kn) < 0 ||
        belc_buf_append_char(out, '=') < 0) {
        PyErr_NoMemory();
        return -1;
    }
    return append_value(value, out);
}

int
belc_query_encode_params(PyObject *params, belc_buf *out)
{
    if (params == Py_None)
        return 0;
    if (PyDict_Check(params)) {
        Py_ssize_t pos = 0;
        PyObject *k, *v;
        while (PyDict_Next(params, &pos, &k, &v)) { /* borrowed references */
            if (append_pair(k, v, out) < 0)
                return -1;
        }
        return 0;
    }
    else {
        PyObject *fast = PySequence_Fast(params, "params must be a dict or a sequence of (name, value) pairs");
        Py_ssize_t i, n;
        if (fast == NULL)
            return -1;
        n = PySequence_Fast_GET_SIZE(fast);
        for (i = 0; i < n; i++) {
            PyObject *pair = PySequence_Fast_GET_ITEM(fast, i); /* borrowed reference */
            if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
                PyErr_SetString(PyExc_TypeError, "params must be a dict or a sequence of (name, value) tuples");
                Py_DECREF(fast);
                return -1;
            }
            if (append_pair(PyTuple_GET_ITEM(pair, 0), PyTuple_GET_ITEM(pair, 1), out) < 0) {
                Py_DECREF(fast);
                return -1;
            }
        }
        Py_DECREF(fast);
        return 0;
    }
}

static PyObject *
core_encode_form(PyObject *module, PyObject *params)
{
    belc_buf out = BELC_BUF_INIT;
    PyObject *result = NULL;
    (void)module;

    if (belc_query_encode_params(params, &out) == 0)
        result = PyBytes_FromStringAndSize(out.data ? out.data : "", (Py_ssize_t)out.len);
    belc_buf_free(&out);
    return result;
}

static PyObject *
core_uri_encode(PyObject *module, PyObject *args)
{
    Py_buffer data;
    int keep_slash = 0;
    belc_buf out = BELC_BUF_INIT;
    PyObject *result = NULL;
    (void)module;

    if (!PyArg_ParseTuple(args, "s*|p:_uri_encode", &data, &keep_slash))
        return NULL;
    if (belc_uri_encode(&out, data.buf, (size_t)data.len, keep_slash) < 0)
        PyErr_NoMemory();
    else
        result = PyUnicode_FromStringAndSize(out.data ? out.data : "", (Py_ssize_t)out.len);
    PyBuffer_Release(&data);
    belc_buf_free(&out);
    return result;
}

static PyObject *
core_canonical_query(PyObject *module, PyObject *arg)
{
    const char *q;
    Py_ssize_t n;
    belc_buf out = BELC_BUF_INIT;
    PyObject *result = NULL;
    (void)module;

    q = PyUnicode_AsUTF8AndSize(arg, &n);
    if (q == NULL)
        return NULL;
    if (belc_canonical_query(&out, q, (size_t)n, NULL, 0) < 0)
        PyErr_NoMemory();
    else
        result = PyUnicode_FromStringAndSize(out.data ? out.data : "", (Py_ssize_t)out.len);
    belc_buf_free(&out);
    return result;
}

static PyMethodDef query_functions[] = {
    {"encode_form", core_encode_form, METH_O,
     "encode_form(params) -> bytes\n\nThe Query-protocol form body for a dict (or sequence of pairs) of parameters."},
    {"_uri_encode", core_uri_encode, METH_VARARGS, "Private: RFC 3986 encoding (tests)."},
    {"_canonical_query", core_canonical_query, METH_O, "Private: SigV4 canonical query string (tests)."},
    {NULL, NULL, 0, NULL},
};

int
belc_query_exec(PyObject *m)
{
    return PyModule_AddFunctions(m, query_functions);
}
