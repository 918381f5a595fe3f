/* xml.c -- response XML -> boto's Python objects, driven by the shape table.
 *
 * Owns: the builder that walks saxtape.c's events, guided by the shape table (shapes.c), and makes objects the
 * way boto's SAX handler does: `cls(arg)`, then attributes; elements the table does not name are transparent,
 * and an unknown leaf becomes an attribute of the current object (boto's setattr), never clobbering an existing
 * attribute or a private name.
 * The parse streams: the body goes to libxml2 64 KiB at a time with the GIL released, and the events each batch
 * completes are built into objects (GIL held) and dropped before the next, so the tape stays the size of a batch
 * whatever the answer's size. The root's namespace is checked before any object is made; a 2xx <ErrorResponse>
 * is raised as the service's error once the whole document has parsed (a malformed one is a parse error).
 */
#include "shapes.h"

#include <string.h>

/* --- the builder --- */

typedef struct {
    PyObject *node; /* strong reference */
    int cls;
    size_t depth; /* element depth at which this node's element started; 0 for the root */
} frame;

/* Values repeat across a response (protocols, zones, policy names, ports): one Python object per distinct short
 * text, per parse, saves allocations and memory. Keyed by the text's bytes in the tape's arena and the converter. */
#define VCACHE_MAX_SIZE 4096 /* powers of two; sized to the document so a small answer pays little */
#define VCACHE_MIN_SIZE 64
#define VCACHE_MAX_LEN 64

typedef struct {
    uint32_t hash;
    uint32_t len;
    int conv;
    PyObject *value; /* strong reference; NULL: a free slot */
} vcache_entry;  /* the key's bytes: vcache_keys + slot * VCACHE_MAX_LEN (the arena is reused as the parse goes) */

typedef struct {
    belc_state *st;
    belc_shapes *sh;
    const belc_tape *tape;
    PyObject *empty_tuple;
    vcache_entry *vcache; /* NULL: no cache */
    char *vcache_keys;
    size_t vcache_mask;
    /* the objects being filled: one frame per open element that made an object, the root's first */
    frame frames[BELC_MAX_DEPTH + 2];
    size_t n_frames;
    size_t depth; /* elements open */
    PyObject *connection;
    long status;
    const char *reason;
    const char *body;
    size_t body_len;
} builder;

static PyObject *
parse_error(builder *b, const char *fmt, ...)
{
    char detail[512];
    va_list ap;
    va_start(ap, fmt);
    PyOS_vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    belc_utf8_sanitize(detail); /* quoted text (%.80s) can be cut inside a character */
    return belc_raise_parse_error(b->st, b->status, b->reason, b->body, b->body_len, detail);
}

static const char *
event_name(builder *b, size_t i)
{
    const belc_event *ev = &b->tape->ev[i];
    if (ev->id >= 0)
        return b->sh->names.names[ev->id];
    /* an END carries no name: the matching START is right before it for a leaf */
    if (ev->kind == BELC_EV_END && i > 0)
        ev = &b->tape->ev[i - 1];
    return ev->kind == BELC_EV_START ? b->tape->arena.data + ev->off : "?";
}

static PyObject *convert_uncached(builder *b, size_t i, int conv);

/* text of a leaf END event -> Python value by converter (through the per-parse value cache). New reference. */
static PyObject *
convert(builder *b, size_t i, int conv)
{
    const belc_event *ev = &b->tape->ev[i];
    const char *text = b->tape->arena.data + ev->off;
    uint32_t h = 2166136261u;
    size_t k, slot, probes;
    vcache_entry *e;
    PyObject *v;

    if (b->vcache == NULL || ev->len > VCACHE_MAX_LEN || conv == CONV_BOOL)
        return convert_uncached(b, i, conv);
    for (k = 0; k < ev->len; k++) {
        h ^= (unsigned char)text[k];
        h *= 16777619u;
    }
    h ^= (uint32_t)conv;
    slot = h & b->vcache_mask;
    for (probes = 0; probes < 8; probes++, slot = (slot + 1) & b->vcache_mask) {
        e = &b->vcache[slot];
        if (e->value == NULL)
            break;
        if (e->hash == h && e->len == ev->len && e->conv == conv &&
            memcmp(b->vcache_keys + slot * VCACHE_MAX_LEN, text, ev->len) == 0)
            return Py_NewRef(e->value);
    }
    v = convert_uncached(b, i, conv);
    if (v != NULL && probes < 8 && e->value == NULL) {
        e->hash = h;
        e->len = ev->len;
        e->conv = conv;
        memcpy(b->vcache_keys + slot * VCACHE_MAX_LEN, text, ev->len);
        e->value = Py_NewRef(v);
    }
    return v;
}

