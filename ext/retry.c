/* retry.c -- the retry policy of the transport: botocore's "standard" retry mode, plus ELB's own throttles.
 *
 * Owns: which HTTP statuses and error codes are retried, the backoff delay (exponential, full jitter, capped) and
 * the retry quota shared by the whole process (a token bucket: 500 tokens, a retry costs 5, a retry after a
 * timeout 10; a success without a retry gives 1 back, a success after a retry gives its cost back; when the bucket
 * is empty nothing is retried, so a dead endpoint does not multiply the load). The loop that applies the policy is
 * in http.c. Everything but the two test hooks at the end runs without the GIL: the quota is a C11 atomic.
 */
#include "module.h"

#include <stdatomic.h>
#include <string.h>

#include <openssl/rand.h>

/* --- the process-wide retry quota --- */

static atomic_int quota = BELC_RETRY_QUOTA_CAPACITY;

int
belc_retry_quota_acquire(int cost)
{
    int cur = atomic_load(&quota);
    do {
        if (cur < cost)
            return 0;
    } while (!atomic_compare_exchange_weak(&quota, &cur, cur - cost));
    return 1;
}

void
belc_retry_quota_release(int amount)
{
    int cur = atomic_load(&quota), next;
    do {
        next = cur + amount > BELC_RETRY_QUOTA_CAPACITY ? BELC_RETRY_QUOTA_CAPACITY : cur + amount;
        if (next == cur)
            return;
    } while (!atomic_compare_exchange_weak(&quota, &cur, next));
}

/* --- what is retried --- */

int
belc_retry_status_is_transient(long status)
{
    return status == 500 || status == 502 || status == 503 || status == 504;
}

/* botocore's standard mode: its throttling codes and its transient codes; plus ELB's DependencyThrottle, which
 * botocore does not know. Any other error code (every other 4xx) is final. */
static const char *const RETRYABLE_CODES[] = {
    /* throttling */
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
    "DependencyThrottle", /* ELB: a service ELB depends on throttled it */
    /* transient */
    "RequestTimeout",
    "RequestTimeoutException",
};

int
belc_retry_code_is_retryable(const char *code)
{
    size_t i;
    if (code == NULL)
        return 0;
    for (i = 0; i < sizeof(RETRYABLE_CODES) / sizeof(RETRYABLE_CODES[0]); i++)
        if (strcmp(code, RETRYABLE_CODES[i]) == 0)
            return 1;
    return 0;
}

/* --- backoff --- */

double
belc_retry_delay(double base, double cap, int failed_attempt)
{
    unsigned char r[4];
    double ceiling = base, u;
    int i;

    for (i = 1; i < failed_attempt && ceiling < cap; i++)
        ceiling *= 2;
    if (ceiling > cap)
        ceiling = cap;
    if (RAND_bytes(r, sizeof(r)) == 1)
        u = ((unsigned)r[0] << 24 | (unsigned)r[1] << 16 | (unsigned)r[2] << 8 | r[3]) / 4294967296.0;
    else
        u = 0.5; /* no randomness to be had: half the ceiling is still a backoff */
    return u * ceiling;
}

/* --- test hooks --- */

static PyObject *
core_retry_quota(PyObject *module, PyObject *args)
{
    int set = -1, before;
    (void)module;
    if (!PyArg_ParseTuple(args, "|i:_retry_quota", &set))
        return NULL;
    before = atomic_load(&quota);
    if (set >= 0) {
        if (set > BELC_RETRY_QUOTA_CAPACITY) {
            PyErr_Format(PyExc_ValueError, "the retry quota holds at most %d tokens", BELC_RETRY_QUOTA_CAPACITY);
            return NULL;
        }
        atomic_store(&quota, set);
    }
    return PyLong_FromLong(before);
}

static PyMethodDef retry_functions[] = {
    {"_retry_quota", core_retry_quota, METH_VARARGS,
     "_retry_quota([tokens]) -> int\n\nThe tokens left in the process-wide retry quota (capacity 500); with an "
     "argument, set them (for tests) and return the previous value."},
    {NULL, NULL, 0, NULL},
};

int
belc_retry_exec(PyObject *m)
{
    if (PyModule_AddIntConstant(m, "RETRY_QUOTA_CAPACITY", BELC_RETRY_QUOTA_CAPACITY) < 0)
        return -1;
    return PyModule_AddFunctions(m, retry_functions);
}
