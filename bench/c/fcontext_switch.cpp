/*
 * fcontext_switch.cpp — what this measures: Boost.Context's jump_fcontext (the assembly switch that
 * ctxprobe's switch_x86_64_sysv_elf_gas.S follows), ns per switch over a main -> fiber -> main round
 * trip, driven from the same placed loops as build/asm_switch and libctxprobe's fiber.switch
 * (fcontext_loop_*.S on native/src/loop_placement.h: copies at a 64-byte boundary + 0, 16, 32, 48,
 * interleaved), linked statically where libboost_context.a exists (a direct call, as the project's
 * switch gets). Prints the best copy's median over batches, and every copy's (placed_report.h).
 *
 * How to run:  build/fcontext_switch [round_trips per copy]      (needs libboost-context-dev)
 */
#include <boost/context/detail/fcontext.hpp>

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "placed_report.h"

namespace ctx = boost::context::detail;

extern "C" const struct ctxp_placed_loop ctxp_fcontext_loops[CTXP_PLACEMENTS];

static const std::size_t STACK = 64 * 1024;

int main(int argc, char **argv)
{
    int64_t round_trips = argc > 1 ? std::atoll(argv[1]) : 2000000;
    int64_t ops = round_trips / PLACED_BATCHES > 0 ? round_trips / PLACED_BATCHES : 1;

    std::size_t page = std::size_t(sysconf(_SC_PAGESIZE));
    void *maps[CTXP_PLACEMENTS];
    struct ctxp_loop_pair pairs[CTXP_PLACEMENTS] = {};
    for (int i = 0; i < CTXP_PLACEMENTS; i++) {
        maps[i] = mmap(nullptr, STACK + page, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
        if (maps[i] == MAP_FAILED || mprotect(maps[i], page, PROT_NONE) != 0) {   /* guard below */
            std::perror("stack");
            return 1;
        }
        char *top = static_cast<char *>(maps[i]) + page + STACK;
        /* copy i's body: the table types it void (*)(void *), but the assembly takes transfer_t
         * { main's context, the pair } in RDI:RSI, as make_fcontext's trampoline passes it */
        auto body = reinterpret_cast<void (*)(ctx::transfer_t)>(
                reinterpret_cast<void (*)()>(ctxp_fcontext_loops[i].body));
        pairs[i].fiber_sp = ctx::make_fcontext(top, STACK, body);
    }
    placed_report("fcontext", ctxp_fcontext_loops, pairs, ops);
    for (int i = 0; i < CTXP_PLACEMENTS; i++)
        munmap(maps[i], STACK + page);
    return 0;
}
