/* encode.c -- percent-encoding, canonical query strings, path normalization; see encode.h. */
#include "encode.h"

#include <stdlib.h>
#include <string.h>

static const char HEX_UPPER[] = "0123456789ABCDEF";

static inline int
is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
}

static int
hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* mode 0: RFC 3986; mode 1: RFC 3986 keeping '/'; mode 2: form (space -> '+') */
static int
encode_impl(belc_buf *out, const char *s, size_t n, int mode)
{
    size_t i;
    char *w;

    /* worst case three output bytes per input byte */
    if (n > ((size_t)-1) / 4 || belc_buf_reserve(out, 3 * n) < 0)
        return -1;
    w = out->data + out->len;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_unreserved(c) || (mode == 1 && c == '/')) {
            *w++ = (char)c;
        }
        else if (mode == 2 && c == ' ') {
            *w++ = '+';
        }
        else {
            *w++ = '%';
            *w++ = HEX_UPPER[c >> 4];
            *w++ = HEX_UPPER[c & 0xf];
        }
    }
    out->len = (size_t)(w - out->data);
    out->data[out->len] = '\0';
    return 0;
}

int
belc_uri_encode(belc_buf *out, const char *s, size_t n, int keep_slash)
{
    return encode_impl(out, s, n, keep_slash ? 1 : 0);
}

int
belc_form_encode(belc_buf *out, const char *s, size_t n)
{
    return encode_impl(out, s, n, 2);
}

int
belc_uri_decode(belc_buf *out, const char *s, size_t n, int plus_is_space)
{
    size_t i;
    char *w;

    if (belc_buf_reserve(out, n) < 0)
        return -1;
    w = out->data + out->len;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%' && i + 2 < n && hexval((unsigned char)s[i + 1]) >= 0 &&
            hexval((unsigned char)s[i + 2]) >= 0) {
            *w++ = (char)(hexval((unsigned char)s[i + 1]) * 16 + hexval((unsigned char)s[i + 2]));
            i += 2;
        }
        else if (c == '+' && plus_is_space) {
            *w++ = ' ';
        }
        else {
            *w++ = (char)c;
        }
    }
    out->len = (size_t)(w - out->data);
    out->data[out->len] = '\0';
    return 0;
}

/* --- canonical query --- */

typedef struct {
    size_t key_off, key_len; /* into the scratch buffer */
    size_t val_off, val_len;
} qpair;

typedef struct {
    const char *base;
    const qpair *pairs;
} qsort_ctx;

static int
compare_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t m = alen < blen ? alen : blen;
    int c = m ? memcmp(a, b, m) : 0;
    if (c)
        return c;
    return (alen > blen) - (alen < blen);
}

/* qsort has no context argument in C11; sort indexes with a small merge sort instead (stable, no globals) */
static int
pair_less(const char *base, const qpair *a, const qpair *b)
{
    int c = compare_bytes(base + a->key_off, a->key_len, base + b->key_off, b->key_len);
    if (c)
        return c < 0;
    return compare_bytes(base + a->val_off, a->val_len, base + b->val_off, b->val_len) < 0;
}

static void
merge_sort(const char *base, qpair *v, qpair *tmp, size_t n)
{
    size_t mid, i, j, k;

    if (n < 2)
        return;
    mid = n / 2;
    merge_sort(base, v, tmp, mid);
    merge_sort(base, v + mid, tmp, n - mid);
    i = 0;
    j = mid;
    k = 0;
    while (i < mid && j < n) {
        if (pair_less(base, &v[j], &v[i]))
            tmp[k++] = v[j++];
        else
            tmp[k++] = v[i++];
    }
    while (i < mid)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof(qpair));
}

/* decode then RFC 3986 encode s[0..n) into scratch; returns offset via *off and length via *len */
static int
recode(belc_buf *scratch, belc_buf *tmp, const char *s, size_t n, size_t *off, size_t *len)
{
    belc_buf_clear(tmp);
    if (belc_uri_decode(tmp, s, n, 0) < 0)
        return -1;
    *off = scratch->len;
    if (belc_uri_encode(scratch, tmp->data ? tmp->data : "", tmp->len, 0) < 0)
        return -1;
    *len = scratch->len - *off;
    return 0;
}

