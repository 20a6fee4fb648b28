package io.github.flowupgrade.release;

import java.util.LinkedHashMap;
import java.util.Map;

/** Minimum versions of the runtime dependencies the notes name; null where no release in the range says. */
public record Requirements(String ruby, String nodejs, String postgresql, String redis) {
    public static Requirements none() {
        return new Requirements(null, null, null, null);
    }

    /** The higher minimum of each dependency. */
    public Requirements max(Requirements o) {
        return new Requirements(
                higher(ruby, o.ruby),
                higher(nodejs, o.nodejs),
                higher(postgresql, o.postgresql),
                higher(redis, o.redis));
    }

    Requirements with(String dependency, String version) {
        return switch (dependency) {
            case "ruby" -> new Requirements(higher(ruby, version), nodejs, postgresql, redis);
            case "nodejs" -> new Requirements(ruby, higher(nodejs, version), postgresql, redis);
            case "postgresql" -> new Requirements(ruby, nodejs, higher(postgresql, version), redis);
            case "redis" -> new Requirements(ruby, nodejs, postgresql, higher(redis, version));
            default -> throw new IllegalArgumentException(dependency);
        };
    }

    /** Dotted numeric versions compared part by part ({@code 20.19 > 20}, {@code 3.10 > 3.9}). */
    static String higher(String a, String b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        String[] pa = a.split("\\.");
        String[] pb = b.split("\\.");
        for (int i = 0; i < Math.max(pa.length, pb.length); i++) {
            long x = i < pa.length ? Long.parseLong(pa[i]) : 0;
            long y = i < pb.length ? Long.parseLong(pb[i]) : 0;
            if (x != y) {
                return x > y ? a : b;
            }
        }
        return a.length() >= b.length() ? a : b;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("ruby", ruby);
        map.put("nodejs", nodejs);
        map.put("postgresql", postgresql);
        map.put("redis", redis);
        return map;
    }
}
