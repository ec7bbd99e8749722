package dev.retention.programme;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.retention.contracts.ContractJson;
import dev.retention.contracts.Topics;
import dev.retention.contracts.programme.simulation.CampaignSimulation;
import dev.retention.contracts.programme.simulation.PointsSimulation;
import dev.retention.contracts.programme.simulation.TierSimulation;
import dev.retention.contracts.programme.simulation.TierTimeline;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.RetentionTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How programme-service asks the services (docs/programme.md, "Simulation"): three stand-ins for points-, tier- and
 * campaign-service record what they are asked, in order. A draft whose tiers differ from the version in force asks
 * tier-service first for its timelines and hands them to points-service; one with the same tiers asks all at once
 * without; the report never carries the timelines.
 */
@QuarkusTest
@TestProfile(ProgrammeSimulationChainTest.StandIns.class)
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class ProgrammeSimulationChainTest {

    // Quarkus loads this class twice (the profile in one class loader, the test in another): the ports are kept in
    // system properties, so both see the same ones.
    static final int POINTS_PORT = port("points");
    static final int TIERS_PORT = port("tiers");
    static final int CAMPAIGNS_PORT = port("campaigns");

    public static class StandIns implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("retention.programme.simulation.points-url", "http://127.0.0.1:" + POINTS_PORT,
                    "retention.programme.simulation.tiers-url", "http://127.0.0.1:" + TIERS_PORT,
                    "retention.programme.simulation.campaigns-url", "http://127.0.0.1:" + CAMPAIGNS_PORT);
        }
    }

    /** What a stand-in was asked: by which service, with which body, in the order they arrived. */
    record Asked(String service, JsonNode body) {
    }

    private static final List<Asked> ASKED = new CopyOnWriteArrayList<>();
    private static final TierTimeline MOVED = new TierTimeline("c-moved", "bronze", List.of(
            new TierTimeline.TierChange(Instant.parse("2030-01-02T03:04:05.000001Z"), "silver")));
    private static final TierSimulation.TierFigures TIER_FIGURES =
            new TierSimulation.TierFigures(Map.of("silver", 1L), Map.of("bronze->silver", 1L), 1, 0);
    private static KafkaTestClient kafka;
    private static List<HttpServer> servers;

    @BeforeAll
    static void start() throws IOException {
        kafka = KafkaTestClient.forTestBroker();
        kafka.createTopics(1, Topics.RETENTION_PROGRAMME);
        servers = List.of(
                standIn(POINTS_PORT, "points-service", body -> new PointsSimulation(1, 1,
                        new PointsSimulation.PointsFigures(10, Map.of(), Map.of(), Map.of()),
                        new PointsSimulation.PointsFigures(20, Map.of(), Map.of(), Map.of()), 1,
                        List.of(new PointsSimulation.CustomerPoints("c-moved", 10, 20)))),
                standIn(TIERS_PORT, "tier-service", body -> new TierSimulation(1, TIER_FIGURES, TIER_FIGURES, 0,
                        List.of(), body.path("includeDraftTimelines").asBoolean() ? List.of(MOVED) : null)),
                standIn(CAMPAIGNS_PORT, "campaign-service", body -> new CampaignSimulation(0,
                        new CampaignSimulation.CampaignFigures(Map.of()), new CampaignSimulation.CampaignFigures(Map.of()),
                        0, List.of())));
    }

    @AfterAll
    static void stop() {
        servers.forEach(server -> server.stop(0));
        kafka.close();
    }

    @BeforeEach
    void forget() {
        ASKED.clear();
    }

    @Test
    void aDraftWithOtherTiersAsksTierServiceFirstAndPointsServiceWithItsTimelines() {
        String programme = publishedProgramme();
        ObjectNode lowerSilver = ProgrammeApiTest.initial();
        ((ObjectNode) lowerSilver.path("tiers").path("levels").get(1)).put("threshold", "300.00");
        String draft = ProgrammeApiTest.createDraft(ProgrammeApiTest.marketer(), programme, lowerSilver);

        Response report = simulate(draft);

        assertThat(report.statusCode()).as(report.asString()).isEqualTo(200);
        List<String> order = ASKED.stream().map(Asked::service).toList();
        assertThat(order).containsExactlyInAnyOrder("tier-service", "points-service", "campaign-service");
        assertThat(order.indexOf("tier-service")).isLessThan(order.indexOf("points-service"));
        JsonNode tiersAsked = body("tier-service");
        JsonNode pointsAsked = body("points-service");
        assertThat(tiersAsked.path("includeDraftTimelines").asBoolean()).isTrue();
        assertThat(pointsAsked.has("includeDraftTimelines")).isFalse();
        assertThat(ContractJson.mapper().convertValue(pointsAsked.path("draftTiers"), TierTimeline[].class))
                .containsExactly(MOVED);
        assertThat(body("campaign-service").has("draftTiers")).isFalse();
        assertThat(report.jsonPath().getMap("tiers")).doesNotContainKey("draftTimelines");
        assertThat(report.jsonPath().getLong("tiers.customers")).isEqualTo(1);
        assertThat(report.jsonPath().getLong("points.draft.issued")).isEqualTo(20);
    }

    @Test
    void aDraftWithTheTiersInForceAsksAllThreeWithoutTimelines() {
        String programme = publishedProgramme();
        ObjectNode otherBonus = ProgrammeApiTest.initial();
        ((ObjectNode) otherBonus.path("bonuses")).put("signup", 500);
        String draft = ProgrammeApiTest.createDraft(ProgrammeApiTest.marketer(), programme, otherBonus);

        Response report = simulate(draft);

        assertThat(report.statusCode()).as(report.asString()).isEqualTo(200);
        assertThat(ASKED).extracting(Asked::service)
                .containsExactlyInAnyOrder("tier-service", "points-service", "campaign-service");
        assertThat(body("tier-service").has("includeDraftTimelines")).isFalse();
        assertThat(body("points-service").has("draftTiers")).isFalse();
        assertThat(report.jsonPath().getMap("tiers")).doesNotContainKey("draftTimelines");
    }

    /** A programme whose version 1 (the initial document) takes effect in an hour; the period lies after it. */
    private static String publishedProgramme() {
        String programme = ProgrammeApiTest.newProgramme();
        String first = ProgrammeApiTest.createDraft(ProgrammeApiTest.marketer(), programme, ProgrammeApiTest.initial());
        Response published = ProgrammeApiTest.publish(first, Instant.now().plusSeconds(3600), "version 1");
        assertThat(published.statusCode()).as(published.asString()).isEqualTo(201);
        return programme;
    }

    private static Response simulate(String draftId) {
        Instant from = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        return ProgrammeApiTest.marketer().contentType("application/json")
                .body(Map.of("from", from.toString(), "to", from.plus(30, ChronoUnit.DAYS).toString()))
                .post("/drafts/{id}/simulations", draftId);
    }

    private static JsonNode body(String service) {
        await().until(() -> ASKED.stream().anyMatch(asked -> asked.service().equals(service)));
        return ASKED.stream().filter(asked -> asked.service().equals(service)).findFirst().orElseThrow().body();
    }

    private static HttpServer standIn(int port, String service, java.util.function.Function<JsonNode, Object> answer)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/programme-simulations", exchange -> {
            JsonNode body = ContractJson.mapper().readTree(exchange.getRequestBody());
            ASKED.add(new Asked(service, body));
            byte[] json = ContractJson.mapper().writeValueAsBytes(answer.apply(body));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, json.length);
            exchange.getResponseBody().write(json);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(3));
        server.start();
        return server;
    }

    private static synchronized int port(String service) {
        String key = "programme-simulation-chain-test." + service + "-port";
        String chosen = System.getProperty(key);
        if (chosen == null) {
            try (ServerSocket socket = new ServerSocket(0)) {
                chosen = String.valueOf(socket.getLocalPort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            System.setProperty(key, chosen);
        }
        return Integer.parseInt(chosen);
    }
}