static void
vcache_init(builder *b, size_t body_len)
{
    size_t size = VCACHE_MIN_SIZE;
    while (size < VCACHE_MAX_SIZE && size < body_len / 64) /* about one leaf per 16 bytes; a quarter distinct */
        size *= 2;
    b->vcache = PyMem_Calloc(size, sizeof(vcache_entry));
    b->vcache_keys = PyMem_Malloc(size * VCACHE_MAX_LEN);
    if (b->vcache == NULL || b->vcache_keys == NULL) { /* no cache is fine */
        PyMem_Free(b->vcache);
        PyMem_Free(b->vcache_keys);
        b->vcache = NULL;
        b->vcache_keys = NULL;
    }
    b->vcache_mask = size - 1;
}

static void
vcache_free(builder *b)
{
    size_t i;
    if (b->vcache == NULL)
        return;
    for (i = 0; i <= b->vcache_mask; i++)
        Py_XDECREF(b->vcache[i].value);
    PyMem_Free(b->vcache);
    PyMem_Free(b->vcache_keys);
    b->vcache = NULL;
    b->vcache_keys = NULL;
}

static PyObject *
convert_uncached(builder *b, size_t i, int conv)
{
    const belc_event *ev = &b->tape->ev[i];
    const char *text = b->tape->arena.data + ev->off;

    switch (conv) {
    case CONV_INT: {
        char *end = NULL;
        PyObject *v;
        const char *p = text;
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (*p == '\0')
            return parse_error(b, "element <%s> should hold an integer and is empty", event_name(b, i));
        v = PyLong_FromString(p, &end, 10);
        if (v == NULL) {
            PyErr_Clear();
            return parse_error(b, "element <%s> should hold an integer, not '%.80s'", event_name(b, i), text);
        }
        return v;
    }
    case CONV_BOOL: {
        const char *p = text;
        size_t n;
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        n = strlen(p);
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\n' || p[n - 1] == '\r'))
            n--;
        return PyBool_FromLong(n == 4 && (p[0] | 32) == 't' && (p[1] | 32) == 'r' && (p[2] | 32) == 'u' &&
                               (p[3] | 32) == 'e');
    }
    default:
        return PyUnicode_DecodeUTF8(text, (Py_ssize_t)ev->len, "strict");
    }
}

static int
set_unknown(builder *b, PyObject *node, size_t i)
{
    const char *name = event_name(b, i);
    const belc_event *ev = &b->tape->ev[i];
    PyObject *name_o, *value;
    int rc = -1, has;

    if (name[0] == '_' || name[0] == '\0')
        return 0;
    name_o = ev->id >= 0 ? Py_NewRef(b->sh->name_objs[ev->id]) : PyUnicode_FromString(name); /* new reference */
    if (name_o == NULL)
        return -1;
    has = PyObject_HasAttr(node, name_o);
    if (has) {
        rc = 0; /* never overwrite: a hostile element cannot replace a method or an attribute */
        goto cleanup;
    }
    value = PyUnicode_DecodeUTF8(b->tape->arena.data + ev->off, (Py_ssize_t)ev->len, "strict");
    if (value == NULL)
        goto cleanup;
    rc = PyObject_SetAttr(node, name_o, value);
    Py_DECREF(value);
    if (rc < 0 && (PyErr_ExceptionMatches(PyExc_AttributeError) || PyErr_ExceptionMatches(PyExc_TypeError))) {
        PyErr_Clear(); /* objects without a __dict__ (plain lists) just do not get the extra attribute */
        rc = 0;
    }
cleanup:
    Py_DECREF(name_o);
    return rc;
}

