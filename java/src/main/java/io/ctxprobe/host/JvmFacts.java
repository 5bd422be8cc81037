package io.ctxprobe.host;

import java.lang.management.ManagementFactory;

/** The "jvm" section: the JVM this process runs on (always the live one, whatever the file root). */
final class JvmFacts {
    private JvmFacts() {
    }

    static FactSection collect() {
        SectionBuilder s = new SectionBuilder("jvm");
        for (String p : new String[] {"java.version", "java.vm.name", "java.vm.vendor", "java.vm.version"}) {
            String v = System.getProperty(p);
            s.add(v == null ? Fact.unavailable(p, "jvm:System.getProperty", "property not set")
                    : Fact.of(p, v, "jvm:System.getProperty"));
        }
        try {
            var args = ManagementFactory.getRuntimeMXBean().getInputArguments();
            s.add("input arguments", args.isEmpty() ? "(none)" : String.join(" ", args), "jvm:RuntimeMXBean");
        } catch (RuntimeException | LinkageError e) {
            s.unavailable("input arguments", "jvm:RuntimeMXBean", e.toString());
        }
        int processors = Runtime.getRuntime().availableProcessors();
        s.add(Fact.of("available processors", Integer.toString(processors), "jvm:Runtime.availableProcessors")
                .withNumber(processors, "CPUs"));
        return s.build();
    }
}
