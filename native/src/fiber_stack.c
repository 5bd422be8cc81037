/* fiber_stack.c — fiber stacks: mmap'd, with a PROT_NONE guard page below the usable range. */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fiber_switch.h"

int ctxp_stack_alloc(struct ctxp_stack *s, size_t size)
{
    memset(s, 0, sizeof *s);
    long page = sysconf(_SC_PAGESIZE);
    if (page <= 0)
        page = 4096;
    size_t pg = (size_t)page;
    if (size == 0)
        return -EINVAL;
    size = (size + pg - 1) & ~(pg - 1);
    size_t len = size + pg;
    /* MAP_STACK documents intent (and lets THP policy treat it as a stack); MAP_NORESERVE is not
     * used: the stack is small and must not fail on first touch. */
    void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (m == MAP_FAILED)
        return -errno;
    if (mprotect(m, pg, PROT_NONE) != 0) {      /* the guard page: overflow faults here */
        int e = errno;
        munmap(m, len);
        return -e;
    }
    s->map = m;
    s->map_len = len;
    s->lo = (char *)m + pg;
    s->hi = (char *)m + len;
    return 0;
}

void ctxp_stack_free(struct ctxp_stack *s)
{
    if (s->map)
        munmap(s->map, s->map_len);
    memset(s, 0, sizeof *s);
}
