package io.ctxprobe.host;

/** Byte sizes as people read them: exact binary units, with the byte count when not exact. */
final class Units {
    private Units() {
    }

    static String bytes(long n) {
        if (n >= 1L << 30 && n % (1L << 30) == 0) {
            return (n >> 30) + " GiB";
        }
        if (n >= 1L << 20 && n % (1L << 20) == 0) {
            return (n >> 20) + " MiB";
        }
        if (n >= 1L << 30) {
            return String.format(java.util.Locale.ROOT, "%.1f GiB (%s)", n / 1073741824.0,
                    n % 1024 == 0 ? (n >> 10) + " KiB" : n + " bytes");
        }
        if (n >= 1L << 10 && n % (1L << 10) == 0) {
            return (n >> 10) + " KiB";
        }
        if (n >= 1L << 20) {
            return String.format(java.util.Locale.ROOT, "%.1f MiB (%d bytes)", n / 1048576.0, n);
        }
        return n + " B";
    }

    /** "4 kB" / "2048 kB" as /proc/meminfo and smaps write them, to bytes; null if not that shape. */
    static Long kbField(String text) {
        if (text == null) {
            return null;
        }
        String[] w = text.trim().split("\\s+");
        try {
            long v = Long.parseLong(w[0]);
            return w.length > 1 && w[1].equalsIgnoreCase("kB") ? v * 1024 : w.length == 1 ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
