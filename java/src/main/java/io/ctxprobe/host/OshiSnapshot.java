package io.ctxprobe.host;

import java.util.List;

/**
 * What OSHI reports about the live host, taken once; used as a cross-check of sysfs and procfs.
 * All fields but the reason are null when OSHI could not be used.
 */
record OshiSnapshot(String unavailableReason, Long totalMemory, Long pageSize, Integer logicalProcessors,
        Integer physicalProcessors, Integer packages, String microarchitecture, String virtualization,
        List<CacheInfo> caches) {

    static OshiSnapshot unavailable(String reason) {
        return new OshiSnapshot(reason, null, null, null, null, null, null, null, List.of());
    }

    boolean available() {
        return unavailableReason == null;
    }

    /** Reads OSHI now. Any failure (no JNA, odd host) becomes the reason. */
    static OshiSnapshot live() {
        try {
            var hal = new oshi.SystemInfo().getHardware();
            var cpu = hal.getProcessor();
            var caches = cpu.getProcessorCaches().stream().map(c -> new CacheInfo(c.getLevel(),
                    switch (c.getType()) {
                        case DATA -> "Data";
                        case INSTRUCTION -> "Instruction";
                        default -> "Unified";
                    },
                    c.getCacheSize() > 0 ? Integer.toUnsignedLong(c.getCacheSize()) : null,
                    CacheInfo.waysText(Byte.toUnsignedInt(c.getAssociativity())),
                    c.getLineSize() > 0 ? (int) c.getLineSize() : null, null)).toList();
            String uarch = cpu.getProcessorIdentifier().getMicroarchitecture();
            return new OshiSnapshot(null, hal.getMemory().getTotal(), hal.getMemory().getPageSize(),
                    cpu.getLogicalProcessorCount(), cpu.getPhysicalProcessorCount(), cpu.getPhysicalPackageCount(),
                    uarch == null || uarch.isBlank() ? null : uarch, hal.getVirtualization().orElse(null), caches);
        } catch (RuntimeException | LinkageError e) {
            return unavailable("OSHI failed: " + e);
        }
    }
}
