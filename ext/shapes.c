/* shapes.c -- the shape table: _core.install_shapes compiles what boto_elb_c/ec2/elb/_shapes.py describes (names,
 * classes, per-class rules and fast-construction specs) into C arrays kept in module state; see shapes.h.
 */
#include "shapes.h"

#include <string.h>

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

void
belc_shapes_decref(belc_shapes *sh)
{
    if (sh && --sh->refcnt == 0)
        shapes_free(sh);
}

int
belc_shapes_traverse(belc_state *st, visitproc visit, void *arg)
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
belc_shapes_clear(belc_state *st)
{
    belc_shapes *sh = st->shapes;
    st->shapes = NULL;
    belc_shapes_decref(sh);
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
    belc_shapes_decref(st->shapes);
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

static PyMethodDef shapes_functions[] = {
    {"install_shapes", core_install_shapes, METH_VARARGS,
     "install_shapes(names, classes)\n\nInstall the compiled shape table (boto_elb_c.ec2.elb._shapes does this)."},
    {NULL, NULL, 0, NULL},
};

int
belc_shapes_exec(PyObject *m)
{
    return PyModule_AddFunctions(m, shapes_functions);
}
