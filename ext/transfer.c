/* transfer.c -- one call of HttpClient.query, without the GIL: sign, perform, decide, back off, again.
 *
 * Owns: the libcurl callbacks (they write into C buffers and never call Python), the transfer loop over the
 * client's multi handle with our own read timeout, each attempt (re-signed with a fresh date from the pristine
 * parameters), the classification of its outcome (retry.c says what may be retried), and the backoff between
 * attempts. The GIL is taken back only briefly: every 100 ms for a signal check (so Ctrl-C interrupts a transfer
 * or a backoff), and once per retry to call the client's on_retry callable (which logs it); an exception from
 * either ends the call and is raised when it returns.
 */
#include "http.h"

#include <string.h>
#include <time.h>

void
belc_transfer_free(belc_transfer *t)
{
    belc_buf_wipe(&t->req_body); /* a signer that signs in the parameters (SigV2) put its signature there */
    belc_buf_free(&t->resp_body);
    belc_buf_free(&t->resp_headers);
    belc_buf_free(&t->reason);
    belc_buf_wipe(&t->date_line);
    belc_buf_wipe(&t->auth_line);
    belc_buf_wipe(&t->token_line);
}

/* --- libcurl callbacks (no Python) --- */

size_t
belc_transfer_on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    belc_transfer *t = userdata;
    size_t n = size * nmemb;
    t->received = 1;
    if (belc_buf_append(&t->resp_body, ptr, n) < 0) {
        t->too_large = t->resp_body.limit && t->resp_body.len + n > t->resp_body.limit;
        return 0; /* CURLE_WRITE_ERROR */
    }
    return n;
}

