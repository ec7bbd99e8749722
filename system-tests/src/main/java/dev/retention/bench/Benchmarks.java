package dev.retention.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** What the benchmark programs share: their options, their log lines, their reports, process CPU time. */
final class Benchmarks {

    private Benchmarks() {
    }

    /** {@code --name=value} arguments; a bare {@code --name} is "true". */
    static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            String[] pair = arg.replaceFirst("^--", "").split("=", 2);
            options.put(pair[0], pair.length > 1 ? pair[1] : "true");
        }
        return options;
    }

    static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[bench %tT] %s%n", Instant.now().atZone(ZoneOffset.UTC),
                String.format(Locale.ROOT, format, args));
    }

    /** Prints the report and keeps it in {@code system-tests/target/<file>}. */
    static void publish(Path root, String file, String report) throws IOException {
        System.out.println(report);
        Path target = root.resolve("system-tests/target").resolve(file);
        Files.createDirectories(target.getParent());
        Files.writeString(target, report);
        log("report written to %s", target);
    }

    /** User plus system CPU time of a process, in clock ticks (1/100 s on Linux). */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
