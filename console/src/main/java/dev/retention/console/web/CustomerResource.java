package dev.retention.console.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.retention.console.services.Answer;
import dev.retention.console.services.Service;
import dev.retention.console.services.ServiceCalls;
import dev.retention.console.session.CurrentSession;
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
import jakarta.ws.rs.core.Response;

import java.math.BigDecimal;
import java.math.MathContext;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.retention.console.services.ServiceCalls.segment;

/**
 * Customer 360: everything the platform knows and did for one customer, from each service's API, and the actions a
 * support agent or admin may take: a points adjustment with a reason, a reward redeemed on the customer's behalf, and
 * (admins) erasure after typing the customer id.
 */
@Path("/customers")
@Produces(MediaType.TEXT_HTML)
public class CustomerResource {

    @Inject
    Template customers;
    @Inject
    Template customer;
    @Inject
    Pages pages;
    @Inject
    ServiceCalls calls;
    @Inject
    CurrentSession session;

    @GET
    public Response find(@QueryParam("id") String id) {
        if (id != null && !id.isBlank()) {
            return Response.seeOther(URI.create("/customers/" + segment(id.strip()))).build();
        }
        return Response.ok(pages.render(customers).data("page", "customers")).build();
    }

    @GET
    @Path("{customerId}")
    public TemplateInstance show(@PathParam("customerId") String customerId, @QueryParam("before") Long before,
                                 @QueryParam("done") String done) {
        String id = segment(customerId);
        Map<String, CompletableFuture<Answer>> reads = new LinkedHashMap<>();
        reads.put("balance", calls.getAsync(Service.POINTS, "customers/" + id + "/points"));
        reads.put("ledger", calls.getAsync(Service.POINTS, "customers/" + id + "/points/ledger?limit=25"
                + (before == null ? "" : "&before=" + before)));
        reads.put("tier", calls.getAsync(Service.TIERS, "customers/" + id + "/tier"));
        reads.put("triggers", calls.getAsync(Service.CAMPAIGNS, "customers/" + id + "/triggers?limit=50"));
        reads.put("vouchers", calls.getAsync(Service.CAMPAIGNS, "customers/" + id + "/vouchers?limit=50"));
        reads.put("messages", calls.getAsync(Service.NOTIFICATIONS, "customers/" + id + "/notifications?limit=50"));
        reads.put("rewards", calls.getAsync(Service.POINTS, "customers/" + id + "/rewards"));
        reads.put("redemptions", calls.getAsync(Service.POINTS, "customers/" + id + "/reward-redemptions"));
        TemplateInstance page = pages.render(customer).data("page", "customers").data("customerId", customerId)
                .data("done", done == null ? "" : done).data("idempotencyKey", Forms.idempotencyKey())
                .data("problem", null).data("erasureProblem", null).data("rewardProblem", null);
        reads.forEach((name, answer) -> page.data(name, answer.join()));
        return page.data("tierProgress", tierProgress(reads.get("tier").join()));
    }

    @POST
    @Path("{customerId}/adjustments")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response adjust(@PathParam("customerId") String customerId, @FormParam("points") String points,
                           @FormParam("reason") String reason, @FormParam("idempotencyKey") String key) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("points", Forms.wholeNumberOrText(points));
        body.put("reason", reason);
        Answer answer = calls.post(Service.POINTS, "customers/" + segment(customerId) + "/points/adjustments", body,
                Map.of("Idempotency-Key", Forms.idempotencyKey(key, null)));
        if (answer.ok()) {
            return Forms.reloadWith("/customers/" + segment(customerId) + "?done=adjusted");
        }
        return Forms.refused(answer, pages.render(customer.getFragment("adjust")).data("customerId", customerId)
                .data("idempotencyKey", key).data("points", points).data("reason", reason));
    }

    @POST
    @Path("{customerId}/rewards/{rewardId}/redemptions")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response redeem(@PathParam("customerId") String customerId, @PathParam("rewardId") String rewardId,
                           @FormParam("idempotencyKey") String key) {
        Answer answer = calls.post(Service.POINTS, "customers/" + segment(customerId) + "/rewards/" + segment(rewardId)
                + "/redemptions", "", Map.of("Idempotency-Key", Forms.idempotencyKey(key, rewardId)));
        if (answer.ok()) {
            return Forms.reloadWith("/customers/" + segment(customerId) + "?done=redeemed");
        }
        return Response.status(answer.status()).entity(pages.render(customer.getFragment("rewardProblem"))
                .data("rewardProblem", answer.problem())).build();
    }

    @POST
    @Path("{customerId}/erasure")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response erase(@PathParam("customerId") String customerId, @FormParam("confirmCustomerId") String confirm,
                          @FormParam("reason") String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("confirmCustomerId", confirm);
        body.put("reason", reason);
        Answer answer = calls.post(Service.NOTIFICATIONS, "customers/" + segment(customerId) + "/erasure", body, Map.of());
        if (answer.ok()) {
            return Forms.reloadWith("/customers/" + segment(customerId) + "?done=erasure");
        }
        return Response.status(answer.status()).entity(pages.render(customer.getFragment("erase"))
                .data("customerId", customerId).data("confirm", confirm).data("reason", reason)
                .data("erasureProblem", answer.problem())).build();
    }

    /** How far the customer's qualifying spend has come towards the next tier, 0 to 1; null at the top. */
    static BigDecimal tierProgress(Answer tier) {
        if (!tier.ok() || tier.body() == null) {
            return null;
        }
        JsonNode spend = tier.body().path("qualifyingSpend").path("amount");
        JsonNode missing = tier.body().path("amountToNextTier").path("amount");
        if (!spend.isTextual() && !spend.isNumber() || !missing.isTextual() && !missing.isNumber()) {
            return null;
        }
        BigDecimal have = new BigDecimal(spend.asText());
        BigDecimal total = have.add(new BigDecimal(missing.asText()));
        return total.signum() <= 0 ? BigDecimal.ONE : have.divide(total, MathContext.DECIMAL64);
    }
}
