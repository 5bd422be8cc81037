package io.ctxprobe.fleet.k8s;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Kubernetes manifests into fabric8's model classes — generated from the Kubernetes OpenAPI
 * schema, one class per API type — so a field of the wrong type fails to bind, and a field the
 * schema does not have (a typo, a field of another API version) is caught: fabric8 keeps such
 * fields in {@code additionalProperties} instead of failing, so every object of the tree is walked
 * and any field found there is reported with its path.
 */
final class ManifestCheck {

    /** The kinds ctxprobe's manifests use, by "apiVersion/kind". */
    static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "batch/v1/Job", Job.class,
            "apps/v1/DaemonSet", DaemonSet.class);

    private static final ObjectMapper YAML = YAMLMapper.builder(new YAMLFactory()).build();
    private static final ObjectMapper MODEL = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).build();

    private ManifestCheck() {}

    /** Every document of a YAML text (a file may hold several, separated by ---). */
    static List<JsonNode> documents(String yaml) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (var it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode n = (JsonNode) it.next();
                if (n != null && !n.isNull() && !n.isMissingNode()) out.add(n);
            }
        }
        return out;
    }

    /** The document bound to its API type; IllegalArgumentException names what does not fit. */
    static HasMetadata bind(JsonNode doc) {
        String kind = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
        Class<? extends HasMetadata> type = KINDS.get(kind);
        if (type == null) throw new IllegalArgumentException("not a kind these manifests use: " + kind);
        HasMetadata bound;
        try {
            bound = MODEL.treeToValue(doc, type);
        } catch (IOException e) {
            throw new IllegalArgumentException(kind + ": does not fit the API type " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
        List<String> unknown = new ArrayList<>();
        walk(bound, kind, unknown, new IdentityHashMap<>());
        if (!unknown.isEmpty()) throw new IllegalArgumentException(kind + ": fields the Kubernetes schema does not have: " + unknown);
        return bound;
    }

    /** Collects "path.field" for every field that went into additionalProperties. */
    private static void walk(Object o, String path, List<String> unknown, Map<Object, Boolean> seen) {
        if (o == null || seen.put(o, Boolean.TRUE) != null) return;
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) walk(e, path + "[" + i++ + "]", unknown, seen);
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> walk(v, path + "." + k, unknown, seen));
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.")) return;
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
                    || m.getName().equals("getClass") || m.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = m.invoke(o);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (m.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra) extra.keySet().forEach(k -> unknown.add(path + "." + k));
                continue;
            }
            walk(value, path + "." + property(m.getName()), unknown, seen);
        }
    }

    private static String property(String getter) {
        String p = getter.substring(3);
        return p.isEmpty() ? p : Character.toLowerCase(p.charAt(0)) + p.substring(1);
    }
}
