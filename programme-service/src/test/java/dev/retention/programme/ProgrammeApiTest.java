package dev.retention.programme;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.contracts.DecodeResult;
import dev.retention.contracts.EventDecoder;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.ProgrammePublished;
import dev.retention.eventing.programme.ProgrammeVersions;
import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.testsupport.Api;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The programme's lifecycle through its API, on the real database and broker. */
@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class ProgrammeApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
        kafka.createTopics(1, Topics.RETENTION_PROGRAMME);
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    static RequestSpecification marketer() {
        return Api.bearer(Tokens.forTests().token("marketer-1", List.of("marketer")));
    }

    static ObjectNode initial() {
        return (ObjectNode) ProgrammeJson.initialTree().deepCopy();
    }

    static String newProgramme() {
        return "shop-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String createDraft(RequestSpecification who, String programmeId, JsonNode document) {
        Response created = who.contentType("application/json").body(Map.of("document", document, "note", "test draft"))
                .post("/programmes/{id}/drafts", programmeId);
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        assertThat(created.header("Location")).endsWith("/drafts/" + created.jsonPath().getString("id"));
        return created.jsonPath().getString("id");
    }

    static Response publish(String draftId, Instant effectiveFrom, String reason) {
        Map<String, Object> body = new HashMap<>();
        body.put("reason", reason);
        if (effectiveFrom != null) {
            body.put("effectiveFrom", effectiveFrom.toString());
        }
        return Api.admin().contentType("application/json").body(body).post("/drafts/{id}/publication", draftId);
    }

    static JsonNode tree(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aDraftIsValidatedListingEveryViolationByPathThenPublishedAndItsRecordCarriesEveryVersion() {
        String programme = newProgramme();
        ObjectNode broken = initial();
        ArrayNode levels = (ArrayNode) broken.at("/tiers/levels");
        ((ObjectNode) levels.get(0)).put("threshold", "100");
        ((ObjectNode) levels.get(2)).put("name", "silver");
        broken.put("reportingCurrency", "JPY");
        String draft = createDraft(marketer(), programme, broken);

        Response invalid = marketer().post("/drafts/{id}/validation", draft);

        Api.assertRefused(invalid, 422, "INVALID_PROGRAMME");
        assertThat(invalid.jsonPath().getList("violations.field", String.class))
                .contains("$.tiers.levels[0].threshold", "$.tiers.levels[2].name", "$.reportingCurrency");
        assertThat(invalid.jsonPath().getList("violations.problem", String.class)).allSatisfy(p -> assertThat(p).isNotBlank());

        Api.assertRefused(publish(draft, null, "too early"), 422, "INVALID_PROGRAMME");

        Response fixed = marketer().contentType("application/json").body(Map.of("document", initial()))
                .put("/drafts/{id}", draft);
        assertThat(fixed.statusCode()).as(fixed.asString()).isEqualTo(200);
        assertThat(fixed.jsonPath().getString("updatedBy")).isEqualTo("marketer-1");
        Response valid = marketer().post("/drafts/{id}/validation", draft);
        assertThat(valid.statusCode()).as(valid.asString()).isEqualTo(200);
        assertThat(valid.jsonPath().getBoolean("valid")).isTrue();

        Instant first = Instant.now().plusSeconds(5);
        Response v1 = publish(draft, first, "launch");
        assertThat(v1.statusCode()).as(v1.asString()).isEqualTo(201);
        assertThat(v1.jsonPath().getInt("version")).isEqualTo(1);
        assertThat(v1.jsonPath().getString("publishedBy")).isEqualTo("admin-1");
        assertThat(v1.header("Location")).endsWith("/programmes/" + programme + "/versions/1");

        ObjectNode doublePoints = initial();
        ((ObjectNode) doublePoints.at("/bonuses")).put("review", 100);
        Response v2 = publish(createDraft(marketer(), programme, doublePoints), null, "more for reviews");
        assertThat(v2.statusCode()).as(v2.asString()).isEqualTo(201);
        assertThat(v2.jsonPath().getInt("version")).isEqualTo(2);
        assertThat(Instant.parse(v2.jsonPath().getString("effectiveFrom"))).isAfter(Instant.now().plusSeconds(20));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<ConsumerRecord<String, byte[]>> records = kafka.readAll(Topics.RETENTION_PROGRAMME).stream()
                    .filter(r -> programme.equals(r.key())).toList();
            assertThat(records).hasSize(2);
            JsonNode latest = tree(records.get(1).value());
            assertThat(latest.path("type").asText()).isEqualTo("programme.published");
            assertThat(latest.path("subject").asText()).isEqualTo(programme);
            assertThat(latest.at("/data/programmeId").asText()).isEqualTo(programme);
            List<Integer> versions = StreamSupport.stream(latest.at("/data/versions").spliterator(), false)
                    .map(v -> v.path("version").asInt()).toList();
            assertThat(versions).containsExactly(1, 2);
            assertThat(latest.at("/data/versions/1/document/bonuses/review").asInt()).isEqualTo(100);
            assertThat(tree(records.get(0).value()).at("/data/versions")).hasSize(1);

            // As every service's consumer decodes it: a schema-valid programme.published with the whole timeline.
            ConsumerRecord<String, byte[]> record = records.get(1);
            Map<String, byte[]> headers = new HashMap<>();
            record.headers().forEach(header -> headers.put(header.key(), header.value()));
            DecodeResult decoded = new EventDecoder().decode(Topics.RETENTION_PROGRAMME, record.key(), record.value(),
                    headers);
            assertThat(decoded).isInstanceOf(DecodeResult.Decoded.class);
            ProgrammePublished published = ((DecodeResult.Decoded) decoded).event().dataAs(ProgrammePublished.class);
            assertThat(published.timeline().latest().orElseThrow().document().bonuses().review()).isEqualTo(100);
            assertThat(published.timeline().version(1).orElseThrow().effectiveFrom())
                    .isEqualTo(Instant.parse(v1.jsonPath().getString("effectiveFrom")));
        });

        Response overview = marketer().get("/programmes/{id}", programme);
        assertThat(overview.statusCode()).as(overview.asString()).isEqualTo(200);
        assertThat(overview.jsonPath().getList("versions.version", Integer.class)).containsExactly(1, 2);
        assertThat(overview.jsonPath().getInt("latest.version")).isEqualTo(2);
        Response stored = marketer().get("/programmes/{id}/versions/{n}", programme, 2);
        assertThat(stored.statusCode()).as(stored.asString()).isEqualTo(200);
        assertThat(stored.jsonPath().getInt("document.bonuses.review")).isEqualTo(100);
    }

    @Test
    void theValidationNamesEveryCurrencyOfTheVersionInForceThatADraftDrops() {
        ObjectNode withoutChf = initial();
        ((ObjectNode) withoutChf.get("currencies")).remove("CHF");
        String draft = createDraft(marketer(), "default", withoutChf);

        Response invalid = marketer().post("/drafts/{id}/validation", draft);

        Api.assertRefused(invalid, 422, "INVALID_PROGRAMME");
        assertThat(invalid.jsonPath().getList("violations.problem", String.class))
                .anySatisfy(p -> assertThat(p).contains("CHF"));
    }

    @Test
    void aPublicationEffectiveInThePastIsRefused() {
        String draft = createDraft(marketer(), newProgramme(), initial());

        Response refused = publish(draft, Instant.now().minusSeconds(60), "backdated");

        Api.assertRefused(refused, 422, "PUBLICATION_REFUSED");
        assertThat(refused.jsonPath().getList("violations.field", String.class)).containsExactly("effectiveFrom");
        assertThat(refused.jsonPath().getString("detail")).contains("in the past");
    }

    @Test
    void aPublicationThatWouldTakeEffectBeforeTheLatestVersionIsRefused() {
        String programme = newProgramme();
        Instant later = Instant.now().plus(Duration.ofHours(2));
        assertThat(publish(createDraft(marketer(), programme, initial()), later, "planned").statusCode()).isEqualTo(201);

        Response refused = publish(createDraft(marketer(), programme, initial()), later.minus(Duration.ofHours(1)), "sooner");

        Api.assertRefused(refused, 422, "PUBLICATION_REFUSED");
        assertThat(refused.jsonPath().getString("detail")).contains("latest version 1");
    }

    @Test
    void aRollBackPublishesTheEarlierDocumentAsTheNextVersionWithRestoredFrom() {
        String programme = newProgramme();
        publish(createDraft(marketer(), programme, initial()), Instant.now().plusSeconds(2), "v1");
        ObjectNode changed = initial();
        ((ObjectNode) changed.at("/bonuses")).put("signup", 500);
        assertThat(publish(createDraft(marketer(), programme, changed), Instant.now().plusSeconds(3), "v2")
                .statusCode()).isEqualTo(201);

        Response rolledBack = Api.admin().contentType("application/json")
                .body(Map.of("toVersion", 1, "reason", "signup bonus too generous"))
                .post("/programmes/{id}/rollbacks", programme);

        assertThat(rolledBack.statusCode()).as(rolledBack.asString()).isEqualTo(201);
        assertThat(rolledBack.jsonPath().getInt("version")).isEqualTo(3);
        assertThat(rolledBack.jsonPath().getInt("restoredFrom")).isEqualTo(1);
        assertThat(rolledBack.jsonPath().getInt("document.bonuses.signup")).isEqualTo(100);

        Response unknown = Api.admin().contentType("application/json")
                .body(Map.of("toVersion", 9, "reason", "typo")).post("/programmes/{id}/rollbacks", programme);
        Api.assertRefused(unknown, 422, "PUBLICATION_REFUSED");
        assertThat(unknown.jsonPath().getList("violations.field", String.class)).containsExactly("toVersion");
    }

    @Test
    void concurrentPublicationsNeverShareAVersionNumber() throws Exception {
        String programme = newProgramme();
        List<String> drafts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            drafts.add(createDraft(marketer(), programme, initial()));
        }
        List<Thread> threads = new ArrayList<>();
        List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
        for (String draft : drafts) {
            Thread thread = new Thread(() -> statuses.add(publish(draft, null, "race").statusCode()));
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(statuses).hasSize(4).allSatisfy(status -> assertThat(status).isIn(201, 422)).contains(201);
        List<Integer> versions = marketer().get("/programmes/{id}", programme).jsonPath()
                .getList("versions.version", Integer.class);
        assertThat(versions).hasSize((int) statuses.stream().filter(s -> s == 201).count())
                .doesNotHaveDuplicates();
        assertThat(versions).isEqualTo(java.util.stream.IntStream.rangeClosed(1, versions.size()).boxed().toList());
    }

    @Test
    void theAuditSaysWhoDidWhat() {
        String programme = newProgramme();
        String draft = createDraft(marketer(), programme, initial());
        marketer().post("/drafts/{id}/validation", draft);
        publish(draft, null, "first version");

        Response audit = marketer().get("/programmes/{id}/audit", programme);

        assertThat(audit.statusCode()).as(audit.asString()).isEqualTo(200);
        assertThat(audit.jsonPath().getList("entries.action", String.class))
                .containsExactly("PUBLISHED", "VALIDATED", "DRAFT_CREATED");
        assertThat(audit.jsonPath().getList("entries.actor", String.class))
                .containsExactly("admin-1", "marketer-1", "marketer-1");
        assertThat(audit.jsonPath().getString("entries[0].reason")).isEqualTo("first version");
        assertThat(audit.jsonPath().getInt("entries[0].version")).isEqualTo(1);
        assertThat(audit.jsonPath().getString("entries[1].reason")).isEqualTo("valid");
    }

    @Inject
    Pool pool;

    @Test
    void draftsAndVersionsAreStoredAsJsonObjectsThatSqlCanQuery() {
        String draft = createDraft(marketer(), newProgramme(), initial());

        List<String> types = new ArrayList<>();
        pool.query("SELECT jsonb_typeof(document) FROM programme_draft UNION ALL "
                        + "SELECT jsonb_typeof(document) FROM programme_version")
                .execute().await().atMost(Duration.ofSeconds(10)).forEach(row -> types.add(row.getString(0)));
        String signup = pool.preparedQuery("SELECT document #>> '{bonuses,signup}' FROM programme_draft WHERE id = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(UUID.fromString(draft)))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getString(0);

        assertThat(types).isNotEmpty().containsOnly("object");
        assertThat(signup).isEqualTo("100");
    }

    @Test
    void aPublicationWhoseOutboxRecordCannotBeWrittenLeavesNoVersionAndNoAuditLine() {
        String programme = "doomed-" + UUID.randomUUID().toString().substring(0, 8);
        String draft = createDraft(marketer(), programme, initial());
        // The outbox refuses this programme's record, as a failing database would at that statement.
        execute("CREATE FUNCTION refuse_doomed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "IF NEW.message_keys[1] LIKE 'doomed-%' THEN RAISE EXCEPTION 'outbox unavailable'; END IF; "
                + "RETURN NEW; END $$");
        execute("CREATE TRIGGER refuse_doomed BEFORE INSERT ON eventing_outbox_batch FOR EACH ROW "
                + "EXECUTE FUNCTION refuse_doomed()");
        try {
            Response failed = io.restassured.RestAssured.given()
                    .header("Authorization", "Bearer " + Tokens.forTests().admin())
                    .contentType("application/json").body(Map.of("reason", "never"))
                    .post("/drafts/{id}/publication", draft);
            assertThat(failed.statusCode()).as(failed.asString()).isEqualTo(500);
        } finally {
            execute("DROP TRIGGER refuse_doomed ON eventing_outbox_batch");
            execute("DROP FUNCTION refuse_doomed()");
        }

        assertThat(count("SELECT count(*) FROM programme_version WHERE programme_id = '" + programme + "'")).isZero();
        assertThat(count("SELECT count(*) FROM programme_audit WHERE programme_id = '" + programme
                + "' AND action = 'PUBLISHED'")).isZero();
        Api.assertRefused(marketer().get("/programmes/{id}", programme), 404, "PROGRAMME_NOT_FOUND");

        Response retried = publish(draft, null, "once the outbox is back");
        assertThat(retried.statusCode()).as(retried.asString()).isEqualTo(201);
        assertThat(retried.jsonPath().getInt("version")).isEqualTo(1);
    }

    private void execute(String sql) {
        pool.query(sql).execute().await().atMost(Duration.ofSeconds(10));
    }

    private long count(String sql) {
        return pool.query(sql).execute().await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    @Inject
    ProgrammeVersions received;

    @Test
    void theEventingKitOfEveryServiceAcceptsThePublishedInitialVersion() {
        // The kit's consumer (the same in every service) reads retention.programme, checks the timeline and every
        // version's rules, and only then puts it in force: programme-service reads its own topic back.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(received.inForceAt(Instant.now())).hasValueSatisfying(v -> {
                assertThat(v.version()).isEqualTo(1);
                assertThat(v.publishedBy()).isEqualTo("system");
            });
            assertThat(received.timeline().programmeId()).isEqualTo("default");
        });
    }

    @Test
    void theInitialProgrammeIsVersionOneOfTheConfiguredProgrammeEffectiveAtStart() {
        Response programme = marketer().get("/programmes/{id}", "default");

        assertThat(programme.statusCode()).as(programme.asString()).isEqualTo(200);
        assertThat(programme.jsonPath().getInt("versions[0].version")).isEqualTo(1);
        assertThat(programme.jsonPath().getString("versions[0].publishedBy")).isEqualTo("system");
        assertThat(programme.jsonPath().getString("versions[0].reason")).isEqualTo("initial programme from configuration");
        assertThat(programme.jsonPath().getInt("inForce.version")).isEqualTo(1);
        assertThat(JSON.valueToTree(programme.jsonPath().getMap("inForce.document")).path("bonuses").path("signup").asInt())
                .isEqualTo(100);
    }
}
