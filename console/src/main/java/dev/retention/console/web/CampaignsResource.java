package dev.retention.console.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.console.services.Answer;
import dev.retention.console.services.Problem;
import dev.retention.console.services.Service;
import dev.retention.console.services.ServiceCalls;
import dev.retention.console.session.CurrentSession;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.retention.console.services.ServiceCalls.segment;

/**
 * Segment offers: the list with what each issued, a new offer with its segment's size shown before it is sent, and
 * cancellation; and the outcomes of every trigger and campaign against the holdout group where the user reads insights.
 */
@Path("/campaigns")
@Produces(MediaType.TEXT_HTML)
public class CampaignsResource {

    /** Where campaign-service names a field of the offer, and the form's input that holds it. */
    static final Map<String, String> INPUT_OF_FIELD = Map.ofEntries(
            Map.entry("name", "name"), Map.entry("campaignId", "campaignId"), Map.entry("startsAt", "startsAt"),
            Map.entry("endsAt", "endsAt"), Map.entry("segment.minDaysInactive", "minDaysInactive"),
            Map.entry("segment.minLifetimeSpend", "minLifetimeSpend"),
            Map.entry("segment.minLifetimeSpend.amount", "minLifetimeSpend"),
            Map.entry("segment.minLifetimeSpend.currency", "minLifetimeSpend"),
            Map.entry("offer", "offerKind"), Map.entry("offer.value", "amount"), Map.entry("offer.value.amount", "amount"),
            Map.entry("offer.value.currency", "currency"), Map.entry("offer.percentOff", "percentOff"),
            Map.entry("offer.freeGiftSku", "freeGiftSku"), Map.entry("offer.minimumOrderValue", "minimumOrderValue"),
            Map.entry("offer.minimumOrderValue.amount", "minimumOrderValue"),
            Map.entry("offer.minimumOrderValue.currency", "minimumOrderValue"), Map.entry("offer.validFor", "validForDays"),
            Map.entry("maxVouchers", "maxVouchers"));

    @Inject
    Template campaigns;
    @Inject
    Pages pages;
    @Inject
    ServiceCalls calls;
    @Inject
    CurrentSession session;
    @Inject
    ObjectMapper json;

