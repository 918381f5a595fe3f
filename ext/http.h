/* http.h -- what http.c (the HttpClient type) and transfer.c (one call: attempts, retries, backoff) share.
 *
 * Private to those two files. Each function says whether it needs the GIL.
 */
#ifndef BELC_HTTP_H
#define BELC_HTTP_H

#include "module.h"

#include <curl/curl.h>

#define CONTENT_TYPE "application/x-www-form-urlencoded; charset=utf-8"
/* error responses are small; a bigger non-2xx body is not scanned for its <Code> */
#define MAX_SCANNED_ERROR_BODY (1024 * 1024)

typedef struct {
    PyObject_HEAD
    PyObject *weakreflist;
    PyObject *on_retry; /* callable(url, attempt, max_attempts, reason, delay) or NULL */
    CURL *curl;
    CURLM *multi; /* holds the connection cache: the kept-alive connection lives here between calls */
    int in_use;
    long connect_timeout_ms;
    long read_timeout_ms;
    int verify;
    int shared; /* uses the process-wide share handle */
    size_t max_body;
    int max_attempts;
    double retry_base_delay, retry_max_delay; /* seconds */
    int retry_quota;                          /* retries draw on the process-wide quota */
    int last_attempts;
    char *ca_bundle;
    char *proxy;
    char *proxy_user;
    char *proxy_pass;
    char *user_agent;
    /* cached URL -> Host header value and the path that is signed */
    char *url;
    char *host_header;
    char *url_path;
    long long requests;
    long long connects;
    long long retries;
    char errbuf[CURL_ERROR_SIZE];
} HttpClientObject;

/* everything one attempt touches while the GIL is released */
typedef struct {
    belc_buf req_body;
    belc_buf resp_body;
    belc_buf resp_headers; /* "Name: value\n" lines of the final response */
    belc_buf reason;
    belc_buf date_line, auth_line, token_line;
    long status;
    int too_large;
    int received;  /* set by the callbacks: bytes arrived since the loop last looked */
    int timed_out; /* our read timeout fired */
} belc_transfer;

/* an exception raised while the GIL was briefly held (signal handler, on_retry), kept until the call returns */
typedef struct {
#if PY_VERSION_HEX >= 0x030C0000
    PyObject *exc;
#else
    PyObject *type, *value, *tb;
#endif
} belc_saved_exc;

/* what a run of the engine shares: the thread state while the GIL is released, and an exception raised in one
 * of the brief moments the GIL is taken back (a signal handler, on_retry), which ends every call of the run */
typedef struct {
    HttpClientObject *self;
    PyThreadState *save;
    int interrupted; /* pending holds an exception */
    belc_saved_exc pending;
} belc_engine;

enum { BELC_CALL_READY, BELC_CALL_RUNNING, BELC_CALL_BACKOFF, BELC_CALL_DONE };

/* one call of HttpClient.query (or one of query_many): its inputs, its attempts, its outcome */
typedef struct {
    HttpClientObject *self;
    belc_engine *engine;
    belc_signer_data *sd;
    const char *url;
    const char *host;
    const char *path; /* the URL's path, decoded: what the signature covers */
    long long time_offset;
    belc_buf params; /* the encoded form as Python gave it: copied into t.req_body before each signing */
    belc_transfer t;
    CURL *easy;                /* the client's own handle, or a duplicate of it for query_many */
    struct curl_slist *hdrs;   /* the running attempt's request headers */
    int state;                 /* BELC_CALL_* */
    long long wake_at;         /* BACKOFF: when to try again (monotonic microseconds) */
    long long last_rx;         /* RUNNING: when the read-timeout clock last restarted, 0 until the request is out */
    double ended_at;           /* wall-clock time (seconds since the epoch) the last attempt ended: the answer's
                                * arrival, against which its Date header tells the server's clock */
    int last_cost;             /* quota tokens the last retry took */
    CURLcode rc;        /* of the last attempt */
    int kind;           /* BELC_TRANSPORT_* of the last attempt's failure */
    int attempts;       /* made so far */
    int sign_failed;    /* out of memory or an OpenSSL failure while signing */
    char errbuf[CURL_ERROR_SIZE];
    char why[CURL_ERROR_SIZE + 96]; /* the last attempt's failure, for the log and the exception */
} belc_call;

/* --- transfer.c --- */
/* libcurl's write and header callbacks (userdata: the belc_transfer). No Python. */
size_t belc_transfer_on_body(char *ptr, size_t size, size_t nmemb, void *userdata);
size_t belc_transfer_on_header(char *ptr, size_t size, size_t nmemb, void *userdata);
/* Release (and wipe, where secrets may be) the buffers of a transfer. No Python. */
void belc_transfer_free(belc_transfer *t);
/* Run calls[0..n) to their ends, concurrently, over the client's multi handle: attempts, retry decisions, backoff.
 * Called WITHOUT the GIL (e->save holds the thread state); takes it back only for signal checks and the on_retry
 * callable. On return each call's rc and t describe its final attempt; e->interrupted says an exception is pending
 * (belc_transfer_restore_exception raises it, GIL held) and the calls were abandoned. */
void belc_transfer_perform(belc_engine *e, belc_call *calls, size_t n);
void belc_transfer_restore_exception(belc_engine *e);

#endif
