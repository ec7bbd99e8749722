package dev.retention.campaigns.domain;

import dev.retention.contracts.events.CustomerProfile;
import dev.retention.contracts.events.TriggerType;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The settings of every built-in trigger. A trigger not in {@code enabled} never fires; the offers are the vouchers
 * the triggers hand out. Built with {@link #builder()}, a trigger's settings together.
 *
 * @param baseCurrency  lifetime spend (segments) is kept in this currency
 * @param exchangeRates value of one unit of each accepted currency in the base currency
 * @param defaultZone   for customers whose time zone is not known (yet)
 */
public record CampaignPolicy(
        Set<TriggerType> enabled,
        String baseCurrency,
        Map<String, BigDecimal> exchangeRates,
        ZoneId defaultZone,
        Duration delayGrace,
        VoucherOffer delayApologyOffer,
        BirthdaySchedule birthdaySchedule,
        VoucherOffer birthdayOffer,
        WinBackLadder winBack,
        Duration reviewRequestAfter) {

    public CampaignPolicy {
        enabled = Set.copyOf(enabled);
        exchangeRates = Map.copyOf(exchangeRates);
        if (!exchangeRates.containsKey(baseCurrency)) {
            throw new IllegalArgumentException("the base currency " + baseCurrency + " needs an exchange rate (1)");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean on(TriggerType type) {
        return enabled.contains(type);
    }

    public BigDecimal toBase(BigDecimal amount, String currency) {
        BigDecimal rate = exchangeRates.get(currency);
        if (rate == null) {
            throw new CampaignRejectedException("no exchange rate for " + currency
                    + " (retention.campaigns.exchange-rates." + currency + ")");
        }
        return amount.multiply(rate);
    }

    public ZoneId zoneOf(CustomerState customer) {
        return CustomerProfile.zoneOr(customer.timeZone(), defaultZone);
    }

    /** The settings by trigger; what a trigger does not set stays off or empty. */
    public static final class Builder {

        private final Set<TriggerType> enabled = EnumSet.noneOf(TriggerType.class);
        private String baseCurrency;
        private Map<String, BigDecimal> exchangeRates = Map.of();
        private ZoneId defaultZone = ZoneOffset.UTC;
        private Duration delayGrace = Duration.ZERO;
        private VoucherOffer delayApologyOffer;
        private BirthdaySchedule birthdaySchedule;
        private VoucherOffer birthdayOffer;
        private WinBackLadder winBack = new WinBackLadder(List.of());
        private Duration reviewRequestAfter = Duration.ZERO;

        private Builder() {
        }

        public Builder enable(TriggerType type, boolean on) {
            if (on) {
                enabled.add(type);
            } else {
                enabled.remove(type);
            }
            return this;
        }

        /** @param rates value of one unit of each accepted currency in {@code base}; the base's own rate is 1 */
        public Builder currency(String base, Map<String, BigDecimal> rates) {
            baseCurrency = base;
            exchangeRates = rates;
            return this;
        }

        public Builder defaultZone(ZoneId zone) {
            defaultZone = zone;
            return this;
        }

        /** @param grace after the end of the promised day before a shipment counts as overdue */
        public Builder delayApology(Duration grace, VoucherOffer offer) {
            delayGrace = grace;
            delayApologyOffer = offer;
            return this;
        }

        public Builder birthday(BirthdaySchedule schedule, VoucherOffer offer) {
            birthdaySchedule = schedule;
            birthdayOffer = offer;
            return this;
        }

        public Builder winBack(WinBackLadder ladder) {
            winBack = ladder;
            return this;
        }

        public Builder reviewRequestAfter(Duration after) {
            reviewRequestAfter = after;
            return this;
        }

        public CampaignPolicy build() {
            return new CampaignPolicy(enabled, baseCurrency, exchangeRates, defaultZone, delayGrace,
                    delayApologyOffer, birthdaySchedule, birthdayOffer, winBack, reviewRequestAfter);
        }
    }
}
