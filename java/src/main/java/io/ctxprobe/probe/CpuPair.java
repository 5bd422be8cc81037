package io.ctxprobe.probe;

/** The CPUs chosen for the two parties of a switch, and why they were chosen. */
public record CpuPair(int first, int second, String why) {}