/* cls(arg) without running __init__: allocate, then set what __init__ would set, in its order */
static PyObject *
construct_fast(builder *b, const belc_class *c, PyObject *arg, int defer_factories)
{
    PyObject *obj;
    Py_ssize_t i;

    obj = c->init_type->tp_new(c->init_type, b->empty_tuple, NULL); /* new reference */
    if (obj == NULL)
        return NULL;
    for (i = 0; i < c->init_n; i++) {
        PyObject *v = PyTuple_GET_ITEM(c->init_values, i);
        int rc;
        switch (c->init_kinds[i]) {
        case INIT_ARG:
            rc = PyObject_SetAttr(obj, PyTuple_GET_ITEM(c->init_names, i), arg);
            break;
        case INIT_DEFERRED:
            if (defer_factories) {
                /* a placeholder in the attribute's place (keeping __init__'s attribute order); filled by
                 * fill_factories() when the element closes, unless the element's content set it */
                rc = PyObject_SetAttr(obj, PyTuple_GET_ITEM(c->init_names, i), Py_None);
                break;
            }
            /* fall through */
        case INIT_FACTORY:
            v = PyObject_CallNoArgs(v); /* new reference */
            if (v == NULL) {
                Py_DECREF(obj);
                return NULL;
            }
            rc = PyObject_SetAttr(obj, PyTuple_GET_ITEM(c->init_names, i), v);
            Py_DECREF(v);
            break;
        default:
            rc = PyObject_SetAttr(obj, PyTuple_GET_ITEM(c->init_names, i), v);
            break;
        }
        if (rc < 0) {
            Py_DECREF(obj);
            return NULL;
        }
    }
    return obj;
}

