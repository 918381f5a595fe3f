/* transfer.c -- HttpClient calls without the GIL: sign, perform, decide, back off, again -- for one call or for
 * several at once (query_many), all driven by one loop over the client's multi handle.
 *
 * Owns: the libcurl callbacks (they write into C buffers and never call Python), the engine loop with our own read
 * timeout per transfer, each attempt (re-signed with a fresh date from the pristine parameters), the
 * classification of its outcome (retry.c says what may be retried), and the backoff between attempts (a call
 * waiting out its backoff does not hold up the others). The GIL is taken back only briefly: every 100 ms for a signal check (so Ctrl-C interrupts a transfer
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

/* --- the few moments with the GIL (all other code of a run executes without it) --- */

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
belc_transfer_restore_exception(belc_engine *e)
{
    belc_saved_exc *x = &e->pending;
#if PY_VERSION_HEX >= 0x030C0000
    PyErr_SetRaisedException(x->exc);
    x->exc = NULL;
#else
    PyErr_Restore(x->type, x->value, x->tb);
    x->type = x->value = x->tb = NULL;
#endif
    e->interrupted = 0;
}

/* Take the GIL, run the signal handlers (Ctrl-C), release it. -1 if a handler raised: the exception is kept and the
 * run stops. */
static int
check_signals(belc_engine *e)
{
    int rc;
    PyEval_RestoreThread(e->save);
    rc = PyErr_CheckSignals();
    if (rc < 0) {
        exc_save(&e->pending);
        e->interrupted = 1;
    }
    e->save = PyEval_SaveThread();
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
 * exception from the callable stops the run and propagates. */
static int
notify_retry(belc_call *c, double delay)
{
    belc_engine *e = c->engine;
    PyObject *delay_o, *reason = NULL, *res = NULL;
    int rc = 0;

    if (c->self->on_retry == NULL)
        return 0;
    PyEval_RestoreThread(e->save);
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
        exc_save(&e->pending);
        e->interrupted = 1;
        rc = -1;
    }
    Py_XDECREF(res);
    e->save = PyEval_SaveThread();
    return rc;
}

/* --- one attempt (no GIL) --- */

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

/* Sign (with a fresh date) and hand one POST to the multi handle. 0, or -1 (c->sign_failed set, or the multi
 * handle refused it: c->rc says which). */
static int
attempt_start(belc_call *c)
{
    belc_transfer *t = &c->t;
    CURL *h = c->easy;
    struct curl_slist *tmp;

    transfer_reset(t);
    c->errbuf[0] = '\0';
    c->attempts++;
    /* the signer may append to the body (SigV2 signs inside the parameters): start from the pristine copy */
    if (belc_buf_append(&t->req_body, c->params.data ? c->params.data : "", c->params.len) < 0 ||
        belc_signer_sign_post(c->sd, c->host, c->path, CONTENT_TYPE, &t->req_body,
                              (long long)time(NULL) + c->time_offset, &t->date_line, &t->auth_line,
                              &t->token_line) < 0) {
        c->sign_failed = 1;
        return -1;
    }
#define ADD(line)                                                                                                     \
    do {                                                                                                              \
        tmp = curl_slist_append(c->hdrs, line);                                                                       \
        if (tmp == NULL) {                                                                                            \
            c->sign_failed = 1;                                                                                       \
            return -1;                                                                                                \
        }                                                                                                             \
        c->hdrs = tmp;                                                                                                \
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
    curl_easy_setopt(h, CURLOPT_URL, c->url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, c->hdrs);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, t->req_body.data ? t->req_body.data : "");
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)t->req_body.len);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, t);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, c->errbuf);
    curl_easy_setopt(h, CURLOPT_PRIVATE, (void *)c);
    c->last_rx = 0;
    if (curl_multi_add_handle(c->self->multi, h) != CURLM_OK) {
        c->rc = CURLE_FAILED_INIT;
        return -1;
    }
    c->state = BELC_CALL_RUNNING;
    return 0;
}

/* The running attempt ended with rc: take it off the multi handle and let go of what it pointed to. */
static void
attempt_end(belc_call *c, CURLcode rc)
{
    CURL *h = c->easy;
    long n = 0;

    curl_multi_remove_handle(c->self->multi, h);
    c->rc = rc;
    {
        struct timespec ts;
        c->ended_at = clock_gettime(CLOCK_REALTIME, &ts) == 0 ? (double)ts.tv_sec + ts.tv_nsec / 1e9 : 0.0;
    }
    if (rc == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &c->t.status);
    if (curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &n) == CURLE_OK)
        c->self->connects += n;
    /* the handle must not keep pointers into buffers that are about to change or go away */
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, NULL);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, NULL);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, NULL);
    curl_slist_free_all(c->hdrs);
    c->hdrs = NULL;
}

