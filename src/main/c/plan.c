/*
 * plan.c - decodes a 'P' frame (format: plan.h) into struct plan, checking every op's
 * argument kinds against the signature column of PLAN_OPCODES.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "init.h"

static const struct opdef {
    int number;
    const char *name;
    const char *sig;
} opdefs[] = {
#define PLAN_DEF(name, number, sig) { number, #name, sig },
    PLAN_OPCODES(PLAN_DEF)
#undef PLAN_DEF
};

static const struct opdef *find_op(int code)
{
    for (size_t k = 0; k < sizeof opdefs / sizeof opdefs[0]; k++)
        if (opdefs[k].number == code)
            return &opdefs[k];
    return NULL;
}

const char *op_name(int code)
{
    const struct opdef *d = find_op(code);
    return d ? d->name : "?";
}

struct reader {
    const unsigned char *p;
    size_t left;
};

static int take(struct reader *r, void *dst, size_t n)
{
    if (r->left < n)
        return -1;
    memcpy(dst, r->p, n);
    r->p += n;
    r->left -= n;
    return 0;
}

/* little endian, independent of the host's byte order */
static int take_le(struct reader *r, size_t n, uint64_t *v)
{
    unsigned char b[8];
    if (take(r, b, n) < 0)
        return -1;
    *v = 0;
    for (size_t k = n; k-- > 0;)
        *v = (*v << 8) | b[k];
    return 0;
}

/* a length-prefixed byte string, copied with a terminating NUL */
static char *take_bytes(struct reader *r, uint32_t *lenp)
{
    uint64_t len;
    if (take_le(r, 4, &len) < 0 || len > r->left)
        return NULL;
    char *s = malloc(len + 1);
    if (!s)
        return NULL;
    take(r, s, len);
    s[len] = 0;
    if (lenp)
        *lenp = (uint32_t)len;
    return s;
}

static int decode_arg(struct reader *r, char want, struct arg *a)
{
    uint64_t v, n;
    if (take(r, &a->kind, 1) < 0 || a->kind != want)
        return -1;
    switch (a->kind) {
    case 'i':
        if (take_le(r, 8, &v) < 0)
            return -1;
        a->i = (int64_t)v;
        return 0;
    case 's':
        return (a->s = take_bytes(r, &a->len)) ? 0 : -1;
    case 'v':
        if (take_le(r, 4, &n) < 0 || n > r->left / 4)
            return -1;
        a->len = (uint32_t)n;
        if (!(a->v = calloc(n + 1, sizeof(char *))))
            return -1;
        for (uint64_t k = 0; k < n; k++)
            if (!(a->v[k] = take_bytes(r, NULL)))
                return -1;
        return 0;
    case 'a':
        if (take_le(r, 4, &n) < 0 || n > r->left / 8)
            return -1;
        a->len = (uint32_t)n;
        if (!(a->a = calloc(n + 1, sizeof(int64_t))))
            return -1;
        for (uint64_t k = 0; k < n; k++) {
            if (take_le(r, 8, &v) < 0)
                return -1;
            a->a[k] = (int64_t)v;
        }
        return 0;
    }
    return -1;
}

/* Returns 0, or -1 with a reason in why and the failing op index in *bad_index (-1: header). */
int plan_decode(const char *buf, size_t len, struct plan *out, char *why, size_t whylen,
                long *bad_index)
{
    struct reader r = { (const unsigned char *)buf, len };
    char magic[4];
    uint64_t count, v;
    *bad_index = -1;
    if (take(&r, magic, 4) < 0 || memcmp(magic, PLAN_MAGIC, 4) != 0) {
        snprintf(why, whylen, "plan: bad magic (want %s)", PLAN_MAGIC);
        return -1;
    }
    if (take_le(&r, 4, &count) < 0 || count > r.left / 4) {
        snprintf(why, whylen, "plan: bad op count");
        return -1;
    }
    out->count = (uint32_t)count;
    out->ops = calloc(count + 1, sizeof(struct op));
    for (uint64_t k = 0; k < count; k++) {
        struct op *op = &out->ops[k];
        const struct opdef *d;
        *bad_index = (long)k;
        if (take_le(&r, 2, &v) < 0 || !(d = find_op((int)v))) {
            snprintf(why, whylen, "plan: op %lu: unknown opcode", (unsigned long)k);
            return -1;
        }
        op->code = (uint16_t)v;
        if (take_le(&r, 2, &v) < 0 || v != strlen(d->sig)) {
            snprintf(why, whylen, "plan: op %lu (%s): wrong argument count", (unsigned long)k,
                     d->name);
            return -1;
        }
        op->nargs = (uint16_t)v;
        op->args = calloc(v + 1, sizeof(struct arg));
        for (uint64_t j = 0; j < v; j++) {
            if (decode_arg(&r, d->sig[j], &op->args[j]) < 0) {
                snprintf(why, whylen, "plan: op %lu (%s): argument %lu is not '%c' or truncated",
                         (unsigned long)k, d->name, (unsigned long)j, d->sig[j]);
                return -1;
            }
        }
    }
    if (r.left != 0) {
        *bad_index = -1;
        snprintf(why, whylen, "plan: %zu trailing bytes", r.left);
        return -1;
    }
    return 0;
}