/* the deferred attributes construct_fast left as None and the content did not set: fresh empty containers now */
static int
fill_factories(const belc_class *c, PyObject *obj)
{
    Py_ssize_t i;
    if (c->init_type == NULL)
        return 0;
    for (i = 0; i < c->init_n; i++) {
        PyObject *name, *cur, *v;
        int rc;
        if (c->init_kinds[i] != INIT_DEFERRED)
            continue;
        name = PyTuple_GET_ITEM(c->init_names, i);
        cur = PyObject_GetAttr(obj, name); /* new reference */
        if (cur == NULL)
            return -1;
        Py_DECREF(cur);
        if (cur != Py_None)
            continue;
        v = PyObject_CallNoArgs(PyTuple_GET_ITEM(c->init_values, i)); /* new reference */
        if (v == NULL)
            return -1;
        rc = PyObject_SetAttr(obj, name, v);
        Py_DECREF(v);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static PyObject *
make_child(builder *b, const belc_rule *rule, PyObject *parent)
{
    const belc_class *c = &b->sh->classes[rule->child];
    PyObject *cls = c->cls;
    if (c->init_type)
        return construct_fast(b, c,
                              rule->ctor_arg == ARG_CONNECTION ? b->connection
                              : rule->ctor_arg == ARG_PARENT   ? parent
                                                               : Py_None,
                              1);
    switch (rule->ctor_arg) {
    case ARG_CONNECTION:
        return PyObject_CallOneArg(cls, b->connection);
    case ARG_PARENT:
        return PyObject_CallOneArg(cls, parent);
    default:
        return PyObject_CallNoArgs(cls);
    }
}

/* --- the root element --- */

/* The one namespace an ELB answer may be in (the API version's); a root in no namespace is accepted too. */
#define ELB_NAMESPACE "http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/"

/* A well-formed document that is not an answer: a 2xx whose root is <ErrorResponse> is the service's error
 * (raised as the BotoServerError subclass its code names, through BotoServerError.from_response, exactly as an
 * error status would be) once the whole document has parsed; a malformed one stays a ResponseParseError. */
static int
is_error_root(builder *b)
{
    return strcmp(event_name(b, 0), "ErrorResponse") == 0;
}

static void
raise_error_response(builder *b)
{
    PyObject *exc = PyObject_CallMethod(b->st->BotoServerError, "from_response", "lsy#", b->status,
                                        b->reason ? b->reason : "", b->body ? b->body : "",
                                        (Py_ssize_t)b->body_len); /* new reference */
    if (exc == NULL)
        return;
    PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
    Py_DECREF(exc);
}

/* A root in a foreign namespace is a ResponseParseError, raised at once. Returns 0 if the document may be built,
 * -1 with an exception set. */
static int
check_root(builder *b)
{
    const char *name = event_name(b, 0);

    if (b->tape->root_has_ns && strcmp(b->tape->root_ns.data ? b->tape->root_ns.data : "", ELB_NAMESPACE) != 0) {
        parse_error(b, "the root element <%.100s> is in the namespace '%.200s', not the ELB API's (" ELB_NAMESPACE ")",
                    name, b->tape->root_ns.data ? b->tape->root_ns.data : "");
        return -1;
    }
    return 0;
}

/* The builder runs as the parse goes: build_begin once, build_events on each batch of ready events, build_end
 * when the document is complete, build_release in every case. */
static void
build_begin(builder *b, PyObject *root, int root_cls)
{
    b->frames[0].node = Py_NewRef(root);
    b->frames[0].cls = root_cls;
    b->frames[0].depth = 0;
    b->n_frames = 1;
    b->depth = 0;
}

/* events [0, n) of the tape; 0, or -1 with an exception set */
static int
build_events(builder *b, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        const belc_event *ev = &b->tape->ev[i];
        frame *top = &b->frames[b->n_frames - 1];
        belc_class *c = &b->sh->classes[top->cls];
        int r = ev->id >= 0 ? c->rule_of[ev->id] : -1;
        const belc_rule *rule = r >= 0 ? &c->rules[r] : NULL;

        if (ev->kind == BELC_EV_START) {
            b->depth++;
            if (rule && (rule->kind == RULE_SET_CHILD || rule->kind == RULE_APPEND_CHILD)) {
                PyObject *child = make_child(b, rule, top->node); /* new reference */
                int err;
                if (child == NULL)
                    return -1;
                if (rule->kind == RULE_SET_CHILD)
                    err = PyObject_SetAttr(top->node, rule->attr, child);
                else if (PyList_Check(top->node))
                    err = PyList_Append(top->node, child);
                else {
                    PyObject *res = PyObject_CallMethod(top->node, "append", "O", child);
                    err = res ? 0 : -1;
                    Py_XDECREF(res);
                }
                if (err < 0) {
                    Py_DECREF(child);
                    return -1;
                }
                if (b->n_frames == sizeof(b->frames) / sizeof(b->frames[0])) { /* cannot happen: see saxtape.h */
                    Py_DECREF(child);
                    PyErr_SetString(PyExc_SystemError, "shape builder: frame stack overflow");
                    return -1;
                }
                b->frames[b->n_frames].node = child; /* reference now owned by the frame */
                b->frames[b->n_frames].cls = rule->child;
                b->frames[b->n_frames].depth = b->depth;
                b->n_frames++;
            }
            continue;
        }

        /* END */
        if (b->n_frames > 1 && top->depth == b->depth) {
            if ((ev->flags & BELC_EV_LEAF) && c->text_attr) {
                PyObject *v = convert(b, i, c->text_conv);
                if (v == NULL || PyObject_SetAttr(top->node, c->text_attr, v) < 0) {
                    Py_XDECREF(v);
                    return -1;
                }
                Py_DECREF(v);
            }
            if (fill_factories(c, top->node) < 0)
                return -1;
            if (c->end_hook) {
                PyObject *res = PyObject_CallMethodNoArgs(top->node, c->end_hook);
                if (res == NULL)
                    return -1;
                Py_DECREF(res);
            }
            Py_DECREF(top->node);
            b->n_frames--;
        }
        else if (ev->flags & BELC_EV_LEAF) {
            int kind = rule ? rule->kind : RULE_NONE;
            PyObject *v;
            switch (kind) {
            case RULE_SET_TEXT:
            case RULE_APPEND_TEXT:
                v = convert(b, i, rule->conv); /* new reference */
                if (v == NULL)
                    return -1;
                if (kind == RULE_SET_TEXT) {
                    if (PyObject_SetAttr(top->node, rule->attr, v) < 0) {
                        Py_DECREF(v);
                        return -1;
                    }
                }
                else if (PyList_Check(top->node) ? PyList_Append(top->node, v) < 0 : 1) {
                    if (!PyErr_Occurred())
                        PyErr_SetString(PyExc_TypeError, "shape table: APPEND_TEXT on an object that is not a list");
                    Py_DECREF(v);
                    return -1;
                }
                Py_DECREF(v);
                break;
            case RULE_IGNORE:
                break;
            case RULE_NONE:
                if (c->setattr_unknown && set_unknown(b, top->node, i) < 0)
                    return -1;
                break;
            default:
                break;
            }
        }
        b->depth--;
    }
    return 0;
}

/* the document is complete: the root's end hook */
static int
build_end(builder *b)
{
    PyObject *root = b->frames[0].node, *res;
    const belc_class *c = &b->sh->classes[b->frames[0].cls];
    if (b->n_frames != 1) { /* cannot happen: a well-formed document closes every element */
        PyErr_SetString(PyExc_SystemError, "shape builder: objects left open at the end of the document");
        return -1;
    }
    if (c->end_hook) {
        res = PyObject_CallMethodNoArgs(root, c->end_hook);
        if (res == NULL)
            return -1;
        Py_DECREF(res);
    }
    return 0;
}

/* drop the frames; after a failure, the objects left open still get their containers (they may be reachable
 * from the caller's root) */
static void
build_release(builder *b, int failed)
{
    while (b->n_frames > 0) {
        b->n_frames--;
        if (failed && b->n_frames > 0) {
            PyObject *exc_type, *exc_value, *exc_tb;
            PyErr_Fetch(&exc_type, &exc_value, &exc_tb);
            if (fill_factories(&b->sh->classes[b->frames[b->n_frames].cls], b->frames[b->n_frames].node) < 0)
                PyErr_Clear();
            PyErr_Restore(exc_type, exc_value, exc_tb);
        }
        Py_DECREF(b->frames[b->n_frames].node);
    }
}

static int
gc_pause(void)
{
#if PY_VERSION_HEX >= 0x030A0000
    return PyGC_Disable();
#else
    PyObject *gc = PyImport_ImportModule("gc"), *r;
    int was = 0;
    if (gc == NULL) {
        PyErr_Clear();
        return 0;
    }
    r = PyObject_CallMethod(gc, "isenabled", NULL);
    was = r != NULL && PyObject_IsTrue(r) == 1;
    Py_XDECREF(r);
    r = PyObject_CallMethod(gc, "disable", NULL);
    Py_XDECREF(r);
    Py_DECREF(gc);
    PyErr_Clear();
    return was;
#endif
}

static void
gc_resume(int was_enabled)
{
    if (!was_enabled)
        return;
#if PY_VERSION_HEX >= 0x030A0000
    PyGC_Enable();
#else
    {
        PyObject *exc_type, *exc_value, *exc_tb, *gc, *r;
        PyErr_Fetch(&exc_type, &exc_value, &exc_tb);
        gc = PyImport_ImportModule("gc");
        if (gc) {
            r = PyObject_CallMethod(gc, "enable", NULL);
            Py_XDECREF(r);
            Py_DECREF(gc);
        }
        PyErr_Clear();
        PyErr_Restore(exc_type, exc_value, exc_tb);
    }
#endif
}

/* how much of the body one GIL release parses: the events of one batch are built into objects and dropped before
 * the next, so the tape stays this small whatever the answer's size */
#define PARSE_BATCH (64 * 1024)

static PyObject *
core_parse(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"body", "root", "class_index", "connection", "status", "reason", NULL};
    belc_state *st = belc_get_state(module);
    Py_buffer body = {0};
    PyObject *root, *connection = Py_None, *result = NULL;
    int class_index, rc = 0, started = 0, error_root = 0, gc_was_enabled;
    long status = 200;
    const char *reason = "OK";
    belc_tape tape;
    belc_tape_parser *parser = NULL;
    belc_shapes *sh = st->shapes;
    builder b;
    size_t done = 0;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "y*Oi|Ols:parse", kwlist, &body, &root, &class_index, &connection,
                                     &status, &reason))
        return NULL;
    belc_tape_init(&tape);
    if (sh == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "no shape table installed (import boto_elb_c.ec2.elb)");
        goto done;
    }
    if (class_index < 0 || class_index >= sh->n_classes) {
        PyErr_Format(PyExc_ValueError, "class_index %d out of range", class_index);
        goto done;
    }
    b.st = st;
    b.sh = sh;
    b.vcache = NULL;
    b.vcache_keys = NULL;
    b.n_frames = 0;
    b.tape = &tape;
    b.connection = connection;
    b.status = status;
    b.reason = reason;
    b.body = body.buf;
    b.body_len = (size_t)body.len;
    b.empty_tuple = PyTuple_New(0); /* immortal singleton in practice; checked anyway */
    if (b.empty_tuple == NULL)
        goto done;
    sh->refcnt++; /* keep this table while the GIL is released, even if another is installed */

    parser = belc_tape_begin(&tape, &sh->names, (size_t)body.len);
    rc = parser == NULL ? -1 : 0;
    while (rc == 0 && done < (size_t)body.len) {
        size_t piece = (size_t)body.len - done, ready;
        if (piece > PARSE_BATCH)
            piece = PARSE_BATCH;
        Py_BEGIN_ALLOW_THREADS
        rc = belc_tape_feed(parser, (const char *)body.buf + done, piece);
        Py_END_ALLOW_THREADS
        done += piece;
        if (rc < 0)
            break;
        if (!started && tape.n > 0) {
            /* the root is the first event: a foreign namespace stops here, before any object; an <ErrorResponse>
             * builds nothing and is raised once the rest has parsed */
            error_root = is_error_root(&b);
            if (!error_root) {
                if (check_root(&b) < 0) {
                    rc = -2;
                    break;
                }
                vcache_init(&b, (size_t)body.len);
                build_begin(&b, root, class_index);
            }
            started = 1;
        }
        ready = belc_tape_ready(&tape);
        if (ready && !error_root) {
            /* thousands of new container objects would trigger the cyclic GC many times over while nothing can be
             * garbage yet: pause it while they are made (as json and pickle loaders effectively avoid it) */
            gc_was_enabled = gc_pause();
            rc = build_events(&b, ready) < 0 ? -2 : 0;
            gc_resume(gc_was_enabled);
        }
        if (rc == 0)
            belc_tape_consume(parser);
    }
    if (rc == -1 || (rc == 0 && belc_tape_end(parser) < 0)) {
        /* the document is refused (belc_tape_end freed the parser; otherwise it is freed below) */
        if (rc == 0)
            parser = NULL;
        rc = -1;
        if (strcmp(tape.error, "out of memory") == 0)
            PyErr_NoMemory();
        else
            parse_error(&b, "%s", tape.error);
    }
    else if (rc == 0) {
        parser = NULL; /* freed by belc_tape_end */
        if (!started) { /* cannot happen: an accepted document has a root */
            PyErr_SetString(PyExc_SystemError, "parse: no root element");
            rc = -2;
        }
        else if (error_root) {
            raise_error_response(&b);
            rc = -2;
        }
        else if (build_end(&b) < 0)
            rc = -2;
    }
    belc_tape_abort(parser);
    build_release(&b, rc != 0);
    vcache_free(&b);
    if (rc == 0)
        result = Py_NewRef(root);
    Py_DECREF(b.empty_tuple);
    belc_shapes_decref(sh);
