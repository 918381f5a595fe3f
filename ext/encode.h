/* encode.h -- percent-encoding and canonical query strings.
 *
 * Owns: RFC 3986 URI encoding (SigV4 canonical form), form encoding exactly as Python's
 * urllib.parse.urlencode does it (the Query-protocol request body), percent-decoding, the SigV4 canonical
 * query string and URI path normalization. No Python.h.
 * Every function returns 0 on success and -1 on allocation failure.
 */
#ifndef BELC_ENCODE_H
#define BELC_ENCODE_H

#include <stddef.h>

#include "buf.h"

/* RFC 3986: A-Z a-z 0-9 - . _ ~ kept, every other byte %XX (upper-case hex); '/' kept if keep_slash. */
int belc_uri_encode(belc_buf *out, const char *s, size_t n, int keep_slash);

/* urllib.parse.quote_plus: unreserved kept, ' ' -> '+', every other byte %XX (upper-case hex). */
int belc_form_encode(belc_buf *out, const char *s, size_t n);

/* %XX -> byte (a '%' not followed by two hex digits is kept as it is); '+' -> ' ' if plus_is_space. */
int belc_uri_decode(belc_buf *out, const char *s, size_t n, int plus_is_space);

/* SigV4 canonical query: split on '&' and the first '=', decode, RFC 3986 encode, sort by key then value,
 * join with '&'. Appends to out. `extra` (may be NULL) holds n_extra already-encoded "key=value" pairs that
 * join the sort (the X-Amz-* parameters of a presigned request). */
int belc_canonical_query(belc_buf *out, const char *query, size_t n, const char *const *extra, size_t n_extra);

/* SigV4 path normalization: drop empty and "." segments, resolve "..", keep a trailing '/'.
 * The result always starts with '/'. */
int belc_normalize_path(belc_buf *out, const char *path, size_t n);

#endif
