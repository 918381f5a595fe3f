/* xml.c -- response XML -> boto's Python objects, driven by the shape table.
 *
 * Owns: the compiled shape table handed over once by boto_elb_c/ec2/elb/_shapes.py (kept in module state), and
 * the builder that walks a saxtape.c tape and makes objects the way boto's SAX handler does: `cls(arg)`, then
 * attributes; elements the table does not name are transparent, and an unknown leaf becomes an attribute of the
 * current object (boto's setattr), never clobbering an existing attribute or a private name.
 * The libxml2 parse runs with the GIL released; the object building holds it.
 */
#include "module.h"

#include <string.h>

#include "saxtape.h"

enum { RULE_NONE = -1, RULE_SET_TEXT = 0, RULE_APPEND_TEXT = 1, RULE_SET_CHILD = 2, RULE_APPEND_CHILD = 3, RULE_IGNORE = 4 };
enum { CONV_STR = 0, CONV_INT = 1, CONV_BOOL = 2 };
enum { ARG_NONE = 0, ARG_CONNECTION = 1, ARG_PARENT = 2 };
enum { INIT_CONST = 0, INIT_ARG = 1, INIT_FACTORY = 2, INIT_DEFERRED = 3 };

typedef struct {
    int kind;
    PyObject *attr; /* interned str, or NULL */
    int conv;
    int child; /* class index for the *_CHILD kinds */
    int ctor_arg;
} belc_rule;

typedef struct {
    PyObject *cls;
    PyObject *text_attr; /* the object's own element text goes here (OtherPolicy.policy_name), or NULL */
    int text_conv;
    int setattr_unknown;
    PyObject *end_hook; /* method called with no arguments when the object's element closes, or NULL */
    /* fast construction, when the table gives one: what cls(arg).__init__ would leave in the instance, replayed
     * without running __init__ (same attributes in the same order, so CPython's key-sharing dicts still apply) */
    PyTypeObject *init_type;  /* NULL: call cls(arg) */
    PyObject *init_names;     /* tuple of interned str */
    PyObject *init_values;    /* tuple: the constant, or the zero-argument factory */
    char *init_kinds;         /* INIT_CONST, INIT_ARG, INIT_FACTORY, INIT_DEFERRED per attribute */
    Py_ssize_t init_n;
    int16_t *rule_of; /* per name id: index into rules, or -1 */
    belc_rule *rules;
    Py_ssize_t n_rules;
} belc_class;

struct belc_shapes {
    Py_ssize_t refcnt; /* changed with the GIL held only */
    belc_names names;
    PyObject **name_objs; /* interned str per name id */
    belc_class *classes;
    Py_ssize_t n_classes;
};

static void
shapes_free(belc_shapes *sh)
{
    Py_ssize_t i, j;
    if (sh == NULL)
        return;
    if (sh->classes) {
        for (i = 0; i < sh->n_classes; i++) {
            belc_class *c = &sh->classes[i];
            Py_XDECREF(c->cls);
            Py_XDECREF(c->text_attr);
            Py_XDECREF(c->end_hook);
            Py_XDECREF((PyObject *)c->init_type);
            Py_XDECREF(c->init_names);
            Py_XDECREF(c->init_values);
            PyMem_Free(c->init_kinds);
            if (c->rules)
                for (j = 0; j < c->n_rules; j++)
                    Py_XDECREF(c->rules[j].attr);
            PyMem_Free(c->rules);
            PyMem_Free(c->rule_of);
        }
        PyMem_Free(sh->classes);
    }
    if (sh->name_objs) {
        for (i = 0; i < (Py_ssize_t)sh->names.n; i++)
            Py_XDECREF(sh->name_objs[i]);
        PyMem_Free(sh->name_objs);
    }
    belc_names_free(&sh->names);
    PyMem_Free(sh);
}

static void
shapes_decref(belc_shapes *sh)
{
    if (sh && --sh->refcnt == 0)
        shapes_free(sh);
}