done:
    belc_tape_free(&tape);
    PyBuffer_Release(&body);
    return result;
}

static PyObject *
core_xml_events(PyObject *module, PyObject *arg)
{
    belc_state *st = belc_get_state(module);
    Py_buffer body;
    belc_tape tape;
    PyObject *list = NULL;
    size_t i;
    int rc;
    (void)st;

    if (PyObject_GetBuffer(arg, &body, PyBUF_SIMPLE) < 0)
        return NULL;
    belc_tape_init(&tape);
    Py_BEGIN_ALLOW_THREADS
    rc = belc_tape_parse(&tape, NULL, body.buf, (size_t)body.len);
    Py_END_ALLOW_THREADS
    if (rc < 0) {
        PyErr_SetString(PyExc_ValueError, tape.error);
        goto cleanup;
    }
    list = PyList_New(0);
    if (list == NULL)
        goto cleanup;
    for (i = 0; i < tape.n; i++) {
        const belc_event *ev = &tape.ev[i];
        PyObject *item;
        if (ev->kind == BELC_EV_START)
            item = Py_BuildValue("(ss)", "start", tape.arena.data + ev->off);
        else if (ev->flags & BELC_EV_LEAF)
            item = Py_BuildValue("(ss#)", "leaf", tape.arena.data + ev->off, (Py_ssize_t)ev->len);
        else
            item = Py_BuildValue("(sO)", "end", Py_None);
        if (item == NULL || PyList_Append(list, item) < 0) {
            Py_XDECREF(item);
            Py_CLEAR(list);
            goto cleanup;
        }
        Py_DECREF(item);
    }
cleanup:
    belc_tape_free(&tape);
    PyBuffer_Release(&body);
    return list;
}

