/* saxtape.h -- libxml2 SAX2 parse of a response body into a compact event tape.
 *
 * Owns: the safe XML parse (no network, no DTD, no entity expansion, errors collected per call, never printed)
 * and the name table that maps element local names to small ids. No Python.h: the parse runs with the GIL
 * released, and the libFuzzer target links this file directly.
 *
 * The tape is what the Python-side builder (xml.c) walks to make objects: one START event per element (with the
 * name id, or the name itself when it is not in the table) and one END event per element (with the element's
 * own text when it is a leaf). Text of elements that have children is dropped as it is parsed. Only local names
 * are kept, except for the root element, whose namespace URI is recorded so that the builder can refuse a
 * document from the wrong vocabulary.
 */
#ifndef BELC_SAXTAPE_H
#define BELC_SAXTAPE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* --- name table: element local name -> id (0..n-1), immutable once built --- */
typedef struct belc_names {
    size_t n;
    char **names;     /* n NUL-terminated copies */
    size_t *lens;
    int32_t *slots;   /* open addressing, -1 = empty */
    size_t mask;      /* slots has mask+1 entries */
} belc_names;

int belc_names_init(belc_names *t, const char *const *names, const size_t *lens, size_t n);
void belc_names_free(belc_names *t);
int32_t belc_names_lookup(const belc_names *t, const char *name, size_t len); /* -1 if absent */

/* ELB responses nest about a dozen deep; libxml2's push parser (before 2.11) does not bound depth itself */
#define BELC_MAX_DEPTH 256
/* Limits on what no ELB answer comes near, each against a cost in libxml2 that grows faster than the document:
 * - one piece of markup (a tag, a comment, a CDATA section, a processing instruction) is buffered whole before it
 *   is parsed, and libxml2 checks the attributes of a tag pairwise for duplicates: quadratic in their number;
 * - every prefixed name is looked up through all the namespace declarations in scope: with thousands in scope,
 *   each element costs thousands of comparisons.
 * (An answer's elements carry no attribute but the xmlns of the root.) */
#define BELC_MAX_MARKUP (64 * 1024)
#define BELC_MAX_ATTRIBUTES 32
#define BELC_MAX_NAMESPACES 64

/* --- the tape --- */
enum { BELC_EV_START = 1, BELC_EV_END = 2 };
#define BELC_EV_LEAF 0x1u /* END of an element with no child element */

typedef struct belc_event {
    uint8_t kind;
    uint8_t flags;
    int32_t id;   /* START: name id or -1; END: same as its START */
    uint32_t off; /* START with id -1: name in the arena; END of a leaf: text in the arena (NUL-terminated) */
    uint32_t len;
} belc_event;

typedef struct belc_tape {
    belc_event *ev;
    size_t n, cap;
    belc_buf arena; /* names of unknown elements, leaf texts */
    size_t max_depth_seen;
    int root_has_ns;  /* the root element is in a namespace (its URI is in root_ns) */
    belc_buf root_ns; /* namespace URI of the root element, NUL-terminated; empty if none */
    char error[256];  /* first problem found: parser message, or a policy violation; valid UTF-8 */
} belc_tape;

void belc_tape_init(belc_tape *t);
void belc_tape_free(belc_tape *t);

/* Parse data[0..len) into t, the whole tape at once. names may be NULL (then every id is -1).
 * Returns 0 if the document is well-formed and allowed, -1 otherwise with t->error set
 * ("out of memory" on allocation failure). Documents over 4 GiB are refused. */
int belc_tape_parse(belc_tape *t, const belc_names *names, const char *data, size_t len);

/* Streaming: the same parse, fed in pieces, its events used and dropped as they come, so that the tape stays the
 * size of a piece rather than of the document:
 *
 *     p = belc_tape_begin(t, names, total_len);      NULL: t->error says why
 *     for each piece:
 *         belc_tape_feed(p, piece, piece_len)        -1: t->error says why (then belc_tape_abort(p))
 *         use t->ev[0 .. belc_tape_ready(t))         complete events, their texts in t->arena
 *         belc_tape_consume(p)                        drop them (a held-back START moves to t->ev[0])
 *     belc_tape_end(p)                                0, or -1 with t->error (frees p either way)
 *
 * The pieces must add up to total_len. An event's texts stay valid until the next consume. The root START is
 * t->ev[0] once t->n > 0 after the first feeds, and root_has_ns/root_ns are set with it. */
typedef struct belc_tape_parser belc_tape_parser;

belc_tape_parser *belc_tape_begin(belc_tape *t, const belc_names *names, size_t total_len);
int belc_tape_feed(belc_tape_parser *p, const char *data, size_t len);
size_t belc_tape_ready(const belc_tape *t);
void belc_tape_consume(belc_tape_parser *p);
int belc_tape_end(belc_tape_parser *p);
void belc_tape_abort(belc_tape_parser *p); /* free without the final checks; NULL is fine */

/* Make the NUL-terminated s valid UTF-8 in place: each byte that does not start a complete, well-formed
 * sequence (no overlong form, no surrogate, at most U+10FFFF) becomes '?'. For messages that quote the document
 * and were cut to fit a buffer, possibly inside a character, before they become Python str. */
void belc_utf8_sanitize(char *s);

/* One-time process setup of libxml2 (xmlInitParser). Safe to call more than once. */
void belc_saxtape_global_init(void);

#endif
