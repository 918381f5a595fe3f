/* canned_server.c -- the benchmark's HTTP/1.1 server: answers every request with the same bytes, keep-alive,
 * one thread per connection, optional fixed delay before each answer. Loopback only. It must never be the
 * bottleneck of a per-call measurement, so it does nothing but read a request and write a prepared answer.
 *
 *   canned_server BODY_FILE [DELAY_MS]
 * prints "PORT <n>" on stdout once listening; exits when stdin closes (the bench holds it open).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static char *response;
static size_t response_len;
static long delay_ms;

static ssize_t
find_header_end(const char *buf, size_t len)
{
    size_t i;
    for (i = 3; i < len; i++)
        if (buf[i - 3] == '\r' && buf[i - 2] == '\n' && buf[i - 1] == '\r' && buf[i] == '\n')
            return (ssize_t)(i + 1);
    return -1;
}

static long
content_length(const char *buf, size_t head_len)
{
    const char *p = buf, *end = buf + head_len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            break;
        if ((size_t)(nl - p) > 15 && strncasecmp(p, "Content-Length:", 15) == 0)
            return strtol(p + 15, NULL, 10);
        p = nl + 1;
    }
    return 0;
}

static void *
serve(void *arg)
{
    int fd = (int)(long)arg;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    for (;;) {
        ssize_t head, n;
        long body;
        while ((head = find_header_end(buf, len)) < 0) {
            if (len == cap)
                goto done;
            n = read(fd, buf + len, cap - len);
            if (n <= 0)
                goto done;
            len += (size_t)n;
        }
        body = content_length(buf, (size_t)head);
        if (body < 0 || (size_t)head + (size_t)body > cap)
            goto done;
        while (len < (size_t)head + (size_t)body) {
            n = read(fd, buf + len, cap - len);
            if (n <= 0)
                goto done;
            len += (size_t)n;
        }
        if (delay_ms > 0) {
            struct timespec ts = {delay_ms / 1000, (delay_ms % 1000) * 1000000L};
            nanosleep(&ts, NULL);
        }
        {
            size_t off = 0;
            while (off < response_len) {
                n = write(fd, response + off, response_len - off);
                if (n <= 0)
                    goto done;
                off += (size_t)n;
            }
        }
        memmove(buf, buf + head + body, len - (size_t)head - (size_t)body);
        len -= (size_t)head + (size_t)body;
    }
done:
    free(buf);
    close(fd);
    return NULL;
}

static void *
watch_stdin(void *arg)
{
    char c;
    (void)arg;
    while (read(0, &c, 1) > 0)
        ;
    exit(0);
}

int
main(int argc, char **argv)
{
    FILE *f;
    long size;
    char *body, header[256];
    int lfd, one = 1;
    struct sockaddr_in addr;
    socklen_t alen = sizeof(addr);
    pthread_t t;

    if (argc < 2) {
        fprintf(stderr, "usage: %s BODY_FILE [DELAY_MS]\n", argv[0]);
        return 2;
    }
    delay_ms = argc > 2 ? atol(argv[2]) : 0;
    signal(SIGPIPE, SIG_IGN);
    f = fopen(argv[1], "rb");
    if (!f || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        perror(argv[1]);
        return 1;
    }
    body = malloc((size_t)size + 1);
    if (!body || fread(body, 1, (size_t)size, f) != (size_t)size) {
        perror("read");
        return 1;
    }
    fclose(f);
    snprintf(header, sizeof(header),
             "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nx-amzn-RequestId: bench\r\nContent-Length: %ld\r\n\r\n", size);
    response_len = strlen(header) + (size_t)size;
    response = malloc(response_len);
    memcpy(response, header, strlen(header));
    memcpy(response + strlen(header), body, (size_t)size);

    lfd = socket(AF_INET, SOCK_STREAM, 0);
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(lfd, 128) < 0 ||
        getsockname(lfd, (struct sockaddr *)&addr, &alen) < 0) {
        perror("listen");
        return 1;
    }
    printf("PORT %d\n", ntohs(addr.sin_port));
    fflush(stdout);
    pthread_create(&t, NULL, watch_stdin, NULL);
    for (;;) {
        int fd = accept(lfd, NULL, NULL);
        if (fd < 0) {
            if (errno == EINTR)
                continue;
            return 1;
        }
        pthread_create(&t, NULL, serve, (void *)(long)fd);
        pthread_detach(t);
    }
}
