package io.ctxprobe.host;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A stable key for a host, so that reports from many runs and many hosts can be grouped.
 *
 * <p>The key is the first 16 hex digits of SHA-256 over three lines: the machine id
 * ({@code /etc/machine-id}, else {@code /var/lib/dbus/machine-id}, else the hostname), the CPU
 * model name, and the number of <em>online</em> logical CPUs. Online, not allowed: the allowed set
 * changes with each process's affinity (taskset, cgroup cpusets), and the key must not. The key
 * changes when the OS is reinstalled (new machine id), or the CPU or the number of vCPUs changes —
 * each of which changes what is measured.
 */
final class HostKey {
    private HostKey() {
    }

    record Identity(String id, String idSource) {
    }

    /** Pure: the key from its three inputs (nulls hashed as empty lines). */
    static String compute(String machineId, String cpuModel, int logicalCpus) {
        String input = nz(machineId) + "\n" + nz(cpuModel) + "\n" + logicalCpus + "\n";
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** The machine id and where it came from; the hostname when neither machine-id file is there. */
    static Identity identity(HostFiles files, String hostname) {
        for (String p : new String[] {HostPaths.MACHINE_ID, HostPaths.DBUS_MACHINE_ID}) {
            String v = files.read(p).first();
            if (v != null && !v.isEmpty()) {
                return new Identity(v, HostFiles.source(p));
            }
        }
        return new Identity(hostname, "hostname");
    }

    private static String nz(String s) {
        return s == null ? "" : s.trim();
    }
}
