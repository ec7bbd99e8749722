package dev.retention.bench;

import dev.retention.contracts.Topics;
import dev.retention.kafka.KafkaBroker;
import dev.retention.platform.RunningPlatform;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.TestDatabase;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The four packaged services together on this machine (broker, PostgreSQL and load generator on it too) under a
 * shop's mix of events ({@link ShopMix}), reporting in one run:
 * <ol>
 *   <li>the raw broker's produce and consume rates from Kafka's own perf tools ({@code kafka-producer-perf-test},
 *   {@code kafka-consumer-perf-test}), the payloads being the mix's records and the producer settings the shop's;</li>
 *   <li>each service's sustained events/s end to end: a fixed load is sent as fast as the broker takes it, and a
 *   service's time is from the first record until its consumer group has committed every record of the topics it
 *   reads (other services' output included) and its outbox is empty; each rate also as a ratio to raw produce; the
 *   platform's rate is the load over the time until all four have caught up;</li>
 *   <li>the CPU each process used while that load ran, per input event: services, PostgreSQL and broker, the
 *   platform's sum, and the load generator apart;</li>
 *   <li>latency from {@code shipment.delayed} sent to the delay-apology mail accepted by the SMTP server, p50/p99,
 *   while a background load of the mix runs at half the platform's sustained rate measured before it in the same run
 *   (or {@code --rate}), measured after a first stretch of that background alone ({@code --settle} seconds);</li>
 *   <li>peak RSS and CPU seconds of each service, and in the latency phase each process's share of the machine's
 *   CPU (for a service, the share of its JIT compiler threads too);</li>
 *   <li>issue 38's bars, each with its target and whether it was met.</li>
 * </ol>
 * The services run as {@code RunningPlatform} runs them ({@code ServiceProcess.jvmOptions}: 256 MiB heap, serial
 * collector), a database each, quiet hours off.
 *
 * <p>Run: {@code ./mvnw -B -Pbenchmark -pl system-tests -am verify -DskipTests
 * -Dbenchmark.main=dev.retention.bench.PlatformBenchmark} (options {@code --customers=20000 --warmup=5000
 * --delays=10 --settle=60 --seconds=60 --baseline-cpu-per-event=608}; {@code --rate=2000} fixes the background instead
 * of deriving it; JVM options added to every service, comma-separated:
 * {@code --service-jvm-options=-Xmx96m,-XX:NativeMemoryTracking=summary}; environment variables of one service,
 * semicolon-separated: {@code --env.campaign-service=CAMPAIGN_CONSUMERS=3}; {@code --statements=true} runs the
 * services' databases on a PostgreSQL cluster of the benchmark's own and adds each database's statements by time, for
 * the fixed load and for the latency phase, from {@code pg_stat_statements}). Writes
 * {@code system-tests/target/platform-benchmark.md} and {@code platform-benchmark.png}.
 */
public final class PlatformBenchmark {

    private static final String RAW_TOPIC = "bench.raw";
    /**
     * CPU µs per input event of services, PostgreSQL and broker in the throughput phase, measured with this benchmark
     * on the code as it was when issue 38 was filed (5b9322a), on 2026-12-07: the mean of two runs (657 and 558).
     */
    static final double BASELINE_CPU_PER_EVENT = 608;
    static final double PLATFORM_RATIO_TARGET = 0.20;
    static final double P99_TARGET_MILLIS = 1_000;
    static final double P50_TARGET_MILLIS = 200;
    static final double RSS_TARGET_MIB = 256;
    /** The benchmark's own process: it sends the load and runs the SMTP server, so it is not the platform's cost. */
    static final String LOAD_GENERATOR = "load generator and SMTP server";
    private static final String PRODUCER_SETTINGS = "acks=all enable.idempotence=true linger.ms=5 batch.size=131072 "
            + "compression.type=lz4";

    private final Path root;
    private final int customers;
    private final int warmupCustomers;
    /** Background events/s in the latency phase; by default half of the platform's sustained rate in this run. */
    private final Integer backgroundRateOption;
    /** The whole platform's CPU µs per input event to halve (issue 38's baseline), to print the bar against. */
    private final double baselineCpuPerEvent;
    private final int delaysPerSecond;
    private final int seconds;
    private final int settle;
    private final List<String> serviceJvmOptions;
    /** Whether to profile PostgreSQL's statements (on a cluster of the benchmark's own, with pg_stat_statements). */
    private final boolean statements;
    private final Map<String, Map<String, String>> serviceEnvironment = new LinkedHashMap<>();

    private PlatformBenchmark(Map<String, String> options) {
        root = Path.of(options.getOrDefault("root", "."));
        customers = Integer.parseInt(options.getOrDefault("customers", "20000"));
        warmupCustomers = Integer.parseInt(options.getOrDefault("warmup", "5000"));
        backgroundRateOption = options.containsKey("rate") ? Integer.parseInt(options.get("rate")) : null;
        baselineCpuPerEvent = Double.parseDouble(options.getOrDefault("baseline-cpu-per-event",
                Double.toString(BASELINE_CPU_PER_EVENT)));
        delaysPerSecond = Integer.parseInt(options.getOrDefault("delays", "10"));
        seconds = Integer.parseInt(options.getOrDefault("seconds", "60"));
        settle = Integer.parseInt(options.getOrDefault("settle", "60"));
        serviceJvmOptions = Benchmarks.serviceJvmOptions(options);
        statements = Boolean.parseBoolean(options.getOrDefault("statements", "false"));
        for (String service : RunningPlatform.SERVICES) {
            Map<String, String> environment = new LinkedHashMap<>();
            for (String variable : options.getOrDefault("env." + service, "").split(";")) {
                if (!variable.isBlank()) {
                    String[] pair = variable.split("=", 2);
                    if (pair.length < 2) {
                        throw new IllegalArgumentException("--env." + service + ": '" + variable
                                + "' is not NAME=value (variables are separated by ';')");
                    }
                    environment.put(pair[0].trim(), pair[1].trim());
                }
            }
            serviceEnvironment.put(service, environment);
        }
    }

    public static void main(String[] args) throws Exception {
        new PlatformBenchmark(Benchmarks.options(args)).run();
        System.exit(0);
    }

    /** What one service did with the fixed load. */
    record ServiceRun(String service, long events, double seconds, double cpuSeconds, double peakRssMiB) {
        double rate() {
            return events / seconds;
        }

        ServiceRun withPeakRss(double mib) {
            return new ServiceRun(service, events, seconds, cpuSeconds, mib);
        }
    }

    /**
     * The fixed load's run: each service's, the whole platform's time until all four had caught up, and the CPU
     * seconds each process (services, broker, PostgreSQL, load generator) used meanwhile.
     */
    record Throughput(List<ServiceRun> services, long records, double seconds, Map<String, Double> cpuSeconds) {
        double rate() {
            return records / seconds;
        }

        /** Services, PostgreSQL and broker: the load generator (and the SMTP server in its process) left out. */
        double platformCpuPerEventMicros() {
            return cpuSeconds.entrySet().stream().filter(e -> !e.getKey().equals(LOAD_GENERATOR))
                    .mapToDouble(Map.Entry::getValue).sum() / records * 1e6;
        }
    }

    /**
     * Delay-to-mail latencies in milliseconds, sorted; how many delays got no mail in time; the background's rate
     * while measuring and its records sent in the whole phase; and the first leg, delay to the delay apology's
     * {@code trigger.fired} on {@code retention.triggers} (its record timestamp), sorted.
     */
    record Latencies(List<Double> millis, int missing, double backgroundRate, long backgroundRecords,
                     List<Double> toTriggerMillis, Map<String, Double> cpuShare, Map<String, Double> compilerShare) {
        double percentile(double p) {
            return percentile(millis, p);
        }

        static double percentile(List<Double> sorted, double p) {
            return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.ceil(p * sorted.size()) - 1);
        }
    }

    private void run() throws Exception {
        Benchmarks.log("generating the mix: %,d customers to measure, %,d to warm up", customers, warmupCustomers);
        List<ProducerRecord<String, byte[]>> load = ShopMix.of("shop-", customers);
        List<ProducerRecord<String, byte[]>> warmup = new ArrayList<>(ShopMix.of("warmup-", warmupCustomers));
        List<String> late = new ArrayList<>();
        for (int i = 0; i < delaysPerSecond * seconds; i++) {
            late.add("late-" + i);
            warmup.addAll(ShopMix.beforeDelay("late-" + i));
        }
        Map<String, Long> delaySentAt = new ConcurrentHashMap<>();
        Map<String, Long> mailLatency = new ConcurrentHashMap<>();
        try (StatementProfile profile = statements ? StatementProfile.start(root) : null;
             RunningPlatform platform = new RunningPlatform(root, "platform-benchmark", serviceJvmOptions,
                serviceEnvironment,
                recipients -> {
                    long now = System.nanoTime();
                    for (String recipient : recipients) {
                        Long sent = delaySentAt.get(recipient);
                        if (sent != null) {
                            mailLatency.putIfAbsent(recipient, now - sent);
                        }
                    }
                }, name -> {
                    try {
                        return statements ? profile.createDatabase(name) : TestDatabase.create(name);
                    } catch (Exception e) {
                        throw new IllegalStateException("cannot create the database " + name, e);
                    }
                });
             Admin admin = Admin.create(Map.of("bootstrap.servers", platform.broker.bootstrapServers()))) {
            try (KafkaTestClient client = new KafkaTestClient(platform.broker.bootstrapServers())) {
                client.createTopics(3, RAW_TOPIC);
            }
            Benchmarks.log("four services ready; raw broker with Kafka's perf tools, %,d records", load.size());
            double[] raw = rawBroker(platform.broker, load);
            Benchmarks.log("raw broker: %,.0f produced/s, %,.0f consumed/s", raw[0], raw[1]);

            Benchmarks.log("warming up: %,d records", warmup.size());
            Benchmarks.produce(platform.broker, warmup);
            platform.awaitQuiet(Duration.ofMinutes(15));

            Benchmarks.log("measuring throughput: %,d records", load.size());
            if (statements) {
                profile.resetAll(platform.databases().values().iterator().next());
            }
            Throughput throughput = throughput(platform, admin, load);
            StringBuilder statementReport = new StringBuilder();
            if (statements) {
                statementReport.append("\n## PostgreSQL's statements while the fixed load ran, per input event\n")
                        .append(statementsByService(profile, platform, load.size()));
            }
            List<ServiceRun> runs = throughput.services();
            int backgroundRate = backgroundRateOption != null ? backgroundRateOption
                    : (int) Math.max(1, throughput.rate() / 2);
            Benchmarks.log("platform sustained %,.0f events/s (%.3f of raw produce); background %,d events/s",
                    throughput.rate(), throughput.rate() / raw[0], backgroundRate);

            // The background starts in the shop's steady state: its first days (sign-ups and first orders only) go
            // before it. A steady day is about 4,400 events; ten more blocks of customers keep it steady to the end.
            int steadyDay = ShopMix.DAYS_PER_CUSTOMER - 1;
            int backgroundCustomers = (backgroundRate * (settle + seconds) / 4_000 + ShopMix.DAYS_PER_CUSTOMER)
                    * ShopMix.BLOCK;
            List<ProducerRecord<String, byte[]>> backgroundStart = ShopMix.days("background-", backgroundCustomers, 0,
                    steadyDay);
            Benchmarks.log("the background's first days: %,d records", backgroundStart.size());
            Benchmarks.produce(platform.broker, backgroundStart);
            platform.awaitQuiet(Duration.ofMinutes(15));
            List<ProducerRecord<String, byte[]>> background = ShopMix.days("background-", backgroundCustomers,
                    steadyDay, Integer.MAX_VALUE);

            Benchmarks.log("measuring latency: %d delays/s for %d s over %,d events/s of background, after %d s of "
                    + "the background alone", delaysPerSecond, seconds, backgroundRate, settle);
            if (statements) {
                profile.resetAll(platform.databases().values().iterator().next());
            }
            Latencies latencies = latency(platform, admin, background, backgroundRate, late, delaySentAt,
                    mailLatency);
            if (statements) {
                statementReport.append(String.format(Locale.ROOT, "%n## PostgreSQL's statements in the latency phase "
                        + "(%,d background records and %,d delays), per background record%n",
                        latencies.backgroundRecords(), latencies.millis().size() + latencies.missing()));
                statementReport.append(statementsByService(profile, platform, latencies.backgroundRecords()));
            }
            platform.awaitQuiet(Duration.ofMinutes(15));

            List<ServiceRun> withRss = new ArrayList<>();
            for (ServiceRun run : runs) { // peak RSS of the whole run, latency phase included
                withRss.add(run.withPeakRss(platform.service(run.service()).peakRssMiB()));
            }
            String report = report(raw[0], raw[1], load.size(), withRss, throughput, latencies,
                    platform.jvmOptions()) + statementReport;
            Benchmarks.publish(root, "platform-benchmark.md", report);
            Path chart = root.resolve("system-tests/target/platform-benchmark.png");
            PlatformChart.write(chart, raw[0], raw[1], withRss, latencies);
            Benchmarks.log("chart written to %s", chart);
        }
    }

    /** Each service's database's statements by time, per event of the {@code events} measured. */
    private static String statementsByService(StatementProfile profile, RunningPlatform platform, long events)
            throws Exception {
        StringBuilder report = new StringBuilder();
        for (var database : platform.databases().entrySet()) {
            report.append(profile.report(database.getValue(), events, "### " + database.getKey()));
        }
        return report.toString();
    }

    /** Produce and consume rates of {@code kafka-producer-perf-test} and {@code kafka-consumer-perf-test}. */
    private static double[] rawBroker(KafkaBroker broker, List<ProducerRecord<String, byte[]>> load) throws Exception {
        Path payloads = Files.createTempFile("platform-benchmark-payloads", ".txt");
        try {
            StringBuilder lines = new StringBuilder();
            for (ProducerRecord<String, byte[]> record : load.subList(0, Math.min(load.size(), 20_000))) {
                lines.append(new String(record.value(), StandardCharsets.UTF_8)).append('\n');
            }
            Files.writeString(payloads, lines);
            List<String> produce = new ArrayList<>(List.of("--topic", RAW_TOPIC, "--num-records",
                    Integer.toString(load.size()), "--throughput", "-1", "--payload-file", payloads.toString(),
                    "--command-property"));
            produce.addAll(List.of(PRODUCER_SETTINGS.split(" ")));
            String produced = broker.runTool(Duration.ofMinutes(10), "org.apache.kafka.tools.ProducerPerformance",
                    produce.toArray(String[]::new));
            Matcher rate = Pattern.compile("([0-9.]+) records/sec").matcher(produced);
            double produceRate = Double.NaN;
            while (rate.find()) {
                produceRate = Double.parseDouble(rate.group(1)); // the last line is the whole run's
            }
            String consumed = broker.runTool(Duration.ofMinutes(10), "org.apache.kafka.tools.ConsumerPerformance",
                    "--topic", RAW_TOPIC, "--num-records", Integer.toString(load.size()), "--timeout", "60000");
            return new double[] {produceRate, consumerPerfRate(consumed)};
        } finally {
            Files.deleteIfExists(payloads);
        }
    }

    /** {@code fetch.nMsg.sec}: records per second while fetching, the group's join left out. */
    static double consumerPerfRate(String output) {
        List<String> lines = output.lines().toList();
        List<String> names = null;
        for (String line : lines) {
            String[] fields = line.split(",\\s*");
            if (line.startsWith("start.time")) {
                names = List.of(fields);
            } else if (names != null && fields.length == names.size()) { // the tool's log lines may come between
                return Double.parseDouble(fields[names.indexOf("fetch.nMsg.sec")]);
            }
        }
        throw new IllegalStateException("kafka-consumer-perf-test printed no figures:\n" + output);
    }

    /**
     * Sends the load as fast as the broker takes it and watches every service's backlog (consumer lag plus outbox)
     * every 250 ms until all are empty twice in a row; a service's time ends with the first empty look after its
     * last non-empty one.
     */
    private static Throughput throughput(RunningPlatform platform, Admin admin,
                                         List<ProducerRecord<String, byte[]>> load) throws Exception {
        Map<String, Long> inputBefore = new LinkedHashMap<>();
        for (String service : RunningPlatform.SERVICES) {
            inputBefore.put(service, sum(RunningPlatform.endOffsets(admin, RunningPlatform.CONSUMED.get(service))));
        }
        Map<String, Long> cpuBefore = cpuTicksByProcess(platform);
        long started = System.nanoTime();
        Thread producer = new Thread(() -> Benchmarks.produce(platform.broker, load), "shop");
        producer.start();
        Map<String, Long> doneAt = new LinkedHashMap<>();
        int quietLooks = 0;
        long deadline = started + Duration.ofMinutes(20).toNanos();
        long lastLog = started;
        while (quietLooks < 2 || producer.isAlive()) {
            Thread.sleep(250);
            long now = System.nanoTime();
            boolean allDone = !producer.isAlive();
            Map<String, Long> backlogs = backlogs(platform, admin);
            for (String service : RunningPlatform.SERVICES) {
                if (backlogs.get(service) > 0 || producer.isAlive()) {
                    doneAt.remove(service);
                    allDone = false;
                } else {
                    doneAt.putIfAbsent(service, now);
                }
            }
            quietLooks = allDone ? quietLooks + 1 : 0;
            if (now - lastLog > 5_000_000_000L) {
                Benchmarks.log("  backlog: %s", backlogs);
                lastLog = now;
            }
            if (now > deadline) {
                throw new IllegalStateException("the services did not catch up within 20 minutes: " + backlogs);
            }
        }
        Map<String, Double> cpuSeconds = new LinkedHashMap<>();
        cpuTicksByProcess(platform).forEach((process, ticks) ->
                cpuSeconds.put(process, (ticks - cpuBefore.get(process)) / 100.0));
        List<ServiceRun> runs = new ArrayList<>();
        for (String service : RunningPlatform.SERVICES) {
            long events = sum(RunningPlatform.endOffsets(admin, RunningPlatform.CONSUMED.get(service)))
                    - inputBefore.get(service);
            runs.add(new ServiceRun(service, events, (doneAt.get(service) - started) / 1e9,
                    cpuSeconds.get(service), 0));
        }
        double platformSeconds = (doneAt.values().stream().mapToLong(Long::longValue).max().orElseThrow() - started)
                / 1e9;
        return new Throughput(runs, load.size(), platformSeconds, cpuSeconds);
    }

    /**
     * Sends the background at its rate in 10 ms steps and, spread evenly among it, one late parcel after another;
     * then waits up to a minute for the last mails.
     */
    private Latencies latency(RunningPlatform platform, Admin admin, List<ProducerRecord<String, byte[]>> background,
                              int backgroundRate, List<String> late, Map<String, Long> delaySentAt,
                              Map<String, Long> mailLatency)
            throws Exception {
        AtomicLong failed = new AtomicLong();
        Map<String, Long> delaySentAtMillis = new LinkedHashMap<>();
        Map<String, Long> cpuBefore = null;
        Map<String, Long> compilerBefore = null;
        long[] machineBefore = null;
        int backgroundSent = 0;
        int backgroundBefore = 0;
        int delaysSent = 0;
        long started = System.nanoTime();
        // The background alone first: the services' JIT compilers are still busy minutes after a start (a third
        // of a service's CPU in the first three minutes on two cores), and a service runs for days.
        long measureFrom = started + Duration.ofSeconds(settle).toNanos();
        try (KafkaProducer<String, byte[]> producer = Benchmarks.producer(platform.broker)) {
            long end = measureFrom + Duration.ofSeconds(seconds).toNanos();
            long lastLog = started;
            long now;
            while ((now = System.nanoTime()) < end) {
                double elapsed = (now - started) / 1e9;
                while (backgroundSent < Math.min(background.size(), (long) (elapsed * backgroundRate))) {
                    producer.send(background.get(backgroundSent++), (metadata, error) -> {
                        if (error != null) {
                            failed.incrementAndGet();
                        }
                    });
                }
                if (now - lastLog > 5_000_000_000L) {
                    Benchmarks.log("  backlog: %s", backlogs(platform, admin));
                    lastLog = now;
                }
                if (now < measureFrom) {
                    Thread.sleep(10);
                    continue;
                }
                if (cpuBefore == null) {
                    Benchmarks.log("  measuring from here; backlog: %s", backlogs(platform, admin));
                    cpuBefore = cpuTicksByProcess(platform);
                    compilerBefore = compilerTicksByService(platform);
                    machineBefore = machineTicks();
                    backgroundBefore = backgroundSent;
                }
                double measured = (now - measureFrom) / 1e9;
                while (delaysSent < Math.min(late.size(), (long) (measured * delaysPerSecond))) {
                    String customer = late.get(delaysSent++);
                    delaySentAt.put(ShopMix.email(customer), System.nanoTime());
                    delaySentAtMillis.put(customer, System.currentTimeMillis());
                    producer.send(ShopMix.delay(customer));
                    producer.flush(); // a late parcel is not held back for a batch: its clock is running
                }
                Thread.sleep(10);
            }
        }
        double achievedRate = (backgroundSent - backgroundBefore) / ((System.nanoTime() - measureFrom) / 1e9);
        long[] machineAfter = machineTicks();
        double machineTicks = (machineAfter[0] - machineBefore[0]) + (machineAfter[1] - machineBefore[1]);
        Map<String, Double> cpuShare = new LinkedHashMap<>();
        Map<String, Long> cpuAtStart = cpuBefore;
        cpuTicksByProcess(platform).forEach((process, ticks) ->
                cpuShare.put(process, (ticks - cpuAtStart.get(process)) / machineTicks));
        Map<String, Double> compilerShare = new LinkedHashMap<>();
        Map<String, Long> compilerAtStart = compilerBefore;
        compilerTicksByService(platform).forEach((service, ticks) ->
                compilerShare.put(service, (ticks - compilerAtStart.get(service)) / machineTicks));
        cpuShare.put("machine busy (all processes)", (machineAfter[0] - machineBefore[0]) / machineTicks);
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " background records were not acknowledged");
        }
        long waitUntil = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (mailLatency.size() < delaysSent && System.nanoTime() < waitUntil) {
            Thread.sleep(200);
        }
        List<Double> millis = mailLatency.values().stream().map(n -> n / 1e6).sorted().toList();
        List<Double> toTrigger = new ArrayList<>();
        try (KafkaTestClient reader = new KafkaTestClient(platform.broker.bootstrapServers())) {
            for (var record : reader.readAll(Topics.RETENTION_TRIGGERS)) {
                Long sentAt = delaySentAtMillis.get(record.key());
                if (sentAt != null && record.timestamp() >= sentAt
                        && new String(record.value(), StandardCharsets.UTF_8).contains("delay-apology")) {
                    toTrigger.add((double) (record.timestamp() - sentAt));
                }
            }
        }
        toTrigger.sort(null);
        return new Latencies(millis, delaysSent - millis.size(), achievedRate, backgroundSent, toTrigger, cpuShare,
                compilerShare);
    }

    /** CPU clock ticks so far of each service, the broker, PostgreSQL and this load generator. */
    private static Map<String, Long> cpuTicksByProcess(RunningPlatform platform) throws Exception {
        Map<String, Long> ticks = new LinkedHashMap<>();
        for (String service : RunningPlatform.SERVICES) {
            ticks.put(service, Benchmarks.cpuTicks(platform.service(service).pid()));
        }
        ticks.put("Kafka broker", Benchmarks.cpuTicks(platform.broker.pid()));
        ticks.put("PostgreSQL", Benchmarks.postgresTicks());
        ticks.put(LOAD_GENERATOR, Benchmarks.cpuTicks(ProcessHandle.current().pid()));
        return ticks;
    }

    private static Map<String, Long> compilerTicksByService(RunningPlatform platform) throws Exception {
        Map<String, Long> ticks = new LinkedHashMap<>();
        for (String service : RunningPlatform.SERVICES) {
            ticks.put(service, Benchmarks.compilerTicks(platform.service(service).pid()));
        }
        return ticks;
    }

    /** Busy and idle clock ticks of all CPUs of the machine ({@code /proc/stat}). */
    private static long[] machineTicks() throws Exception {
        String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
        long busy = 0;
        for (int i = 1; i <= 8; i++) {
            busy += i == 4 || i == 5 ? 0 : Long.parseLong(cpu[i]);
        }
        return new long[] {busy, idle};
    }

    /** Per service, {@link RunningPlatform#backlog}: 0 once it has done everything sent so far. */
    private static Map<String, Long> backlogs(RunningPlatform platform, Admin admin) throws Exception {
        Map<String, Long> backlogs = new LinkedHashMap<>();
        for (String service : RunningPlatform.SERVICES) {
            backlogs.put(service, platform.backlog(admin, service));
        }
        return backlogs;
    }

    private String report(double rawProduce, double rawConsume, int records, List<ServiceRun> runs,
                          Throughput throughput, Latencies latencies, List<String> jvmOptions) {
        StringBuilder table = new StringBuilder();
        for (ServiceRun run : runs) {
            table.append(String.format(Locale.ROOT, "| %s | %,d | %.1f | %,.0f | %.3f | %.1f | %.0f |%n",
                    run.service(), run.events(), run.seconds(), run.rate(), run.rate() / rawProduce,
                    run.cpuSeconds(), run.peakRssMiB()));
        }
        table.append(String.format(Locale.ROOT, "| **platform** (shop records in → all four caught up) | %,d | %.1f | "
                        + "%,.0f | %.3f | | |%n", throughput.records(), throughput.seconds(), throughput.rate(),
                throughput.rate() / rawProduce));
        StringBuilder cpuPerEvent = new StringBuilder();
        throughput.cpuSeconds().forEach((process, cpu) -> cpuPerEvent.append(String.format(Locale.ROOT,
                "| %s | %.1f | %.0f |%n", process, cpu, cpu / throughput.records() * 1e6)));
        double platformCpu = throughput.platformCpuPerEventMicros();
        cpuPerEvent.append(String.format(Locale.ROOT, "| **platform** (services, PostgreSQL, broker) | %.1f | %.0f |%n",
                platformCpu * throughput.records() / 1e6, platformCpu));
        double maxRss = runs.stream().mapToDouble(ServiceRun::peakRssMiB).max().orElse(0);
        double ratio = throughput.rate() / rawProduce;
        double cpuTarget = baselineCpuPerEvent / 2;
        double p50 = latencies.percentile(0.50);
        double p99 = latencies.percentile(0.99);
        boolean allMails = latencies.missing() == 0;
        return String.format(Locale.ROOT, """
                ## Platform benchmark (%s, %d cores)

                The four packaged services (%s each), the broker, PostgreSQL and the load
                generator on this machine. Fixed load: %,d records of the shop mix (%,d customers) after a warm-up of %,d customers.

                | measure | events | seconds | events/s | ratio to raw produce |
                |---|---:|---:|---:|---:|
                | raw broker produce (kafka-producer-perf-test, mix payloads, shop producer settings) | %,d | | %,.0f | 1.000 |
                | raw broker consume (kafka-consumer-perf-test, fetch rate) | %,d | | %,.0f | %.3f |

                | service (end to end: first record in → group committed, outbox published) | events read | seconds | events/s | ratio to raw produce | CPU s | peak RSS MiB |
                |---|---:|---:|---:|---:|---:|---:|
                %s
                CPU while the fixed load ran (from its first record until all four services had caught up), per shop
                record sent:

                | process | CPU s | µs per input event |
                |---|---:|---:|
                %s
                Delay to notification: %,d `shipment.delayed` at %d/s over a background of %,.0f events/s of the mix,
                after %d s of the background alone; from the record sent to the delay-apology mail accepted by the SMTP
                server.

                | latency | ms |
                |---|---:|
                | p50 | %.0f |
                | p99 | %.0f |
                | max | %.0f |
                | no mail within 60 s | %d |
                | first leg, delay → `trigger.fired` published by campaign-service: p50 / p99 | %.0f / %.0f |

                Where the machine's CPU went meanwhile (share of all cores):

                | process | CPU | of it, JIT compiler threads |
                |---|---:|---:|
                %s
                Issue 38's bars:

                | bar | target | measured | met |
                |---|---|---:|---|
                | platform sustained throughput (all four caught up) | ≥ %.2f of raw produce | %.3f | %s |
                | CPU per input event: services, PostgreSQL, broker | ≤ %.1f µs (half of %.0f) | %.0f µs | %s |
                | delay → mail p99, background %,.0f events/s%s | < %.0f ms | %.0f ms | %s |
                | delay → mail p50 | < %.0f ms | %.0f ms | %s |
                | peak RSS of each service | ≤ %.0f MiB | %.0f MiB (highest) | %s |
                """, Instant.now(), Runtime.getRuntime().availableProcessors(),
                String.join(" ", jvmOptions), records, customers,
                warmupCustomers, records, rawProduce, records, rawConsume, rawConsume / rawProduce, table,
                cpuPerEvent,
                latencies.millis().size() + latencies.missing(), delaysPerSecond, latencies.backgroundRate(), settle,
                p50, p99,
                latencies.millis().isEmpty() ? Double.NaN : latencies.millis().get(latencies.millis().size() - 1),
                latencies.missing(), Latencies.percentile(latencies.toTriggerMillis(), 0.5),
                Latencies.percentile(latencies.toTriggerMillis(), 0.99),
                cpuTable(latencies.cpuShare(), latencies.compilerShare()),
                PLATFORM_RATIO_TARGET, ratio, met(ratio >= PLATFORM_RATIO_TARGET),
                cpuTarget, baselineCpuPerEvent, platformCpu,
                met(platformCpu <= cpuTarget),
                latencies.backgroundRate(), backgroundRateOption == null ? " (half the platform's rate)" : "",
                P99_TARGET_MILLIS, p99, met(p99 < P99_TARGET_MILLIS && allMails),
                P50_TARGET_MILLIS, p50, met(p50 < P50_TARGET_MILLIS && allMails),
                RSS_TARGET_MIB, maxRss, met(maxRss <= RSS_TARGET_MIB));
    }

    private static String met(boolean met) {
        return met ? "yes" : "no";
    }

    private static String cpuTable(Map<String, Double> shares, Map<String, Double> compilerShares) {
        StringBuilder table = new StringBuilder();
        shares.forEach((process, share) -> {
            Double compiler = compilerShares.get(process);
            table.append(String.format(Locale.ROOT, "| %s | %.0f %% | %s |%n", process, share * 100,
                    compiler == null ? "" : String.format(Locale.ROOT, "%.0f %%", compiler * 100)));
        });
        return table.toString();
    }

    private static long sum(Map<?, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }
}
