package io.ctxprobe.host;

/**
 * One cache level as one source reports it.
 *
 * @param type "Data", "Instruction" or "Unified"
 * @param sizeBytes null when the source gives no size
 * @param ways associativity as text ("12-way", "fully associative"), null when not given
 * @param lineSize bytes, null when not given
 * @param sharedCpus the CPUs sharing it (sysfs shared_cpu_list), null when not given
 */
record CacheInfo(int level, String type, Long sizeBytes, String ways, Integer lineSize, String sharedCpus) {

    /** "L1d", "L1i", "L2", "L3". */
    String label() {
        return "L" + level + switch (type) {
            case "Data" -> "d";
            case "Instruction" -> "i";
            default -> "";
        };
    }

    String describe() {
        StringBuilder b = new StringBuilder(sizeBytes == null ? "size not given" : Units.bytes(sizeBytes));
        if (ways != null) {
            b.append(", ").append(ways);
        }
        if (lineSize != null) {
            b.append(", ").append(lineSize).append(" B lines");
        }
        if (sharedCpus != null) {
            b.append(", shared by CPUs ").append(sharedCpus);
        }
        return b.toString();
    }

    static String waysText(int n) {
        return n <= 0 ? null : n == 1 ? "direct mapped" : n + "-way";
    }
}
