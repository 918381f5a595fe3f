/* saxtape.c -- safe libxml2 SAX2 parse into an event tape; see saxtape.h. */
#include "saxtape.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlversion.h>

/* --- names --- */

static uint32_t
fnv1a(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    size_t i;
    for (i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

int
belc_names_init(belc_names *t, const char *const *names, const size_t *lens, size_t n)
{
    size_t i, size = 16;

    memset(t, 0, sizeof(*t));
    while (size < 2 * n + 1)
        size *= 2;
    t->names = calloc(n ? n : 1, sizeof(char *));
    t->lens = calloc(n ? n : 1, sizeof(size_t));
    t->slots = malloc(size * sizeof(int32_t));
    if (t->names == NULL || t->lens == NULL || t->slots == NULL)
        goto error;
    t->mask = size - 1;
    for (i = 0; i < size; i++)
        t->slots[i] = -1;
    for (i = 0; i < n; i++) {
        size_t h;
        t->names[i] = malloc(lens[i] + 1);
        if (t->names[i] == NULL)
            goto error;
        t->n = i + 1;
        memcpy(t->names[i], names[i], lens[i]);
        t->names[i][lens[i]] = '\0';
        t->lens[i] = lens[i];
        if (belc_names_lookup(t, names[i], lens[i]) >= 0)
            continue; /* duplicate: first id wins */
        h = fnv1a(names[i], lens[i]) & t->mask;
        while (t->slots[h] >= 0)
            h = (h + 1) & t->mask;
        t->slots[h] = (int32_t)i;
    }
    t->n = n;
    return 0;
error:
    belc_names_free(t);
    return -1;
}

void
belc_names_free(belc_names *t)
{
    size_t i;
    if (t->names)
        for (i = 0; i < t->n; i++)
            free(t->names[i]);
    free(t->names);
    free(t->lens);
    free(t->slots);
    memset(t, 0, sizeof(*t));
}

int32_t
belc_names_lookup(const belc_names *t, const char *name, size_t len)
{
    size_t h;
    if (t == NULL || t->slots == NULL)
        return -1;
    h = fnv1a(name, len) & t->mask;
    while (t->slots[h] >= 0) {
        int32_t id = t->slots[h];
        if (t->lens[id] == len && memcmp(t->names[id], name, len) == 0)
            return id;
        h = (h + 1) & t->mask;
    }
    return -1;
}

/* --- messages --- */

void
belc_utf8_sanitize(char *s)
{
    unsigned char *p = (unsigned char *)s;
    while (*p) {
        unsigned cp, min;
        size_t need, k;
        if (*p < 0x80) {
            p++;
            continue;
        }
        if (*p >= 0xc2 && *p <= 0xdf)
            need = 1, min = 0x80, cp = *p & 0x1f;
        else if (*p >= 0xe0 && *p <= 0xef)
            need = 2, min = 0x800, cp = *p & 0x0f;
        else if (*p >= 0xf0 && *p <= 0xf4)
            need = 3, min = 0x10000, cp = *p & 0x07;
        else {
            *p++ = '?';
            continue;
        }
        for (k = 1; k <= need; k++) { /* stops at the NUL: it is not a continuation byte */
            if ((p[k] & 0xc0) != 0x80)
                break;
            cp = (cp << 6) | (p[k] & 0x3f);
        }
        if (k <= need || cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            *p++ = '?';
            continue;
        }
        p += need + 1;
    }
}

/* --- tape --- */

#define PARSE_CHUNK (16 * 1024)
/* the arena is reserved for the texts of this much document at first (xml.c feeds 64 KiB batches, consuming
 * between them); a whole-document parse (belc_tape_parse) grows it as it goes */
#define ARENA_RESERVE (64 * 1024)

void
belc_tape_init(belc_tape *t)
{
    memset(t, 0, sizeof(*t));
}

void
belc_tape_free(belc_tape *t)
{
    free(t->ev);
    belc_buf_free(&t->arena);
    belc_buf_free(&t->root_ns);
    memset(t, 0, sizeof(*t));
}

typedef struct {
    belc_tape *tape;
    const belc_names *names;
    xmlParserCtxtPtr ctxt;
    int32_t ids[BELC_MAX_DEPTH + 1]; /* name id of each open element (bounded by the depth limit) */
    size_t depth;
    size_t namespaces;  /* namespace declarations seen so far */
    size_t text_start;  /* arena offset where the current text run began */
    int last_was_start; /* the previous event was a START: an END now closes a leaf */
    int seen_root;
    int failed;
} sax_state;

static void
fail(sax_state *st, const char *fmt, ...)
{
    va_list ap;
    if (!st->failed) {
        va_start(ap, fmt);
        vsnprintf(st->tape->error, sizeof(st->tape->error), fmt, ap);
        va_end(ap);
        belc_utf8_sanitize(st->tape->error); /* element names are quoted, and cut to fit */
        st->failed = 1;
    }
    if (st->ctxt)
        xmlStopParser(st->ctxt);
}

static belc_event *
push_event(sax_state *st)
{
    belc_tape *t = st->tape;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        belc_event *ev;
        if (cap > ((size_t)-1) / sizeof(belc_event)) {
            fail(st, "out of memory");
            return NULL;
        }
        ev = realloc(t->ev, cap * sizeof(belc_event));
        if (ev == NULL) {
            fail(st, "out of memory");
            return NULL;
        }
        t->ev = ev;
        t->cap = cap;
    }
    return &t->ev[t->n++];
}

static void
on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri, int nb_namespaces,
         const xmlChar **namespaces, int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
    sax_state *st = ctx;
    size_t len = strlen((const char *)localname);
    belc_event *ev;
    int32_t id;
    (void)prefix, (void)namespaces, (void)nb_defaulted, (void)attributes;

    if (st->failed)
        return;
    if (nb_attributes > BELC_MAX_ATTRIBUTES) {
        fail(st, "element <%.100s> has %d attributes (at most %d are allowed)", (const char *)localname, nb_attributes,
             BELC_MAX_ATTRIBUTES);
        return;
    }
    st->namespaces += (size_t)nb_namespaces;
    if (st->namespaces > BELC_MAX_NAMESPACES) {
        fail(st, "more than %d namespace declarations", BELC_MAX_NAMESPACES);
        return;
    }
    if (!st->seen_root && uri != NULL) {
        /* the root element: keep its namespace URI (xmlns="" gives uri == NULL: no namespace) */
        st->tape->root_has_ns = 1;
        if (belc_buf_append_str(&st->tape->root_ns, (const char *)uri) < 0) {
            fail(st, "out of memory");
            return;
        }
    }
    /* text seen since the last tag belongs to a container: drop it */
    st->tape->arena.len = st->text_start;
    id = belc_names_lookup(st->names, (const char *)localname, len);
    ev = push_event(st);
    if (ev == NULL)
        return;
    ev->kind = BELC_EV_START;
    ev->flags = 0;
    ev->id = id;
    ev->off = 0;
    ev->len = 0;
    if (id < 0) {
        ev->off = (uint32_t)st->tape->arena.len;
        ev->len = (uint32_t)len;
        if (belc_buf_append(&st->tape->arena, localname, len) < 0 || belc_buf_append_char(&st->tape->arena, '\0') < 0) {
            fail(st, "out of memory");
            return;
        }
    }
    st->seen_root = 1;
    st->depth++;
    if (st->depth > BELC_MAX_DEPTH) {
        fail(st, "document nested deeper than %d elements", BELC_MAX_DEPTH);
        return;
    }
    st->ids[st->depth] = id;
    if (st->depth > st->tape->max_depth_seen)
        st->tape->max_depth_seen = st->depth;
    st->text_start = st->tape->arena.len;
    st->last_was_start = 1;
}

