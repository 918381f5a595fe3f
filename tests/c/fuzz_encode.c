/* fuzz_encode.c -- libFuzzer target for the query encoder (ext/encode.c, ext/buf.c).
 *
 * Input: bytes. The whole input is percent-encoded three ways (RFC 3986, RFC 3986 keeping '/', form), decoded,
 * and normalized as a path. Up to the first NUL it is also a query string for belc_canonical_query, and the
 * NUL-separated pieces after it are the already-encoded "key=value" extras (as the presigned-query stage passes
 * them). Checks:
 *   - encoders emit only unreserved bytes, '%XX' with upper-case hex (and '/' or '+' where the mode allows),
 *     exactly one or three bytes per input byte, and decode back to the input;
 *   - decoding never grows the input;
 *   - the canonical query (no extras) is '&'-joined "k=v" pairs, every byte encoded, sorted by key then value,
 *     one pair per non-empty piece of the input, and canonicalizing it again changes nothing;
 *   - a normalized path starts with '/', has no empty, "." or ".." segment, and is a fixed point.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "encode.h"

static void
must(int cond, const char *what)
{
    if (!cond) {
        fprintf(stderr, "fuzz_encode: invariant violated: %s\n", what);
        abort();
    }
}

static int
is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
}

static int
is_upper_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
}

/* mode 0: RFC 3986; 1: keeping '/'; 2: form */
static void
check_encoded(const char *in, size_t n, const belc_buf *out, int mode)
{
    size_t i, j = 0;
    must(out->data != NULL || n == 0, "encoder output allocated");
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)in[i];
        must(j < out->len, "encoder output long enough");
        if (is_unreserved(c) || (mode == 1 && c == '/')) {
            must(out->data[j] == (char)c, "kept byte kept");
            j += 1;
        }
        else if (mode == 2 && c == ' ') {
            must(out->data[j] == '+', "space is +");
            j += 1;
        }
        else {
            static const char hex[] = "0123456789ABCDEF";
            must(j + 3 <= out->len, "escape fits");
            must(out->data[j] == '%' && out->data[j + 1] == hex[c >> 4] && out->data[j + 2] == hex[c & 15],
                 "escape is %XX upper-case");
            j += 3;
        }
    }
    must(j == out->len, "no extra output");
    must(out->data == NULL || out->data[out->len] == '\0', "NUL-terminated");
}

static void
round_trip(const char *in, size_t n, int mode)
{
    belc_buf enc = BELC_BUF_INIT, dec = BELC_BUF_INIT;
    int rc = mode == 2 ? belc_form_encode(&enc, in, n) : belc_uri_encode(&enc, in, n, mode == 1);
    must(rc == 0, "encode succeeds");
    check_encoded(in, n, &enc, mode);
    must(belc_uri_decode(&dec, enc.data ? enc.data : "", enc.len, mode == 2) == 0, "decode succeeds");
    must(dec.len == n && (n == 0 || memcmp(dec.data, in, n) == 0), "decode(encode(x)) == x");
    belc_buf_free(&enc);
    belc_buf_free(&dec);
}

static int
compare_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t m = alen < blen ? alen : blen;
    int c = m ? memcmp(a, b, m) : 0;
    return c ? c : (alen > blen) - (alen < blen);
}

