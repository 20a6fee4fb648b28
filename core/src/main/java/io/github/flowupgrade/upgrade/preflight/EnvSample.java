package io.github.flowupgrade.upgrade.preflight;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings a release's {@code .env.production.sample} requires, read the way the sample is written: a setting is
 * a line {@code NAME=value} that is not commented out; it is optional when its section's heading (a comment
 * underlined with {@code # ---}) or a comment in its own block (up to the next blank line) says "optional", as
 * "Elasticsearch (optional)" and "File storage (optional)" do in Mastodon's sample.
 */
final class EnvSample {
    private static final Pattern SETTING = Pattern.compile("(?:export\\s+)?([A-Za-z_][A-Za-z0-9_]*)=.*");
    private static final Pattern UNDERLINE = Pattern.compile("#\\s*-{3,}\\s*");

    private EnvSample() {}

    /** The names the sample sets outside optional sections and blocks, in its order. */
    static Set<String> required(String sample) {
        Set<String> required = new LinkedHashSet<>();
        if (sample == null) {
            return required;
        }
        String[] lines = sample.split("\\R");
        boolean optionalSection = false;
        boolean optionalBlock = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                optionalBlock = false;
                continue;
            }
            if (line.startsWith("#")) {
                if (UNDERLINE.matcher(line).matches()) {
                    continue;
                }
                boolean optional = line.toLowerCase(Locale.ROOT).contains("optional");
                boolean heading = i + 1 < lines.length
                        && UNDERLINE.matcher(lines[i + 1].strip()).matches();
                if (heading) {
                    optionalSection = optional;
                    optionalBlock = false;
                } else if (optional) {
                    optionalBlock = true;
                }
                continue;
            }
            Matcher m = SETTING.matcher(line);
            if (m.matches() && !optionalSection && !optionalBlock) {
                required.add(m.group(1));
            }
        }
        return required;
    }
}