int
belc_xml_traverse(belc_state *st, visitproc visit, void *arg)
{
    belc_shapes *sh = st->shapes;
    Py_ssize_t i, j;
    if (sh == NULL)
        return 0;
    for (i = 0; i < sh->n_classes; i++) {
        Py_VISIT(sh->classes[i].cls);
        Py_VISIT(sh->classes[i].text_attr);
        Py_VISIT(sh->classes[i].end_hook);
        Py_VISIT((PyObject *)sh->classes[i].init_type);
        Py_VISIT(sh->classes[i].init_names);
        Py_VISIT(sh->classes[i].init_values);
        for (j = 0; j < sh->classes[i].n_rules; j++)
            Py_VISIT(sh->classes[i].rules[j].attr);
    }
    return 0;
}

void
belc_xml_clear(belc_state *st)
{
    belc_shapes *sh = st->shapes;
    st->shapes = NULL;
    shapes_decref(sh);
}

/* --- install_shapes --- */

static PyObject *
interned_or_null(PyObject *o, const char *what)
{
    if (o == Py_None)
        return NULL;
    if (!PyUnicode_Check(o)) {
        PyErr_Format(PyExc_TypeError, "%s must be a str or None", what);
        return NULL;
    }
    Py_INCREF(o);
    PyUnicode_InternInPlace(&o);
    return o; /* new reference */
}