static void
on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
    sax_state *st = ctx;
    belc_event *ev;
    int32_t id;
    (void)prefix, (void)uri;

    if (st->failed || st->depth == 0)
        return;
    (void)localname;
    id = st->ids[st->depth]; /* libxml2 only reports an end that matches the open element */
    ev = push_event(st);
    if (ev == NULL)
        return;
    ev->kind = BELC_EV_END;
    ev->id = id;
    if (st->last_was_start) {
        ev->flags = BELC_EV_LEAF;
        ev->off = (uint32_t)st->text_start;
        ev->len = (uint32_t)(st->tape->arena.len - st->text_start);
        if (belc_buf_append_char(&st->tape->arena, '\0') < 0) {
            fail(st, "out of memory");
            return;
        }
    }
    else {
        ev->flags = 0;
        ev->off = 0;
        ev->len = 0;
        st->tape->arena.len = st->text_start; /* trailing container whitespace */
    }
    st->depth--;
    st->text_start = st->tape->arena.len;
    st->last_was_start = 0;
}

static void
on_text(void *ctx, const xmlChar *ch, int len)
{
    sax_state *st = ctx;
    /* text after an end tag belongs to the enclosing container (indentation): never a leaf's, so not kept */
    if (st->failed || st->depth == 0 || !st->last_was_start)
        return;
    if (belc_buf_append(&st->tape->arena, ch, (size_t)len) < 0)
        fail(st, "out of memory");
}

