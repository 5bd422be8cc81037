package io.ctxprobe.cli;

import io.ctxprobe.report.CostLadder;

import java.util.List;
import java.util.Locale;

/** The one-screen cost ladder under a run's table: most expensive rung on top. */
final class LadderView {

    private LadderView() {}

    static String render(CostLadder ladder) {
        if (ladder.ladders().isEmpty()) return "";
        StringBuilder out = new StringBuilder(System.lineSeparator()).append("cost ladder (sorted by what was measured)")
                .append(System.lineSeparator());
        for (CostLadder.Ladder l : ladder.ladders()) {
            out.append("  ").append(l.placement()).append(System.lineSeparator());
            List<CostLadder.Rung> rungs = l.rungs();
            for (int i = rungs.size() - 1; i >= 0; i--) {
                CostLadder.Rung r = rungs.get(i);
                out.append(String.format(Locale.ROOT, "    %-44s %10s %-10s %-9s %s%s%n", r.label(),
                        ResultTable.number(r.medianNs()), r.unit(),
                        r.ratioToBelow() == null ? "" : String.format(Locale.ROOT, "x%.3g", r.ratioToBelow()), r.key(),
                        r.placedBy() == null ? "" : "  (" + r.placedBy() + ")"));
            }
        }
        out.append("  the seed's claims on this host").append(System.lineSeparator());
        String method = null;
        for (CostLadder.Claim c : ladder.claims()) {
            out.append(String.format(Locale.ROOT, "    %-13s %s%n      %s%n", c.verdict().label(), c.claim(), c.evidence()));
            if (c.method() != null) method = c.method();
        }
        if (method != null) {
            out.append("  verdict test: ").append(method).append(" of median(dearer) / median(cheaper): confirmed only when the "
                    + "interval lies above 1, contradicted when below, else within noise").append(System.lineSeparator());
        }
        return out.toString();
    }
}
