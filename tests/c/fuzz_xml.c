/* fuzz_xml.c -- libFuzzer target for the response XML parser (ext/saxtape.c) and its name table.
 *
 * Every input is parsed three times: with the shape table's names (shape_names.h, generated from
 * boto_elb_c/ec2/elb/_shapes.py by tests/tools/make_seeds.py), with the names errors.c scans error bodies with,
 * and with no table (as _core._xml_events does). The target checks what xml.c and errors.c rely on:
 *   - a refused document has a NUL-terminated, non-empty message that is valid UTF-8 (it becomes a Python str);
 *   - an accepted one has a tape whose STARTs and ENDs balance, never deeper than BELC_MAX_DEPTH, whose
 *     max_depth_seen is right, whose name ids are in range, whose unknown names and leaf texts lie inside the
 *     arena, end with a NUL there and are valid UTF-8 (xml.c decodes them strictly), and whose END ids match
 *     their START's;
 *   - the three runs agree on acceptance and on the tape's shape (the table changes ids, nothing else);
 *   - the root namespace, when recorded, is a NUL-terminated string;
 *   - the streaming parse (belc_tape_begin/feed/consume/end, as xml.c drives it), fed in pieces whose sizes come
 *     from the input, hands out exactly the events and texts of the whole parse, each START of a leaf next to its
 *     END, and keeps the tape no longer than a piece's events; only the markup-length limit, checked between
 *     pieces, may refuse a document in one and not the other.
 * A violation abort()s, which libFuzzer reports as a crash. ASan/UBSan/LeakSanitizer do the rest.
 *
 * Build: tests/tools/fuzz.sh (clang -fsanitize=fuzzer,address,undefined, linked with the ext/ sources).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "saxtape.h"
#include "shape_names.h"

static belc_names shape_names, error_names;

static const char *const ERROR_FIELDS[] = {"Code", "Message", "RequestId", "RequestID", "BoxUsage"};

static void
must(int cond, const char *what)
{
    if (!cond) {
        fprintf(stderr, "fuzz_xml: invariant violated: %s\n", what);
        abort();
    }
}

static void
init_table(belc_names *t, const char *const *names, size_t n)
{
    size_t *lens = malloc((n ? n : 1) * sizeof(size_t));
    size_t i;
    must(lens != NULL, "malloc");
    for (i = 0; i < n; i++)
        lens[i] = strlen(names[i]);
    must(belc_names_init(t, names, lens, n) == 0, "belc_names_init");
    /* the table finds every name it was given, and its first id for a duplicate */
    for (i = 0; i < n; i++) {
        int32_t id = belc_names_lookup(t, names[i], lens[i]);
        must(id >= 0 && (size_t)id <= i && strcmp(names[id], names[i]) == 0, "name table lookup");
    }
    free(lens);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    belc_saxtape_global_init();
    init_table(&shape_names, BELC_SHAPE_NAMES, BELC_N_SHAPE_NAMES);
    init_table(&error_names, ERROR_FIELDS, sizeof(ERROR_FIELDS) / sizeof(ERROR_FIELDS[0]));
    return 0;
}

/* well-formed UTF-8 (no overlong form, no surrogate, at most U+10FFFF): what xml.c decodes strictly */
static int
utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i], need, min, cp, k;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf)
            need = 1, min = 0x80, cp = c & 0x1f;
        else if (c >= 0xe0 && c <= 0xef)
            need = 2, min = 0x800, cp = c & 0x0f;
        else if (c >= 0xf0 && c <= 0xf4)
            need = 3, min = 0x10000, cp = c & 0x07;
        else
            return 0;
        if (i + need >= n)
            return 0;
        for (k = 1; k <= need; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        i += need + 1;
    }
    return 1;
}

/* a string the tape points at: inside the arena, NUL-terminated at off+len, valid UTF-8 */
static void
check_span(const belc_tape *t, uint32_t off, uint32_t len, int exact)
{
    must((size_t)off + len < t->arena.len + 1 && t->arena.data != NULL, "span inside the arena");
    must(t->arena.data[off + len] == '\0', "span NUL-terminated");
    if (exact)
        must(strlen(t->arena.data + off) == len, "name has no NUL inside");
    must(utf8_valid((const unsigned char *)t->arena.data + off, len), "span is valid UTF-8");
}

