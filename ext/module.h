/* module.h -- module state and the prototypes shared by the Python-facing files.
 *
 * The GIL MUST be held for every function declared here unless its comment says otherwise.
 */
#ifndef BELC_MODULE_H
#define BELC_MODULE_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "buf.h"

#if PY_VERSION_HEX < 0x030A0000
static inline PyObject *
Py_NewRef(PyObject *o)
{
    Py_INCREF(o);
    return o;
}
#endif

#ifndef Py_TPFLAGS_IMMUTABLETYPE
#define Py_TPFLAGS_IMMUTABLETYPE 0
#endif

typedef struct belc_shapes belc_shapes; /* xml.c */

typedef struct {
    PyTypeObject *signer_type;
    PyTypeObject *httpclient_type;
    /* exception classes, defined in boto_elb_c/exception.py */
    PyObject *BotoServerError;
    PyObject *BotoClientError;
    PyObject *ResponseParseError;
    PyObject *HTTPClientError;
    PyObject *EndpointConnectionError;
    PyObject *ConnectTimeoutError;
    PyObject *ReadTimeoutError;
    PyObject *ConnectionClosedError;
    PyObject *SSLError;
    PyObject *ResponseTooLargeError;
    /* the object model table handed over by boto_elb_c/ec2/elb/_shapes.py */
    belc_shapes *shapes;
} belc_state;

extern PyModuleDef belc_module_def;

static inline belc_state *
belc_get_state(PyObject *module)
{
    return (belc_state *)PyModule_GetState(module);
}

/* state from an instance of one of our (final) heap types */
static inline belc_state *
belc_state_from_type(PyTypeObject *tp)
{
#if PY_VERSION_HEX >= 0x030B0000
    PyObject *m = PyType_GetModuleByDef(tp, &belc_module_def);
#else
    PyObject *m = PyType_GetModule(tp);
#endif
    return m ? belc_get_state(m) : NULL;
}

/* --- errors.c --- */
int belc_errors_exec(PyObject *m);
int belc_errors_traverse(belc_state *st, visitproc visit, void *arg);
void belc_errors_clear(belc_state *st);
/* Raise ResponseParseError(status, reason, body, detail). Returns NULL. */
PyObject *belc_raise_parse_error(belc_state *st, long status, const char *reason, const char *body, size_t len,
                                 const char *detail);
/* Raise one of the HTTPClientError classes for a transport failure. kind is a BELC_TRANSPORT_* value. */
enum {
    BELC_TRANSPORT_OTHER,
    BELC_TRANSPORT_CONNECT,
    BELC_TRANSPORT_CONNECT_TIMEOUT,
    BELC_TRANSPORT_READ_TIMEOUT,
    BELC_TRANSPORT_CLOSED,
    BELC_TRANSPORT_SSL,
    BELC_TRANSPORT_TOO_LARGE,
};
PyObject *belc_raise_transport_error(belc_state *st, int kind, int code, const char *message, const char *url);

/* --- signer.c --- */
int belc_signer_exec(PyObject *m);
typedef struct belc_signer_data belc_signer_data;
/* The C data of a Signer object (borrowed; valid while the object lives). NULL + TypeError if not a Signer. */
belc_signer_data *belc_signer_data_of(belc_state *st, PyObject *obj);
/* Sign a Query POST to "/" whose form body is `body`, at `unix_time`, by the Signer's signature version.
 * Callable WITHOUT the GIL. `host` is the Host header value (with :port when not the scheme's default).
 * SigV4 fills the X-Amz-Date, Authorization and (if any) X-Amz-Security-Token header lines ("Name: value") and
 * leaves the body as it is. SigV2 appends "&AWSAccessKeyId=..&SignatureMethod=HmacSHA256&SignatureVersion=2
 * &Timestamp=..[&SecurityToken=..]&Signature=.." (form-encoded) to the body and leaves the three lines empty.
 * Returns 0, or -1 on allocation/OpenSSL failure. */
int belc_signer_sign_post(belc_signer_data *sd, const char *host, const char *content_type, belc_buf *body,
                          long long unix_time, belc_buf *date_line, belc_buf *auth_line, belc_buf *token_line);

/* --- query.c --- */
int belc_query_exec(PyObject *m);
/* Form-encode a params mapping or sequence of pairs into out (appends "&" between pairs). */
int belc_query_encode_params(PyObject *params, belc_buf *out);

/* --- http.c --- */
int belc_http_exec(PyObject *m);
void belc_http_global_init(void);

/* --- xml.c --- */
int belc_xml_exec(PyObject *m);
int belc_xml_traverse(belc_state *st, visitproc visit, void *arg);
void belc_xml_clear(belc_state *st);

#endif
