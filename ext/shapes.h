/* shapes.h -- the compiled shape table (shapes.c) that the builder (xml.c) makes objects with.
 *
 * The table comes from boto_elb_c/ec2/elb/_shapes.py once, through _core.install_shapes, and lives in module
 * state: per class, how its instances are made and which rule each element name follows.
 */
#ifndef BELC_SHAPES_H
#define BELC_SHAPES_H

#include "module.h"
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

/* Drop one reference to a table (the module's, or one a parse took while the GIL was released); the last frees it.
 * GIL held. */
void belc_shapes_decref(belc_shapes *sh);

#endif
