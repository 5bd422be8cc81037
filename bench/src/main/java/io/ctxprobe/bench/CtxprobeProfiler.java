package io.ctxprobe.bench;

// -prof io.ctxprobe.bench.CtxprobeProfiler[:events=context-switches,page-faults,...]
//
//   java --enable-native-access=ALL-UNNAMED -jar bench/target/ctxprobe-bench.jar B01 \
//        -prof io.ctxprobe.bench.CtxprobeProfiler:events=context-switches,page-faults,cycles

import io.ctxprobe.measure.CounterReadings;
import io.ctxprobe.perf.PerfCounterGroup;
import io.ctxprobe.perf.PerfEventSpec;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.ScalarResult;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * A JMH profiler giving ctxprobe's perf counts per benchmark operation: {@code ctxprobe.<event>}
 * secondary results (average over iterations), from {@link PerfCounterGroup}, with no perf tool and
 * no text scraping. Events: {@code events=} a comma list of catalogue names or tracepoints
 * (default: task-clock, context-switches, cpu-migrations, page-faults); an event this host cannot
 * count is reported once on stderr with the reason, never as 0.
 *
 * <p>Which thread is counted: JMH calls {@code beforeIteration}/{@code afterIteration} in the forked
 * benchmark JVM on its harness thread, not on the worker threads that run the benchmark method; the
 * workers are created by the harness thread when the first iteration is submitted. So the group is
 * opened once, at the first {@code beforeIteration}, on the calling (harness) thread with
 * {@code inherit=1}: it then also counts every thread the harness creates afterwards, the workers
 * included, and a read of the parent's fds sums the inherited children's counts. Each iteration's
 * figure is the difference of two reads divided by {@code getMetadata().getAllOps()}. On this
 * development kernel (6.x) {@code inherit} with read_format GROUP opens (the kernel sums children in
 * group reads since 4.x); where a kernel refuses it with EINVAL the ladder in PerfCounterGroup opens
 * each event alone, with its own times. Counting a whole process with pid=getpid() would miss the
 * workers (getpid() is the primordial thread, which only waits in the launcher), and counting per
 * CPU would need CAP_PERFMON. The harness thread's own few switches per iteration are included.
 */
public final class CtxprobeProfiler implements InternalProfiler {

    static final List<String> DEFAULT_EVENTS = List.of("task-clock", "context-switches", "cpu-migrations", "page-faults");

    private final List<PerfEventSpec> events;
    private PerfCounterGroup group;
    private PerfCounterGroup.Reading before;

    public CtxprobeProfiler() {
        this("");
    }

    /** {@code options}: "" or "events=a,b,c" (JMH passes what follows the class name's colon). */
    public CtxprobeProfiler(String options) {
        List<String> names = DEFAULT_EVENTS;
        for (String option : options == null ? new String[0] : options.split(";")) {
            String o = option.strip();
            if (o.isEmpty()) continue;
            if (!o.startsWith("events=")) {
                throw new IllegalArgumentException("CtxprobeProfiler: unknown option '" + o + "'; expected events=a,b,c");
            }
            names = Arrays.stream(o.substring("events=".length()).split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
        this.events = PerfEventSpec.parseList(names);   // an unknown name fails here, before the run
    }

    @Override
    public String getDescription() {
        return "ctxprobe perf_event_open counts per operation (software events, hardware where a PMU exists, "
                + "tracepoints): events=a,b,c";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        if (group == null) {
            group = PerfCounterGroup.open(events, 0, true);
            for (String note : CounterReadings.of(group, new PerfCounterGroup.Reading(List.of()), "jvm", 1).notes()) {
                System.err.println("ctxprobe profiler: " + note);
            }
            group.enable();
            Runtime.getRuntime().addShutdownHook(new Thread(group::close, "ctxprobe-profiler-close"));
        }
        before = group.read();
    }

    @Override
    public Collection<ScalarResult> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        PerfCounterGroup.Reading delta = group.read().minus(before);
        long ops = result.getMetadata() != null ? result.getMetadata().getAllOps() : 0;
        List<ScalarResult> out = new ArrayList<>();
        if (ops <= 0) return out;
        for (PerfCounterGroup.Value v : delta.values()) {
            out.add(new ScalarResult("ctxprobe." + v.member().label(), (double) v.scaled() / ops,
                    v.member().spec().name().equals("task-clock") ? "ns/op" : "#/op", AggregationPolicy.AVG));
        }
        return out;
    }
}
