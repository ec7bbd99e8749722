package dev.retention.programme.simulation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.contracts.ContractJson;
import dev.retention.contracts.programme.simulation.CampaignSimulation;
import dev.retention.contracts.programme.simulation.PointsSimulation;
import dev.retention.contracts.programme.simulation.TierSimulation;
import dev.retention.contracts.programme.simulation.TierTimeline;
import dev.retention.programme.application.ProgrammeProblems;
import dev.retention.programme.config.ProgrammeConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Asks points-, tier- and campaign-service to re-run their own rules over their history ({@code POST
 * /programme-simulations} on each), with the caller's token: a marketer may simulate, and each service checks it.
 */
@ApplicationScoped
public class ServiceSimulations {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ProgrammeConfig.Simulation config;

    public ServiceSimulations(ProgrammeConfig config) {
        this.config = config.simulation();
    }

    /**
     * One simulation's question, as every service receives it.
     *
     * @param includeDraftTimelines asks tier-service for the draft side's tier timelines
     * @param draftTiers            tier-service's draft timelines, for points- and campaign-service (null: none)
     */
    public record Question(Instant from, Instant to, JsonNode draft, int top, String authorization,
                           boolean includeDraftTimelines, List<TierTimeline> draftTiers) {

        public Question(Instant from, Instant to, JsonNode draft, int top, String authorization) {
            this(from, to, draft, top, authorization, false, null);
        }

        /** The same question, asking tier-service for the draft's timelines too. */
        public Question withDraftTimelines() {
            return new Question(from, to, draft, top, authorization, true, draftTiers);
        }

        /** The same question, with tier-service's draft timelines for points- and campaign-service. */
        public Question withDraftTiers(List<TierTimeline> timelines) {
            return new Question(from, to, draft, top, authorization, false, timelines);
        }

        String body() {
            ObjectNode body = ContractJson.mapper().createObjectNode();
            body.put("from", from.toString());
            body.put("to", to.toString());
            body.put("top", top);
            body.set("draft", draft);
            if (includeDraftTimelines) {
                body.put("includeDraftTimelines", true);
            }
            if (draftTiers != null) {
                body.set("draftTiers", ContractJson.mapper().valueToTree(draftTiers));
            }
            return body.toString();
        }
    }

    public Uni<PointsSimulation> points(Question question) {
        return ask("points-service", config.pointsUrl(), question, PointsSimulation.class);
    }

    public Uni<TierSimulation> tiers(Question question) {
        return ask("tier-service", config.tiersUrl(), question, TierSimulation.class);
    }

    public Uni<CampaignSimulation> campaigns(Question question) {
        return ask("campaign-service", config.campaignsUrl(), question, CampaignSimulation.class);
    }

    private <T> Uni<T> ask(String service, URI base, Question question, Class<T> answer) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/programme-simulations"))
                .timeout(config.timeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("Authorization", question.authorization())
                .POST(HttpRequest.BodyPublishers.ofString(question.body()))
                .build();
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                .onFailure().transform(e -> e instanceof ProgrammeProblems.SimulationUnavailable ? e
                        : new ProgrammeProblems.SimulationUnavailable(service, String.valueOf(e)))
                .map(response -> read(service, response, answer));
    }

    private static <T> T read(String service, HttpResponse<String> response, Class<T> answer) {
        int status = response.statusCode();
        if (status == 200) {
            try {
                return ContractJson.mapper().readValue(response.body(), answer);
            } catch (IOException e) {
                throw new ProgrammeProblems.SimulationUnavailable(service, "an answer that is not a simulation: " + e);
            }
        }
        String detail = detail(response.body());
        if (status >= 400 && status < 500) {
            // The caller's token or the draft: the caller can act on it, so it is the caller's problem (422 / 403).
            throw new ProgrammeProblems.SimulationRefusedByService(service, status, detail);
        }
        throw new ProgrammeProblems.SimulationUnavailable(service, "HTTP " + status + ": " + detail);
    }

    private static String detail(String body) {
        try {
            JsonNode problem = ContractJson.mapper().readTree(body);
            if (problem != null && problem.hasNonNull("detail")) {
                StringBuilder detail = new StringBuilder(problem.get("detail").asText());
                JsonNode violations = problem.path("violations");
                for (JsonNode violation : violations) {
                    detail.append("; ").append(violation.path("field").asText()).append(": ")
                            .append(violation.path("problem").asText());
                }
                return detail.toString();
            }
        } catch (IOException | RuntimeException notJson) {
            // fall through: the body as it came, shortened
        }
        return body == null ? "" : body.substring(0, Math.min(body.length(), 300));
    }
}
