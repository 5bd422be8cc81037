package io.ctxprobe.binding;

import io.ctxprobe.linux.CpuSet;
import io.ctxprobe.linux.Sched;
import io.ctxprobe.linux.Time;
import io.ctxprobe.linux.Unistd;

/** {@link Binding} over the FFM classes of io.ctxprobe.linux. */
final class FfmBinding implements Binding {
    static final FfmBinding INSTANCE = new FfmBinding();

    private FfmBinding() {}

    @Override
    public String name() {
        return "ffm";
    }

    @Override
    public int gettid() {
        return Unistd.gettid();
    }

    @Override
    public int getppid() {
        return Unistd.getppid();
    }

    @Override
    public int currentCpu() {
        return Sched.getcpu();
    }

    @Override
    public void setAffinity(int tid, CpuSet cpus) {
        Sched.setAffinity(tid, cpus);
    }

    @Override
    public CpuSet getAffinity(int tid) {
        return Sched.getAffinity(tid);
    }

    @Override
    public long clockNs(int clockId) {
        return Time.clockGettimeNs(clockId);
    }

    @Override
    public String toString() {
        return name();
    }
}
