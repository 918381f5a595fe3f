/* sigv4.h -- AWS Signature Version 4, in stages.
 *
 * Owns: canonical request -> string to sign -> signing key -> signature -> Authorization header or presigned
 * query, over one state struct. C and OpenSSL only, no Python.h: callable without the GIL.
 *
 * Usage: fill the inputs of a belc_sigv4 (belc_sigv4_init first), then call the stages in order.
 * Every stage returns 0 on success, -1 on allocation or OpenSSL failure. belc_sigv4_clear releases the
 * outputs (and wipes them: the string to sign is not secret, but the cost is nil and it keeps the rule simple).
 */
#ifndef BELC_SIGV4_H
#define BELC_SIGV4_H

#include <stddef.h>

#include "buf.h"

#define BELC_SIGV4_ALGORITHM "AWS4-HMAC-SHA256"
#define BELC_SHA256_HEX_LEN 64

typedef struct belc_kv {
    const char *name;
    size_t name_len;
    const char *value;
    size_t value_len;
} belc_kv;

typedef struct belc_sigv4 {
    /* --- inputs (borrowed; must outlive the calls) --- */
    const char *method;
    const char *path; /* raw, not yet percent-encoded */
    size_t path_len;
    const char *query; /* raw query string without '?', may hold %XX escapes */
    size_t query_len;
    const belc_kv *headers; /* the request's headers, any case, repeats allowed; must include Host */
    size_t n_headers;
    const char *payload_hash; /* 64 lower-case hex chars, or "UNSIGNED-PAYLOAD" */
    const char *amz_date;     /* YYYYMMDDTHHMMSSZ */
    const char *region;
    const char *service;
    const char *access_key;
    const char *session_token; /* NULL: no token */
    int normalize_path;        /* remove dot segments and empty segments */
    int query_mode;            /* 0: Authorization header; 1: presigned query string */
    int omit_session_token;    /* token is added after signing and is not part of the signature */
    int sign_body;             /* header mode: add and sign x-amz-content-sha256 */
    long expires;              /* query mode: X-Amz-Expires */
    /* --- outputs --- */
    belc_buf credential_scope;  /* date/region/service/aws4_request */
    belc_buf signed_headers;    /* host;x-amz-date */
    belc_buf canonical_query;
    belc_buf canonical_request;
    belc_buf string_to_sign;
    belc_buf signature; /* 64 hex chars */
} belc_sigv4;

void belc_sigv4_init(belc_sigv4 *s);
void belc_sigv4_clear(belc_sigv4 *s);

int belc_sigv4_canonical_request(belc_sigv4 *s);
int belc_sigv4_string_to_sign(belc_sigv4 *s);
/* kSigning = HMAC chain over "AWS4"+secret, date (first 8 chars of amz_date), region, service, "aws4_request".
 * Every intermediate key and the "AWS4"+secret buffer are wiped before returning. */
int belc_sigv4_signing_key(const char *secret, size_t secret_len, const char *amz_date, const char *region,
                           const char *service, unsigned char out[32]);
int belc_sigv4_signature(belc_sigv4 *s, const unsigned char key[32]);

/* "AWS4-HMAC-SHA256 Credential=AK/scope, SignedHeaders=..., Signature=..." appended to out. */
int belc_sigv4_authorization(const belc_sigv4 *s, belc_buf *out);
/* Query mode: the query string to send: the request's own query (as given), then X-Amz-Algorithm,
 * X-Amz-Credential, X-Amz-Date, X-Amz-SignedHeaders, X-Amz-Expires, X-Amz-Security-Token, X-Amz-Signature. */
int belc_sigv4_presigned_query(const belc_sigv4 *s, belc_buf *out);

/* SHA-256 of data as 64 lower-case hex chars + NUL into out[65]. */
int belc_sha256_hex(const void *data, size_t n, char out[BELC_SHA256_HEX_LEN + 1]);
/* HMAC-SHA256 (RFC 2104); every intermediate is wiped. 0 or -1. */
int belc_hmac_sha256(const void *key, size_t key_len, const void *data, size_t n, unsigned char out[32]);

#endif
