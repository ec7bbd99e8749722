package dev.retention.bench;

import dev.retention.kafka.KafkaBroker;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /** {@code --service-jvm-options}: JVM options for the service processes, comma-separated. */
    static List<String> serviceJvmOptions(Map<String, String> options) {
        String jvmOptions = options.getOrDefault("service-jvm-options", "").trim();
        return jvmOptions.isEmpty() ? List.of() : List.of(jvmOptions.split(",(?=-)"));
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
        return userAndSystemTicks(Files.readString(Path.of("/proc/" + pid + "/stat")));
    }

    /** utime + stime of a {@code /proc/.../stat} line; the fields count from after the command name's ')'. */
    private static long userAndSystemTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /**
     * CPU clock ticks of a JVM's JIT compiler threads ({@code C1 CompilerThre}, {@code C2 CompilerThre}): how much of
     * its CPU went to compiling rather than to the work.
     */
    static long compilerTicks(long pid) throws IOException {
        long ticks = 0;
        try (var threads = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path thread : (Iterable<Path>) threads::iterator) {
                try {
                    String stat = Files.readString(thread.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                        ticks += userAndSystemTicks(stat);
                    }
                } catch (IOException | StringIndexOutOfBoundsException e) {
                    // the thread ended between listing and reading: its ticks are gone with it
                }
            }
        }
        return ticks;
    }

    /** The highest resident set size the process has had (VmHWM), in KiB. */
    static long peakRssKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** Mean records and time per batch while measuring, from the eventing kit's meters. */
    static String batchFigures(String before, String after) {
        double batches = sumOf(after, "retention_batch_records_count") - sumOf(before, "retention_batch_records_count");
        double records = sumOf(after, "retention_batch_records_sum") - sumOf(before, "retention_batch_records_sum");
        double seconds = sumOf(after, "retention_batch_duration_seconds_sum")
                - sumOf(before, "retention_batch_duration_seconds_sum");
        return String.format(Locale.ROOT, "- batches: %,.0f, mean %,.0f records and %.1f ms each (commit included)%n",
                batches, records / batches, seconds * 1000 / batches);
    }

    static double sumOf(String metrics, String name) {
        Matcher matcher = Pattern.compile("^" + name + "(\\{[^}]*})? ([0-9.eE+]+)$", Pattern.MULTILINE)
                .matcher(metrics);
        double sum = 0;
        while (matcher.find()) {
            sum += Double.parseDouble(matcher.group(2));
        }
        return sum;
    }

    /** CPU of every PostgreSQL process on the machine (server and backends), in clock ticks. */
    static long postgresTicks() throws IOException {
        long ticks = 0;
        try (var processes = Files.list(Path.of("/proc"))) {
            for (Path process : (Iterable<Path>) processes::iterator) {
                String name = process.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(process.resolve("stat"));
                    if (stat.contains("(postgres)")) {
                        ticks += Benchmarks.cpuTicks(Long.parseLong(name));
                    }
                } catch (IOException | RuntimeException gone) {
                    // the process ended meanwhile
                }
            }
        }
        return ticks;
    }

    /** The load generators' producer: acks from all replicas, idempotent, batched and compressed like a shop's. */
    static KafkaProducer<String, byte[]> producer(KafkaBroker broker) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new StringSerializer(), new ByteArraySerializer());
    }

    /** Produces every record and waits for every ack; returns records per second. */
    static double produce(KafkaBroker broker, List<ProducerRecord<String, byte[]>> records) {
        try (KafkaProducer<String, byte[]> producer = producer(broker)) {
            long started = System.nanoTime();
            AtomicLong failed = new AtomicLong();
            for (ProducerRecord<String, byte[]> record : records) {
                producer.send(record, (metadata, error) -> {
                    if (error != null) {
                        failed.incrementAndGet();
                    }
                });
            }
            producer.flush();
            if (failed.get() > 0) {
                throw new IllegalStateException(failed.get() + " records were not acknowledged");
            }
            return records.size() / ((System.nanoTime() - started) / 1e9);
        }
    }
}