static void
check_tape(const belc_tape *t, const belc_names *names, int rc)
{
    size_t i, depth = 0, max_depth = 0, *stack;

    must(memchr(t->error, '\0', sizeof(t->error)) != NULL, "error message NUL-terminated");
    must(utf8_valid((const unsigned char *)t->error, strlen(t->error)), "error message is valid UTF-8");
    if (rc != 0) {
        must(rc == -1, "rc is 0 or -1");
        must(t->error[0] != '\0', "a refused document says why");
        return;
    }
    must(t->n > 0, "an accepted document has a root");
    must(t->ev[0].kind == BELC_EV_START, "the tape starts with the root");
    if (t->root_has_ns)
        must(t->root_ns.data != NULL && strlen(t->root_ns.data) == t->root_ns.len, "root namespace is a string");
    stack = malloc((BELC_MAX_DEPTH + 1) * sizeof(size_t));
    must(stack != NULL, "malloc");
    for (i = 0; i < t->n; i++) {
        const belc_event *ev = &t->ev[i];
        must(ev->id >= -1 && (names == NULL ? ev->id == -1 : ev->id < (int32_t)names->n), "id in range");
        if (ev->kind == BELC_EV_START) {
            must(ev->flags == 0, "START has no flags");
            if (ev->id < 0) {
                must(ev->len > 0, "unknown name is not empty");
                check_span(t, ev->off, ev->len, 1);
            }
            must(depth < BELC_MAX_DEPTH, "depth bounded");
            stack[depth++] = i;
            if (depth > max_depth)
                max_depth = depth;
            must(depth > 1 || i == 0, "a single root element");
        }
        else {
            const belc_event *start;
            must(ev->kind == BELC_EV_END, "event kind");
            must(depth > 0, "END has a START");
            start = &t->ev[stack[--depth]];
            must(start->id == ev->id, "END id matches its START");
            must(((ev->flags & BELC_EV_LEAF) != 0) == (stack[depth] == i - 1), "LEAF iff no child element");
            if (ev->flags & BELC_EV_LEAF)
                check_span(t, ev->off, ev->len, 0);
            else
                must(ev->off == 0 && ev->len == 0, "container END carries no text");
        }
    }
    must(depth == 0, "every START has its END");
    must(max_depth == t->max_depth_seen, "max_depth_seen");
    free(stack);
}

/* same acceptance, same events, same texts: only the ids (and where unknown names are) differ */
static void
compare_tapes(const belc_tape *a, int rc_a, const belc_tape *b, int rc_b)
{
    size_t i;
    must(rc_a == rc_b, "acceptance does not depend on the name table");
    if (rc_a != 0)
        return;
    must(a->n == b->n, "same number of events");
    must(a->root_has_ns == b->root_has_ns, "same root namespace flag");
    if (a->root_has_ns)
        must(strcmp(a->root_ns.data, b->root_ns.data) == 0, "same root namespace");
    for (i = 0; i < a->n; i++) {
        const belc_event *x = &a->ev[i], *y = &b->ev[i];
        must(x->kind == y->kind && x->flags == y->flags, "same events");
        if (x->kind == BELC_EV_END && (x->flags & BELC_EV_LEAF))
            must(x->len == y->len && memcmp(a->arena.data + x->off, b->arena.data + y->off, x->len) == 0,
                 "same leaf text");
    }
}

/* the events the streaming parse handed out, with their texts copied (the arena is reused as it goes) */
typedef struct {
    belc_tape t; /* ev and arena as in a whole tape */
} collected;

