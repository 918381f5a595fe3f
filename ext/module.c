/* module.c -- PyInit__core: the module definition and one exec slot per concern. Wiring only. */
#include "module.h"

#include <curl/curl.h>
#include <libxml/parser.h>
#include <libxml/xmlversion.h>
#include <openssl/crypto.h>
#include <openssl/opensslv.h>

#include "saxtape.h"

/* Process-wide library setup, once; then refuse to run against libraries older than the ones we were built
 * with (a runtime/build-time mismatch is the classic source of crashes in extensions like this one). */
static int
libraries_exec(PyObject *m)
{
    const curl_version_info_data *cv;
    char xml_runtime[32];
    int xml_rt;

    belc_http_global_init();
    belc_saxtape_global_init();

    cv = curl_version_info(CURLVERSION_NOW);
    if (cv == NULL || cv->version_num < LIBCURL_VERSION_NUM) {
        PyErr_Format(PyExc_ImportError,
                     "boto_elb_c was built against libcurl %s but the process loaded libcurl %s; reinstall "
                     "boto_elb_c (pip install --force-reinstall --no-binary boto_elb_c boto_elb_c)",
                     LIBCURL_VERSION, cv ? cv->version : "(unknown)");
        return -1;
    }
    if (!(cv->features & CURL_VERSION_SSL)) {
        PyErr_SetString(PyExc_ImportError, "the loaded libcurl has no TLS support; install libcurl4-openssl-dev");
        return -1;
    }
    xml_rt = atoi(xmlParserVersion);
    if (xml_rt < LIBXML_VERSION) {
        PyErr_Format(PyExc_ImportError,
                     "boto_elb_c was built against libxml2 %s but the process loaded libxml2 %s; reinstall boto_elb_c",
                     LIBXML_DOTTED_VERSION, xmlParserVersion);
        return -1;
    }
    if ((OpenSSL_version_num() >> 28) != (OPENSSL_VERSION_NUMBER >> 28) ||
        OpenSSL_version_num() < (OPENSSL_VERSION_NUMBER & ~0xFFFL)) {
        PyErr_Format(PyExc_ImportError,
                     "boto_elb_c was built against %s but the process loaded %s; reinstall boto_elb_c",
                     OPENSSL_VERSION_TEXT, OpenSSL_version(OPENSSL_VERSION));
        return -1;
    }
    PyOS_snprintf(xml_runtime, sizeof(xml_runtime), "%d.%d.%d", xml_rt / 10000, (xml_rt / 100) % 100, xml_rt % 100);
    if (PyModule_AddStringConstant(m, "libcurl_version", cv->version) < 0 ||
        PyModule_AddStringConstant(m, "libcurl_build_version", LIBCURL_VERSION) < 0 ||
        PyModule_AddStringConstant(m, "libcurl_ssl_version", cv->ssl_version ? cv->ssl_version : "") < 0 ||
        PyModule_AddStringConstant(m, "libxml2_version", xml_runtime) < 0 ||
        PyModule_AddStringConstant(m, "libxml2_build_version", LIBXML_DOTTED_VERSION) < 0 ||
        PyModule_AddStringConstant(m, "openssl_version", OpenSSL_version(OPENSSL_VERSION)) < 0 ||
        PyModule_AddStringConstant(m, "openssl_build_version", OPENSSL_VERSION_TEXT) < 0)
        return -1;
    return 0;
}

static int
core_traverse(PyObject *m, visitproc visit, void *arg)
{
    belc_state *st = belc_get_state(m);
    if (st == NULL)
        return 0;
    Py_VISIT(st->signer_type);
    Py_VISIT(st->httpclient_type);
    if (belc_errors_traverse(st, visit, arg) < 0)
        return -1;
    return belc_shapes_traverse(st, visit, arg);
}

static int
core_clear(PyObject *m)
{
    belc_state *st = belc_get_state(m);
    if (st == NULL)
        return 0;
    Py_CLEAR(st->signer_type);
    Py_CLEAR(st->httpclient_type);
    belc_errors_clear(st);
    belc_shapes_clear(st);
    return 0;
}

static void
core_free(void *m)
{
    core_clear((PyObject *)m);
}

static PyModuleDef_Slot core_slots[] = {
    {Py_mod_exec, libraries_exec},
    {Py_mod_exec, belc_errors_exec},
    {Py_mod_exec, belc_signer_exec},
    {Py_mod_exec, belc_stages_exec},
    {Py_mod_exec, belc_query_exec},
    {Py_mod_exec, belc_http_exec},
    {Py_mod_exec, belc_retry_exec},
    {Py_mod_exec, belc_shapes_exec},
    {Py_mod_exec, belc_xml_exec},
#ifdef Py_mod_multiple_interpreters
    /* process-wide libcurl/libxml2 setup is done once; per-interpreter GILs are not supported */
    {Py_mod_multiple_interpreters, Py_MOD_MULTIPLE_INTERPRETERS_SUPPORTED},
#endif
#ifdef Py_mod_gil
    {Py_mod_gil, Py_MOD_GIL_USED},
#endif
    {0, NULL},
};

PyModuleDef belc_module_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "boto_elb_c._core",
    .m_doc = "The C core of boto_elb_c: SigV4 signing (OpenSSL), HTTP (libcurl) and XML (libxml2).",
    .m_size = sizeof(belc_state),
    .m_slots = core_slots,
    .m_traverse = core_traverse,
    .m_clear = core_clear,
    .m_free = core_free,
};

PyMODINIT_FUNC
PyInit__core(void)
{
    return PyModuleDef_Init(&belc_module_def);
}
