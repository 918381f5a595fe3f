/* sigv4.c -- AWS Signature Version 4 in stages; see sigv4.h. */
#include "sigv4.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "encode.h"

void
belc_sigv4_init(belc_sigv4 *s)
{
    memset(s, 0, sizeof(*s));
    s->expires = 3600;
}

void
belc_sigv4_clear(belc_sigv4 *s)
{
    belc_buf_wipe(&s->credential_scope);
    belc_buf_wipe(&s->signed_headers);
    belc_buf_wipe(&s->canonical_query);
    belc_buf_wipe(&s->canonical_request);
    belc_buf_wipe(&s->string_to_sign);
    belc_buf_wipe(&s->signature);
}

/* --- SHA-256 and HMAC-SHA256 with a digest fetched once (OpenSSL 3's one-shot helpers fetch the algorithm from
 * its provider on every call, which costs more than hashing a small request) --- */

static const EVP_MD *
sha256_md(void)
{
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
    static EVP_MD *cached = NULL;
    EVP_MD *md = __atomic_load_n(&cached, __ATOMIC_ACQUIRE), *expected = NULL;
    if (md != NULL)
        return md;
    md = EVP_MD_fetch(NULL, "SHA256", NULL);
    if (md == NULL)
        return EVP_sha256(); /* the implicit-fetch path still works */
    if (!__atomic_compare_exchange_n(&cached, &expected, md, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        EVP_MD_free(md); /* another thread won the race */
        return expected;
    }
    return md;
#else
    return EVP_sha256();
#endif
}

static int
sha256_parts(const void *a, size_t na, const void *b, size_t nb, unsigned char out[32])
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned int len = 0;
    int ok = ctx != NULL && EVP_DigestInit_ex(ctx, sha256_md(), NULL) == 1 && EVP_DigestUpdate(ctx, a, na) == 1 &&
             (nb == 0 || EVP_DigestUpdate(ctx, b, nb) == 1) && EVP_DigestFinal_ex(ctx, out, &len) == 1 && len == 32;
    EVP_MD_CTX_free(ctx);
    return ok ? 0 : -1;
}

int
belc_sha256_hex(const void *data, size_t n, char out[BELC_SHA256_HEX_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[SHA256_DIGEST_LENGTH];
    int i;

    if (sha256_parts(data, n, NULL, 0, md) < 0)
        return -1;
    for (i = 0; i < SHA256_DIGEST_LENGTH; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 0xf];
    }
    out[BELC_SHA256_HEX_LEN] = '\0';
    return 0;
}

int
belc_hmac_sha256(const void *key, size_t key_len, const void *data, size_t n, unsigned char out[32])
{
    unsigned char k[64], pad[64], inner[32];
    size_t i;
    int rc = -1;

    memset(k, 0, sizeof(k));
    if (key_len > sizeof(k)) {
        if (sha256_parts(key, key_len, NULL, 0, k) < 0)
            goto cleanup;
    }
    else if (key_len) {
        memcpy(k, key, key_len);
    }
    for (i = 0; i < 64; i++)
        pad[i] = k[i] ^ 0x36;
    if (sha256_parts(pad, 64, data, n, inner) < 0)
        goto cleanup;
    for (i = 0; i < 64; i++)
        pad[i] = k[i] ^ 0x5c;
    if (sha256_parts(pad, 64, inner, 32, out) < 0)
        goto cleanup;
    rc = 0;
cleanup:
    OPENSSL_cleanse(k, sizeof(k));
    OPENSSL_cleanse(pad, sizeof(pad));
    OPENSSL_cleanse(inner, sizeof(inner));
    return rc;
}

/* --- canonical headers --- */

typedef struct {
    size_t name_off, name_len;   /* lower-cased name in scratch */
    size_t value_off, value_len; /* trimmed, whitespace-collapsed value in scratch */
    size_t order;                /* input position, for a stable sort */
} hentry;

