# ctxprobe: the one entry point for people.  make run | make test | make bench | make native
# Every target finds a JDK >= 25 itself (scripts/find-jdk.sh) and exports JAVA_HOME for Maven.

SHELL := /bin/bash
MVN   ?= mvn
# Maven 3.8's bundled Guava calls sun.misc.Unsafe, which JDK 25 warns about on every build.
export MAVEN_OPTS ?= --sun-misc-unsafe-memory-access=allow
GIT_COMMIT := $(shell git rev-parse --short=12 HEAD 2>/dev/null)$(shell git diff --quiet HEAD 2>/dev/null || echo -dirty)
MVN_FLAGS ?= -B -q -Dstyle.color=never -Dctxprobe.git.commit=$(or $(GIT_COMMIT),unknown)
WITH_JDK = JAVA_HOME="$$(scripts/find-jdk.sh)" || exit 2; export JAVA_HOME PATH="$$JAVA_HOME/bin:$$PATH";

CLI_JAR   := cli/target/ctxprobe.jar
BENCH_JAR := bench/target/ctxprobe-bench.jar

.PHONY: all build run test native native-check native-aarch64 native-check-aarch64 bench bench-c clean jdk

all: build

jdk:
	@scripts/find-jdk.sh >/dev/null

native:
	$(MAKE) -C native

native-check: native
	$(MAKE) -C native check

# AArch64: cross-built with Debian's gcc-aarch64-linux-gnu into native/build-aarch64 (the core jar
# then packs it beside x86-64's), its C tests run under qemu-aarch64 (correctness only: no timings).
# Neither is needed by build or test on x86-64.
native-aarch64:
	$(MAKE) -C native native-aarch64

native-check-aarch64:
	$(MAKE) -C native native-check-aarch64

# Native library and jars, no tests.
build: native jdk
	@$(WITH_JDK) $(MVN) $(MVN_FLAGS) -DskipTests package

# Build, then the quick suite and its summary.
run: build
	./ctxprobe run --quick

# C tests, then every JUnit test (mvn verify).
test: native-check jdk
	@$(WITH_JDK) $(MVN) -B -Dstyle.color=never -Dctxprobe.git.commit=$(or $(GIT_COMMIT),unknown) verify

# JMH benchmarks and the plain-C reference programs; see bench/README.md and bench/RESULTS.md.
bench: build bench-c
	bench/run-bench.sh

bench-c:
	bench/install-deps.sh
	$(MAKE) -C bench/c

clean:
	$(MAKE) -C native clean
	$(MAKE) -C bench/c clean
	@$(WITH_JDK) $(MVN) $(MVN_FLAGS) clean

.PHONY: bundle fleet-test

# One tarball that runs ctxprobe on a Linux x86-64 host with nothing but glibc: a jlink'd runtime
# with the modules jdeps finds, the CLI jar, the native library and helper, bin/ctxprobe
# (fleet/bundle/make-bundle.sh; into fleet/target/). Builds first when the jar is missing or older
# than a source file or the native library.
bundle: native jdk
	@if [ ! -f $(CLI_JAR) ] || [ -n "$$(find java/src probes/src cli/src native/build/libctxprobe.so native/build/ctxprobe-helper \
	    -type f -newer $(CLI_JAR) -print -quit)" ]; then $(MAKE) build; fi
	fleet/bundle/make-bundle.sh

# The Kubernetes manifests validated against the API types (fabric8's model, fleet/k8s/validate),
# the bundle test (unpacked into an empty directory, run with no java on PATH), the image's entry
# point and collect.sh run on the bundle, then the Ansible playbook run for real against three
# namespace hosts and one dead address (needs root; see fleet/test/fleet-test.sh).
fleet-test: bundle
	@$(WITH_JDK) $(MVN) -B -q -Dstyle.color=never -f fleet/k8s/validate/pom.xml test
	fleet/bundle/test-bundle.sh
	fleet/k8s/test-pod-scripts.sh
	fleet/test/fleet-test.sh