    @GET
    public TemplateInstance show(@QueryParam("done") String done) {
        CompletableFuture<Answer> list = calls.getAsync(Service.CAMPAIGNS, "campaigns?limit=100");
        CompletableFuture<Answer> tiers = tierNames();
        boolean insights = session.requireUser().readsInsights();
        CompletableFuture<Answer> byTrigger = insights ? calls.getAsync(Service.INSIGHTS, "insights/uplift?by=trigger") : null;
        CompletableFuture<Answer> byCampaign = insights ? calls.getAsync(Service.INSIGHTS, "insights/uplift?by=campaign") : null;
        Answer tierAnswer = tiers.join();
        return form(pages.render(campaigns), Map.of(), null, tierAnswer).data("page", "campaigns")
                .data("campaigns", list.join()).data("done", done == null ? "" : done)
                .data("byTrigger", byTrigger == null ? null : byTrigger.join())
                .data("outcomes", byTrigger == null ? List.of() : List.of(byTrigger.join(), byCampaign.join()))
                .data("size", null).data("sizeProblem", null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(MultivaluedMap<String, String> form) {
        Answer answer = calls.post(Service.CAMPAIGNS, "campaigns", request(form), Map.of());
        if (answer.ok()) {
            return Forms.reloadWith("/campaigns?done=created");
        }
        Answer tiers = tierNames().join();
        return Response.status(answer.status()).entity(form(pages.render(campaigns.getFragment("offerForm")),
                form, answer.problem(), tiers).data("size", null).data("sizeProblem", null)).build();
    }

    /** How many customers the segment reaches now, before anything is sent. */
    @POST
    @Path("segment-size")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response segmentSize(MultivaluedMap<String, String> form) {
        ObjectNode body = json.createObjectNode();
        body.set("segment", request(form).get("segment"));
        Answer answer = calls.post(Service.CAMPAIGNS, "segment-sizes", body, Map.of());
        return Response.status(answer.ok() ? 200 : answer.status()).entity(pages.render(campaigns.getFragment("size"))
                .data("size", answer.ok() ? answer.body() : null).data("sizeProblem", answer.problem())).build();
    }

    @POST
    @Path("{campaignId}/cancellation")
    public Response cancel(@PathParam("campaignId") String campaignId) {
        Answer answer = calls.post(Service.CAMPAIGNS, "campaigns/" + segment(campaignId) + "/cancellation", null, Map.of());
        if (answer.ok()) {
            return Forms.reloadWith("/campaigns?done=cancelled");
        }
        return Response.status(answer.status()).entity(pages.render(campaigns.getFragment("listProblem"))
                .data("problem", answer.problem())).build();
    }

    /**
     * The tiers a segment may name, from the programme in force: marketers and admins, who create offers, read it
     * (tier-service's list is not theirs to read).
     */
    private CompletableFuture<Answer> tierNames() {
        if (!session.requireUser().runsCampaigns()) {
            return CompletableFuture.completedFuture(new Answer(200, json.createArrayNode(), null));
        }
        return calls.getAsync(Service.PROGRAMME, "programmes/" + ProgrammeResource.PROGRAMME).thenApply(answer -> {
            if (!answer.ok()) {
                return answer;
            }
            com.fasterxml.jackson.databind.node.ArrayNode names = json.createArrayNode();
            answer.body().path("inForce").path("document").path("tiers").path("levels")
                    .forEach(level -> names.add(level.path("name").asText()));
            return new Answer(200, names, null);
        });
    }

    /** The offer form's values (as typed, to show them again) and the service's problems at its inputs. */
    private TemplateInstance form(TemplateInstance page, Map<String, List<String>> form, Problem problem, Answer tiers) {
        ObjectNode values = json.createObjectNode();
        form.forEach((name, list) -> values.put(name, list.isEmpty() ? "" : list.get(0)));
        ObjectNode errors = json.createObjectNode();
        List<Problem.Violation> elsewhere = new java.util.ArrayList<>();
        if (problem != null) {
            for (Problem.Violation violation : problem.violations()) {
                String field = violation.field().replaceAll("\\[\\d+]$", "");
                String input = field.startsWith("segment.tiers") ? "tiers" : INPUT_OF_FIELD.get(field);
                if (input == null) {
                    elsewhere.add(violation);
                } else {
                    errors.put(input, errors.has(input) ? errors.get(input).asText() + "; " + violation.problem()
                            : violation.problem());
                }
            }
        }
        ObjectNode chosenTiers = json.createObjectNode();
        form.getOrDefault("tiers", List.of()).forEach(tier -> chosenTiers.put(tier, true));
        return page.data("values", values).data("errors", errors).data("chosenTiers", chosenTiers)
                .data("problem", problem == null ? null : new Problem(problem.status(), problem.title(), problem.detail(),
                        problem.code(), elsewhere))
                .data("tiers", tiers);
    }

    /** The campaign request campaign-service takes, from the form; blank inputs are left out. */
    JsonNode request(Map<String, List<String>> form) {
        ObjectNode body = json.createObjectNode();
        put(body, "campaignId", first(form, "campaignId"));
        put(body, "name", first(form, "name"));
        put(body, "startsAt", ProgrammeResource.utc(first(form, "startsAt")).orElse(null));
        put(body, "endsAt", ProgrammeResource.utc(first(form, "endsAt")).orElse(null));
        String currency = first(form, "currency") == null ? "EUR" : first(form, "currency");
        ObjectNode segmentNode = body.putObject("segment");
        List<String> tiers = form.getOrDefault("tiers", List.of());
        if (!tiers.isEmpty()) {
            tiers.forEach(segmentNode.putArray("tiers")::add);
        }
        putNumber(segmentNode, "minDaysInactive", first(form, "minDaysInactive"));
        if (first(form, "minLifetimeSpend") != null) {
            segmentNode.putObject("minLifetimeSpend").put("amount", first(form, "minLifetimeSpend"))
                    .put("currency", currency);
        }
        ObjectNode offer = body.putObject("offer");
        switch (String.valueOf(first(form, "offerKind"))) {
            case "percent" -> putNumber(offer, "percentOff", first(form, "percentOff"));
            case "gift" -> put(offer, "freeGiftSku", first(form, "freeGiftSku"));
            default -> {
                if (first(form, "amount") != null) {
                    offer.putObject("value").put("amount", first(form, "amount")).put("currency", currency);
                }
            }
        }
        offer.put("freeShipping", "on".equals(first(form, "freeShipping")) || "true".equals(first(form, "freeShipping")));
        if (first(form, "minimumOrderValue") != null) {
            offer.putObject("minimumOrderValue").put("amount", first(form, "minimumOrderValue")).put("currency", currency);
        }
        String days = first(form, "validForDays");
        put(offer, "validFor", days == null ? null : days.matches("\\d{1,4}") ? "P" + days + "D" : days);
        putNumber(body, "maxVouchers", first(form, "maxVouchers"));
        return body;
    }

    private static String first(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        if (values == null || values.isEmpty() || values.get(0) == null || values.get(0).isBlank()) {
            return null;
        }
        return values.get(0).strip();
    }

    private static void put(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
    }

    /** A number where the text is one; else the text, so that the service names the field. */
    private static void putNumber(ObjectNode node, String name, String value) {
        if (value == null) {
            return;
        }
        try {
            node.put(name, new java.math.BigDecimal(value));
        } catch (NumberFormatException notANumber) {
            node.put(name, value);
        }
    }
}
