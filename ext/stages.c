/* stages.c -- the SigV4 and SigV2 stages, exposed privately to Python for the test vectors.
 *
 * Owns: _sigv4_sign (every stage of a whole request: canonical request, string to sign, signature,
 * Authorization header, presigned query), _sigv4_string_to_sign and _sigv4_signature (from the suite's own
 * intermediate values), _sigv2_sign. tests/core/test_sigv4_vectors.py runs every case of the AWS test suite
 * through them; nothing else uses them.
 */
#include "module.h"

#include <string.h>

#include <openssl/crypto.h>

#include "sigv2.h"
#include "sigv4.h"

/* --- private stage functions for the test vectors --- */

/* list of (name, value) str pairs -> belc_kv array; the strings stay owned by the list */
static belc_kv *
headers_from_list(PyObject *seq, size_t *n_out)
{
    PyObject *fast = PySequence_Fast(seq, "headers must be a sequence of (name, value) pairs");
    belc_kv *kv = NULL;
    Py_ssize_t i, n;

    if (fast == NULL)
        return NULL;
    n = PySequence_Fast_GET_SIZE(fast);
    kv = PyMem_Calloc((size_t)n + 1, sizeof(belc_kv));
    if (kv == NULL) {
        PyErr_NoMemory();
        goto error;
    }
    for (i = 0; i < n; i++) {
        PyObject *pair = PySequence_Fast_GET_ITEM(fast, i);
        Py_ssize_t nl, vl;
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
            PyErr_SetString(PyExc_TypeError, "headers must be a sequence of (name, value) tuples");
            goto error;
        }
        kv[i].name = PyUnicode_AsUTF8AndSize(PyTuple_GET_ITEM(pair, 0), &nl);
        kv[i].value = kv[i].name ? PyUnicode_AsUTF8AndSize(PyTuple_GET_ITEM(pair, 1), &vl) : NULL;
        if (kv[i].name == NULL || kv[i].value == NULL)
            goto error;
        kv[i].name_len = (size_t)nl;
        kv[i].value_len = (size_t)vl;
    }
    *n_out = (size_t)n;
    Py_DECREF(fast); /* the tuples' strings live in `seq`, which the caller holds */
    return kv;
error:
    PyMem_Free(kv);
    Py_DECREF(fast);
    return NULL;
}

static PyObject *
buf_to_str(const belc_buf *b)
{
    return PyUnicode_DecodeUTF8(b->data ? b->data : "", (Py_ssize_t)b->len, "strict");
}

static PyObject *
core_sigv4_sign(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"method",     "path",           "query",     "headers", "payload_hash",
                             "amz_date",   "region",         "service",   "access_key", "secret_key",
                             "session_token", "normalize", "query_mode", "omit_session_token", "sign_body",
                             "expires", NULL};
    const char *method, *path, *query, *payload_hash, *amz_date, *region, *service, *ak, *token = NULL;
    Py_ssize_t path_len, query_len, sk_len;
    const char *sk;
    PyObject *headers_o, *result = NULL;
    int normalize = 1, query_mode = 0, omit = 0, sign_body = 0;
    long expires = 3600;
    belc_kv *kv = NULL;
    size_t n_kv = 0;
    belc_sigv4 s;
    belc_buf auth = BELC_BUF_INIT, presigned = BELC_BUF_INIT;
    unsigned char key[32];
    (void)module;

    belc_sigv4_init(&s);
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "ss#s#Ossssss#|zppppl:_sigv4_sign", kwlist, &method, &path,
                                     &path_len, &query, &query_len, &headers_o, &payload_hash, &amz_date, &region,
                                     &service, &ak, &sk, &sk_len, &token, &normalize, &query_mode, &omit, &sign_body,
                                     &expires))
        return NULL;
    kv = headers_from_list(headers_o, &n_kv);
    if (kv == NULL)
        return NULL;
    s.method = method;
    s.path = path;
    s.path_len = (size_t)path_len;
    s.query = query;
    s.query_len = (size_t)query_len;
    s.headers = kv;
    s.n_headers = n_kv;
    s.payload_hash = payload_hash;
    s.amz_date = amz_date;
    s.region = region;
    s.service = service;
    s.access_key = ak;
    s.session_token = token;
    s.normalize_path = normalize;
    s.query_mode = query_mode;
    s.omit_session_token = omit;
    s.sign_body = sign_body;
    s.expires = expires;
    if (belc_sigv4_canonical_request(&s) < 0 || belc_sigv4_string_to_sign(&s) < 0 ||
        belc_sigv4_signing_key(sk, (size_t)sk_len, amz_date, region, service, key) < 0 ||
        belc_sigv4_signature(&s, key) < 0 || belc_sigv4_authorization(&s, &auth) < 0 ||
        belc_sigv4_presigned_query(&s, &presigned) < 0) {
        PyErr_NoMemory();
        goto cleanup;
    }
    result = Py_BuildValue("{s:N,s:N,s:N,s:N,s:N,s:N}", "canonical_request", buf_to_str(&s.canonical_request),
                           "string_to_sign", buf_to_str(&s.string_to_sign), "signature", buf_to_str(&s.signature),
                           "signed_headers", buf_to_str(&s.signed_headers), "authorization", buf_to_str(&auth),
                           "presigned_query", buf_to_str(&presigned));
