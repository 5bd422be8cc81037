package io.ctxprobe.cli;

import io.ctxprobe.report.CaseResult;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * All-pairs results as N x N matrices (one per probe and mechanism): the median of the cell for
 * CPUs (a, b), mirrored, since a pair is measured once; "-" where nothing was measured.
 */
final class MatrixView {

    private MatrixView() {}

    static String render(List<CaseResult> results) {
        Map<String, List<CaseResult>> groups = new LinkedHashMap<>();
        for (CaseResult r : results) {
            String matrix = r.params().get("matrix");
            if (matrix != null && r.params().containsKey("cpuA")) {
                groups.computeIfAbsent(r.probe() + " " + matrix, k -> new java.util.ArrayList<>()).add(r);
            }
        }
        StringBuilder out = new StringBuilder();
        for (var group : groups.entrySet()) {
            TreeSet<Integer> cpus = new TreeSet<>();
            Map<String, String> cell = new LinkedHashMap<>();
            String unit = group.getValue().getFirst().unit();
            for (CaseResult r : group.getValue()) {
                int a = Integer.parseInt(r.params().get("cpuA"));
                int b = Integer.parseInt(r.params().get("cpuB"));
                cpus.add(a);
                cpus.add(b);
                String v = r.stats() != null ? ResultTable.number(r.stats().median()) : r.status().label();
                cell.put(a + "," + b, v);
                cell.put(b + "," + a, v);
            }
            int width = Math.max(6, cell.values().stream().mapToInt(String::length).max().orElse(1) + 1);
            out.append(System.lineSeparator()).append(group.getKey()).append(" matrix, median ").append(unit)
                    .append(" (row CPU x column CPU)").append(System.lineSeparator());
            out.append(String.format("%6s", "cpu"));
            for (int c : cpus) out.append(String.format("%" + width + "d", c));
            out.append(System.lineSeparator());
            for (int a : cpus) {
                out.append(String.format("%6d", a));
                for (int b : cpus) out.append(String.format("%" + width + "s", cell.getOrDefault(a + "," + b, "-")));
                out.append(System.lineSeparator());
            }
        }
        return out.toString();
    }
}