size_t
belc_transfer_on_header(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    belc_transfer *t = userdata;
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

static long long
now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* --- the few moments with the GIL (all other code of a call runs without it) --- */

static void
exc_save(belc_saved_exc *e)
{
#if PY_VERSION_HEX >= 0x030C0000
    e->exc = PyErr_GetRaisedException();
#else
    PyErr_Fetch(&e->type, &e->value, &e->tb);
#endif
}

/* GIL MUST be held */
void
belc_transfer_restore_exception(belc_call *c)
{
    belc_saved_exc *e = &c->pending;
#if PY_VERSION_HEX >= 0x030C0000
    PyErr_SetRaisedException(e->exc);
    e->exc = NULL;
#else
    PyErr_Restore(e->type, e->value, e->tb);
    e->type = e->value = e->tb = NULL;
#endif
    c->interrupted = 0;
}

/* Take the GIL, run the signal handlers (Ctrl-C), release it. -1 if a handler raised: the exception is kept in
 * c->pending and the call stops. */
static int
check_signals(belc_call *c)
{
    int rc;
    PyEval_RestoreThread(c->save);
    rc = PyErr_CheckSignals();
    if (rc < 0) {
        exc_save(&c->pending);
        c->interrupted = 1;
    }
    c->save = PyEval_SaveThread();
    return rc < 0 ? -1 : 0;
}

static const char *
kind_name(int kind)
{
    switch (kind) {
    case BELC_TRANSPORT_CONNECT:
        return "EndpointConnectionError";
    case BELC_TRANSPORT_CONNECT_TIMEOUT:
        return "ConnectTimeoutError";
    case BELC_TRANSPORT_READ_TIMEOUT:
        return "ReadTimeoutError";
    case BELC_TRANSPORT_CLOSED:
        return "ConnectionClosedError";
    case BELC_TRANSPORT_SSL:
        return "SSLError";
    case BELC_TRANSPORT_TOO_LARGE:
        return "ResponseTooLargeError";
    case BELC_TRANSPORT_PROXY:
        return "ProxyConnectionError";
    default:
        return "HTTPClientError";
    }
}

/* Tell the client's on_retry callable about a failed attempt: on_retry(url, attempt, max_attempts, reason,
 * delay), delay in seconds, or None when the retry quota refused the retry. Same GIL dance as check_signals; an
 * exception from the callable stops the call and propagates. */
static int
notify_retry(belc_call *c, double delay)
{
    PyObject *delay_o, *reason = NULL, *res = NULL;
    int rc = 0;

    if (c->self->on_retry == NULL)
        return 0;
    PyEval_RestoreThread(c->save);
    delay_o = delay < 0 ? Py_NewRef(Py_None) : PyFloat_FromDouble(delay); /* new reference */
    /* a transport failure is named by the exception it would raise: "ReadTimeoutError: no data ..." */
    if (c->rc != CURLE_OK)
        reason = PyUnicode_FromFormat("%s: %s", kind_name(c->kind), c->why); /* new reference */
    else
        reason = PyUnicode_FromString(c->why); /* new reference */
    if (delay_o && reason)
        res = PyObject_CallFunction(c->self->on_retry, "siiON", c->url, c->attempts, c->self->max_attempts, reason,
                                    delay_o); /* new reference; delay_o is stolen */
    else
        Py_XDECREF(delay_o);
    Py_XDECREF(reason);
    if (res == NULL) {
        exc_save(&c->pending);
        c->interrupted = 1;
        rc = -1;
    }
    Py_XDECREF(res);
    c->save = PyEval_SaveThread();
    return rc;
}

/* --- one attempt (no GIL) --- */

/* Drive the belc_transfer through the client's multi handle until it ends. The read timeout is ours: it starts when
 * the request has been sent and restarts with every byte received (libcurl's low-speed check counts the bytes
 * sent too, so it fires seconds late). Signals are checked about every 100 ms. */
static CURLcode
run_transfer(belc_call *c)
{
    HttpClientObject *self = c->self;
    belc_transfer *t = &c->t;
    CURL *h = self->curl;
    CURLM *m = self->multi;
    CURLMsg *msg;
    CURLcode result = CURLE_OK;
    int running = 1, queued, done = 0;
    long long last_rx = 0, last_signal_check = now_us(), read_timeout_us = (long long)self->read_timeout_ms * 1000;

    if (curl_multi_add_handle(m, h) != CURLM_OK)
        return CURLE_FAILED_INIT;
    while (!done) {
        long long now;
        if (curl_multi_perform(m, &running) != CURLM_OK) {
            result = CURLE_FAILED_INIT;
            break;
        }
        while ((msg = curl_multi_info_read(m, &queued)) != NULL) {
            if (msg->msg == CURLMSG_DONE && msg->easy_handle == h) {
                result = msg->data.result;
                done = 1;
            }
        }
        if (done || !running)
            break;
        now = now_us();
        if (t->received) {
            t->received = 0;
            last_rx = now;
        }
        else if (last_rx == 0) {
            curl_off_t sent = 0, pretransfer = 0;
            /* the clock starts once the whole request is out (so the connection is up: TCP, TLS, proxy tunnel;
             * an empty body says nothing about that, then the connection must be ready for the transfer) */
            if (curl_easy_getinfo(h, CURLINFO_SIZE_UPLOAD_T, &sent) == CURLE_OK && (size_t)sent >= t->req_body.len &&
                (t->req_body.len > 0 ||
                 (curl_easy_getinfo(h, CURLINFO_PRETRANSFER_TIME_T, &pretransfer) == CURLE_OK && pretransfer > 0)))
                last_rx = now;
        }
        if (last_rx && now - last_rx >= read_timeout_us) {
            t->timed_out = 1;
            result = CURLE_OPERATION_TIMEDOUT;
            break;
        }
        if (now - last_signal_check >= 100000) {
            last_signal_check = now;
            if (check_signals(c) < 0) {
                result = CURLE_ABORTED_BY_CALLBACK;
                break;
            }
        }
        {
            long long wait = 100000;
            if (last_rx) {
                long long left = read_timeout_us - (now - last_rx);
                if (left < wait)
                    wait = left > 1000 ? left : 1000;
            }
            if (curl_multi_poll(m, NULL, 0, (int)((wait + 999) / 1000), NULL) != CURLM_OK) {
                result = CURLE_FAILED_INIT;
                break;
            }
        }
    }
    curl_multi_remove_handle(m, h);
    return result;
}

static void
transfer_reset(belc_transfer *t)
{
    belc_buf_clear(&t->req_body);
    belc_buf_clear(&t->resp_body);
    belc_buf_clear(&t->resp_headers);
    belc_buf_clear(&t->reason);
    belc_buf_clear(&t->date_line);
    belc_buf_clear(&t->auth_line);
    belc_buf_clear(&t->token_line);
    t->status = 0;
    t->too_large = t->received = t->timed_out = 0;
}

/* Sign (with a fresh date) and perform one POST. */
static CURLcode
attempt_once(belc_call *c)
{
    HttpClientObject *self = c->self;
    belc_transfer *t = &c->t;
    struct curl_slist *hdrs = NULL, *tmp;
    CURLcode rc;
    CURL *h = self->curl;

    transfer_reset(t);
    /* the signer may append to the body (SigV2 signs inside the parameters): start from the pristine copy */
    if (belc_buf_append(&t->req_body, c->params.data ? c->params.data : "", c->params.len) < 0 ||
        belc_signer_sign_post(c->sd, c->host, c->path, CONTENT_TYPE, &t->req_body,
                              (long long)time(NULL) + c->time_offset, &t->date_line, &t->auth_line,
                              &t->token_line) < 0) {
        c->sign_failed = 1;
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
    curl_easy_setopt(h, CURLOPT_URL, c->url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, t->req_body.data ? t->req_body.data : "");
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)t->req_body.len);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, t);
    rc = run_transfer(c);
    if (rc == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &t->status);
    {
        long n = 0;
        if (curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &n) == CURLE_OK)
            self->connects += n;
    }
