/*
 * ctxprobe/isolation.h — isolation (isolation.c): what a fault takes down. Java: NativeIsolation.
 * Part of ctxprobe.h.
 *
 * One repetition of a scenario in a sacrificial child forked from the calling thread through child.c
 * (PR_SET_PDEATHSIG(SIGKILL), core dumps off: RLIMIT_CORE 0 and PR_SET_DUMPABLE 0, SIGSEGV back to
 * SIG_DFL). The faulting code writes CLOCK_MONOTONIC into a shared mapping, then stores through a
 * NULL pointer.
 */
#ifndef CTXPROBE_ISOLATION_H
#define CTXPROBE_ISOLATION_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CTXPROBE_ISO_CHILD_PROCESS 1 /* the sacrificial process forks two grandchildren; one faults;
                                        it notices with waitpid and checks the other with kill(0) */
#define CTXPROBE_ISO_THREAD        2 /* it runs two extra pthreads; one faults; the caller notices
                                        with waitpid on the sacrificial process                    */
#define CTXPROBE_ISO_FIBER         3 /* it runs two fibers on its one thread; one faults; the caller
                                        notices with waitpid                                      */

/* outcome_bits */
#define CTXPROBE_ISO_SIBLING_RAN      1  /* the other grandchild / thread / fiber ran before the fault */
#define CTXPROBE_ISO_FAULTER_KILLED   2  /* the faulting process (or its process) died of a signal  */
#define CTXPROBE_ISO_PARENT_SURVIVED  4  /* the sacrificial process lived on after the fault and
                                            exited 0 once it had reaped everything                */
#define CTXPROBE_ISO_SIBLING_SURVIVED 8  /* the other grandchild / thread was alive at the notice */
#define CTXPROBE_ISO_PROCESS_KILLED   16 /* the sacrificial process itself died of a signal       */

/* One repetition. *notice_ns: ns from the fault's timestamp to the noticer's CLOCK_MONOTONIC read
 * right after waitpid returned (child-process: the sacrificial process; thread, fiber: the caller,
 * waiting on a pidfd where the kernel has one); *signal: the signal that killed the faulter (0 if
 * none). Children and grandchildren are reaped or killed before return (30 s deadline). 0, -EINVAL
 * (unknown scenario, NULL pointer), -ETIMEDOUT, -EPROTO (the sacrificial process failed before the
 * fault), or another -errno. */
int32_t ctxprobe_isolation_run(int32_t scenario, int64_t *notice_ns, int32_t *outcome_bits,
                               int32_t *signal);

#ifdef __cplusplus
}
#endif

#endif /* CTXPROBE_ISOLATION_H */