static int
int_item(PyObject *tuple, Py_ssize_t i, long lo, long hi, const char *what, int *out)
{
    long v = PyLong_AsLong(PyTuple_GET_ITEM(tuple, i));
    if (v == -1 && PyErr_Occurred())
        return -1;
    if (v < lo || v > hi) {
        PyErr_Format(PyExc_ValueError, "shape table: %s out of range (%ld)", what, v);
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* init = None, or (type, names, kinds, values): see belc_class */
static int
load_init(belc_class *c, PyObject *init)
{
    PyObject *type, *names, *kinds, *values;
    Py_ssize_t i, n;

    if (init == Py_None)
        return 0;
    if (!PyTuple_Check(init) || PyTuple_GET_SIZE(init) != 4) {
        PyErr_SetString(PyExc_TypeError, "shape table: init is None or (type, names, kinds, values)");
        return -1;
    }
    type = PyTuple_GET_ITEM(init, 0);
    names = PyTuple_GET_ITEM(init, 1);
    kinds = PyTuple_GET_ITEM(init, 2);
    values = PyTuple_GET_ITEM(init, 3);
    if (!PyType_Check(type) || ((PyTypeObject *)type)->tp_new == NULL || !PyTuple_Check(names) ||
        !PyTuple_Check(kinds) || !PyTuple_Check(values) || PyTuple_GET_SIZE(kinds) != PyTuple_GET_SIZE(names) ||
        PyTuple_GET_SIZE(values) != PyTuple_GET_SIZE(names)) {
        PyErr_SetString(PyExc_TypeError, "shape table: malformed init");
        return -1;
    }
    n = PyTuple_GET_SIZE(names);
    c->init_kinds = PyMem_Malloc((size_t)(n ? n : 1));
    if (c->init_kinds == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (i = 0; i < n; i++) {
        int kind;
        PyObject *name = PyTuple_GET_ITEM(names, i);
        if (!PyUnicode_CheckExact(name) || int_item(kinds, i, 0, 3, "init kind", &kind) < 0) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_TypeError, "shape table: init names must be str");
            return -1;
        }
        if ((kind == INIT_FACTORY || kind == INIT_DEFERRED) && !PyCallable_Check(PyTuple_GET_ITEM(values, i))) {
            PyErr_SetString(PyExc_TypeError, "shape table: an init factory must be callable");
            return -1;
        }
        c->init_kinds[i] = (char)kind;
    }
    c->init_type = (PyTypeObject *)Py_NewRef(type);
    c->init_names = Py_NewRef(names);
    c->init_values = Py_NewRef(values);
    c->init_n = n;
    return 0;
}

static int
load_class(belc_shapes *sh, belc_class *c, PyObject *spec)
{
    PyObject *rules = NULL;
    Py_ssize_t i, n_names = (Py_ssize_t)sh->names.n;

    if (!PyTuple_Check(spec) || PyTuple_GET_SIZE(spec) != 7) {
        PyErr_SetString(PyExc_TypeError, "shape table: a class is (cls, text_attr, text_conv, setattr_unknown, "
                                          "rules, end_hook, init)");
        return -1;
    }
    if (!PyCallable_Check(PyTuple_GET_ITEM(spec, 0))) {
        PyErr_SetString(PyExc_TypeError, "shape table: cls must be callable");
        return -1;
    }
    c->cls = Py_NewRef(PyTuple_GET_ITEM(spec, 0));
    c->text_attr = interned_or_null(PyTuple_GET_ITEM(spec, 1), "text_attr");
    if (c->text_attr == NULL && PyErr_Occurred())
        return -1;
    if (int_item(spec, 2, 0, 2, "text_conv", &c->text_conv) < 0)
        return -1;
    c->setattr_unknown = PyObject_IsTrue(PyTuple_GET_ITEM(spec, 3));
    if (c->setattr_unknown < 0)
        return -1;
    c->end_hook = interned_or_null(PyTuple_GET_ITEM(spec, 5), "end_hook");
    if (c->end_hook == NULL && PyErr_Occurred())
        return -1;
    if (load_init(c, PyTuple_GET_ITEM(spec, 6)) < 0)
        return -1;
    c->rule_of = PyMem_Malloc(sizeof(int16_t) * (size_t)(n_names ? n_names : 1));
    if (c->rule_of == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (i = 0; i < n_names; i++)
        c->rule_of[i] = -1;
    rules = PySequence_Fast(PyTuple_GET_ITEM(spec, 4), "shape table: rules must be a sequence");
    if (rules == NULL)
        return -1;
    c->n_rules = PySequence_Fast_GET_SIZE(rules);
    if (c->n_rules > 32000) {
        PyErr_SetString(PyExc_ValueError, "shape table: too many rules");
        goto error;
    }
    c->rules = PyMem_Calloc((size_t)(c->n_rules ? c->n_rules : 1), sizeof(belc_rule));
    if (c->rules == NULL) {
        PyErr_NoMemory();
        goto error;
    }
    for (i = 0; i < c->n_rules; i++) {
        PyObject *r = PySequence_Fast_GET_ITEM(rules, i);
        belc_rule *rule = &c->rules[i];
        int name_id;
        if (!PyTuple_Check(r) || PyTuple_GET_SIZE(r) != 6) {
            PyErr_SetString(PyExc_TypeError,
                            "shape table: a rule is (name_index, kind, attr, conv, child_index, ctor_arg)");
            goto error;
        }
        if (int_item(r, 0, 0, (long)n_names - 1, "name_index", &name_id) < 0 ||
            int_item(r, 1, 0, 4, "kind", &rule->kind) < 0 || int_item(r, 3, 0, 2, "conv", &rule->conv) < 0 ||
            int_item(r, 4, -1, (long)sh->n_classes - 1, "child_index", &rule->child) < 0 ||
            int_item(r, 5, 0, 2, "ctor_arg", &rule->ctor_arg) < 0)
            goto error;
        rule->attr = interned_or_null(PyTuple_GET_ITEM(r, 2), "attr");
        if (rule->attr == NULL && PyErr_Occurred())
            goto error;
        if ((rule->kind == RULE_SET_TEXT || rule->kind == RULE_SET_CHILD) && rule->attr == NULL) {
            PyErr_SetString(PyExc_ValueError, "shape table: a SET rule needs an attribute name");
            goto error;
        }
        if ((rule->kind == RULE_SET_CHILD || rule->kind == RULE_APPEND_CHILD) && rule->child < 0) {
            PyErr_SetString(PyExc_ValueError, "shape table: a CHILD rule needs a child class");
            goto error;
        }
        c->rule_of[name_id] = (int16_t)i;
    }
    Py_DECREF(rules);
    return 0;
error:
    Py_XDECREF(rules);
    return -1;
}

static PyObject *
core_install_shapes(PyObject *module, PyObject *args)
{
    belc_state *st = belc_get_state(module);
    PyObject *names_o, *classes_o, *names = NULL, *classes = NULL;
    belc_shapes *sh = NULL;
    const char **cnames = NULL;
    size_t *lens = NULL;
    Py_ssize_t i, n;

    if (!PyArg_ParseTuple(args, "OO:install_shapes", &names_o, &classes_o))
        return NULL;
    names = PySequence_Fast(names_o, "names must be a sequence of str");
    classes = PySequence_Fast(classes_o, "classes must be a sequence");
    if (names == NULL || classes == NULL)
        goto error;
    n = PySequence_Fast_GET_SIZE(names);
    if (n > 32000) {
        PyErr_SetString(PyExc_ValueError, "shape table: too many names");
        goto error;
    }
    sh = PyMem_Calloc(1, sizeof(belc_shapes));
    cnames = PyMem_Calloc((size_t)(n ? n : 1), sizeof(char *));
    lens = PyMem_Calloc((size_t)(n ? n : 1), sizeof(size_t));
    if (sh == NULL || cnames == NULL || lens == NULL) {
        PyErr_NoMemory();
        goto error;
    }
    sh->refcnt = 1;
    for (i = 0; i < n; i++) {
        Py_ssize_t len;
        PyObject *o = PySequence_Fast_GET_ITEM(names, i);
        if (!PyUnicode_Check(o)) {
            PyErr_SetString(PyExc_TypeError, "names must be a sequence of str");
            goto error;
        }
        cnames[i] = PyUnicode_AsUTF8AndSize(o, &len);
        if (cnames[i] == NULL)
            goto error;
        lens[i] = (size_t)len;
    }
    if (belc_names_init(&sh->names, cnames, lens, (size_t)n) < 0) {
        PyErr_NoMemory();
        goto error;
    }
    sh->name_objs = PyMem_Calloc((size_t)(n ? n : 1), sizeof(PyObject *));
    if (sh->name_objs == NULL) {
        PyErr_NoMemory();
        goto error;
    }
    for (i = 0; i < n; i++) {
        PyObject *o = Py_NewRef(PySequence_Fast_GET_ITEM(names, i));
        PyUnicode_InternInPlace(&o);
        sh->name_objs[i] = o; /* reference owned by sh */
    }
    sh->n_classes = PySequence_Fast_GET_SIZE(classes);
    sh->classes = PyMem_Calloc((size_t)(sh->n_classes ? sh->n_classes : 1), sizeof(belc_class));
    if (sh->classes == NULL) {
        PyErr_NoMemory();
        goto error;
    }
    for (i = 0; i < sh->n_classes; i++)
        if (load_class(sh, &sh->classes[i], PySequence_Fast_GET_ITEM(classes, i)) < 0)
            goto error;
    shapes_decref(st->shapes);
    st->shapes = sh; /* now owned by the module state */
    sh = NULL;
    Py_DECREF(names);
    Py_DECREF(classes);
    PyMem_Free(cnames);
    PyMem_Free(lens);
    Py_RETURN_NONE;
error:
    shapes_free(sh);
    Py_XDECREF(names);
    Py_XDECREF(classes);
    PyMem_Free(cnames);
    PyMem_Free(lens);
    return NULL;
}

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
    const char *text; /* in the tape's arena, alive for the whole build */
    PyObject *value;  /* strong reference */
} vcache_entry;

typedef struct {
    belc_state *st;
    belc_shapes *sh;
    const belc_tape *tape;
    PyObject *empty_tuple;
    vcache_entry *vcache; /* NULL: no cache */
    size_t vcache_mask;
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
        if (e->hash == h && e->len == ev->len && e->conv == conv && memcmp(e->text, text, ev->len) == 0)
            return Py_NewRef(e->value);
    }
    v = convert_uncached(b, i, conv);
    if (v != NULL && probes < 8 && e->value == NULL) {
        e->hash = h;
        e->len = ev->len;
        e->conv = conv;
        e->text = text;
        e->value = Py_NewRef(v);
    }
    return v;
}