done:
    /* the handle must not keep pointers into buffers that are about to change or go away */
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, NULL);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, NULL);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, NULL);
    curl_slist_free_all(hdrs);
    return rc;
}

/* --- the outcome of an attempt --- */

static int
classify(HttpClientObject *self, CURLcode rc, const belc_transfer *t)
{
    if (t->timed_out)
        return BELC_TRANSPORT_READ_TIMEOUT;
    if (t->too_large)
        return BELC_TRANSPORT_TOO_LARGE;
    if (self->proxy) {
        long connect_code = 0;
        /* the proxy answered our CONNECT with an error (407 for wrong credentials, 502 if it could not reach the
         * endpoint...): libcurl reports a receive error, but the endpoint was never reached */
        curl_easy_getinfo(self->curl, CURLINFO_HTTP_CONNECTCODE, &connect_code);
        if (connect_code && (connect_code < 200 || connect_code >= 300))
            return BELC_TRANSPORT_PROXY;
        /* the connection that failed is the one to the proxy */
        if (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_PROXY)
            return BELC_TRANSPORT_PROXY;
    }
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_PROXY:
        return BELC_TRANSPORT_PROXY;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
        return BELC_TRANSPORT_CONNECT;
    case CURLE_OPERATION_TIMEDOUT:
        /* libcurl's only timeout here is the connect timeout (the read timeout is ours: t->timed_out) */
        return BELC_TRANSPORT_CONNECT_TIMEOUT;
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
    case CURLE_FILESIZE_EXCEEDED:
        return BELC_TRANSPORT_TOO_LARGE;
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
        return BELC_TRANSPORT_CLOSED;
    default:
        return BELC_TRANSPORT_OTHER;
    }
}

/* The message of a transport failure: ours for our own limits, else libcurl's error buffer. */
static void
describe_failure(belc_call *c)
{
    HttpClientObject *self = c->self;
    if (c->t.timed_out)
        snprintf(c->why, sizeof(c->why), "no data from the server for %.3g s (read_timeout)",
                 self->read_timeout_ms / 1000.0);
    else if (c->kind == BELC_TRANSPORT_TOO_LARGE)
        snprintf(c->why, sizeof(c->why), "response body larger than the limit of %zu bytes", self->max_body);
    else if (c->kind == BELC_TRANSPORT_CONNECT_TIMEOUT)
        snprintf(c->why, sizeof(c->why), "no connection within %.3g s (connect_timeout): %s",
                 self->connect_timeout_ms / 1000.0, self->errbuf[0] ? self->errbuf : curl_easy_strerror(c->rc));
    else
        snprintf(c->why, sizeof(c->why), "%s", self->errbuf[0] ? self->errbuf : curl_easy_strerror(c->rc));
}

/* Whether the last attempt may be retried (1) or is final (0); sets c->why and *cost (the quota tokens a retry
 * takes). -1 when out of memory. */
