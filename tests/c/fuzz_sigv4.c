/* fuzz_sigv4.c -- libFuzzer target for SigV4 canonicalization and signing (ext/sigv4.c, ext/encode.c).
 *
 * Input: one flags byte, then NUL-separated fields:
 *     method, path, query, amz_date, region, service, access_key, secret, token, body,
 *     then header name, header value, header name, header value, ...
 * Missing fields are empty. Flags: bit 0 normalize the path, bit 1 query (presigned) mode, bit 2 omit the token
 * from the signature, bit 3 sign the body hash (x-amz-content-sha256), bit 4 there is a session token.
 * (tests/tools/make_seeds.py writes every case of the AWS SigV4 test suite in this form.)
 *
 * Every stage runs: canonical request, string to sign, signing key, signature, Authorization header, presigned
 * query. Checks: the stages succeed whenever amz_date has its 8 date characters; the canonical request ends with
 * "\n<signed headers>\n<payload hash>"; the signed headers are lower-case, sorted and unique; the string to sign
 * has its four lines; the signature is 64 lower-case hex characters; and running it all again on a fresh state
 * gives the same bytes (an uninitialized read would not).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "sigv4.h"

#define MAX_HEADERS 32

static void
must(int cond, const char *what)
{
    if (!cond) {
        fprintf(stderr, "fuzz_sigv4: invariant violated: %s\n", what);
        abort();
    }
}

enum { F_METHOD, F_PATH, F_QUERY, F_DATE, F_REGION, F_SERVICE, F_AK, F_SECRET, F_TOKEN, F_BODY, N_FIXED };

typedef struct {
    belc_buf canonical_request, string_to_sign, signature, authorization, presigned;
    int rc;
} outputs;

static void
outputs_free(outputs *o)
{
    belc_buf_free(&o->canonical_request);
    belc_buf_free(&o->string_to_sign);
    belc_buf_free(&o->signature);
    belc_buf_free(&o->authorization);
    belc_buf_free(&o->presigned);
}

static void
copy_out(belc_buf *dst, const belc_buf *src)
{
    must(belc_buf_append(dst, src->data ? src->data : "", src->len) == 0, "copy");
}

static void
sign(const char *const *f, const size_t *len, const belc_kv *headers, size_t n_headers, unsigned flags, outputs *o)
{
    belc_sigv4 s;
    char payload_hash[BELC_SHA256_HEX_LEN + 1];
    unsigned char key[32];

    memset(o, 0, sizeof(*o));
    o->rc = -1;
    belc_sigv4_init(&s);
    must(belc_sha256_hex(f[F_BODY], len[F_BODY], payload_hash) == 0, "sha256");
    s.method = f[F_METHOD];
    s.path = f[F_PATH];
    s.path_len = len[F_PATH];
    s.query = f[F_QUERY];
    s.query_len = len[F_QUERY];
    s.headers = headers;
    s.n_headers = n_headers;
    s.payload_hash = payload_hash;
    s.amz_date = f[F_DATE];
    s.region = f[F_REGION];
    s.service = f[F_SERVICE];
    s.access_key = f[F_AK];
    s.session_token = (flags & 16) ? f[F_TOKEN] : NULL;
    s.normalize_path = flags & 1;
    s.query_mode = (flags >> 1) & 1;
    s.omit_session_token = (flags >> 2) & 1;
    s.sign_body = (flags >> 3) & 1;
    s.expires = 3600;
    if (belc_sigv4_canonical_request(&s) < 0)
        goto done;
    if (belc_sigv4_string_to_sign(&s) < 0)
        goto done;
    if (belc_sigv4_signing_key(f[F_SECRET], len[F_SECRET], s.amz_date, s.region, s.service, key) < 0)
        goto done;
    if (belc_sigv4_signature(&s, key) < 0 || belc_sigv4_authorization(&s, &o->authorization) < 0 ||
        belc_sigv4_presigned_query(&s, &o->presigned) < 0)
        goto done;
    copy_out(&o->canonical_request, &s.canonical_request);
    copy_out(&o->string_to_sign, &s.string_to_sign);
    copy_out(&o->signature, &s.signature);

    /* the canonical request ends with the signed headers and the payload hash */
    {
        const belc_buf *cr = &s.canonical_request, *sh = &s.signed_headers;
        size_t tail = 1 + sh->len + 1 + BELC_SHA256_HEX_LEN;
        must(cr->len >= tail, "canonical request long enough");
        must(cr->data[cr->len - tail] == '\n' && memcmp(cr->data + cr->len - tail + 1, sh->data ? sh->data : "",
                                                         sh->len) == 0 &&
                 cr->data[cr->len - BELC_SHA256_HEX_LEN - 1] == '\n' &&
                 memcmp(cr->data + cr->len - BELC_SHA256_HEX_LEN, payload_hash, BELC_SHA256_HEX_LEN) == 0,
             "canonical request ends with signed headers and payload hash");
        must(memcmp(cr->data, s.method, strlen(s.method)) == 0 && cr->data[strlen(s.method)] == '\n',
             "canonical request starts with the method");
    }
    /* signed headers: lower-case; strictly sorted (so unique) when no name is empty or holds a ';' */
    {
        const belc_buf *sh = &s.signed_headers;
        const char *prev = NULL;
        size_t prev_len = 0, i, start = 0;
        int clean = 1;
        for (i = 0; i < n_headers; i++)
            if (headers[i].name_len == 0 || memchr(headers[i].name, ';', headers[i].name_len) != NULL)
                clean = 0;
        for (i = 0; i < sh->len; i++)
            must(!(sh->data[i] >= 'A' && sh->data[i] <= 'Z'), "signed header names are lower-case");
        for (i = 0; clean && i <= sh->len && sh->len; i++) {
            if (i == sh->len || sh->data[i] == ';') {
                const char *name = sh->data + start;
                size_t nl = i - start;
                if (prev) {
                    size_t m = prev_len < nl ? prev_len : nl;
                    int c = m ? memcmp(prev, name, m) : 0;
                    must(c < 0 || (c == 0 && prev_len < nl), "signed headers sorted and unique");
                }
                prev = name;
                prev_len = nl;
                start = i + 1;
            }
        }
    }
    /* string to sign: algorithm, date, scope, hash */
    {
        const belc_buf *sts = &s.string_to_sign;
        size_t lines = 0, i;
        for (i = 0; i < sts->len; i++)
            lines += sts->data[i] == '\n';
        must(sts->len > 17 && memcmp(sts->data, "AWS4-HMAC-SHA256\n", 17) == 0, "string to sign algorithm");
        must(lines >= 3, "string to sign has four lines");
    }
    /* signature: 64 lower-case hex */
    {
        size_t i;
        must(s.signature.len == 64, "signature length");
        for (i = 0; i < 64; i++) {
            char c = s.signature.data[i];
            must((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'), "signature is lower-case hex");
        }
    }
    o->rc = 0;
done:
    belc_sigv4_clear(&s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy;
    const char *f[N_FIXED];
    size_t len[N_FIXED], i, n_fields = 0, n_headers = 0, pos;
    belc_kv headers[MAX_HEADERS];
    const char *hdr_parts[2 * MAX_HEADERS];
    size_t hdr_lens[2 * MAX_HEADERS], n_parts = 0;
    unsigned flags;
    outputs a, b;

    if (size < 1)
        return 0;
    flags = data[0];
    copy = malloc(size + 1); /* every field NUL-terminated in place */
    must(copy != NULL, "malloc");
    memcpy(copy, data + 1, size - 1);
    copy[size - 1] = '\0';
    for (i = 0; i < N_FIXED; i++) {
        f[i] = "";
        len[i] = 0;
    }
    pos = 0;
    while (pos <= size - 1) {
        const char *field = copy + pos;
        size_t flen = strlen(field);
        if (n_fields < N_FIXED) {
            f[n_fields] = field;
            len[n_fields] = flen;
        }
        else if (n_parts < 2 * MAX_HEADERS) {
            hdr_parts[n_parts] = field;
            hdr_lens[n_parts] = flen;
            n_parts++;
        }
        n_fields++;
        pos += flen + 1;
    }
    for (i = 0; i + 1 < n_parts; i += 2) {
        headers[n_headers].name = hdr_parts[i];
        headers[n_headers].name_len = hdr_lens[i];
        headers[n_headers].value = hdr_parts[i + 1];
        headers[n_headers].value_len = hdr_lens[i + 1];
        n_headers++;
    }

    sign(f, len, headers, n_headers, flags, &a);
    sign(f, len, headers, n_headers, flags, &b);
    must(a.rc == b.rc, "same result twice");
    must(a.rc == 0 || strlen(f[F_DATE]) < 8, "signing succeeds when the date is there");
    if (a.rc == 0) {
        must(a.canonical_request.len == b.canonical_request.len &&
                 memcmp(a.canonical_request.data, b.canonical_request.data, a.canonical_request.len) == 0,
             "canonical request is deterministic");
        must(a.signature.len == b.signature.len && memcmp(a.signature.data, b.signature.data, a.signature.len) == 0,
             "signature is deterministic");
        must(a.presigned.len == b.presigned.len && memcmp(a.presigned.data, b.presigned.data, a.presigned.len) == 0,
             "presigned query is deterministic");
    }
    outputs_free(&a);
    outputs_free(&b);
    free(copy);
    return 0;
}
