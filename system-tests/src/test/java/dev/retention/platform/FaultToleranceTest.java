package dev.retention.platform;

import dev.retention.testsupport.KafkaTestClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guarantees of ARCHITECTURE.md on the running platform: the four packaged services as separate processes, a
 * shop's load with 10 % duplicated and 1 % malformed records, and while it flows every database goes away for a
 * while, every service is killed with SIGKILL and restarted, the broker is restarted, and second instances of
 * campaign-, points- and notification-service join and leave their consumer groups. Afterwards balances, spend, triggers, vouchers, mails and dead letters
 * are exactly what the shop's events call for (computed by {@link ShopLoad}, not by the services' code); then every
 * consumer group is reset to the beginning and the replay changes nothing.
 *
 * <p>{@code -Dfaults.customers=N} scales the load (default 1,000 customers, about 3,900 records; 28,000 customers
 * make about 110,000).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultToleranceTest {

    private static final int CUSTOMERS = Integer.getInteger("faults.customers", 1000);
    private static RunningPlatform platform;
    private static ShopLoad load;
    private static ExactState exact;
    /** Whether the first test got the whole load through: the replay's expectations assume it did. */
    private static boolean loadThrough;

    @BeforeAll
    static void startThePlatform() throws Exception {
        platform = new RunningPlatform(Path.of("..").toAbsolutePath().normalize());
        load = new ShopLoad("f" + UUID.randomUUID().toString().substring(0, 6), CUSTOMERS);
        exact = new ExactState(platform, load, patience());
    }

    @AfterAll
    static void stopThePlatform() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void killedServicesARestartedBrokerALostDatabaseAndRebalancesLoseAndDoubleNothing() throws Exception {
        long started = System.nanoTime();
        try (KafkaTestClient shop = new KafkaTestClient(platform.broker.bootstrapServers())) {
            // Profiles first, as a shop's sign-up precedes orders. Meanwhile every database goes away for 5 s.
            List<ShopLoad.Record> profiles = load.phases.get(0);
            ExactState.send(shop, profiles.subList(0, profiles.size() / 2));
            platform.databaseOutage(Duration.ofSeconds(5));
            ExactState.send(shop, profiles.subList(profiles.size() / 2, profiles.size()));
            platform.awaitQuiet(patience());

            // Orders: points- and tier-service killed half way; a second campaign-service joins its group.
            List<ShopLoad.Record> orders = load.phases.get(1);
            ExactState.send(shop, orders.subList(0, orders.size() / 2));
            platform.service("points-service").kill();
            platform.service("tier-service").kill();
            try (var campaignReplica = platform.replica("campaign-service")) {
                ExactState.send(shop, orders.subList(orders.size() / 2, orders.size()));
                platform.service("points-service").start();
                platform.service("tier-service").start();
                platform.awaitQuiet(patience());

                // What happened to the orders: second points- and notification-services join; campaign- and
                // notification-service killed, the broker restarted; the second instances leave their groups
                // (SIGTERM) while the first campaign- and notification-service are down.
                List<ShopLoad.Record> news = load.phases.get(2);
                try (var pointsReplica = platform.replica("points-service");
                     var notificationReplica = platform.replica("notification-service")) {
                    ExactState.send(shop, news.subList(0, news.size() / 2));
                    platform.service("campaign-service").kill();
                    platform.service("notification-service").kill();
                    platform.broker.restart();
                    ExactState.send(shop, news.subList(news.size() / 2, news.size() * 3 / 4));
                    campaignReplica.close();
                    pointsReplica.close();
                    notificationReplica.close();
                }
                ExactState.send(shop, news.subList(news.size() * 3 / 4, news.size()));
                platform.service("campaign-service").start();
                platform.service("notification-service").start();
                platform.awaitQuiet(patience());
            }
        }
        exact.awaitSentOutcomes(load.customers.stream().mapToLong(c -> c.triggers().size()).sum());
        loadThrough = true;
        Map<String, String> rss = platform.peakRss();
        System.out.printf("fault test: %d customers, %d records (%s malformed) through a database outage, kill -9 of "
                        + "every service, a broker restart and second replicas in %d s; %d mails; peak RSS (-Xmx256m) "
                        + "since the last restart %s%n", CUSTOMERS, load.records(), load.malformed,
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), platform.mails().size(), rss);

        exact.assertEverythingAsTheShopsEventsCallFor();
    }

    @Test
    @Order(2)
    void replayingEveryTopicFromTheBeginningChangesNothing() throws Exception {
        assertThat(loadThrough).as("the fault test got its load through (else the replay has nothing to compare)")
                .isTrue();
        Map<String, Long> outputBefore = exact.outputRecordCounts();
        int mailsBefore = platform.mails().size();
        for (String service : RunningPlatform.SERVICES) {
            platform.service(service).close();
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", platform.broker.bootstrapServers()))) {
            for (Map.Entry<String, List<String>> group : RunningPlatform.CONSUMED.entrySet()) {
                Map<TopicPartition, OffsetSpec> partitions = admin.describeTopics(group.getValue()).allTopicNames()
                        .get(10, TimeUnit.SECONDS).values().stream()
                        .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                        .collect(Collectors.toMap(p -> p, p -> OffsetSpec.earliest()));
                Map<TopicPartition, OffsetAndMetadata> beginning = admin.listOffsets(partitions).all()
                        .get(10, TimeUnit.SECONDS).entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue().offset())));
                admin.alterConsumerGroupOffsets(group.getKey(), beginning).all().get(10, TimeUnit.SECONDS);
            }
        }
        for (String service : RunningPlatform.SERVICES) {
            platform.service(service).start();
        }
        platform.awaitQuiet(patience());
        Thread.sleep(5000); // the dispatcher's next runs

        assertThat(exact.outputRecordCounts()).as("records on the output topics").isEqualTo(outputBefore);
        assertThat(platform.mails()).hasSize(mailsBefore);
        exact.assertEverythingAsTheShopsEventsCallFor();
    }

    /** How long to wait for the platform to catch up: three minutes, and more for a larger load. */
    private static Duration patience() {
        return Duration.ofMinutes(3).plusSeconds(CUSTOMERS / 50);
    }
}
