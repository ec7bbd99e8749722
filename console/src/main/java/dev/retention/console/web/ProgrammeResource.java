package dev.retention.console.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.console.services.Answer;
import dev.retention.console.services.Problem;
import dev.retention.console.services.Service;
import dev.retention.console.services.ServiceCalls;
import dev.retention.console.session.CurrentSession;
import dev.retention.console.view.Charts;
import dev.retention.console.view.Comparison;
import dev.retention.console.view.Formats;
import dev.retention.console.view.JsonPaths;
import dev.retention.console.view.Texts;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.retention.console.services.ServiceCalls.segment;

/**
 * The programme: its versions with who, when and why; a diff between any two; drafts edited field by field (each
 * violation at the field it names), simulated over real history, published with an effective time, and roll-backs.
 * Marketers draft, validate and simulate; admins also publish and roll back (programme-service decides; the console
 * offers only what the role may).
 */
@Path("/programme")
@Produces(MediaType.TEXT_HTML)
public class ProgrammeResource {

    static final String PROGRAMME = "default";

    @Inject
    Template programme;
    @Inject
    Template programmeDiff;
    @Inject
    Template draft;
    @Inject
    Pages pages;
    @Inject
    ServiceCalls calls;
    @Inject
    CurrentSession session;
    @Inject
    ObjectMapper json;

    /** A section of the draft editor: the document's top-level member and the inputs of its leaves. */
    public record Section(String name, List<Field> fields, List<Problem.Violation> problems, boolean open) {
    }

    /** One input of the editor: the leaf's path, value and kind, and the service's message for it, if any. */
    public record Field(String id, String path, String label, String value, String kind, String problem) {
    }

    @GET
    public TemplateInstance overview(@QueryParam("done") String done) {
        var view = calls.getAsync(Service.PROGRAMME, "programmes/" + PROGRAMME);
        var audit = calls.getAsync(Service.PROGRAMME, "programmes/" + PROGRAMME + "/audit?limit=30");
        Answer programmeAnswer = view.join();
        Answer auditAnswer = audit.join();
        List<String> drafts = new ArrayList<>();
        if (auditAnswer.ok()) {
            for (JsonNode entry : auditAnswer.body().path("entries")) {
                if ("DRAFT_CREATED".equals(entry.path("action").asText()) && entry.hasNonNull("draftId")) {
                    drafts.add(entry.get("draftId").asText());
                }
            }
        }
        int latest = programmeAnswer.ok() ? programmeAnswer.body().path("latest").path("version").asInt(1) : 1;
        return pages.render(programme).data("page", "programme").data("programme", programmeAnswer)
                .data("diffFrom", java.math.BigDecimal.valueOf(Math.max(1, latest - 1)))
                .data("diffTo", java.math.BigDecimal.valueOf(latest))
                .data("audit", auditAnswer).data("recentDrafts", drafts).data("done", done == null ? "" : done)
                .data("problem", null);
    }

    @GET
    @Path("diff")
    public TemplateInstance diff(@QueryParam("from") int from, @QueryParam("to") int to) {
        var before = calls.getAsync(Service.PROGRAMME, "programmes/" + PROGRAMME + "/versions/" + from);
        var after = calls.getAsync(Service.PROGRAMME, "programmes/" + PROGRAMME + "/versions/" + to);
        Answer a = before.join();
        Answer b = after.join();
        TemplateInstance page = pages.render(programmeDiff).data("page", "programme").data("from", from).data("to", to)
                .data("before", a).data("after", b);
        if (a.ok() && b.ok()) {
            return page.data("changes", JsonPaths.diff(a.body().path("document"), b.body().path("document")));
        }
        return page.data("changes", List.of());
    }

    @POST
    @Path("drafts")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response newDraft(@FormParam("note") String note) {
        Answer current = calls.get(Service.PROGRAMME, "programmes/" + PROGRAMME);
        if (!current.ok()) {
            return problemOnOverview(current);
        }
        ObjectNode body = json.createObjectNode();
        body.set("document", current.body().path("inForce").path("document"));
        body.put("note", note == null || note.isBlank() ? null : note.strip());
        Answer created = calls.post(Service.PROGRAMME, "programmes/" + PROGRAMME + "/drafts", body, Map.of());
        if (!created.ok()) {
            return problemOnOverview(created);
        }
        return Forms.reloadWith("/programme/drafts/" + segment(created.body().path("id").asText()));
    }

