package dev.retention.campaigns.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code retention.campaigns.*}: every trigger, its offer and the guards; docs/configuration.md describes each key. */
@ConfigMapping(prefix = "retention.campaigns")
public interface CampaignsConfig {

    /** Lifetime spend for segments is kept in this currency. */
    @WithDefault("EUR")
    String currency();

    /** Value of one unit of each accepted currency in the base currency. */
    Map<String, BigDecimal> exchangeRates();

    /** For customers whose time zone is not known (yet). */
    @WithDefault("UTC")
    String defaultTimeZone();

    Guards guards();

    DelayApology delayApology();

    Birthday birthday();

    WinBack winBack();

    ReviewRequest reviewRequest();

    Switch reviewThanks();

    Switch referralInvitation();

    Switch tierUp();

    Switch downgradeWarning();

    Switch pointsExpiring();

    CartReminder cartReminder();
    /** A detractor's apology voucher (the programme's {@code triggers.feedback.apologyVoucher}). */
    ServiceRecovery serviceRecovery();

    Jobs jobs();

    VoucherRedemption voucherRedemption();

    Vouchers vouchers();

    /** Vouchers at checkout. */
    interface Vouchers {
        /**
         * A cancelled order gives back the vouchers it redeemed ({@code voucher.released}): the customer was not
         * served, so the voucher can be used again until it expires. A (partial) return releases nothing.
         */
        @WithDefault("true")
        boolean releaseOnCancel();
    }

    /** Limits on voucher redemption attempts: guessing codes runs into them long before it finds one. */
    interface VoucherRedemption {
        /** Attempts per customer, and separately per code, within {@link #attemptWindow()}; more answer 429. */
        @WithDefault("10")
        int attempts();

        @WithDefault("1m")
        Duration attemptWindow();
    }

    interface Switch {
        @WithDefault("true")
        boolean enabled();
    }

    interface Offer {
        /** Fixed value per currency, e.g. {@code value.EUR=10.00}; or {@code percent-off}, or {@code free-gift-sku}. */
        Map<String, BigDecimal> value();

        Optional<BigDecimal> percentOff();

        Optional<String> freeGiftSku();

        @WithDefault("false")
        boolean freeShipping();

        Map<String, BigDecimal> minimumOrderValue();

        @WithDefault("30d")
        Duration validFor();
    }

    interface Guards {
        /** Share of customers (0 to 1) in the holdout group: marketing triggers are recorded but not sent. */
        @WithDefault("0")
        BigDecimal holdoutShare();

        /** Changing it draws a new holdout group. */
        @WithDefault("retention")
        String holdoutSalt();

        /** At most this many marketing triggers per customer within {@code frequency-cap-window}. */
        @WithDefault("3")
        int frequencyCap();

        @WithDefault("7d")
        Duration frequencyCapWindow();

        /**
         * Face value of the vouchers issued per calendar month (of {@code default-time-zone}), in {@code currency};
         * absent: no budget. Programme versions set it as {@code guards.monthlyVoucherBudget}.
         */
        Optional<BigDecimal> monthlyVoucherBudget();
    }

    interface ServiceRecovery extends Switch {
        Offer voucher();

        /** How long a feedback mail's score links stay valid (the programme's {@code linkValidFor}). */
        @WithDefault("30d")
        Duration feedbackLinkValidFor();
    }

    interface DelayApology extends Switch {
        /** After the end of the promised day, in the customer's time zone, before a shipment counts as overdue. */
        @WithDefault("1d")
        Duration grace();

        Offer voucher();
    }

    interface Birthday extends Switch {
        @WithDefault("7")
        int daysBefore();

        /** Local time of day in the customer's time zone. */
        @WithDefault("09:00")
        LocalTime sendTime();

        Offer voucher();
    }

    interface WinBack extends Switch {
        /** Up to three steps: {@code steps[0].after=60d}, {@code steps[0].voucher.value.EUR=5.00}, ... */
        List<Step> steps();

        interface Step {
            Duration after();

            Offer voucher();
        }
    }

    interface ReviewRequest extends Switch {
        @WithDefault("7d")
        Duration after();
    }

    /** Off unless enabled, as in a programme document without {@code triggers.cartReminder}. */
    interface CartReminder {
        @WithDefault("false")
        boolean enabled();

        /** After the cart's last activity (a change or a checkout). */
        @WithDefault("4h")
        Duration after();

        /** The second reminder, with a voucher: {@code second-step.after=48h}, {@code second-step.voucher.*}. */
        Optional<Step> secondStep();

        interface Step {
            Duration after();

            Offer voucher();
        }
    }

    interface Jobs {
        @WithDefault("30s")
        String every();

        @WithDefault("500")
        int batchSize();
    }
}
