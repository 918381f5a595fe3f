/* sigv2.c -- AWS Signature Version 2 (HmacSHA256); see sigv2.h. */
#include "sigv2.h"
#include "sigv4.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "encode.h"

#define N_AUTH_PARAMS 5 /* AWSAccessKeyId, SignatureMethod, SignatureVersion, Timestamp, SecurityToken */

void
belc_sigv2_init(belc_sigv2 *s)
{
    memset(s, 0, sizeof(*s));
}

void
belc_sigv2_clear(belc_sigv2 *s)
{
    belc_buf_wipe(&s->canonical_query);
    belc_buf_wipe(&s->string_to_sign);
    belc_buf_wipe(&s->signature);
}

/* One form-encoded piece (a key or a value) -> RFC 3986, appended to out. */
static int
form_piece_to_rfc3986(belc_buf *out, belc_buf *tmp, const char *s, size_t n)
{
    belc_buf_clear(tmp);
    if (belc_uri_decode(tmp, s, n, 1) < 0)
        return -1;
    return belc_uri_encode(out, tmp->data ? tmp->data : "", tmp->len, 0);
}

/* The form body as a query string in RFC 3986 encoding ('+' means a space in a form, but not in a query).
 * belc_canonical_query then decodes and re-encodes each part, which leaves RFC 3986 text unchanged. */
static int
form_to_query(belc_buf *out, const char *form, size_t n)
{
    belc_buf tmp = BELC_BUF_INIT;
    size_t i, start = 0;
    int rc = -1;

    for (i = 0; i <= n; i++) {
        const char *piece;
        size_t plen, eq;
        if (i < n && form[i] != '&')
            continue;
        piece = form + start;
        plen = i - start;
        start = i + 1;
        if (plen == 0)
            continue;
        for (eq = 0; eq < plen && piece[eq] != '='; eq++)
            ;
        if ((out->len && belc_buf_append_char(out, '&') < 0) || form_piece_to_rfc3986(out, &tmp, piece, eq) < 0 ||
            belc_buf_append_char(out, '=') < 0)
            goto cleanup;
        if (eq < plen && form_piece_to_rfc3986(out, &tmp, piece + eq + 1, plen - eq - 1) < 0)
            goto cleanup;
    }
    rc = 0;
cleanup:
    belc_buf_free(&tmp);
    return rc;
}

/* "name=" + RFC 3986 value into a buffer of its own (a NUL-terminated C string for belc_canonical_query) */
static int
auth_param(belc_buf *out, const char *name, const char *value)
{
    return belc_buf_append_str(out, name) < 0 || belc_buf_append_char(out, '=') < 0 ||
                   belc_uri_encode(out, value, strlen(value), 0) < 0
               ? -1
               : 0;
}

