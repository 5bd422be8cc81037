/*
 * fcontext_switch.cpp — what this measures: Boost.Context's jump_fcontext (the assembly switch that
 * ctxprobe's switch_x86_64_sysv_elf_gas.S follows), ns per switch over a main -> fiber -> main round
 * trip, median over batches. Compare with build/asm_switch in the same session.
 *
 * How to run:  build/fcontext_switch [round_trips]      (needs libboost-context-dev)
 */
#include <boost/context/detail/fcontext.hpp>

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace ctx = boost::context::detail;

static const int BATCHES = 21;
static const std::size_t STACK = 64 * 1024;

static int64_t now_ns()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

/* The fiber: every jump back hands main's context over; never returns. */
static void body(ctx::transfer_t t)
{
    for (;;)
        t = ctx::jump_fcontext(t.fctx, nullptr);
}

int main(int argc, char **argv)
{
    int64_t round_trips = argc > 1 ? std::atoll(argv[1]) : 2000000;
    int64_t ops = std::max<int64_t>(1, round_trips / BATCHES);

    std::size_t page = std::size_t(sysconf(_SC_PAGESIZE));
    void *map = mmap(nullptr, STACK + page, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (map == MAP_FAILED || mprotect(map, page, PROT_NONE) != 0) {   /* guard page below */
        std::perror("stack");
        return 1;
    }
    char *top = static_cast<char *>(map) + page + STACK;
    ctx::fcontext_t fiber = ctx::make_fcontext(top, STACK, body);

    int64_t s[BATCHES];
    for (int b = -2; b < BATCHES; b++) {                              /* two warm-up batches */
        int64_t t0 = now_ns();
        for (int64_t i = 0; i < ops; i++)
            fiber = ctx::jump_fcontext(fiber, nullptr).fctx;
        int64_t t1 = now_ns();
        if (b >= 0)
            s[b] = t1 - t0;
    }
    munmap(map, STACK + page);
    std::sort(s, s + BATCHES);
    std::printf("fcontext ns_per_switch=%.2f batches=%d ops=%lld\n",
                double(s[BATCHES / 2]) / (2.0 * double(ops)), BATCHES, (long long)ops);
    return 0;
}
