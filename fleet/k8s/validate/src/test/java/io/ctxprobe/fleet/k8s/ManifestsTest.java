package io.ctxprobe.fleet.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * fleet/k8s/*.yaml: each document fits its Kubernetes API type with no unknown field
 * ({@link ManifestCheck}), passes the rules the API server adds to the schema for these kinds
 * (names, selectors matching their templates, the indexed Job's fields), and keeps ctxprobe's own
 * policy: one pod per node, no privileges, CPU requests = limits in whole CPUs, a writable /tmp, and
 * the image the Containerfile makes.
 */
class ManifestsTest {

    static final Path DIR = Path.of(System.getProperty("ctxprobe.k8s.dir", ".."));
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?");

    static List<HasMetadata> objects() throws IOException {
        List<HasMetadata> out = new ArrayList<>();
        try (var files = Files.list(DIR)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (var doc : ManifestCheck.documents(Files.readString(f))) out.add(ManifestCheck.bind(doc));
            }
        }
        return out;
    }

    @Test
    void everyManifestFitsItsKubernetesApiType() throws IOException {
        List<HasMetadata> all = objects();
        assertEquals(1, all.stream().filter(Job.class::isInstance).count(), "one Job");
        assertEquals(1, all.stream().filter(DaemonSet.class::isInstance).count(), "one DaemonSet");
        for (HasMetadata o : all) {
            assertTrue(DNS_LABEL.matcher(o.getMetadata().getName()).matches(), o.getMetadata().getName());
            o.getMetadata().getLabels().forEach((k, v) -> assertTrue(LABEL_VALUE.matcher(v).matches(), k + "=" + v));
        }
    }

    @Test
    void theCheckCatchesATypoAndAWrongType() {
        String typo = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: x}\nspec:\n  template:\n    spec:\n"
                + "      containers: [{name: c, image: i, securityContex: {privileged: false}}]\n";
        var e = assertThrows(IllegalArgumentException.class, () -> ManifestCheck.bind(ManifestCheck.documents(typo).getFirst()));
        assertTrue(e.getMessage().contains("securityContex"), e.getMessage());
        String wrongType = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: x}\nspec:\n  completions: many\n";
        assertThrows(IllegalArgumentException.class, () -> ManifestCheck.bind(ManifestCheck.documents(wrongType).getFirst()));
        String otherKind = "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n";
        assertThrows(IllegalArgumentException.class, () -> ManifestCheck.bind(ManifestCheck.documents(otherKind).getFirst()));
    }

    @Test
    void theJobIsIndexedOnePodPerNodeAndAFailedNodeStopsNoOther() throws IOException {
        Job job = objects().stream().filter(Job.class::isInstance).map(Job.class::cast).findFirst().orElseThrow();
        JobSpec spec = job.getSpec();
        assertEquals("Indexed", spec.getCompletionMode());
        assertNotNull(spec.getCompletions(), "an indexed Job needs completions");
        assertTrue(spec.getParallelism() <= spec.getCompletions());
        assertEquals(0, spec.getBackoffLimitPerIndex(), "each node runs once");
        assertEquals(spec.getCompletions(), spec.getMaxFailedIndexes(), "no number of failed nodes stops the others");
        assertEquals("Never", spec.getTemplate().getSpec().getRestartPolicy());
        List<PodAffinityTerm> anti = spec.getTemplate().getSpec().getAffinity().getPodAntiAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution();
        assertEquals(1, anti.size());
        assertEquals("kubernetes.io/hostname", anti.getFirst().getTopologyKey());
        assertSelects(anti.getFirst().getLabelSelector(), spec.getTemplate(), "the anti-affinity must select the Job's own pods");
        long deadline = Long.parseLong(env(container(spec.getTemplate()), "CTXPROBE_DEADLINE_S"));
        assertTrue(spec.getActiveDeadlineSeconds() > deadline + 60,
                "activeDeadlineSeconds is the backstop: later than the run's own deadline and its partial report");
    }

    @Test
    void theDaemonSetSelectsItsTemplateAndItsPodsStay() throws IOException {
        DaemonSet ds = objects().stream().filter(DaemonSet.class::isInstance).map(DaemonSet.class::cast).findFirst().orElseThrow();
        assertSelects(ds.getSpec().getSelector(), ds.getSpec().getTemplate(), "a DaemonSet's selector must match its template's labels");
        String restart = ds.getSpec().getTemplate().getSpec().getRestartPolicy();
        assertTrue(restart == null || restart.equals("Always"), "a DaemonSet's pods restart Always");
        assertEquals("sleep", env(container(ds.getSpec().getTemplate()), "CTXPROBE_THEN"), "else the pod reruns ctxprobe forever");
    }

    @Test
    void noPrivilegesByDefault() throws IOException {
        for (PodTemplateSpec t : templates()) {
            PodSpec pod = t.getSpec();
            assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(), "no API token in the pod");
            assertNotEquals(Boolean.TRUE, pod.getHostPID());
            assertNotEquals(Boolean.TRUE, pod.getHostNetwork());
            assertNotEquals(Boolean.TRUE, pod.getHostIPC());
            assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot());
            assertNotEquals(0L, pod.getSecurityContext().getRunAsUser());
            assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
            SecurityContext sc = container(t).getSecurityContext();
            assertEquals(Boolean.FALSE, sc.getPrivileged());
            assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation());
            assertEquals(List.of("ALL"), sc.getCapabilities().getDrop());
            assertTrue(sc.getCapabilities().getAdd() == null || sc.getCapabilities().getAdd().isEmpty(), "no capability added");
        }
    }

    @Test
    void cpuRequestsEqualLimitsInWholeCpusAndTmpIsWritable() throws IOException {
        for (PodTemplateSpec t : templates()) {
            Container c = container(t);
            Map<String, Quantity> req = c.getResources().getRequests();
            Map<String, Quantity> lim = c.getResources().getLimits();
            for (String r : List.of("cpu", "memory")) {
                assertEquals(Quantity.getAmountInBytes(req.get(r)), Quantity.getAmountInBytes(lim.get(r)), r + ": requests = limits (Guaranteed QoS)");
            }
            BigDecimal cpus = Quantity.getAmountInBytes(req.get("cpu"));
            assertTrue(cpus.stripTrailingZeros().scale() <= 0, "whole CPUs, so the static CPU manager gives the pod its own");
            assertTrue(cpus.intValue() >= 2, "two CPUs at least: a same-core and a cross-core pair");
            assertEquals(Boolean.TRUE, c.getSecurityContext().getReadOnlyRootFilesystem());
            var tmp = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst().orElseThrow();
            assertNotEquals(Boolean.TRUE, tmp.getReadOnly());
            assertTrue(t.getSpec().getVolumes().stream().anyMatch(v -> v.getName().equals(tmp.getName()) && v.getEmptyDir() != null),
                    "/tmp is an emptyDir of the pod");
        }
    }

    @Test
    void theImageIsWhatTheContainerfileMakesFromTheBundle() throws IOException {
        String containerfile = Files.readString(DIR.resolve("Containerfile"));
        Matcher version = Pattern.compile("(?m)^ARG VERSION=(\\S+)$").matcher(containerfile);
        assertTrue(version.find(), "ARG VERSION=");
        assertTrue(containerfile.contains("ADD target/ctxprobe-${VERSION}-linux-x86_64.tar.gz /opt/"),
                "the tarball make-bundle.sh writes into fleet/target");
        assertTrue(containerfile.contains("COPY k8s/entrypoint.sh /usr/local/bin/ctxprobe-entrypoint"));
        assertTrue(containerfile.contains("ENTRYPOINT [\"/usr/local/bin/ctxprobe-entrypoint\"]"));
        assertTrue(Files.isExecutable(DIR.resolve("entrypoint.sh")));
        Matcher user = Pattern.compile("(?m)^USER (\\d+):(\\d+)$").matcher(containerfile);
        assertTrue(user.find(), "a numeric non-root USER");
        for (PodTemplateSpec t : templates()) {
            assertEquals("ctxprobe:" + version.group(1), container(t).getImage());
            assertEquals(Long.parseLong(user.group(1)), t.getSpec().getSecurityContext().getRunAsUser());
        }
    }

    private static List<PodTemplateSpec> templates() throws IOException {
        List<PodTemplateSpec> out = new ArrayList<>();
        for (HasMetadata o : objects()) {
            if (o instanceof Job j) out.add(j.getSpec().getTemplate());
            if (o instanceof DaemonSet d) out.add(d.getSpec().getTemplate());
        }
        assertFalse(out.isEmpty());
        return out;
    }

    private static Container container(PodTemplateSpec t) {
        assertEquals(1, t.getSpec().getContainers().size(), "one container");
        Container c = t.getSpec().getContainers().getFirst();
        assertTrue(DNS_LABEL.matcher(c.getName()).matches());
        return c;
    }

    private static String env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow().getValue();
    }

    private static void assertSelects(LabelSelector selector, PodTemplateSpec template, String why) {
        assertNotNull(selector.getMatchLabels(), why);
        assertFalse(selector.getMatchLabels().isEmpty(), why);
        selector.getMatchLabels().forEach((k, v) -> assertEquals(v, template.getMetadata().getLabels().get(k), why + ": " + k));
    }
}
