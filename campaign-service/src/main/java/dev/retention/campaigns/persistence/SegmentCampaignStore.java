package dev.retention.campaigns.persistence;

import dev.retention.campaigns.domain.Segment;
import dev.retention.campaigns.domain.SegmentCampaign;
import dev.retention.campaigns.domain.VoucherOffer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.retention.eventing.SqlValues.instant;
import static dev.retention.eventing.SqlValues.timestamp;

/** Segment campaigns: definition (segment and offer as JSON), budget use and the job's progress. */
@ApplicationScoped
public class SegmentCampaignStore {

    private static final String COLUMNS = """
            campaign_id, name, starts_at, ends_at, segment, offer, max_vouchers, issued, status, cursor_customer_id""";
    private static final String INSERT = "INSERT INTO campaign (" + COLUMNS + ", created_at) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, 0, 'ACTIVE', '', $8) ON CONFLICT (campaign_id) DO NOTHING";
    private static final String GET = "SELECT " + COLUMNS + " FROM campaign WHERE campaign_id = $1";
    private static final String LIST = "SELECT " + COLUMNS + " FROM campaign ORDER BY starts_at DESC, campaign_id LIMIT $1";
    private static final String LOCK_RUNNABLE = "SELECT " + COLUMNS + " FROM campaign"
            + " WHERE status = 'ACTIVE' AND starts_at <= $1 ORDER BY starts_at, campaign_id LIMIT 1 FOR UPDATE SKIP LOCKED";
    private static final String PROGRESS = """
            UPDATE campaign SET issued = $2, cursor_customer_id = $3, status = $4 WHERE campaign_id = $1""";
    private static final String CANCEL = """
            UPDATE campaign SET status = 'CANCELLED' WHERE campaign_id = $1 AND status = 'ACTIVE'""";

    /** False when a campaign with that id exists already. */
    public Uni<Boolean> insert(SqlClient client, SegmentCampaign campaign, Instant now) {
        return client.preparedQuery(INSERT).execute(Tuple.tuple().addString(campaign.campaignId())
                .addString(campaign.name()).addOffsetDateTime(timestamp(campaign.startsAt()))
                .addOffsetDateTime(timestamp(campaign.endsAt())).addValue(segmentJson(campaign.segment()))
                .addValue(offerJson(campaign.offer())).addInteger(campaign.maxVouchers())
                .addOffsetDateTime(timestamp(now))).map(rows -> rows.rowCount() == 1);
    }

    public Uni<Optional<SegmentCampaign>> get(SqlClient client, String campaignId) {
        return client.preparedQuery(GET).execute(Tuple.of(campaignId)).map(rows -> {
            var it = rows.iterator();
            return it.hasNext() ? Optional.of(campaign(it.next())) : Optional.<SegmentCampaign>empty();
        });
    }

    public Uni<List<SegmentCampaign>> list(SqlClient client, int limit) {
        return client.preparedQuery(LIST).execute(Tuple.of(limit)).map(rows -> {
            List<SegmentCampaign> campaigns = new ArrayList<>();
            rows.forEach(row -> campaigns.add(campaign(row)));
            return campaigns;
        });
    }

    /** An active campaign whose start has come and that no other replica works on. */
    public Uni<Optional<SegmentCampaign>> lockRunnable(SqlConnection tx, Instant now) {
        return tx.preparedQuery(LOCK_RUNNABLE).execute(Tuple.of(timestamp(now))).map(rows -> {
            var it = rows.iterator();
            return it.hasNext() ? Optional.of(campaign(it.next())) : Optional.<SegmentCampaign>empty();
        });
    }

    public Uni<Void> saveProgress(SqlConnection tx, String campaignId, int issued, String cursor,
                                  SegmentCampaign.Status status) {
        return tx.preparedQuery(PROGRESS).execute(Tuple.of(campaignId, issued, cursor, status.name()))
                .replaceWithVoid();
    }

    public Uni<Boolean> cancel(SqlClient client, String campaignId) {
        return client.preparedQuery(CANCEL).execute(Tuple.of(campaignId)).map(rows -> rows.rowCount() == 1);
    }

    private static SegmentCampaign campaign(Row row) {
        return new SegmentCampaign(row.getString("campaign_id"), row.getString("name"), instant(row, "starts_at"),
                instant(row, "ends_at"), segment((JsonObject) row.getValue("segment")),
                offer((JsonObject) row.getValue("offer")), row.getInteger("max_vouchers"), row.getInteger("issued"),
                SegmentCampaign.Status.valueOf(row.getString("status")), row.getString("cursor_customer_id"));
    }

    static JsonObject segmentJson(Segment segment) {
        JsonObject json = new JsonObject();
        if (segment.tiers() != null) {
            json.put("tiers", new JsonArray(segment.tiers().stream().sorted().toList()));
        }
        if (segment.minDaysInactive() != null) {
            json.put("minDaysInactive", segment.minDaysInactive());
        }
        if (segment.minLifetimeSpend() != null) {
            json.put("minLifetimeSpend", segment.minLifetimeSpend().toPlainString());
        }
        return json;
    }

    static Segment segment(JsonObject json) {
        Set<String> tiers = null;
        if (json.containsKey("tiers")) {
            tiers = new HashSet<>();
            for (Object tier : json.getJsonArray("tiers")) {
                tiers.add((String) tier);
            }
        }
        String spend = json.getString("minLifetimeSpend");
        return new Segment(tiers, json.getInteger("minDaysInactive"), spend == null ? null : new BigDecimal(spend));
    }

    static JsonObject offerJson(VoucherOffer offer) {
        JsonObject json = new JsonObject().put("value", amounts(offer.valueByCurrency()))
                .put("freeShipping", offer.freeShipping())
                .put("minimumOrderValue", amounts(offer.minimumOrderValue()))
                .put("validFor", offer.validFor().toString());
        if (offer.percentOff() != null) {
            json.put("percentOff", offer.percentOff().toPlainString());
        }
        if (offer.freeGiftSku() != null) {
            json.put("freeGiftSku", offer.freeGiftSku());
        }
        return json;
    }

    static VoucherOffer offer(JsonObject json) {
        String percent = json.getString("percentOff");
        return new VoucherOffer(amounts(json.getJsonObject("value")), percent == null ? null : new BigDecimal(percent),
                json.getString("freeGiftSku"), json.getBoolean("freeShipping"),
                amounts(json.getJsonObject("minimumOrderValue")), Duration.parse(json.getString("validFor")));
    }

    private static JsonObject amounts(Map<String, BigDecimal> amounts) {
        JsonObject json = new JsonObject();
        amounts.forEach((currency, amount) -> json.put(currency, amount.toPlainString()));
        return json;
    }

    private static Map<String, BigDecimal> amounts(JsonObject json) {
        Map<String, BigDecimal> amounts = new LinkedHashMap<>();
        json.forEach(e -> amounts.put(e.getKey(), new BigDecimal((String) e.getValue())));
        return amounts;
    }
}
