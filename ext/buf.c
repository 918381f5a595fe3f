/* buf.c -- growable byte buffer with overflow checks; see buf.h. */
#include "buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

int
belc_buf_reserve(belc_buf *b, size_t extra)
{
    size_t need, cap;
    char *p;

    if (extra > SIZE_MAX - b->len - 1)
        return -1;
    need = b->len + extra + 1;
    if (b->limit && need - 1 > b->limit)
        return -1;
    if (need <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 64;
    while (cap < need) {
        if (cap > SIZE_MAX / 2) {
            cap = need;
            break;
        }
        cap *= 2;
    }
    if (b->limit && cap > b->limit + 1)
        cap = b->limit + 1; /* a capped buffer never allocates past its limit */
    p = realloc(b->data, cap);
    if (p == NULL)
        return -1;
    b->data = p;
    b->cap = cap;
    return 0;
}

int
belc_buf_append(belc_buf *b, const void *data, size_t n)
{
    if (belc_buf_reserve(b, n) < 0)
        return -1;
    if (n)
        memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int
belc_buf_append_str(belc_buf *b, const char *s)
{
    return belc_buf_append(b, s, strlen(s));
}

int
belc_buf_append_char(belc_buf *b, char c)
{
    return belc_buf_append(b, &c, 1);
}

int
belc_buf_append_hex(belc_buf *b, const unsigned char *data, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t i;
    char *out;

    if (n > SIZE_MAX / 2 || belc_buf_reserve(b, 2 * n) < 0)
        return -1;
    out = b->data + b->len;
    for (i = 0; i < n; i++) {
        out[2 * i] = hex[data[i] >> 4];
        out[2 * i + 1] = hex[data[i] & 0xf];
    }
    b->len += 2 * n;
    b->data[b->len] = '\0';
    return 0;
}

void
belc_buf_clear(belc_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void
belc_buf_free(belc_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void
belc_buf_wipe(belc_buf *b)
{
    if (b->data)
        OPENSSL_cleanse(b->data, b->cap);
    belc_buf_free(b);
}
