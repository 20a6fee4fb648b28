package io.github.flowupgrade.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Medians of repeated whole-process timings. */
final class Stats {
    private Stats() {}

    static double median(List<? extends Number> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        List<Double> sorted = new ArrayList<>();
        for (Number n : samples) {
            sorted.add(n.doubleValue());
        }
        Collections.sort(sorted);
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }

    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    static double millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e6;
    }
}
