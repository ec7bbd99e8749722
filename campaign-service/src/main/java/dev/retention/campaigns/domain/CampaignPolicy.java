package dev.retention.campaigns.domain;

import dev.retention.contracts.events.CustomerProfile;
import dev.retention.contracts.events.TriggerType;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;

/**
 * The settings of every built-in trigger. A trigger not in {@code enabled} never fires; the offers are the vouchers
 * the triggers hand out.
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
        return CustomerProfile.zoneOr(customer.timeZone, defaultZone);
    }
}