int
belc_canonical_query(belc_buf *out, const char *query, size_t n, const char *const *extra, size_t n_extra)
{
    belc_buf scratch = BELC_BUF_INIT, tmp = BELC_BUF_INIT;
    qpair *pairs = NULL, *sorted_tmp = NULL;
    size_t count = 0, cap, i, start;
    int rc = -1;

    /* upper bound on pairs: one per '&' plus one, plus the extras */
    cap = n_extra + 1;
    for (i = 0; i < n; i++)
        if (query[i] == '&')
            cap++;
    pairs = malloc(cap * sizeof(qpair));
    sorted_tmp = malloc(cap * sizeof(qpair));
    if (pairs == NULL || sorted_tmp == NULL)
        goto cleanup;

    start = 0;
    for (i = 0; i <= n; i++) {
        if (i == n || query[i] == '&') {
            const char *piece = query + start;
            size_t plen = i - start, eq;
            if (plen) {
                for (eq = 0; eq < plen && piece[eq] != '='; eq++)
                    ;
                if (recode(&scratch, &tmp, piece, eq, &pairs[count].key_off, &pairs[count].key_len) < 0)
                    goto cleanup;
                if (eq < plen) {
                    if (recode(&scratch, &tmp, piece + eq + 1, plen - eq - 1, &pairs[count].val_off,
                               &pairs[count].val_len) < 0)
                        goto cleanup;
                }
                else {
                    pairs[count].val_off = scratch.len;
                    pairs[count].val_len = 0;
                }
                count++;
            }
            start = i + 1;
        }
    }
    for (i = 0; i < n_extra; i++) {
        const char *e = extra[i];
        const char *eqp = strchr(e, '=');
        size_t klen = eqp ? (size_t)(eqp - e) : strlen(e);
        pairs[count].key_off = scratch.len;
        pairs[count].key_len = klen;
        if (belc_buf_append(&scratch, e, klen) < 0)
            goto cleanup;
        pairs[count].val_off = scratch.len;
        pairs[count].val_len = eqp ? strlen(eqp + 1) : 0;
        if (eqp && belc_buf_append_str(&scratch, eqp + 1) < 0)
            goto cleanup;
        count++;
    }
    merge_sort(scratch.data, pairs, sorted_tmp, count);
    for (i = 0; i < count; i++) {
        if (i && belc_buf_append_char(out, '&') < 0)
            goto cleanup;
        if (belc_buf_append(out, scratch.data + pairs[i].key_off, pairs[i].key_len) < 0 ||
            belc_buf_append_char(out, '=') < 0 ||
            belc_buf_append(out, scratch.data + pairs[i].val_off, pairs[i].val_len) < 0)
            goto cleanup;
    }
    if (out->data == NULL && belc_buf_reserve(out, 0) < 0) /* keep "empty" distinct from "failed" */
        goto cleanup;
    rc = 0;
cleanup:
    free(pairs);
    free(sorted_tmp);
    belc_buf_free(&scratch);
    belc_buf_free(&tmp);
    return rc;
}

/* --- path normalization --- */

int
belc_normalize_path(belc_buf *out, const char *path, size_t n)
{
    size_t *seg_start = NULL, *seg_len = NULL;
    size_t count = 0, cap = 1, i, start;
    int trailing = n > 0 && path[n - 1] == '/';
    int rc = -1;

    for (i = 0; i < n; i++)
        if (path[i] == '/')
            cap++;
    seg_start = malloc(cap * sizeof(size_t));
    seg_len = malloc(cap * sizeof(size_t));
    if (seg_start == NULL || seg_len == NULL)
        goto cleanup;
    start = 0;
    for (i = 0; i <= n; i++) {
        if (i == n || path[i] == '/') {
            size_t len = i - start;
            if (len == 0 || (len == 1 && path[start] == '.')) {
                /* empty or "." segment: dropped */
            }
            else if (len == 2 && path[start] == '.' && path[start + 1] == '.') {
                if (count)
                    count--;
            }
            else {
                seg_start[count] = start;
                seg_len[count] = len;
                count++;
            }
            start = i + 1;
        }
    }
    if (belc_buf_append_char(out, '/') < 0)
        goto cleanup;
    for (i = 0; i < count; i++) {
        if (i && belc_buf_append_char(out, '/') < 0)
            goto cleanup;
        if (belc_buf_append(out, path + seg_start[i], seg_len[i]) < 0)
            goto cleanup;
    }
    if (count && trailing && belc_buf_append_char(out, '/') < 0)
        goto cleanup;
    rc = 0;
cleanup:
    free(seg_start);
    free(seg_len);
    return rc;
}