    @POST
    @Path("rollbacks")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response rollBack(@FormParam("toVersion") String toVersion, @FormParam("reason") String reason,
                             @FormParam("effectiveFrom") String effectiveFrom) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("toVersion", Forms.wholeNumberOrText(toVersion));
        body.put("reason", reason);
        utc(effectiveFrom).ifPresent(at -> body.put("effectiveFrom", at));
        Answer answer = calls.post(Service.PROGRAMME, "programmes/" + PROGRAMME + "/rollbacks", body, Map.of());
        if (answer.ok()) {
            return Forms.reloadWith("/programme?done=rolled-back");
        }
        return problemOnOverview(answer);
    }

    @GET
    @Path("drafts/{draftId}")
    public TemplateInstance editor(@PathParam("draftId") String draftId) {
        Answer draftAnswer = calls.get(Service.PROGRAMME, "drafts/" + segment(draftId));
        return editorPage(draftId, draftAnswer, null, null);
    }

    @POST
    @Path("drafts/{draftId}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response save(@PathParam("draftId") String draftId, MultivaluedMap<String, String> form) {
        Answer current = calls.get(Service.PROGRAMME, "drafts/" + segment(draftId));
        if (!current.ok()) {
            return Response.status(current.status()).entity(editorFragment(draftId, current, current.problem(), null)).build();
        }
        JsonNode document = current.body().path("document").deepCopy();
        form.forEach((name, values) -> {
            if (name.startsWith("$") && !values.isEmpty()) {
                JsonPaths.set(document, name, values.get(0));
            }
        });
        return saveAndValidate(draftId, document, form.getFirst("note"));
    }

    @POST
    @Path("drafts/{draftId}/json")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response saveJson(@PathParam("draftId") String draftId, @FormParam("document") String text,
                             @FormParam("note") String note) {
        JsonNode document;
        try {
            document = json.readTree(text == null ? "" : text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            Answer current = calls.get(Service.PROGRAMME, "drafts/" + segment(draftId));
            Problem problem = new Problem(400, Texts.of(session.locale()).get("json_invalid"),
                    e.getOriginalMessage(), "MALFORMED_DOCUMENT", List.of(new Problem.Violation("document",
                    e.getOriginalMessage())));
            return Response.status(400).entity(editorFragment(draftId, current, problem, null)).build();
        }
        return saveAndValidate(draftId, document, note);
    }

    /** Adds an earning rule (a double-points weekend: MULTIPLIER 2 in a window) and validates the draft. */
    @POST
    @Path("drafts/{draftId}/rules")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response addRule(@PathParam("draftId") String draftId, @FormParam("id") String id,
                            @FormParam("name") String name, @FormParam("type") String type,
                            @FormParam("value") String value, @FormParam("from") String from,
                            @FormParam("until") String until) {
        Answer current = calls.get(Service.PROGRAMME, "drafts/" + segment(draftId));
        if (!current.ok()) {
            return Response.status(current.status()).entity(editorFragment(draftId, current, current.problem(), null)).build();
        }
        ObjectNode document = (ObjectNode) current.body().path("document").deepCopy();
        ObjectNode rule = json.createObjectNode().put("id", id == null ? "" : id.strip()).put("name", name);
        Optional<String> windowFrom = utc(from);
        Optional<String> windowUntil = utc(until);
        if (windowFrom.isPresent() || windowUntil.isPresent()) {
            ObjectNode window = rule.putObject("when").putObject("window");
            windowFrom.ifPresent(at -> window.put("from", at));
            windowUntil.ifPresent(at -> window.put("until", at));
        }
        rule.putObject("effect").put("type", type).put("value", value == null ? "" : value.strip());
        ObjectNode earning = document.has("earning") && document.get("earning").isObject()
                ? (ObjectNode) document.get("earning") : document.putObject("earning");
        ArrayNode rules = earning.has("rules") && earning.get("rules").isArray() ? (ArrayNode) earning.get("rules")
                : earning.putArray("rules");
        rules.add(rule);
        return saveAndValidate(draftId, document, current.body().path("note").asText(null));
    }

    @POST
    @Path("drafts/{draftId}/simulations")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response simulate(@PathParam("draftId") String draftId, @FormParam("from") String from,
                             @FormParam("to") String to) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", utcDate(from).orElse(from));
        body.put("to", utcDate(to).orElse(to));
        Answer answer = calls.post(Service.PROGRAMME, "drafts/" + segment(draftId) + "/simulations", body, Map.of());
        TemplateInstance report = pages.render(draft.getFragment("simulation")).data("simulation", answer)
                .data("simulationProblem", answer.ok() ? null : answer.problem());
        if (answer.ok()) {
            addSimulationCharts(report, answer.body());
        }
        return Response.status(answer.ok() ? 200 : answer.status()).entity(report).build();
    }

    @POST
    @Path("drafts/{draftId}/publication")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response publish(@PathParam("draftId") String draftId, @FormParam("effectiveFrom") String effectiveFrom,
                            @FormParam("reason") String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        utc(effectiveFrom).ifPresent(at -> body.put("effectiveFrom", at));
        body.put("reason", reason);
        Answer answer = calls.post(Service.PROGRAMME, "drafts/" + segment(draftId) + "/publication", body, Map.of());
        if (answer.ok()) {
            return Forms.reloadWith("/programme?done=published");
        }
        return Response.status(answer.status()).entity(pages.render(draft.getFragment("publish"))
                .data("draftId", draftId).data("publishProblem", answer.problem())
                .data("effectiveFrom", effectiveFrom).data("reason", reason)).build();
    }

    private Response saveAndValidate(String draftId, JsonNode document, String note) {
        ObjectNode body = json.createObjectNode();
        body.set("document", document);
        body.put("note", note == null || note.isBlank() ? null : note);
        Answer saved = calls.put(Service.PROGRAMME, "drafts/" + segment(draftId), body);
        if (!saved.ok()) {
            return Response.status(saved.status()).entity(editorFragment(draftId, saved, saved.problem(), null)).build();
        }
        Answer validation = calls.post(Service.PROGRAMME, "drafts/" + segment(draftId) + "/validation", null, Map.of());
        TemplateInstance fragment = editorFragment(draftId, saved, validation.ok() ? null : validation.problem(),
                validation.ok() ? "valid" : null);
        return Response.status(validation.ok() ? 200 : validation.status()).entity(fragment).build();
    }

    private TemplateInstance editorPage(String draftId, Answer draftAnswer, Problem problem, String notice) {
        return decorate(pages.render(draft).data("page", "programme"), draftId, draftAnswer, problem, notice)
                .data("simulation", null).data("simulationProblem", null).data("publishProblem", null)
                .data("effectiveFrom", "")
                .data("reason", "")
                .data("simulateFrom", Instant.now().minus(90, ChronoUnit.DAYS).atZone(ZoneOffset.UTC).toLocalDate())
                .data("simulateTo", Instant.now().plus(1, ChronoUnit.DAYS).atZone(ZoneOffset.UTC).toLocalDate());
    }

    private TemplateInstance editorFragment(String draftId, Answer draftAnswer, Problem problem, String notice) {
        return decorate(pages.render(draft.getFragment("editor")), draftId, draftAnswer, problem, notice);
    }

    private TemplateInstance decorate(TemplateInstance page, String draftId, Answer draftAnswer, Problem problem,
                                      String notice) {
        page.data("draftId", draftId).data("draftAnswer", draftAnswer).data("problem", problem)
                .data("notice", notice == null ? "" : notice);
        if (draftAnswer.ok() && draftAnswer.body() != null) {
            JsonNode document = draftAnswer.body().path("document");
            page.data("sections", sections(document, problem)).data("documentText", pretty(document))
                    .data("note", draftAnswer.body().path("note").asText(""));
        } else {
            page.data("sections", List.of()).data("documentText", "").data("note", "");
        }
        return page;
    }

    /** The document's leaves grouped by top-level member; a section with a violation is open and lists it. */
    static List<Section> sections(JsonNode document, Problem problem) {
        List<Problem.Violation> violations = problem == null ? List.of() : problem.violations();
        Map<String, List<Field>> fields = new LinkedHashMap<>();
        int index = 0;
        List<JsonPaths.Leaf> leaves = JsonPaths.leaves(document);
        for (JsonPaths.Leaf leaf : leaves) {
            String section = sectionOf(leaf.path());
            String message = violations.stream().filter(v -> v.field().equals(leaf.path())).map(Problem.Violation::problem)
                    .findFirst().orElse(null);
            fields.computeIfAbsent(section, s -> new ArrayList<>()).add(new Field("f" + index++, leaf.path(),
                    leaf.path().substring(2), leaf.value() == null ? "" : leaf.value(), leaf.kind().name(), message));
        }
        List<Section> sections = new ArrayList<>();
        fields.forEach((name, list) -> {
            List<Problem.Violation> elsewhere = violations.stream()
                    .filter(v -> sectionOf(v.field()).equals(name))
                    .filter(v -> list.stream().noneMatch(f -> f.path().equals(v.field()))).toList();
            boolean open = !elsewhere.isEmpty() || list.stream().anyMatch(f -> f.problem() != null);
            sections.add(new Section(name, list, elsewhere, open));
        });
        return sections;
    }

    private static String sectionOf(String path) {
        List<String> parts = List.of(path.replaceFirst("^\\$\\.?", "").split("[.\\[]", 2));
        return parts.isEmpty() ? "" : parts.get(0);
    }

    private void addSimulationCharts(TemplateInstance report, JsonNode simulation) {
        Formats format = new Formats(session.locale());
        Map<String, String> t = Texts.of(session.locale());
        JsonNode points = simulation.path("points");
        Comparison byRule = Comparison.of(points.path("inForce").path("byRule"), points.path("draft").path("byRule"));
        Comparison byTier = Comparison.of(points.path("inForce").path("byTier"), points.path("draft").path("byTier"));
        JsonNode tiers = simulation.path("tiers");
        Comparison distribution = Comparison.of(tiers.path("inForce").path("distribution"),
                tiers.path("draft").path("distribution"));
        report.data("byRule", byRule).data("byTier", byTier).data("distribution", distribution)
                .data("triggers", triggerComparison(simulation.path("campaigns")))
                .data("byRuleChart", Charts.bars(t.get("chart_points_by_rule"), byRule.keys(), List.of(
                        new Charts.Series(t.get("in_force"), byRule.inForceValues()),
                        new Charts.Series(t.get("draft"), byRule.draftValues())), v -> format.number(Math.round(v))))
                .data("distributionChart", Charts.bars(t.get("chart_tier_distribution"), distribution.keys(), List.of(
                        new Charts.Series(t.get("in_force"), distribution.inForceValues()),
                        new Charts.Series(t.get("draft"), distribution.draftValues())), v -> format.number(Math.round(v))));
    }

    /** Fired triggers and vouchers per trigger type, in force against the draft. */
    static Comparison triggerComparison(JsonNode campaigns) {
        ObjectNode inForce = new ObjectMapper().createObjectNode();
        ObjectNode draft = new ObjectMapper().createObjectNode();
        campaigns.path("inForce").path("byTrigger").fields().forEachRemaining(e -> inForce.set(e.getKey(),
                e.getValue().path("fired")));
        campaigns.path("draft").path("byTrigger").fields().forEachRemaining(e -> draft.set(e.getKey(),
                e.getValue().path("fired")));
        return Comparison.of(inForce, draft);
    }

    private Response problemOnOverview(Answer answer) {
        return Response.status(answer.status()).entity(pages.render(programme.getFragment("actionProblem"))
                .data("problem", answer.problem())).build();
    }

    private String pretty(JsonNode document) {
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(document);
        } catch (IOException e) {
            return document.toString();
        }
    }

    /** A {@code datetime-local} value, read as UTC, as an instant; blank as absent; else as typed, for the service to name. */
    static Optional<String> utc(String local) {
        if (local == null || local.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDateTime.parse(local.strip()).toInstant(ZoneOffset.UTC).toString());
        } catch (DateTimeParseException notLocal) {
            return Optional.of(local.strip());
        }
    }

    /** A date ({@code YYYY-MM-DD}) as the instant its day starts in UTC. */
    static Optional<String> utcDate(String date) {
        if (date == null || date.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(java.time.LocalDate.parse(date.strip()).atStartOfDay().toInstant(ZoneOffset.UTC).toString());
        } catch (DateTimeParseException notADate) {
            return Optional.empty();
        }
    }
}