static void
check_canonical_query(const char *q, size_t n)
{
    belc_buf out = BELC_BUF_INIT, again = BELC_BUF_INIT;
    size_t i, start = 0, pieces = 0, pairs = 0;
    const char *prev_k = NULL, *prev_v = NULL;
    size_t prev_kl = 0, prev_vl = 0;

    for (i = 0; i <= n; i++)
        if (i == n || q[i] == '&') {
            pieces += i > start;
            start = i + 1;
        }
    must(belc_canonical_query(&out, q, n, NULL, 0) == 0, "canonical query succeeds");
    must(out.data != NULL, "canonical query: empty is not failed");
    start = 0;
    for (i = 0; i <= out.len && out.len; i++) {
        if (i == out.len || out.data[i] == '&') {
            const char *p = out.data + start, *eq;
            size_t len = i - start, kl, j;
            eq = memchr(p, '=', len);
            must(eq != NULL, "every pair has '='");
            kl = (size_t)(eq - p);
            for (j = 0; j < len; j++) {
                unsigned char c = (unsigned char)p[j];
                if (j == kl)
                    continue;
                if (c == '%') {
                    must(j + 2 < len && is_upper_hex((unsigned char)p[j + 1]) && is_upper_hex((unsigned char)p[j + 2]),
                         "canonical escape is %XX");
                    j += 2;
                }
                else {
                    must(is_unreserved(c), "canonical pair fully encoded");
                }
            }
            if (prev_k) {
                int c = compare_bytes(prev_k, prev_kl, p, kl);
                must(c < 0 || (c == 0 && compare_bytes(prev_v, prev_vl, eq + 1, len - kl - 1) <= 0), "sorted");
            }
            prev_k = p;
            prev_kl = kl;
            prev_v = eq + 1;
            prev_vl = len - kl - 1;
            pairs++;
            start = i + 1;
        }
    }
    must(pairs == pieces, "one pair per non-empty piece");
    must(belc_canonical_query(&again, out.data, out.len, NULL, 0) == 0, "canonical query succeeds again");
    must(again.len == out.len && memcmp(again.data, out.data, out.len) == 0, "canonical query is a fixed point");
    belc_buf_free(&out);
    belc_buf_free(&again);
}

static void
check_path(const char *p, size_t n)
{
    belc_buf out = BELC_BUF_INIT, again = BELC_BUF_INIT;
    size_t i, start = 1;
    must(belc_normalize_path(&out, p, n) == 0, "normalize succeeds");
    must(out.len >= 1 && out.data[0] == '/', "starts with /");
    for (i = 1; i <= out.len; i++) {
        if (i == out.len || out.data[i] == '/') {
            size_t len = i - start;
            const char *seg = out.data + start;
            if (i == out.len && len == 0) /* trailing '/' */
                break;
            must(len > 0, "no empty segment");
            must(!(len == 1 && seg[0] == '.') && !(len == 2 && seg[0] == '.' && seg[1] == '.'), "no dot segment");
            start = i + 1;
        }
    }
    must(belc_normalize_path(&again, out.data, out.len) == 0, "normalize succeeds again");
    must(again.len == out.len && memcmp(again.data, out.data, out.len) == 0, "normalize is a fixed point");
    belc_buf_free(&out);
    belc_buf_free(&again);
}

static void
check_with_extras(const char *data, size_t size)
{
    /* query NUL extra1 NUL extra2 ... : the extras must be NUL-terminated strings, so copy them */
    char *copy = malloc(size + 1);
    const char *extras[16];
    size_t n_extra = 0, qlen, i;
    belc_buf out = BELC_BUF_INIT;

    must(copy != NULL, "malloc");
    memcpy(copy, data, size);
    copy[size] = '\0';
    qlen = strlen(copy);
    for (i = qlen; i < size && n_extra < 16; i++)
        if (copy[i] == '\0')
            extras[n_extra++] = copy + i + 1;
    must(belc_canonical_query(&out, copy, qlen, extras, n_extra) == 0, "canonical query with extras succeeds");
    belc_buf_free(&out);
    free(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    size_t qlen;
    belc_buf dec = BELC_BUF_INIT;

    round_trip(s, size, 0);
    round_trip(s, size, 1);
    round_trip(s, size, 2);
    must(belc_uri_decode(&dec, s, size, 1) == 0 && dec.len <= size, "decode never grows");
    belc_buf_free(&dec);
    check_path(s, size);
    qlen = memchr(s, '\0', size) ? (size_t)((const char *)memchr(s, '\0', size) - s) : size;
    check_canonical_query(s, qlen);
    check_with_extras(s, size);
    return 0;
}
