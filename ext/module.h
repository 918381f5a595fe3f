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

typedef struct belc_shapes belc_shapes; /* shapes.h */

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
    PyObject *ProxyConnectionError;
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
/* Raise one of the HTTPClientError classes for a transport failure. kind is a BELC_TRANSPORT_* value; attempts
 * is how many attempts the call made (the message says so when there were several). */
enum {
    BELC_TRANSPORT_OTHER,
    BELC_TRANSPORT_CONNECT,
    BELC_TRANSPORT_CONNECT_TIMEOUT,
    BELC_TRANSPORT_READ_TIMEOUT,
    BELC_TRANSPORT_CLOSED,
    BELC_TRANSPORT_SSL,
    BELC_TRANSPORT_TOO_LARGE,
    BELC_TRANSPORT_PROXY,
};
PyObject *belc_raise_transport_error(belc_state *st, int kind, int code, const char *message, const char *url,
                                     int attempts);
/* The <Code> of an error response body (the first leaf named Code anywhere), copied NUL-terminated into
 * code[0..cap). Callable WITHOUT the GIL. Returns 1 if found, 0 if the body has none or is not XML, -1 when out
 * of memory. */
int belc_errors_scan_code(const char *body, size_t len, char *code, size_t cap);

/* --- retry.c (callable WITHOUT the GIL, except belc_retry_exec) --- */
/* the retry test hooks; called from belc_http_exec */
int belc_retry_exec(PyObject *m);
#define BELC_RETRY_QUOTA_CAPACITY 500
#define BELC_RETRY_COST 5
#define BELC_RETRY_TIMEOUT_COST 10
#define BELC_RETRY_NO_RETRY_INCREMENT 1
/* Take cost tokens from the process-wide retry quota: 1 if taken, 0 if there are not enough (then no retry). */
int belc_retry_quota_acquire(int cost);
/* Give tokens back (never above the capacity). */
void belc_retry_quota_release(int amount);
/* HTTP 500, 502, 503, 504 */
int belc_retry_status_is_transient(long status);
/* a throttling or transient error code (Throttling, RequestLimitExceeded, DependencyThrottle, ...) */
int belc_retry_code_is_retryable(const char *code);
/* Seconds to wait after failed attempt n (1-based): full jitter, random() * min(base * 2^(n-1), cap). */
double belc_retry_delay(double base, double cap, int failed_attempt);

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
int belc_signer_sign_post(belc_signer_data *sd, const char *host, const char *path, const char *content_type,
                          belc_buf *body,
                          long long unix_time, belc_buf *date_line, belc_buf *auth_line, belc_buf *token_line);

/* --- stages.c --- */
int belc_stages_exec(PyObject *m);

/* --- query.c --- */
int belc_query_exec(PyObject *m);
/* Form-encode a params mapping or sequence of pairs into out (appends "&" between pairs). */
int belc_query_encode_params(PyObject *params, belc_buf *out);

/* --- http.c --- */
int belc_http_exec(PyObject *m);
void belc_http_global_init(void);

/* --- shapes.c --- */
int belc_shapes_exec(PyObject *m);
int belc_shapes_traverse(belc_state *st, visitproc visit, void *arg);
void belc_shapes_clear(belc_state *st);

/* --- xml.c --- */
int belc_xml_exec(PyObject *m);

#endif
