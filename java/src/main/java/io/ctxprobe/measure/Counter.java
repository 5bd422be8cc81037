package io.ctxprobe.measure;

/**
 * One kernel count attached to a case: {@code event} ("context-switches", "voluntary-switches",
 * "involuntary-switches", "cpu-migrations"), the {@code task} it was counted on ("ping", "pong",
 * "runner", or "all" for a sum), the total over the measured batches, that total per operation, and
 * the {@code source} that counted it ("perf:software", "getrusage(RUSAGE_THREAD)", ...).
 */
public record Counter(String event, String task, long total, double perOp, String source) {

    public static Counter of(String event, String task, long total, long ops, String source) {
        return new Counter(event, task, total, ops > 0 ? (double) total / ops : Double.NaN, source);
    }
}
