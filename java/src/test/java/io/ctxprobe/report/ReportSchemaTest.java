package io.ctxprobe.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The schema in docs/schema is the one packaged, and it describes what the model writes: a report
 * with every kind of field (derived figures with an interval and a reference, this host's facts with
 * their numbers) validates; documents that break its rules do not. Real runs are validated in the
 * CLI's tests (ReportSchemaRealRunTest).
 */
class ReportSchemaTest {

    static final Schema SCHEMA = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(ReportSchema.text());

    /** The validator's messages for {@code report}; empty when it validates. */
    static List<String> errors(JsonNode report) {
        return SCHEMA.validate(report).stream().map(Object::toString).toList();
    }

    @Test
    void thePackagedSchemaIsTheOneInDocs() throws Exception {
        assertEquals(Files.readString(Path.of("..", "docs", "schema", "ctxprobe-report-2.schema.json")), ReportSchema.text());
        assertTrue(ReportSchema.text().contains("\"const\": \"" + Report.SCHEMA + "\""), "the schema names the version written");
    }

    @Test
    void aReportWithEveryKindOfFieldValidates() throws Exception {
        JsonNode json = JsonReports.mapper().readTree(JsonReports.toJson(ReportJsonTest.fullReport()));
        assertEquals(List.of(), errors(json));
        boolean figures = false;
        for (JsonNode c : json.get("ladder").get("claims")) figures |= c.has("figures") && c.get("verdict").asText().equals("mixed");
        assertTrue(figures, "the report has a claim with figures and the verdict mixed");
    }

    @Test
    void documentsThatBreakTheRulesDoNot() throws Exception {
        JsonNode good = JsonReports.mapper().readTree(JsonReports.toJson(ReportJsonTest.fullReport()));

        ObjectNode oldSchema = good.deepCopy();
        oldSchema.put("schema", "ctxprobe-report/1");
        assertFalse(errors(oldSchema).isEmpty(), "a /1 report is not a /2 report");

        ObjectNode noFigure = good.deepCopy();
        ObjectNode derived = (ObjectNode) noFigure.get("results").get(0).get("derived").get(0);
        derived.remove("value");
        assertFalse(errors(noFigure).isEmpty(), "a derived figure needs a value or an interval");

        ObjectNode fifthStatus = good.deepCopy();
        ((ObjectNode) fifthStatus.get("results").get(0)).put("status", "derived");
        assertFalse(errors(fifthStatus).isEmpty(), "four statuses, for measurements only");

        ObjectNode skippedWithStats = good.deepCopy();
        ((ObjectNode) skippedWithStats.get("results").get(1)).set("stats", good.get("results").get(0).get("stats"));
        assertFalse(errors(skippedWithStats).isEmpty(), "a skipped case has no figure");

        ObjectNode unknownField = good.deepCopy();
        ((ObjectNode) unknownField.get("results").get(0)).put("ratio", 1.0);
        assertFalse(errors(unknownField).isEmpty(), "a field the model does not write needs its schema entry first");

        ObjectNode numberWithoutUnit = good.deepCopy();
        ArrayNode facts = (ArrayNode) numberWithoutUnit.get("host").get("sections").get(0).get("facts");
        ((ObjectNode) facts.get(0)).put("number", 3);
        ((ObjectNode) facts.get(0)).remove("unit");
        assertFalse(errors(numberWithoutUnit).isEmpty(), "a fact's number comes with its unit");
    }
}