static void
collect(collected *c, const belc_tape *t, size_t ready)
{
    size_t i;
    for (i = 0; i < ready; i++) {
        belc_event ev = t->ev[i];
        if ((ev.kind == BELC_EV_START && ev.id < 0) || (ev.kind == BELC_EV_END && (ev.flags & BELC_EV_LEAF))) {
            size_t off = c->t.arena.len;
            check_span(t, ev.off, ev.len, 0);
            must(belc_buf_append(&c->t.arena, t->arena.data + ev.off, (size_t)ev.len + 1) == 0, "append");
            ev.off = (uint32_t)off;
        }
        if (ev.kind == BELC_EV_END && (ev.flags & BELC_EV_LEAF))
            must(i > 0 && t->ev[i - 1].kind == BELC_EV_START, "a leaf's START is handed out with its END");
        if (c->t.n == c->t.cap) {
            c->t.cap = c->t.cap ? 2 * c->t.cap : 64;
            c->t.ev = realloc(c->t.ev, c->t.cap * sizeof(belc_event));
            must(c->t.ev != NULL, "realloc");
        }
        c->t.ev[c->t.n++] = ev;
    }
}

static int
is_markup_limit(const belc_tape *t)
{
    return strncmp(t->error, "a tag, comment", 14) == 0;
}

static void
check_streaming(const uint8_t *data, size_t size, const belc_tape *whole, int rc_whole)
{
    belc_tape t;
    collected c;
    belc_tape_parser *p;
    size_t done = 0, i;
    uint32_t seed = 2166136261u;
    int rc = 0;

    for (i = 0; i < size && i < 16; i++)
        seed = (seed ^ data[i]) * 16777619u;
    belc_tape_init(&t);
    memset(&c, 0, sizeof(c));
    belc_tape_init(&c.t);
    p = belc_tape_begin(&t, &shape_names, size);
    if (p == NULL)
        rc = -1;
    while (p != NULL && done < size) {
        size_t piece, ready;
        seed = seed * 1103515245u + 12345u;
        piece = 1 + (seed >> 16) % (seed & 0x100 ? 4096 : 7);
        if (piece > size - done)
            piece = size - done;
        rc = belc_tape_feed(p, (const char *)data + done, piece);
        done += piece;
        if (rc < 0)
            break;
        ready = belc_tape_ready(&t);
        must(t.n - ready <= 1, "at most one START held back");
        collect(&c, &t, ready);
        belc_tape_consume(p);
        must(t.n <= 1, "consume leaves at most the held-back START");
    }
    if (p != NULL) {
        if (rc == 0) {
            rc = belc_tape_end(p); /* frees p */
            must(rc != 0 || t.n == 0, "nothing held back at the end");
        }
        else
            belc_tape_abort(p);
    }
    if (rc != 0)
        must(t.error[0] != '\0', "a refused stream says why");
    if ((rc == 0) != (rc_whole == 0)) {
        must(rc == 0 ? is_markup_limit(whole) : is_markup_limit(&t), "streaming and whole parse agree on acceptance");
    }
    else if (rc == 0) {
        c.t.max_depth_seen = whole->max_depth_seen;
        c.t.root_has_ns = t.root_has_ns; /* the streaming tape's root namespace, compared with the whole one's */
        c.t.root_ns = t.root_ns;
        memset(&t.root_ns, 0, sizeof(t.root_ns));
        check_tape(&c.t, &shape_names, 0);
        compare_tapes(whole, 0, &c.t, 0);
        for (i = 0; i < whole->n; i++)
            must(whole->ev[i].id == c.t.ev[i].id, "same ids");
    }
    belc_tape_free(&t);
    belc_tape_free(&c.t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    belc_tape with_names, with_errors, plain;
    int rc_names, rc_errors, rc_plain;

    belc_tape_init(&with_names);
    belc_tape_init(&with_errors);
    belc_tape_init(&plain);
    rc_names = belc_tape_parse(&with_names, &shape_names, (const char *)data, size);
    rc_errors = belc_tape_parse(&with_errors, &error_names, (const char *)data, size);
    rc_plain = belc_tape_parse(&plain, NULL, (const char *)data, size);
    check_tape(&with_names, &shape_names, rc_names);
    check_tape(&with_errors, &error_names, rc_errors);
    check_tape(&plain, NULL, rc_plain);
    compare_tapes(&with_names, rc_names, &plain, rc_plain);
    compare_tapes(&with_errors, rc_errors, &plain, rc_plain);
    check_streaming(data, size, &with_names, rc_names);
    belc_tape_free(&with_names);
    belc_tape_free(&with_errors);
    belc_tape_free(&plain);
    return 0;
}