/* --- the outcome of an attempt --- */

static int
classify(belc_call *c, CURLcode rc, const belc_transfer *t)
{
    HttpClientObject *self = c->self;
    if (t->timed_out)
        return BELC_TRANSPORT_READ_TIMEOUT;
    if (t->too_large)
        return BELC_TRANSPORT_TOO_LARGE;
    if (self->proxy) {
        long connect_code = 0;
        /* the proxy answered our CONNECT with an error (407 for wrong credentials, 502 if it could not reach the
         * endpoint...): libcurl reports a receive error, but the endpoint was never reached */
        curl_easy_getinfo(c->easy, CURLINFO_HTTP_CONNECTCODE, &connect_code);
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
                 self->connect_timeout_ms / 1000.0, c->errbuf[0] ? c->errbuf : curl_easy_strerror(c->rc));
    else
        snprintf(c->why, sizeof(c->why), "%s", c->errbuf[0] ? c->errbuf : curl_easy_strerror(c->rc));
}

/* Whether the last attempt may be retried (1) or is final (0); sets c->why and *cost (the quota tokens a retry
 * takes). -1 when out of memory. */
static int
is_retryable(belc_call *c, int *cost)
{
    belc_transfer *t = &c->t;

    *cost = BELC_RETRY_COST;
    c->why[0] = '\0';
    if (c->rc != CURLE_OK) {
        c->kind = classify(c, c->rc, t);
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
            curl_easy_getinfo(c->easy, CURLINFO_HTTP_CONNECTCODE, &connect_code);
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

/* After an attempt ended: done, or a backoff before the next one (retry.c's policy, the attempt limit and the
 * process-wide quota decide). */
static void
decide(belc_call *c, long long now)
{
    HttpClientObject *self = c->self;
    int cost, retryable;
    double delay;

    retryable = is_retryable(c, &cost);
    if (retryable < 0) {
        c->sign_failed = 1; /* out of memory: raised as MemoryError like a signing failure */
        c->state = BELC_CALL_DONE;
        return;
    }
    if (!retryable) {
        if (self->retry_quota && c->rc == CURLE_OK && c->t.status >= 200 && c->t.status < 300)
            belc_retry_quota_release(c->last_cost ? c->last_cost : BELC_RETRY_NO_RETRY_INCREMENT);
        c->state = BELC_CALL_DONE;
        return;
    }
    if (c->attempts >= self->max_attempts) {
        c->state = BELC_CALL_DONE;
        return;
    }
    if (self->retry_quota && !belc_retry_quota_acquire(cost)) {
        size_t len = strlen(c->why);
        snprintf(c->why + len, sizeof(c->why) - len, "; the retry quota is exhausted");
        notify_retry(c, -1);
        c->state = BELC_CALL_DONE;
        return;
    }
    c->last_cost = cost;
    delay = belc_retry_delay(self->retry_base_delay, self->retry_max_delay, c->attempts);
    self->retries++;
    if (notify_retry(c, delay) < 0) {
        c->state = BELC_CALL_DONE;
        return;
    }
    c->state = BELC_CALL_BACKOFF;
    c->wake_at = now + (long long)(delay * 1e6);
}

/* Restart the read-timeout clock of a running transfer when bytes arrived; start it once the request is out (so
 * the connection is up: TCP, TLS, proxy tunnel). 1 if the transfer has now been silent for read_timeout. */
static int
read_timed_out(belc_call *c, long long now, long long read_timeout_us)
{
    belc_transfer *t = &c->t;
    if (t->received) {
        t->received = 0;
        c->last_rx = now;
    }
    else if (c->last_rx == 0) {
        curl_off_t sent = 0, pretransfer = 0;
        /* an empty body says nothing about the connection: then it must be ready for the transfer */
        if (curl_easy_getinfo(c->easy, CURLINFO_SIZE_UPLOAD_T, &sent) == CURLE_OK && (size_t)sent >= t->req_body.len &&
            (t->req_body.len > 0 ||
             (curl_easy_getinfo(c->easy, CURLINFO_PRETRANSFER_TIME_T, &pretransfer) == CURLE_OK && pretransfer > 0)))
            c->last_rx = now;
    }
    return c->last_rx && now - c->last_rx >= read_timeout_us;
}

void
belc_transfer_perform(belc_engine *e, belc_call *calls, size_t n)
{
    HttpClientObject *self = e->self;
    CURLM *m = self->multi;
    long long read_timeout_us = (long long)self->read_timeout_ms * 1000, last_signal_check = now_us();
    size_t i, open = n;

    for (i = 0; i < n; i++) {
        calls[i].engine = e;
        calls[i].state = BELC_CALL_READY;
    }
    while (open > 0) {
        long long now = now_us(), wait = 100000;
        int running = 0, queued;
        size_t active = 0;
        CURLMsg *msg;

        /* start what is ready, and what has waited out its backoff */
        for (i = 0; i < n; i++) {
            belc_call *c = &calls[i];
            if (c->state == BELC_CALL_READY || (c->state == BELC_CALL_BACKOFF && now >= c->wake_at)) {
                if (attempt_start(c) < 0) {
                    curl_slist_free_all(c->hdrs);
                    c->hdrs = NULL;
                    c->state = BELC_CALL_DONE;
                    open--;
                }
            }
            if (c->state == BELC_CALL_RUNNING)
                active++;
            else if (c->state == BELC_CALL_BACKOFF && c->wake_at - now < wait)
                wait = c->wake_at - now;
        }
        if (open == 0)
            break;
        if (active) {
            if (curl_multi_perform(m, &running) != CURLM_OK)
                running = -1;
            while ((msg = curl_multi_info_read(m, &queued)) != NULL) {
                belc_call *c = NULL;
                if (msg->msg != CURLMSG_DONE)
                    continue;
                curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&c);
                if (c == NULL || c->state != BELC_CALL_RUNNING)
                    continue;
                attempt_end(c, msg->data.result);
                decide(c, now_us());
                if (c->state == BELC_CALL_DONE)
                    open--;
                if (e->interrupted)
                    break;
            }
            now = now_us();
            for (i = 0; i < n && !e->interrupted; i++) {
                belc_call *c = &calls[i];
                if (c->state != BELC_CALL_RUNNING)
                    continue;
                if (running < 0) { /* the multi handle failed: every running transfer fails with it */
                    attempt_end(c, CURLE_FAILED_INIT);
                    c->state = BELC_CALL_DONE;
                    open--;
                    continue;
                }
                if (read_timed_out(c, now, read_timeout_us)) {
                    c->t.timed_out = 1;
                    attempt_end(c, CURLE_OPERATION_TIMEDOUT);
                    decide(c, now);
                    if (c->state == BELC_CALL_DONE)
                        open--;
                }
                else if (c->last_rx) {
                    long long left = read_timeout_us - (now - c->last_rx);
                    if (left < wait)
                        wait = left;
                }
            }
        }
        if (!e->interrupted && now - last_signal_check >= 100000) {
            last_signal_check = now;
            check_signals(e);
        }
        if (e->interrupted) {
            /* Ctrl-C (or an exception from on_retry): every call of the run ends here */
            for (i = 0; i < n; i++) {
                if (calls[i].state == BELC_CALL_RUNNING)
                    attempt_end(&calls[i], CURLE_ABORTED_BY_CALLBACK);
                calls[i].state = BELC_CALL_DONE;
            }
            return;
        }
        if (open == 0)
            break;
        /* an attempt that ended above may now be backing off: its wake-up time bounds the wait too (a zero
         * backoff starts the next attempt at once, rather than after a poll with nothing left to wake it) */
        now = now_us();
        active = 0;
        for (i = 0; i < n; i++) {
            belc_call *c = &calls[i];
            if (c->state == BELC_CALL_RUNNING)
                active++;
            else if (c->state == BELC_CALL_BACKOFF && c->wake_at - now < wait)
                wait = c->wake_at - now;
            else if (c->state == BELC_CALL_READY)
                wait = 0;
        }
        if (wait <= 0)
            continue;
        if (wait < 1000)
            wait = 1000;
        if (active) {
            if (curl_multi_poll(m, NULL, 0, (int)((wait + 999) / 1000), NULL) != CURLM_OK)
                continue; /* the next curl_multi_perform reports it */
        }
        else {
            /* only backoffs: sleep (at most 100 ms at a time, so signals are checked) */
            struct timespec ts;
            if (wait > 100000)
                wait = 100000;
            ts.tv_sec = 0;
            ts.tv_nsec = (long)(wait * 1000);
            nanosleep(&ts, NULL);
        }
    }
}
