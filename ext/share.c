/* share.c -- the process-wide libcurl share handle: one DNS cache and one TLS session cache for every
 * HttpClient.
 *
 * Owns: the CURLSH and the mutexes libcurl asks for through its lock callbacks. Each HttpClient (one per thread
 * per connection) keeps its own easy and multi handle, so a transfer never shares a handle with another; what
 * they share is what is safe and useful to share across threads: resolved addresses and TLS sessions (a new
 * thread, or a new connection object, to the same endpoint resumes the TLS session instead of a full handshake).
 * Connections themselves are not shared (libcurl does not support sharing its connection cache between threads
 * that transfer at the same time); each client keeps its own kept-alive connection.
 * Made once, like curl_global_init, and never freed. No Python.h: the locks are taken without the GIL.
 */
#include "share.h"

#include <pthread.h>
#include <stdatomic.h>

#include <curl/curl.h>

static CURLSH *share = NULL;
static pthread_mutex_t locks[CURL_LOCK_DATA_LAST];
static atomic_ullong dns_locks, ssl_locks;

static void
on_lock(CURL *handle, curl_lock_data data, curl_lock_access access, void *userptr)
{
    (void)handle;
    (void)access;
    (void)userptr;
    if ((int)data < 0 || data >= CURL_LOCK_DATA_LAST)
        return;
    pthread_mutex_lock(&locks[data]);
    if (data == CURL_LOCK_DATA_DNS)
        atomic_fetch_add(&dns_locks, 1);
    else if (data == CURL_LOCK_DATA_SSL_SESSION)
        atomic_fetch_add(&ssl_locks, 1);
}

static void
on_unlock(CURL *handle, curl_lock_data data, void *userptr)
{
    (void)handle;
    (void)userptr;
    if ((int)data < 0 || data >= CURL_LOCK_DATA_LAST)
        return;
    pthread_mutex_unlock(&locks[data]);
}

/* A child made by fork() has one thread: a lock another thread of the parent held at the fork would never be
 * released there. Start the child with fresh ones. */
static void
reinit_locks_in_child(void)
{
    int i;
    for (i = 0; i < CURL_LOCK_DATA_LAST; i++)
        pthread_mutex_init(&locks[i], NULL);
}

int
belc_share_global_init(void)
{
    CURLSH *sh;
    CURLSHcode rc = CURLSHE_OK;
    int i;

    if (share != NULL)
        return 0;
    for (i = 0; i < CURL_LOCK_DATA_LAST; i++)
        pthread_mutex_init(&locks[i], NULL);
    sh = curl_share_init();
    if (sh == NULL)
        return -1;
    if (rc == CURLSHE_OK)
        rc = curl_share_setopt(sh, CURLSHOPT_LOCKFUNC, on_lock);
    if (rc == CURLSHE_OK)
        rc = curl_share_setopt(sh, CURLSHOPT_UNLOCKFUNC, on_unlock);
    if (rc == CURLSHE_OK)
        rc = curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    if (rc == CURLSHE_OK)
        rc = curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    if (rc != CURLSHE_OK) {
        curl_share_cleanup(sh);
        return -1;
    }
    pthread_atfork(NULL, NULL, reinit_locks_in_child);
    share = sh;
    return 0;
}

void *
belc_share_handle(void)
{
    return share;
}

void
belc_share_stats(unsigned long long *dns, unsigned long long *ssl_session)
{
    *dns = atomic_load(&dns_locks);
    *ssl_session = atomic_load(&ssl_locks);
}
