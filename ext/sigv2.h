/* sigv2.h -- AWS Signature Version 2 (HmacSHA256), the parameter signature boto 2.3.0 sent to ELB.
 *
 * Owns: the canonical query (the request's form parameters plus AWSAccessKeyId, SignatureMethod,
 * SignatureVersion, Timestamp and SecurityToken), the string to sign, the base64 signature and the
 * form-encoded parameters that carry it. C and OpenSSL only, no Python.h: callable without the GIL.
 *
 * Usage: belc_sigv2_init, fill the inputs, then belc_sigv2_string_to_sign, belc_sigv2_signature and
 * belc_sigv2_auth_params in that order. Every stage returns 0 on success, -1 on allocation or OpenSSL failure.
 * belc_sigv2_clear wipes and frees the outputs.
 */
#ifndef BELC_SIGV2_H
#define BELC_SIGV2_H

#include <stddef.h>

#include "buf.h"

#define BELC_SIGV2_METHOD "HmacSHA256"
#define BELC_SIGV2_TIMESTAMP_LEN 20 /* YYYY-MM-DDTHH:MM:SSZ */

typedef struct belc_sigv2 {
    /* --- inputs (borrowed; must outlive the calls) --- */
    const char *method;        /* "POST" */
    const char *host;          /* the Host header value (with :port when not the default); lower-cased here */
    const char *path;          /* the request path as sent, e.g. "/" */
    const char *form;          /* application/x-www-form-urlencoded body: '+' is a space, %XX a byte */
    size_t form_len;
    const char *access_key;
    const char *timestamp;     /* YYYY-MM-DDTHH:MM:SSZ, UTC */
    const char *session_token; /* NULL: no token */
    /* --- outputs --- */
    belc_buf canonical_query;  /* every parameter, RFC 3986 encoded, sorted by encoded key (then value) */
    belc_buf string_to_sign;   /* method \n host \n path \n canonical query */
    belc_buf signature;        /* base64 of HMAC-SHA256(secret, string_to_sign) */
} belc_sigv2;

void belc_sigv2_init(belc_sigv2 *s);
void belc_sigv2_clear(belc_sigv2 *s);

/* the canonical query and the string to sign */
int belc_sigv2_string_to_sign(belc_sigv2 *s);
/* base64(HMAC-SHA256(secret, string_to_sign)); the MAC is wiped before returning */
int belc_sigv2_signature(belc_sigv2 *s, const char *secret, size_t secret_len);
/* "AWSAccessKeyId=..&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=..[&SecurityToken=..]&Signature=.."
 * form-encoded (as the body is), appended to out with no leading '&'. */
int belc_sigv2_auth_params(const belc_sigv2 *s, belc_buf *out);

#endif