static void
on_internal_subset(void *ctx, const xmlChar *name, const xmlChar *external_id, const xmlChar *system_id)
{
    (void)name, (void)external_id, (void)system_id;
    fail(ctx, "a document type declaration (DTD) is not allowed in a response");
}

static xmlEntityPtr
on_get_entity(void *ctx, const xmlChar *name)
{
    /* only the five predefined entities exist; libxml2 resolves those before asking us */
    (void)ctx, (void)name;
    return NULL;
}

static void
on_entity_decl(void *ctx, const xmlChar *name, int type, const xmlChar *public_id, const xmlChar *system_id,
               xmlChar *content)
{
    (void)name, (void)type, (void)public_id, (void)system_id, (void)content;
    fail(ctx, "an entity declaration is not allowed in a response");
}

static void
on_structured_error(void *ctx, xmlErrorPtr err)
{
    sax_state *st = ctx;
    size_t n;
    if (err == NULL || err->level < XML_ERR_ERROR || st->failed)
        return;
    st->failed = 1;
    snprintf(st->tape->error, sizeof(st->tape->error), "line %d: %s", err->line,
             err->message ? err->message : "malformed XML");
    n = strlen(st->tape->error);
    while (n && (st->tape->error[n - 1] == '\n' || st->tape->error[n - 1] == ' '))
        st->tape->error[--n] = '\0';
    /* libxml2 quotes the document (a PI, a name, a URI): cut to fit, the message can end inside a character */
    belc_utf8_sanitize(st->tape->error);
}

void
belc_saxtape_global_init(void)
{
    xmlInitParser();
}

struct belc_tape_parser {
    sax_state st;
    xmlSAXHandler sax;
    xmlParserCtxtPtr ctxt;
    size_t total, fed; /* the document's length, and how much of it was fed */
};

belc_tape_parser *
belc_tape_begin(belc_tape *t, const belc_names *names, size_t total_len)
{
    belc_tape_parser *p;
    int options;

    t->error[0] = '\0';
    if (total_len == 0) {
        snprintf(t->error, sizeof(t->error), "empty document");
        return NULL;
    }
    if (total_len >= (size_t)UINT32_MAX) {
        snprintf(t->error, sizeof(t->error), "document too large (%zu bytes)", total_len);
        return NULL;
    }
    p = calloc(1, sizeof(*p));
    /* the arena holds at most the text of what was fed since the last consume, plus one NUL per element */
    if (p == NULL ||
        belc_buf_reserve(&t->arena, (total_len < ARENA_RESERVE ? total_len : ARENA_RESERVE) / 2 + 64) < 0) {
        free(p);
        snprintf(t->error, sizeof(t->error), "out of memory");
        return NULL;
    }
    p->st.tape = t;
    p->st.names = names;
    p->total = total_len;

    p->sax.initialized = XML_SAX2_MAGIC;
    p->sax.startElementNs = on_start;
    p->sax.endElementNs = on_end;
    p->sax.characters = on_text;
    p->sax.cdataBlock = on_text;
    p->sax.ignorableWhitespace = on_text;
    p->sax.internalSubset = on_internal_subset;
    p->sax.externalSubset = on_internal_subset;
    p->sax.getEntity = on_get_entity;
    p->sax.getParameterEntity = on_get_entity;
    p->sax.entityDecl = on_entity_decl;
    p->sax.serror = on_structured_error;

    p->ctxt = xmlCreatePushParserCtxt(&p->sax, &p->st, NULL, 0, NULL);
    if (p->ctxt == NULL) {
        free(p);
        snprintf(t->error, sizeof(t->error), "out of memory");
        return NULL;
    }
    p->st.ctxt = p->ctxt;
    /* no network, no entity substitution, no DTD loading, no HUGE (libxml2's depth and size limits stay on) */
    options = XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR;
#if LIBXML_VERSION >= 21300
    options |= XML_PARSE_NO_XXE;
#endif
    xmlCtxtUseOptions(p->ctxt, options);
    p->ctxt->replaceEntities = 0;
    return p;
}

