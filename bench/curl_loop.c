/* curl_loop.c -- the limit for per-call cost: a raw libcurl loop POSTing the same form body to the canned server
 * with keep-alive, headers prepared once (a real client must also sign each request; this one does not).
 *
 *   curl_loop URL N  -> prints "WALL_NS <total> CPU_NS <total> N <n>"
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <curl/curl.h>

static size_t
sink(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    size_t *total = userdata;
    (void)ptr;
    *total += size * nmemb;
    return size * nmemb;
}

static long long
now_ns(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int
main(int argc, char **argv)
{
    const char *body = "Action=DescribeLoadBalancers&Version=2012-06-01";
    struct curl_slist *h = NULL;
    CURL *c;
    size_t total = 0;
    long n, i, status = 0;
    long long w0, w1, c0, c1;

    if (argc < 3)
        return 2;
    n = atol(argv[2]);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    c = curl_easy_init();
    h = curl_slist_append(h, "Content-Type: application/x-www-form-urlencoded; charset=utf-8");
    h = curl_slist_append(h, "X-Amz-Date: 20261126T000000Z");
    h = curl_slist_append(h, "Authorization: AWS4-HMAC-SHA256 Credential=AK/20261126/us-east-1/elasticloadbalancing/"
                             "aws4_request, SignedHeaders=content-type;host;x-amz-date, "
                             "Signature=0000000000000000000000000000000000000000000000000000000000000000");
    h = curl_slist_append(h, "Expect:");
    curl_easy_setopt(c, CURLOPT_URL, argv[1]);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &total);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_perform(c); /* connect first */
    w0 = now_ns(CLOCK_MONOTONIC);
    c0 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
    for (i = 0; i < n; i++) {
        if (curl_easy_perform(c) != CURLE_OK)
            return 1;
    }
    w1 = now_ns(CLOCK_MONOTONIC);
    c1 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    printf("WALL_NS %lld CPU_NS %lld N %ld STATUS %ld BYTES %zu\n", w1 - w0, c1 - c0, n, status, total);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return 0;
}
