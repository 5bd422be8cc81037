package io.ctxprobe;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The tool's version and the git commit it was built from, as recorded by the build. */
public record BuildInfo(String version, String commit) {

    public static BuildInfo load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String commit = p.getProperty("commit", "unknown");
        return new BuildInfo(p.getProperty("version", "unknown"),
                commit.isBlank() || commit.startsWith("${") || commit.equals("unknown") ? null : commit);
    }
}