int
belc_tape_feed(belc_tape_parser *p, const char *data, size_t len)
{
    belc_tape *t = p->st.tape;
    size_t done = 0;

    if (len > p->total - p->fed) {
        fail(&p->st, "fed more than the document's length");
        return -1;
    }
    /* Fed in small pieces: libxml2 (2.9) refuses to look ahead through more than 10,000,000 unparsed bytes
     * ("Huge input lookup"), so a large answer given in one piece failed; and between pieces, what is still
     * unparsed is the one construct libxml2 is waiting to see the end of, which BELC_MAX_MARKUP bounds. */
    while (!p->st.failed && done < len) {
        size_t chunk = len - done;
        int terminate;
        if (chunk > PARSE_CHUNK)
            chunk = PARSE_CHUNK;
        terminate = p->fed + done + chunk == p->total;
        if (xmlParseChunk(p->ctxt, data + done, (int)chunk, terminate) != 0 && !p->st.failed) {
            snprintf(t->error, sizeof(t->error), "malformed XML");
            p->st.failed = 1;
        }
        done += chunk;
        if (!p->st.failed && p->ctxt->input != NULL && p->ctxt->input->end - p->ctxt->input->cur > BELC_MAX_MARKUP)
            fail(&p->st, "a tag, comment, CDATA section or processing instruction is longer than %d bytes",
                 BELC_MAX_MARKUP);
    }
    p->fed += done;
    return p->st.failed ? -1 : 0;
}

size_t
belc_tape_ready(const belc_tape *t)
{
    /* a START at the very end may yet become a leaf, whose END needs it next to it: hold it back */
    return t->n > 0 && t->ev[t->n - 1].kind == BELC_EV_START ? t->n - 1 : t->n;
}

void
belc_tape_consume(belc_tape_parser *p)
{
    belc_tape *t = p->st.tape;
    size_t ready = belc_tape_ready(t), keep = t->n - ready, base = p->st.text_start;

    /* what stays: the held-back START (its name, if unknown, is in the arena) and the text run in progress */
    if (keep && t->ev[ready].id < 0 && t->ev[ready].off < base)
        base = t->ev[ready].off;
    if (base > t->arena.len) /* cannot happen: text_start never passes the arena's end */
        base = t->arena.len;
    if (base > 0) {
        memmove(t->arena.data, t->arena.data + base, t->arena.len - base);
        t->arena.len -= base;
    }
    if (keep) {
        t->ev[0] = t->ev[ready];
        if (t->ev[0].id < 0)
            t->ev[0].off -= (uint32_t)base;
    }
    t->n = keep;
    p->st.text_start -= base;
}

int
belc_tape_end(belc_tape_parser *p)
{
    belc_tape *t = p->st.tape;
    int rc;

    if (!p->st.failed && p->fed != p->total) {
        snprintf(t->error, sizeof(t->error), "document cut short");
        p->st.failed = 1;
    }
    if (!p->st.failed && !p->ctxt->wellFormed) {
        snprintf(t->error, sizeof(t->error), "malformed XML");
        p->st.failed = 1;
    }
    if (!p->st.failed && !p->st.seen_root) {
        snprintf(t->error, sizeof(t->error), "empty document");
        p->st.failed = 1;
    }
    rc = p->st.failed ? -1 : 0;
    belc_tape_abort(p);
    return rc;
}

void
belc_tape_abort(belc_tape_parser *p)
{
    if (p == NULL)
        return;
    if (p->ctxt) {
        if (p->ctxt->myDoc) /* SAX without a tree builder makes none, but be sure */
            xmlFreeDoc(p->ctxt->myDoc);
        xmlFreeParserCtxt(p->ctxt);
    }
    free(p);
}

int
belc_tape_parse(belc_tape *t, const belc_names *names, const char *data, size_t len)
{
    belc_tape_parser *p = belc_tape_begin(t, names, len);
    if (p == NULL)
        return -1;
    if (belc_tape_feed(p, data, len) < 0) {
        belc_tape_abort(p);
        return -1;
    }
    return belc_tape_end(p);
}