static int
is_retryable(belc_call *c, int *cost)
{
    HttpClientObject *self = c->self;
    belc_transfer *t = &c->t;

    *cost = BELC_RETRY_COST;
    c->why[0] = '\0';
    if (c->rc != CURLE_OK) {
        c->kind = classify(self, c->rc, t);
        describe_failure(c);
        switch (c->kind) {
        case BELC_TRANSPORT_CONNECT_TIMEOUT:
        case BELC_TRANSPORT_READ_TIMEOUT:
            *cost = BELC_RETRY_TIMEOUT_COST;
            return 1;
        case BELC_TRANSPORT_CONNECT:
        case BELC_TRANSPORT_CLOSED:
            return 1;
        case BELC_TRANSPORT_SSL:
            /* a handshake cut short is a reset connection; a certificate that does not verify stays so */
            return c->rc == CURLE_SSL_CONNECT_ERROR;
        case BELC_TRANSPORT_PROXY: {
            long connect_code = 0;
            curl_easy_getinfo(self->curl, CURLINFO_HTTP_CONNECTCODE, &connect_code);
            return connect_code == 0 || connect_code >= 500; /* unreachable proxy, or its 5xx; not a 407 */
        }
        default:
            return 0;
        }
    }
    if (t->status >= 200 && t->status < 300)
        return 0;
    if (belc_retry_status_is_transient(t->status)) {
        snprintf(c->why, sizeof(c->why), "HTTP %ld %s", t->status, t->reason.data ? t->reason.data : "");
        return 1;
    }
    if (t->status >= 400 && t->resp_body.len && t->resp_body.len <= MAX_SCANNED_ERROR_BODY) {
        char code[128];
        int found = belc_errors_scan_code(t->resp_body.data, t->resp_body.len, code, sizeof(code));
        if (found < 0)
            return -1;
        if (found && belc_retry_code_is_retryable(code)) {
            snprintf(c->why, sizeof(c->why), "HTTP %ld %s", t->status, code);
            return 1;
        }
    }
    return 0;
}

/* Sleep for `seconds` in slices of at most 100 ms, checking signals after each. -1 if a handler raised. */
static int
backoff(belc_call *c, double seconds)
{
    long long end = now_us() + (long long)(seconds * 1e6);
    for (;;) {
        long long left = end - now_us();
        struct timespec ts;
        if (left <= 0)
            return 0;
        if (left > 100000)
            left = 100000;
        ts.tv_sec = 0;
        ts.tv_nsec = (long)(left * 1000);
        nanosleep(&ts, NULL);
        if (check_signals(c) < 0)
            return -1;
    }
}

/* The whole call: attempts, retry decisions, backoff. Runs WITHOUT the GIL (see the GIL section above for the
 * moments it takes it back). On return, c->rc and c->t describe the final attempt. */
void
belc_transfer_perform(belc_call *c)
{
    HttpClientObject *self = c->self;
    int last_cost = 0;

    for (;;) {
        int cost, retryable;
        double delay;

        c->attempts++;
        c->rc = attempt_once(c);
        if (c->sign_failed || c->interrupted)
            return;
        retryable = is_retryable(c, &cost);
        if (retryable < 0) {
            c->sign_failed = 1; /* out of memory: raised as MemoryError like a signing failure */
            return;
        }
        if (!retryable) {
            if (self->retry_quota && c->rc == CURLE_OK && c->t.status >= 200 && c->t.status < 300)
                belc_retry_quota_release(last_cost ? last_cost : BELC_RETRY_NO_RETRY_INCREMENT);
            return;
        }
        if (c->attempts >= self->max_attempts)
            return;
        if (self->retry_quota && !belc_retry_quota_acquire(cost)) {
            size_t n = strlen(c->why);
            snprintf(c->why + n, sizeof(c->why) - n, "; the retry quota is exhausted");
            notify_retry(c, -1);
            return;
        }
        last_cost = cost;
        delay = belc_retry_delay(self->retry_base_delay, self->retry_max_delay, c->attempts);
        self->retries++;
        if (notify_retry(c, delay) < 0 || backoff(c, delay) < 0)
            return;
    }
}