static int
hentry_less(const char *base, const hentry *a, const hentry *b)
{
    size_t m = a->name_len < b->name_len ? a->name_len : b->name_len;
    int c = memcmp(base + a->name_off, base + b->name_off, m);
    if (c)
        return c < 0;
    if (a->name_len != b->name_len)
        return a->name_len < b->name_len;
    return a->order < b->order;
}

static void
hentry_sort(const char *base, hentry *v, size_t n)
{
    /* insertion sort: header lists are short */
    size_t i, j;
    for (i = 1; i < n; i++) {
        hentry x = v[i];
        for (j = i; j > 0 && hentry_less(base, &x, &v[j - 1]); j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

static inline int
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* append a lower-cased name and a normalized value to scratch, record them in e */
static int
add_header(belc_buf *scratch, hentry *e, const char *name, size_t name_len, const char *value, size_t value_len,
           size_t order)
{
    size_t i, start, end;
    int pending_space = 0;

    e->order = order;
    e->name_off = scratch->len;
    if (belc_buf_reserve(scratch, name_len) < 0)
        return -1;
    for (i = 0; i < name_len; i++) {
        char c = name[i];
        scratch->data[scratch->len++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    scratch->data[scratch->len] = '\0';
    e->name_len = name_len;

    start = 0;
    end = value_len;
    while (start < end && is_space(value[start]))
        start++;
    while (end > start && is_space(value[end - 1]))
        end--;
    e->value_off = scratch->len;
    if (belc_buf_reserve(scratch, end - start) < 0)
        return -1;
    for (i = start; i < end; i++) {
        if (is_space(value[i])) {
            pending_space = 1;
            continue;
        }
        if (pending_space) {
            scratch->data[scratch->len++] = ' ';
            pending_space = 0;
        }
        scratch->data[scratch->len++] = value[i];
    }
    scratch->data[scratch->len] = '\0';
    e->value_len = scratch->len - e->value_off;
    return 0;
}

static int
build_scope(belc_sigv4 *s)
{
    belc_buf_clear(&s->credential_scope);
    if (strlen(s->amz_date) < 8)
        return -1;
    if (belc_buf_append(&s->credential_scope, s->amz_date, 8) < 0 || belc_buf_append_char(&s->credential_scope, '/') < 0 ||
        belc_buf_append_str(&s->credential_scope, s->region) < 0 || belc_buf_append_char(&s->credential_scope, '/') < 0 ||
        belc_buf_append_str(&s->credential_scope, s->service) < 0 ||
        belc_buf_append_str(&s->credential_scope, "/aws4_request") < 0)
        return -1;
    return 0;
}

/* "key=value" with value RFC 3986 encoded, into a freshly allocated NUL-terminated string kept in list */
static int
add_query_param(belc_buf *store, size_t *offs, size_t *n, const char *key, const char *value, size_t value_len)
{
    offs[(*n)++] = store->len;
    if (belc_buf_append_str(store, key) < 0 || belc_buf_append_char(store, '=') < 0 ||
        belc_uri_encode(store, value, value_len, 0) < 0)
        return -1;
    /* keep the terminating NUL inside the store so each entry is a C string */
    if (belc_buf_append_char(store, '\0') < 0)
        return -1;
    return 0;
}

int
belc_sigv4_canonical_request(belc_sigv4 *s)
{
    belc_buf scratch = BELC_BUF_INIT, path = BELC_BUF_INIT, qstore = BELC_BUF_INIT, tmp = BELC_BUF_INIT;
    hentry *entries = NULL;
    size_t n = 0, i, cap;
    size_t qoffs[8];
    const char *qextra[8];
    size_t nq = 0;
    char date_hdr[] = "x-amz-date";
    int rc = -1;

    if (build_scope(s) < 0)
        goto cleanup;

    /* headers: the request's own, plus what the signer adds in header mode */
    cap = s->n_headers + 3;
    entries = malloc(cap * sizeof(hentry));
    if (entries == NULL)
        goto cleanup;
    for (i = 0; i < s->n_headers; i++) {
        if (add_header(&scratch, &entries[n], s->headers[i].name, s->headers[i].name_len, s->headers[i].value,
                       s->headers[i].value_len, n) < 0)
            goto cleanup;
        n++;
    }
    if (!s->query_mode) {
        if (add_header(&scratch, &entries[n], date_hdr, strlen(date_hdr), s->amz_date, strlen(s->amz_date), n) < 0)
            goto cleanup;
        n++;
        if (s->session_token && !s->omit_session_token) {
            if (add_header(&scratch, &entries[n], "x-amz-security-token", 20, s->session_token,
                           strlen(s->session_token), n) < 0)
                goto cleanup;
            n++;
        }
        if (s->sign_body) {
            if (add_header(&scratch, &entries[n], "x-amz-content-sha256", 20, s->payload_hash,
                           strlen(s->payload_hash), n) < 0)
                goto cleanup;
            n++;
        }
    }
    hentry_sort(scratch.data, entries, n);

    belc_buf_clear(&s->signed_headers);
    for (i = 0; i < n; i++) {
        if (i > 0 && entries[i].name_len == entries[i - 1].name_len &&
            memcmp(scratch.data + entries[i].name_off, scratch.data + entries[i - 1].name_off, entries[i].name_len) ==
                0)
            continue;
        if (s->signed_headers.len && belc_buf_append_char(&s->signed_headers, ';') < 0)
            goto cleanup;
        if (belc_buf_append(&s->signed_headers, scratch.data + entries[i].name_off, entries[i].name_len) < 0)
            goto cleanup;
    }

    /* query */
    if (s->query_mode) {
        char expires[32];
        if (belc_buf_append_str(&tmp, s->access_key) < 0 || belc_buf_append_char(&tmp, '/') < 0 ||
            belc_buf_append(&tmp, s->credential_scope.data, s->credential_scope.len) < 0)
            goto cleanup;
        snprintf(expires, sizeof(expires), "%ld", s->expires);
        if (add_query_param(&qstore, qoffs, &nq, "X-Amz-Algorithm", BELC_SIGV4_ALGORITHM,
                            strlen(BELC_SIGV4_ALGORITHM)) < 0 ||
            add_query_param(&qstore, qoffs, &nq, "X-Amz-Credential", tmp.data, tmp.len) < 0 ||
            add_query_param(&qstore, qoffs, &nq, "X-Amz-Date", s->amz_date, strlen(s->amz_date)) < 0 ||
            add_query_param(&qstore, qoffs, &nq, "X-Amz-Expires", expires, strlen(expires)) < 0 ||
            add_query_param(&qstore, qoffs, &nq, "X-Amz-SignedHeaders", s->signed_headers.data,
                            s->signed_headers.len) < 0)
            goto cleanup;
        if (s->session_token && !s->omit_session_token &&
            add_query_param(&qstore, qoffs, &nq, "X-Amz-Security-Token", s->session_token,
                            strlen(s->session_token)) < 0)
            goto cleanup;
        for (i = 0; i < nq; i++)
            qextra[i] = qstore.data + qoffs[i]; /* qstore no longer grows: pointers are stable */
    }
    belc_buf_clear(&s->canonical_query);
    if (belc_canonical_query(&s->canonical_query, s->query ? s->query : "", s->query ? s->query_len : 0, qextra, nq) < 0)
        goto cleanup;

    /* path */
    if (s->normalize_path) {
        if (belc_normalize_path(&path, s->path, s->path_len) < 0)
            goto cleanup;
    }
    else if (belc_buf_append(&path, s->path, s->path_len) < 0) {
        goto cleanup;
    }

    /* assemble */
    belc_buf_clear(&s->canonical_request);
    if (belc_buf_append_str(&s->canonical_request, s->method) < 0 ||
        belc_buf_append_char(&s->canonical_request, '\n') < 0 ||
        belc_uri_encode(&s->canonical_request, path.data ? path.data : "/", path.data ? path.len : 1, 1) < 0 ||
        belc_buf_append_char(&s->canonical_request, '\n') < 0 ||
        belc_buf_append(&s->canonical_request, s->canonical_query.data, s->canonical_query.len) < 0 ||
        belc_buf_append_char(&s->canonical_request, '\n') < 0)
        goto cleanup;
    for (i = 0; i < n; i++) {
        int same_as_prev = i > 0 && entries[i].name_len == entries[i - 1].name_len &&
                           memcmp(scratch.data + entries[i].name_off, scratch.data + entries[i - 1].name_off,
                                  entries[i].name_len) == 0;
        if (same_as_prev) {
            /* repeated header: values joined with ',' in the order given */
            s->canonical_request.len--; /* drop the '\n' written after the previous value */
            if (belc_buf_append_char(&s->canonical_request, ',') < 0)
                goto cleanup;
        }
        else if (belc_buf_append(&s->canonical_request, scratch.data + entries[i].name_off, entries[i].name_len) < 0 ||
                 belc_buf_append_char(&s->canonical_request, ':') < 0) {
            goto cleanup;
        }
        if (belc_buf_append(&s->canonical_request, scratch.data + entries[i].value_off, entries[i].value_len) < 0 ||
            belc_buf_append_char(&s->canonical_request, '\n') < 0)
            goto cleanup;
    }
    if (belc_buf_append_char(&s->canonical_request, '\n') < 0 ||
        belc_buf_append(&s->canonical_request, s->signed_headers.data, s->signed_headers.len) < 0 ||
        belc_buf_append_char(&s->canonical_request, '\n') < 0 ||
        belc_buf_append_str(&s->canonical_request, s->payload_hash) < 0)
        goto cleanup;
    rc = 0;
cleanup:
    free(entries);
    belc_buf_wipe(&scratch); /* the header values: x-amz-security-token among them */
    belc_buf_free(&path);
    belc_buf_wipe(&qstore); /* X-Amz-Security-Token in query mode */
    belc_buf_free(&tmp);
    return rc;
}

int
belc_sigv4_string_to_sign(belc_sigv4 *s)
{
    char hash[BELC_SHA256_HEX_LEN + 1];

    if (belc_sha256_hex(s->canonical_request.data ? s->canonical_request.data : "", s->canonical_request.len, hash) < 0)
        return -1;
    belc_buf_clear(&s->string_to_sign);
    if (belc_buf_append_str(&s->string_to_sign, BELC_SIGV4_ALGORITHM "\n") < 0 ||
        belc_buf_append_str(&s->string_to_sign, s->amz_date) < 0 || belc_buf_append_char(&s->string_to_sign, '\n') < 0 ||
        belc_buf_append(&s->string_to_sign, s->credential_scope.data, s->credential_scope.len) < 0 ||
        belc_buf_append_char(&s->string_to_sign, '\n') < 0 || belc_buf_append_str(&s->string_to_sign, hash) < 0)
        return -1;
    return 0;
}

static int
hmac_sha256(const void *key, size_t key_len, const void *data, size_t n, unsigned char out[32])
{
    return belc_hmac_sha256(key, key_len, data, n, out);
}

int
belc_sigv4_signing_key(const char *secret, size_t secret_len, const char *amz_date, const char *region,
                       const char *service, unsigned char out[32])
{
    belc_buf k_secret = BELC_BUF_INIT;
    unsigned char k_date[32], k_region[32], k_service[32];
    int rc = -1;

    if (strlen(amz_date) < 8 || secret_len > (size_t)0x7fffffff - 4)
        goto cleanup;
    if (belc_buf_append(&k_secret, "AWS4", 4) < 0 || belc_buf_append(&k_secret, secret, secret_len) < 0)
        goto cleanup;
    if (hmac_sha256(k_secret.data, k_secret.len, amz_date, 8, k_date) < 0 ||
        hmac_sha256(k_date, 32, region, strlen(region), k_region) < 0 ||
        hmac_sha256(k_region, 32, service, strlen(service), k_service) < 0 ||
        hmac_sha256(k_service, 32, "aws4_request", 12, out) < 0)
        goto cleanup;
    rc = 0;
cleanup:
    belc_buf_wipe(&k_secret);
    OPENSSL_cleanse(k_date, sizeof(k_date));
    OPENSSL_cleanse(k_region, sizeof(k_region));
    OPENSSL_cleanse(k_service, sizeof(k_service));
    if (rc < 0)
        OPENSSL_cleanse(out, 32);
    return rc;
}

int
belc_sigv4_signature(belc_sigv4 *s, const unsigned char key[32])
{
    unsigned char mac[32];
    int rc = -1;

    if (hmac_sha256(key, 32, s->string_to_sign.data ? s->string_to_sign.data : "", s->string_to_sign.len, mac) < 0)
        goto cleanup;
    belc_buf_clear(&s->signature);
    if (belc_buf_append_hex(&s->signature, mac, 32) < 0)
        goto cleanup;
    rc = 0;
cleanup:
    OPENSSL_cleanse(mac, sizeof(mac));
    return rc;
}

int
belc_sigv4_authorization(const belc_sigv4 *s, belc_buf *out)
{
    if (belc_buf_append_str(out, BELC_SIGV4_ALGORITHM " Credential=") < 0 || belc_buf_append_str(out, s->access_key) < 0 ||
        belc_buf_append_char(out, '/') < 0 ||
        belc_buf_append(out, s->credential_scope.data, s->credential_scope.len) < 0 ||
        belc_buf_append_str(out, ", SignedHeaders=") < 0 ||
        belc_buf_append(out, s->signed_headers.data, s->signed_headers.len) < 0 ||
        belc_buf_append_str(out, ", Signature=") < 0 ||
        belc_buf_append(out, s->signature.data, s->signature.len) < 0)
        return -1;
    return 0;
}

static int
append_param(belc_buf *out, const char *key, const char *value, size_t value_len)
{
    if (out->len && belc_buf_append_char(out, '&') < 0)
        return -1;
    if (belc_buf_append_str(out, key) < 0 || belc_buf_append_char(out, '=') < 0 ||
        belc_uri_encode(out, value, value_len, 0) < 0)
        return -1;
    return 0;
}

int
belc_sigv4_presigned_query(const belc_sigv4 *s, belc_buf *out)
{
    belc_buf cred = BELC_BUF_INIT;
    char expires[32];
    int rc = -1;

    if (s->query && s->query_len && belc_buf_append(out, s->query, s->query_len) < 0)
        goto cleanup;
    if (belc_buf_append_str(&cred, s->access_key) < 0 || belc_buf_append_char(&cred, '/') < 0 ||
        belc_buf_append(&cred, s->credential_scope.data, s->credential_scope.len) < 0)
        goto cleanup;
    snprintf(expires, sizeof(expires), "%ld", s->expires);
    if (append_param(out, "X-Amz-Algorithm", BELC_SIGV4_ALGORITHM, strlen(BELC_SIGV4_ALGORITHM)) < 0 ||
        append_param(out, "X-Amz-Credential", cred.data, cred.len) < 0 ||
        append_param(out, "X-Amz-Date", s->amz_date, strlen(s->amz_date)) < 0 ||
        append_param(out, "X-Amz-SignedHeaders", s->signed_headers.data, s->signed_headers.len) < 0 ||
        append_param(out, "X-Amz-Expires", expires, strlen(expires)) < 0)
        goto cleanup;
    if (s->session_token && append_param(out, "X-Amz-Security-Token", s->session_token, strlen(s->session_token)) < 0)
        goto cleanup;
    if (append_param(out, "X-Amz-Signature", s->signature.data, s->signature.len) < 0)
        goto cleanup;
    rc = 0;
cleanup:
    belc_buf_free(&cred);
    return rc;
}