cleanup:
    OPENSSL_cleanse(key, sizeof(key));
    PyMem_Free(kv);
    belc_sigv4_clear(&s);
    belc_buf_free(&auth);
    belc_buf_free(&presigned);
    return result;
}

static PyObject *
core_sigv4_string_to_sign(PyObject *module, PyObject *args)
{
    const char *cr, *amz_date, *region, *service;
    Py_ssize_t cr_len;
    belc_sigv4 s;
    PyObject *result = NULL;
    (void)module;

    if (!PyArg_ParseTuple(args, "s#sss:_sigv4_string_to_sign", &cr, &cr_len, &amz_date, &region, &service))
        return NULL;
    belc_sigv4_init(&s);
    s.amz_date = amz_date;
    s.region = region;
    s.service = service;
    if (belc_buf_append(&s.canonical_request, cr, (size_t)cr_len) < 0 ||
        belc_buf_append(&s.credential_scope, amz_date, 8) < 0 || belc_buf_append_char(&s.credential_scope, '/') < 0 ||
        belc_buf_append_str(&s.credential_scope, region) < 0 || belc_buf_append_char(&s.credential_scope, '/') < 0 ||
        belc_buf_append_str(&s.credential_scope, service) < 0 ||
        belc_buf_append_str(&s.credential_scope, "/aws4_request") < 0 || belc_sigv4_string_to_sign(&s) < 0) {
        PyErr_NoMemory();
        goto cleanup;
    }
    result = buf_to_str(&s.string_to_sign);
cleanup:
    belc_sigv4_clear(&s);
    return result;
}

static PyObject *
core_sigv4_signature(PyObject *module, PyObject *args)
{
    const char *sts, *sk, *amz_date, *region, *service;
    Py_ssize_t sts_len, sk_len;
    belc_sigv4 s;
    unsigned char key[32];
    PyObject *result = NULL;
    (void)module;

    if (!PyArg_ParseTuple(args, "s#s#sss:_sigv4_signature", &sts, &sts_len, &sk, &sk_len, &amz_date, &region,
                          &service))
        return NULL;
    belc_sigv4_init(&s);
    if (strlen(amz_date) < 8) {
        PyErr_SetString(PyExc_ValueError, "amz_date must look like YYYYMMDDTHHMMSSZ");
        return NULL;
    }
    if (belc_buf_append(&s.string_to_sign, sts, (size_t)sts_len) < 0 ||
        belc_sigv4_signing_key(sk, (size_t)sk_len, amz_date, region, service, key) < 0 ||
        belc_sigv4_signature(&s, key) < 0) {
        PyErr_NoMemory();
        goto cleanup;
    }
    result = buf_to_str(&s.signature);
cleanup:
    OPENSSL_cleanse(key, sizeof(key));
    belc_sigv4_clear(&s);
    return result;
}

static PyObject *
core_sigv2_sign(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"method", "host", "path", "body", "access_key", "secret_key", "timestamp",
                             "session_token", NULL};
    const char *method, *host, *path, *form, *ak, *sk, *timestamp, *token = NULL;
    Py_ssize_t form_len, sk_len;
    belc_sigv2 s;
    belc_buf params = BELC_BUF_INIT;
    PyObject *result = NULL;
    (void)module;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "sssy#ss#s|z:_sigv2_sign", kwlist, &method, &host, &path, &form,
                                     &form_len, &ak, &sk, &sk_len, &timestamp, &token))
        return NULL;
    belc_sigv2_init(&s);
    s.method = method;
    s.host = host;
    s.path = path;
    s.form = form;
    s.form_len = (size_t)form_len;
    s.access_key = ak;
    s.timestamp = timestamp;
    s.session_token = token;
    if (belc_sigv2_string_to_sign(&s) < 0 || belc_sigv2_signature(&s, sk, (size_t)sk_len) < 0 ||
        belc_sigv2_auth_params(&s, &params) < 0) {
        PyErr_NoMemory();
        goto cleanup;
    }
    result = Py_BuildValue("{s:N,s:N,s:N,s:N}", "canonical_query", buf_to_str(&s.canonical_query), "string_to_sign",
                           buf_to_str(&s.string_to_sign), "signature", buf_to_str(&s.signature), "auth_params",
                           buf_to_str(&params));
cleanup:
    belc_sigv2_clear(&s);
    belc_buf_wipe(&params);
    return result;
}

static PyMethodDef stages_functions[] = {
    {"_sigv4_sign", (PyCFunction)(void (*)(void))core_sigv4_sign, METH_VARARGS | METH_KEYWORDS,
     "Private: run every SigV4 stage on a whole request and return each stage's output (test vectors)."},
    {"_sigv4_string_to_sign", core_sigv4_string_to_sign, METH_VARARGS,
     "Private: string to sign from a canonical request (test vectors)."},
    {"_sigv4_signature", core_sigv4_signature, METH_VARARGS,
     "Private: signature from a string to sign and a secret (test vectors)."},
    {"_sigv2_sign", (PyCFunction)(void (*)(void))core_sigv2_sign, METH_VARARGS | METH_KEYWORDS,
     "Private: SigV2 of a form body; returns the canonical query, the string to sign, the signature and the\n"
     "form-encoded parameters to append to the body (tests)."},
    {NULL, NULL, 0, NULL},
};

int
belc_stages_exec(PyObject *m)
{
    return PyModule_AddFunctions(m, stages_functions);
}
