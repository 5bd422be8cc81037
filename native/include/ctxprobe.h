/*
 * ctxprobe.h — the C ABI of libctxprobe: the one contract between Java and C, and its single entry
 * point. One header per probe family lives under ctxprobe/ and is included here; each has one Java
 * binding class in io.ctxprobe.linux (Native<Family>), which carries each prototype once above its
 * handle. The ABI contract test (AbiContractTest) compiles these headers and checks every constant,
 * struct layout and prototype the Java side uses.
 *
 * Java orchestrates; C runs the hot loops. Rules for every function:
 *   - plain scalar and pointer arguments only: no struct is passed by value or shared by layout;
 *     objects that live across calls are opaque handles created and freed here;
 *   - a function that can fail returns a negative errno (-EINVAL, ...) and never exits or prints;
 *   - sample arrays are caller-owned: `batches` elements of int64_t, written in order;
 *   - nothing here calls back into the JVM. A forked or cloned child runs only code in this library
 *     and leaves with _exit / SYS_exit.
 *
 * Batch protocol (every *_run function): run `warmup` unmeasured batches, then `batches` measured
 * batches of `ops` operations each. wall_ns[i] is the CLOCK_MONOTONIC time of measured batch i;
 * cpu_ns[i] (when cpu_ns is not NULL) is its CLOCK_THREAD_CPUTIME_ID time, read at the batch's edges
 * only — on hosts where that clock is a system call it must never be read inside a batch.
 *
 * Minimum glibc: 2.34 (pthread symbols bind to GLIBC_2.34 when built on 2.34+).
 */
#ifndef CTXPROBE_H
#define CTXPROBE_H

#include <stdint.h>

/* Bumped whenever a prototype or a meaning in any ctxprobe/ header changes; Java refuses a library
 * with another. 4: headers per family, footprint and tlb.reach names, one ping-pong constructor,
 * ping-pong partner end and round trips. */
#define CTXPROBE_ABI_VERSION 6

#include "ctxprobe/core.h"       /* ABI version, clocks, timer cost, CPUID              */
#include "ctxprobe/syscall.h"    /* syscall.null                                         */
#include "ctxprobe/fiber.h"      /* fiber.switch                                         */
#include "ctxprobe/pingpong.h"   /* thread/process.switch, cache.c2c, ipc.latency, ...   */
#include "ctxprobe/create.h"     /* process.create, thread.create, fiber.create          */
#include "ctxprobe/footprint.h"  /* footprint                                            */
#include "ctxprobe/ipc.h"        /* ipc.bandwidth                                        */
#include "ctxprobe/isolation.h"  /* isolation                                            */
#include "ctxprobe/blocking.h"   /* blocking                                             */
#include "ctxprobe/tlb.h"        /* tlb.reach, tlb.switch                                */
#include "ctxprobe/sched.h"      /* sched.slice, sched.wakeup, fiber.preempt             */

#endif /* CTXPROBE_H */
