package io.ctxprobe.measure;

/**
 * How a case is measured: {@code warmup} unmeasured batches (they also give the JIT its chance on
 * Java-side loops), then {@code batches} measured batches of {@code opsPerBatch} operations each.
 */
public record BatchPlan(int warmup, int batches, long opsPerBatch) {

    public BatchPlan {
        if (warmup < 0) throw new IllegalArgumentException("warm-up batches must be >= 0, got " + warmup);
        if (batches <= 0) throw new IllegalArgumentException("batches must be > 0, got " + batches);
        if (opsPerBatch <= 0) throw new IllegalArgumentException("operations per batch must be > 0, got " + opsPerBatch);
    }

    public long measuredOps() {
        return (long) batches * opsPerBatch;
    }

}
