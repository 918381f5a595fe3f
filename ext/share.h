/* share.h -- the process-wide libcurl share handle (DNS cache and TLS sessions) that every HttpClient uses.
 *
 * No Python.h: every function here is callable without the GIL.
 */
#ifndef BELC_SHARE_H
#define BELC_SHARE_H

/* Make the share handle and the locks libcurl asks for, once; called from belc_http_global_init after
 * curl_global_init. Returns 0, or -1 if libcurl could not make it (clients then work without sharing). */
int belc_share_global_init(void);
/* The process-wide CURLSH*, or NULL if belc_share_global_init failed. */
void *belc_share_handle(void);
/* How many times the share's DNS cache and TLS session cache were locked (evidence of use, for the tests). */
void belc_share_stats(unsigned long long *dns_locks, unsigned long long *ssl_session_locks);

#endif