int
belc_sigv2_string_to_sign(belc_sigv2 *s)
{
    belc_buf query = BELC_BUF_INIT;
    belc_buf params[N_AUTH_PARAMS] = {BELC_BUF_INIT, BELC_BUF_INIT, BELC_BUF_INIT, BELC_BUF_INIT, BELC_BUF_INIT};
    const char *extra[N_AUTH_PARAMS];
    size_t n_extra = 0, i;
    int rc = -1;

    if (form_to_query(&query, s->form ? s->form : "", s->form ? s->form_len : 0) < 0)
        goto cleanup;
    if (auth_param(&params[0], "AWSAccessKeyId", s->access_key) < 0 ||
        auth_param(&params[1], "SignatureMethod", BELC_SIGV2_METHOD) < 0 ||
        auth_param(&params[2], "SignatureVersion", "2") < 0 || auth_param(&params[3], "Timestamp", s->timestamp) < 0)
        goto cleanup;
    n_extra = 4;
    if (s->session_token) {
        if (auth_param(&params[4], "SecurityToken", s->session_token) < 0)
            goto cleanup;
        n_extra = 5;
    }
    for (i = 0; i < n_extra; i++)
        extra[i] = params[i].data;

    belc_buf_clear(&s->canonical_query);
    if (belc_canonical_query(&s->canonical_query, query.data ? query.data : "", query.len, extra, n_extra) < 0)
        goto cleanup;

    belc_buf_clear(&s->string_to_sign);
    if (belc_buf_append_str(&s->string_to_sign, s->method) < 0 || belc_buf_append_char(&s->string_to_sign, '\n') < 0)
        goto cleanup;
    for (i = 0; s->host[i]; i++) {
        char c = s->host[i];
        if (belc_buf_append_char(&s->string_to_sign, (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c) < 0)
            goto cleanup;
    }
    if (belc_buf_append_char(&s->string_to_sign, '\n') < 0 || belc_buf_append_str(&s->string_to_sign, s->path) < 0 ||
        belc_buf_append_char(&s->string_to_sign, '\n') < 0 ||
        belc_buf_append(&s->string_to_sign, s->canonical_query.data, s->canonical_query.len) < 0)
        goto cleanup;
    rc = 0;
cleanup:
    belc_buf_free(&query);
    for (i = 0; i < N_AUTH_PARAMS; i++)
        belc_buf_wipe(&params[i]); /* the token is among them */
    return rc;
}

int
belc_sigv2_signature(belc_sigv2 *s, const char *secret, size_t secret_len)
{
    unsigned char mac[32];
    unsigned char b64[4 * ((sizeof(mac) + 2) / 3) + 1];
    const unsigned char *sts;
    int n, rc = -1;

    if (secret_len > 0x7fffffff)
        goto cleanup;
    sts = (const unsigned char *)(s->string_to_sign.data ? s->string_to_sign.data : "");
    if (belc_hmac_sha256(secret, secret_len, sts, s->string_to_sign.len, mac) < 0)
        goto cleanup;
    n = EVP_EncodeBlock(b64, mac, (int)sizeof(mac));
    if (n <= 0)
        goto cleanup;
    belc_buf_clear(&s->signature);
    if (belc_buf_append(&s->signature, b64, (size_t)n) < 0)
        goto cleanup;
    rc = 0;
cleanup:
    OPENSSL_cleanse(mac, sizeof(mac));
    OPENSSL_cleanse(b64, sizeof(b64));
    return rc;
}

static int
form_param(belc_buf *out, const char *name, const char *value, size_t value_len)
{
    if (out->len && belc_buf_append_char(out, '&') < 0)
        return -1;
    if (belc_buf_append_str(out, name) < 0 || belc_buf_append_char(out, '=') < 0 ||
        belc_form_encode(out, value, value_len) < 0)
        return -1;
    return 0;
}

int
belc_sigv2_auth_params(const belc_sigv2 *s, belc_buf *out)
{
    belc_buf tmp = BELC_BUF_INIT; /* built apart so that out never holds half a parameter list */
    int rc = -1;

    if (form_param(&tmp, "AWSAccessKeyId", s->access_key, strlen(s->access_key)) < 0 ||
        form_param(&tmp, "SignatureMethod", BELC_SIGV2_METHOD, strlen(BELC_SIGV2_METHOD)) < 0 ||
        form_param(&tmp, "SignatureVersion", "2", 1) < 0 ||
        form_param(&tmp, "Timestamp", s->timestamp, strlen(s->timestamp)) < 0)
        goto cleanup;
    if (s->session_token && form_param(&tmp, "SecurityToken", s->session_token, strlen(s->session_token)) < 0)
        goto cleanup;
    if (form_param(&tmp, "Signature", s->signature.data ? s->signature.data : "", s->signature.len) < 0 ||
        belc_buf_append(out, tmp.data, tmp.len) < 0)
        goto cleanup;
    rc = 0;
cleanup:
    belc_buf_wipe(&tmp);
    return rc;
}
