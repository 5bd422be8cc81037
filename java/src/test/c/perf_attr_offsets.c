/*
 * perf_attr_offsets.c — prints sizeof/offsetof of struct perf_event_attr from the system's
 * <linux/perf_event.h>, and the bit index of each flag in the bitfield word, for
 * PerfEventAttrLayoutTest to compare with io.ctxprobe.perf.PerfEventAttr.
 * Output lines: "sizeof <n>", "field <name> <offset> <size>", "bit <name> <index>".
 * Fields newer than the installed headers are simply not printed.
 */
#include <linux/perf_event.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define FIELD(f) printf("field %s %zu %zu\n", #f, offsetof(struct perf_event_attr, f), \
                        sizeof(((struct perf_event_attr *)0)->f))

/* The bitfield has no address: set one bit through the struct, read the u64 after read_format. */
#define BIT(f) do {                                                               \
        struct perf_event_attr a;                                                 \
        uint64_t w;                                                               \
        memset(&a, 0, sizeof a);                                                  \
        a.f = 1;                                                                  \
        memcpy(&w, (char *)&a + offsetof(struct perf_event_attr, read_format) + 8, 8); \
        printf("bit %s %d\n", #f, __builtin_ctzll(w));                            \
    } while (0)

int main(void)
{
    printf("sizeof %zu\n", sizeof(struct perf_event_attr));
    FIELD(type); FIELD(size); FIELD(config); FIELD(sample_period); FIELD(sample_type);
    FIELD(read_format); FIELD(wakeup_events); FIELD(bp_type); FIELD(config1); FIELD(config2);
    FIELD(branch_sample_type); FIELD(sample_regs_user); FIELD(sample_stack_user); FIELD(clockid);
    FIELD(sample_regs_intr); FIELD(aux_watermark); FIELD(sample_max_stack); FIELD(__reserved_2);
#ifdef PERF_ATTR_SIZE_VER6
    FIELD(aux_sample_size);
#endif
#ifdef PERF_ATTR_SIZE_VER7
    FIELD(__reserved_3); FIELD(sig_data);
#endif
#ifdef PERF_ATTR_SIZE_VER8
    FIELD(config3);
#endif
    BIT(disabled); BIT(inherit); BIT(pinned); BIT(exclusive); BIT(exclude_user);
    BIT(exclude_kernel); BIT(exclude_hv); BIT(exclude_idle); BIT(mmap); BIT(comm); BIT(freq);
    BIT(inherit_stat); BIT(enable_on_exec); BIT(task); BIT(watermark); BIT(mmap_data);
    BIT(sample_id_all); BIT(exclude_host); BIT(exclude_guest); BIT(exclude_callchain_kernel);
    BIT(exclude_callchain_user); BIT(mmap2); BIT(comm_exec); BIT(use_clockid); BIT(context_switch);
    BIT(write_backward); BIT(namespaces);
#ifdef PERF_ATTR_SIZE_VER7
    BIT(ksymbol); BIT(bpf_event); BIT(aux_output); BIT(cgroup); BIT(text_poke); BIT(build_id);
    BIT(inherit_thread); BIT(remove_on_exec); BIT(sigtrap);
#endif
    return 0;
}