static PyObject *
core_construct(PyObject *module, PyObject *args)
{
    belc_state *st = belc_get_state(module);
    int index;
    PyObject *arg, *result = NULL;
    builder b;

    if (!PyArg_ParseTuple(args, "iO:_construct", &index, &arg))
        return NULL;
    if (st->shapes == NULL || index < 0 || index >= st->shapes->n_classes) {
        PyErr_SetString(PyExc_ValueError, "no such shape");
        return NULL;
    }
    memset(&b, 0, sizeof(b));
    b.st = st;
    b.sh = st->shapes;
    b.connection = arg;
    b.empty_tuple = PyTuple_New(0);
    if (b.empty_tuple == NULL)
        return NULL;
    if (st->shapes->classes[index].init_type)
        result = construct_fast(&b, &st->shapes->classes[index], arg, 0);
    else
        result = Py_NewRef(Py_None);
    Py_DECREF(b.empty_tuple);
    return result;
}

static PyMethodDef xml_functions[] = {
    {"_construct", core_construct, METH_VARARGS,
     "Private: build an object of a shape the fast way (None if the shape has no fast path); for tests."},
    {"parse", (PyCFunction)(void (*)(void))core_parse, METH_VARARGS | METH_KEYWORDS,
     "parse(body, root, class_index, connection=None, status=200, reason='OK') -> root\n\n"
     "Parse a response body into `root` (an instance of the class at class_index) as boto's SAX handler would.\n"
     "Raises ResponseParseError for a body that is not allowed, well-formed XML or whose root element is in a\n"
     "namespace other than the ELB API's, and the BotoServerError for its code when the root is <ErrorResponse>."},
    {"_xml_events", core_xml_events, METH_O, "Private: the event tape of a document (tests, fuzz seeds)."},
    {NULL, NULL, 0, NULL},
};

int
belc_xml_exec(PyObject *m)
{
    return PyModule_AddFunctions(m, xml_functions);
}