static void
vcache_init(builder *b, size_t n_events)
{
    size_t size = VCACHE_MIN_SIZE;
    while (size < VCACHE_MAX_SIZE && size < n_events / 4)
        size *= 2;
    b->vcache = PyMem_Calloc(size, sizeof(vcache_entry)); /* NULL is fine: no cache */
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
    b->vcache = NULL;
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

/* Refuse a well-formed document that is not an answer: a 2xx whose root is <ErrorResponse> is the service's
 * error (raised as the BotoServerError subclass its code names, through BotoServerError.from_response, exactly as
 * an error status would be), and a root in a foreign namespace is a ResponseParseError. Returns 0 if the
 * document may be built, -1 with an exception set. */
static int
check_root(builder *b)
{
    const char *name = event_name(b, 0);
    PyObject *exc;

    if (strcmp(name, "ErrorResponse") == 0) {
        exc = PyObject_CallMethod(b->st->BotoServerError, "from_response", "lsy#", b->status,
                                  b->reason ? b->reason : "", b->body ? b->body : "",
                                  (Py_ssize_t)b->body_len); /* new reference */
        if (exc == NULL)
            return -1;
        PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
        Py_DECREF(exc);
        return -1;
    }
    if (b->tape->root_has_ns && strcmp(b->tape->root_ns.data ? b->tape->root_ns.data : "", ELB_NAMESPACE) != 0) {
        parse_error(b, "the root element <%.100s> is in the namespace '%.200s', not the ELB API's (" ELB_NAMESPACE ")",
                    name, b->tape->root_ns.data ? b->tape->root_ns.data : "");
        return -1;
    }
    return 0;
}

static int
build(builder *b, PyObject *root, int root_cls)
{
    frame *frames = NULL;
    size_t n_frames = 1, cap = b->tape->max_depth_seen + 2, depth = 0, i;
    int rc = -1;

    frames = PyMem_Malloc(cap * sizeof(frame));
    if (frames == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    frames[0].node = Py_NewRef(root);
    frames[0].cls = root_cls;
    frames[0].depth = 0;

    for (i = 0; i < b->tape->n; i++) {
        const belc_event *ev = &b->tape->ev[i];
        frame *top = &frames[n_frames - 1];
        belc_class *c = &b->sh->classes[top->cls];
        int r = ev->id >= 0 ? c->rule_of[ev->id] : -1;
        const belc_rule *rule = r >= 0 ? &c->rules[r] : NULL;

        if (ev->kind == BELC_EV_START) {
            depth++;
            if (rule && (rule->kind == RULE_SET_CHILD || rule->kind == RULE_APPEND_CHILD)) {
                PyObject *child = make_child(b, rule, top->node); /* new reference */
                int err;
                if (child == NULL)
                    goto cleanup;
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
                    goto cleanup;
                }
                if (n_frames == cap) { /* cannot happen: one frame per open element at most */
                    Py_DECREF(child);
                    PyErr_SetString(PyExc_SystemError, "shape builder: frame stack overflow");
                    goto cleanup;
                }
                frames[n_frames].node = child; /* reference now owned by the frame */
                frames[n_frames].cls = rule->child;
                frames[n_frames].depth = depth;
                n_frames++;
            }
            continue;
        }

        /* END */
        if (n_frames > 1 && top->depth == depth) {
            if ((ev->flags & BELC_EV_LEAF) && c->text_attr) {
                PyObject *v = convert(b, i, c->text_conv);
                if (v == NULL || PyObject_SetAttr(top->node, c->text_attr, v) < 0) {
                    Py_XDECREF(v);
                    goto cleanup;
                }
                Py_DECREF(v);
            }
            if (fill_factories(c, top->node) < 0)
                goto cleanup;
            if (c->end_hook) {
                PyObject *res = PyObject_CallMethodNoArgs(top->node, c->end_hook);
                if (res == NULL)
                    goto cleanup;
                Py_DECREF(res);
            }
            Py_DECREF(top->node);
            n_frames--;
        }
        else if (ev->flags & BELC_EV_LEAF) {
            int kind = rule ? rule->kind : RULE_NONE;
            PyObject *v;
            switch (kind) {
            case RULE_SET_TEXT:
            case RULE_APPEND_TEXT:
                v = convert(b, i, rule->conv); /* new reference */
                if (v == NULL)
                    goto cleanup;
                if (kind == RULE_SET_TEXT) {
                    if (PyObject_SetAttr(top->node, rule->attr, v) < 0) {
                        Py_DECREF(v);
                        goto cleanup;
                    }
                }
                else if (PyList_Check(top->node) ? PyList_Append(top->node, v) < 0 : 1) {
                    if (!PyErr_Occurred())
                        PyErr_SetString(PyExc_TypeError, "shape table: APPEND_TEXT on an object that is not a list");
                    Py_DECREF(v);
                    goto cleanup;
                }
                Py_DECREF(v);
                break;
            case RULE_IGNORE:
                break;
            case RULE_NONE:
                if (c->setattr_unknown && set_unknown(b, top->node, i) < 0)
                    goto cleanup;
                break;
            default:
                break;
            }
        }
        depth--;
    }
    if (b->sh->classes[root_cls].end_hook) {
        PyObject *res = PyObject_CallMethodNoArgs(root, b->sh->classes[root_cls].end_hook);
        if (res == NULL)
            goto cleanup;
        Py_DECREF(res);
    }
    rc = 0;
cleanup:
    while (n_frames > 0) {
        n_frames--;
        if (rc < 0 && n_frames > 0) {
            PyObject *exc_type, *exc_value, *exc_tb;
            PyErr_Fetch(&exc_type, &exc_value, &exc_tb);
            if (fill_factories(&b->sh->classes[frames[n_frames].cls], frames[n_frames].node) < 0)
                PyErr_Clear();
            PyErr_Restore(exc_type, exc_value, exc_tb);
        }
        Py_DECREF(frames[n_frames].node);
    }
    PyMem_Free(frames);
    return rc;
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

static PyObject *
core_parse(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"body", "root", "class_index", "connection", "status", "reason", NULL};
    belc_state *st = belc_get_state(module);
    Py_buffer body = {0};
    PyObject *root, *connection = Py_None, *result = NULL;
    int class_index, parse_rc;
    long status = 200;
    const char *reason = "OK";
    belc_tape tape;
    belc_shapes *sh = st->shapes;
    builder b;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "y*Oi|Ols:parse", kwlist, &body, &root, &class_index, &connection,
                                     &status, &reason))
        return NULL;
    belc_tape_init(&tape);
    if (sh == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "no shape table installed (import boto_elb_c.ec2.elb)");
        goto cleanup;
    }
    if (class_index < 0 || class_index >= sh->n_classes) {
        PyErr_Format(PyExc_ValueError, "class_index %d out of range", class_index);
        goto cleanup;
    }
    sh->refcnt++; /* keep this table while the GIL is released, even if another is installed */
    Py_BEGIN_ALLOW_THREADS
    parse_rc = belc_tape_parse(&tape, &sh->names, body.buf, (size_t)body.len);
    Py_END_ALLOW_THREADS
    b.st = st;
    b.sh = sh;
    b.vcache = NULL;
    b.empty_tuple = PyTuple_New(0); /* immortal singleton in practice; checked anyway */
    b.tape = &tape;
    b.connection = connection;
    b.status = status;
    b.reason = reason;
    b.body = body.buf;
    b.body_len = (size_t)body.len;
    if (parse_rc < 0) {
        if (strcmp(tape.error, "out of memory") == 0)
            PyErr_NoMemory();
        else
            parse_error(&b, "%s", tape.error);
    }
    else if (b.empty_tuple != NULL && check_root(&b) == 0) {
        vcache_init(&b, tape.n);
        /* thousands of new container objects would trigger the cyclic GC many times over while nothing can be
         * garbage yet: pause it for the build (as json and pickle loaders effectively avoid it) */
        int gc_was_enabled = gc_pause();
        int ok = build(&b, root, class_index) == 0;
        gc_resume(gc_was_enabled);
        vcache_free(&b);
        if (ok)
            result = Py_NewRef(root);
    }
    Py_XDECREF(b.empty_tuple);
    shapes_decref(sh);
cleanup:
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
    {"install_shapes", core_install_shapes, METH_VARARGS,
     "install_shapes(names, classes)\n\nInstall the compiled shape table (boto_elb_c.ec2.elb._shapes does this)."},
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
