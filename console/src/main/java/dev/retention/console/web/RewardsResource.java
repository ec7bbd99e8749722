package dev.retention.console.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.retention.console.services.Answer;
import dev.retention.console.services.Service;
import dev.retention.console.services.ServiceCalls;
import dev.retention.console.session.CurrentSession;
import dev.retention.console.view.Charts;
import dev.retention.console.view.Formats;
import dev.retention.console.view.Texts;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.retention.console.services.ServiceCalls.segment;

/**
 * The rewards catalogue as the programme in force defines it, the partner code pools with their stock (and a CSV
 * upload of codes, passed to campaign-service as it came and never logged), and points redeemed per month.
 */
@Path("/rewards")
@Produces(MediaType.TEXT_HTML)
public class RewardsResource {

    @Inject
    Template rewards;
    @Inject
    Pages pages;
    @Inject
    ServiceCalls calls;
    @Inject
    CurrentSession session;

    @GET
    public TemplateInstance show(@QueryParam("done") String done) {
        CompletableFuture<Answer> programme = calls.getAsync(Service.PROGRAMME, "programmes/" + ProgrammeResource.PROGRAMME);
        CompletableFuture<Answer> pools = calls.getAsync(Service.CAMPAIGNS, "code-pools");
        boolean insights = session.requireUser().readsInsights();
        CompletableFuture<Answer> points = insights ? calls.getAsync(Service.INSIGHTS, "insights/points") : null;
        Answer programmeAnswer = programme.join();
        JsonNode catalogue = programmeAnswer.ok() ? programmeAnswer.body().path("inForce").path("document").path("rewards")
                : null;
        TemplateInstance page = pages.render(rewards).data("page", "rewards").data("programme", programmeAnswer)
                .data("catalogue", catalogue == null || !catalogue.isArray() ? List.of() : catalogue)
                .data("pools", pools.join()).data("done", done == null ? "" : done).data("problem", null)
                .data("uploaded", null)
                .data("redemptions", points == null ? null : points.join());
        if (points != null && points.join().ok()) {
            Formats format = new Formats(session.locale());
            Map<String, String> t = Texts.of(session.locale());
            List<String> months = new ArrayList<>();
            List<Double> redeemed = new ArrayList<>();
            for (JsonNode month : points.join().body().path("months")) {
                months.add(format.shortMonth(month.path("month").asText()));
                redeemed.add(month.path("redeemed").asDouble());
            }
            page.data("redemptionsChart", Charts.bars(t.get("chart_redemptions"), months,
                    List.of(new Charts.Series(t.get("redeemed"), redeemed)), v -> format.number(Math.round(v))));
        } else {
            page.data("redemptionsChart", null);
        }
        return page;
    }

    /** Uploads a partner's codes (CSV, one per line) into a pool; campaign-service deduplicates them. */
    @POST
    @Path("code-pools")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response upload(@RestForm String poolId, @RestForm String lowThreshold, @RestForm("codes") FileUpload codes)
            throws IOException {
        String csv = codes == null || codes.uploadedFile() == null ? ""
                : Files.readString(codes.uploadedFile(), StandardCharsets.UTF_8);
        String query = lowThreshold == null || lowThreshold.isBlank() ? "" : "?lowThreshold=" + segment(lowThreshold.strip());
        Answer answer = calls.postText(Service.CAMPAIGNS, "code-pools/" + segment(poolId == null ? "" : poolId.strip())
                + "/codes" + query, "text/csv", csv);
        TemplateInstance result = pages.render(rewards.getFragment("upload")).data("problem", answer.problem())
                .data("uploaded", answer.ok() ? answer.body() : null);
        return Response.status(answer.ok() ? 200 : answer.status()).entity(result).build();
    }
}
