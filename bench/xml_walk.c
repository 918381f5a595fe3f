/* xml_walk.c -- the limit for parsing: libxml2 building its tree from the same bytes and walking every node
 * (names and text), no Python objects.
 *
 *   xml_walk FILE REPEAT -> prints "NS_PER_PARSE <median> MIN <min> MAX <max> NODES <n>"
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

static long long
now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static size_t
walk(xmlNodePtr n, size_t *chars)
{
    size_t count = 0;
    for (; n; n = n->next) {
        count++;
        if (n->type == XML_ELEMENT_NODE)
            *chars += strlen((const char *)n->name);
        else if (n->content)
            *chars += strlen((const char *)n->content);
        count += walk(n->children, chars);
    }
    return count;
}

static int
cmp(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
    FILE *f;
    long size, i, repeat;
    char *data;
    long long *t;
    size_t nodes = 0, chars = 0;

    if (argc < 3)
        return 2;
    repeat = atol(argv[2]);
    f = fopen(argv[1], "rb");
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    data = malloc((size_t)size);
    if (fread(data, 1, (size_t)size, f) != (size_t)size)
        return 1;
    fclose(f);
    t = malloc(sizeof(long long) * (size_t)repeat);
    xmlInitParser();
    for (i = 0; i < repeat; i++) {
        long long t0 = now_ns();
        xmlDocPtr doc = xmlReadMemory(data, (int)size, NULL, NULL, XML_PARSE_NONET);
        nodes = walk(xmlDocGetRootElement(doc), &chars);
        xmlFreeDoc(doc);
        t[i] = now_ns() - t0;
    }
    qsort(t, (size_t)repeat, sizeof(long long), cmp);
    printf("NS_PER_PARSE %lld MIN %lld MAX %lld NODES %zu\n", t[repeat / 2], t[0], t[repeat - 1], nodes);
    return 0;
}
