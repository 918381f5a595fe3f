/* buf.h -- growable byte buffer with overflow checks.
 *
 * Owns: the one buffer type every other C file writes request and response bytes into.
 * No Python.h: usable without the GIL and from libFuzzer targets.
 */
#ifndef BELC_BUF_H
#define BELC_BUF_H

#include <stddef.h>

typedef struct belc_buf {
    char *data;     /* always NUL-terminated when non-NULL */
    size_t len;     /* bytes in use, excluding the terminating NUL */
    size_t cap;     /* bytes allocated */
    size_t limit;   /* 0 = no limit; otherwise appends past this many bytes fail */
} belc_buf;

#define BELC_BUF_INIT {NULL, 0, 0, 0}

/* All functions return 0 on success, -1 on allocation failure, size overflow or limit. */
int belc_buf_reserve(belc_buf *b, size_t extra);
int belc_buf_append(belc_buf *b, const void *data, size_t n);
int belc_buf_append_str(belc_buf *b, const char *s);
int belc_buf_append_char(belc_buf *b, char c);
/* lower-case hex of n bytes */
int belc_buf_append_hex(belc_buf *b, const unsigned char *data, size_t n);
void belc_buf_clear(belc_buf *b); /* len = 0, keeps memory */
void belc_buf_free(belc_buf *b);  /* releases memory */
void belc_buf_wipe(belc_buf *b);  /* OPENSSL_cleanse the whole allocation, then free */

#endif
