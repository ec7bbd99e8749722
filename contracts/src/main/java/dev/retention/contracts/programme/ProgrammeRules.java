package dev.retention.contracts.programme;

import dev.retention.contracts.events.FieldViolation;
import dev.retention.contracts.events.Violations;
import dev.retention.contracts.programme.ProgrammeDocument.CurrencySettings;
import dev.retention.contracts.programme.ProgrammeDocument.EarningRule;
import dev.retention.contracts.programme.ProgrammeDocument.Offer;
import dev.retention.contracts.programme.ProgrammeDocument.Reward;
import dev.retention.contracts.programme.ProgrammeDocument.Tier;
import dev.retention.contracts.programme.ProgrammeDocument.Window;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules of a programme document that its JSON Schema cannot say. Every violation is named by its JSON path, so a
 * refused draft lists all of them at once.
 */
public final class ProgrammeRules {

    private final String root;
    private final Violations found = new Violations();
    private final Set<String> currencies = new HashSet<>();

    private ProgrammeRules(String root) {
        this.root = root;
    }

    /** @param path the document's JSON path ({@code $} for a document on its own) */
    public static List<FieldViolation> violations(ProgrammeDocument document, String path) {
        return violations(document, path, Set.of());
    }

    /**
     * @param currenciesInUse currencies orders have come in: each needs a rate in the document
     */
    public static List<FieldViolation> violations(ProgrammeDocument document, String path,
                                                  Set<String> currenciesInUse) {
        ProgrammeRules rules = new ProgrammeRules(path);
        if (document == null) {
            rules.fail("", "is missing");
        } else {
            rules.check(document, currenciesInUse);
        }
        return rules.found.list();
    }

    private void check(ProgrammeDocument document, Set<String> currenciesInUse) {
        try {
            if (document.timeZone() != null) {
                ZoneId.of(document.timeZone());
            }
        } catch (DateTimeException e) {
            fail(".timeZone", "is not a time zone: " + document.timeZone());
        }
        checkCurrencies(document.currencies(), document.reportingCurrency(), currenciesInUse);
        if (document.tiers() != null) {
            checkTiers(document.tiers());
        }
        if (document.earning() != null && document.earning().rules() != null) {
            checkEarningRules(document.earning().rules(), tierNames(document));
        }
        if (document.redemption() != null) {
            positive(".redemption.unit", document.redemption().unit());
        }
        if (document.pending() != null && document.pending().returnWindow() != null
                && document.pending().maxPending() != null) {
            found.check(document.pending().maxPending().compareTo(document.pending().returnWindow()) >= 0,
                    root + ".pending.maxPending", "must not be shorter than returnWindow");
        }
        if (document.expiry() != null) {
            positive(".expiry.inactivity", document.expiry().inactivity());
            if (document.expiry().inactivity() != null && document.expiry().warning() != null) {
                found.check(document.expiry().warning().compareTo(document.expiry().inactivity()) < 0,
                        root + ".expiry.warning", "must be shorter than inactivity");
            }
        }
        if (document.triggers() != null) {
            checkTriggers(document.triggers());
        }
        if (document.rewards() != null) {
            checkRewards(document.rewards(), tierNames(document));
        }
        if (document.guards() != null) {
            ProgrammeDocument.Guards guards = document.guards();
            if (guards.holdoutShare() != null) {
                found.check(guards.holdoutShare().signum() >= 0 && guards.holdoutShare().compareTo(BigDecimal.ONE) <= 0,
                        root + ".guards.holdoutShare", "must be between 0 and 1");
            }
            positive(".guards.frequencyCap", guards.frequencyCap());
            positive(".guards.frequencyCapWindow", guards.frequencyCapWindow());
            if (guards.monthlyVoucherBudget() != null) {
                positive(".guards.monthlyVoucherBudget", guards.monthlyVoucherBudget());
            }
        }
    }

    private void checkCurrencies(Map<String, CurrencySettings> settings, String reporting, Set<String> inUse) {
        if (settings == null) {
            return;
        }
        settings.forEach((code, currency) -> {
            String at = ".currencies." + code;
            found.check(Violations.isListedCurrency(code), root + at, "is not an ISO 4217 currency");
            currencies.add(code);
            if (currency != null) {
                positive(at + ".pointValue", currency.pointValue());
                positive(at + ".exchangeRate", currency.exchangeRate());
            }
        });
        if (reporting != null) {
            CurrencySettings base = settings.get(reporting);
            if (base == null) {
                fail(".reportingCurrency", reporting + " is not among the currencies");
            } else if (base.exchangeRate() != null && base.exchangeRate().compareTo(BigDecimal.ONE) != 0) {
                fail(".currencies." + reporting + ".exchangeRate", "must be 1: it is the reporting currency");
            }
        }
        for (String code : inUse) {
            found.check(settings.containsKey(code), root + ".currencies",
                    "has no rate for " + code + ", which orders have come in");
        }
    }

    private void checkTiers(ProgrammeDocument.Tiers tiers) {
        List<Tier> levels = tiers.levels();
        if (levels == null || levels.isEmpty()) {
            fail(".tiers.levels", "needs at least one tier");
        } else {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < levels.size(); i++) {
                Tier tier = levels.get(i);
                String at = ".tiers.levels[" + i + "]";
                found.check(names.add(tier.name()), root + at + ".name", "repeats the tier name " + tier.name());
                positive(at + ".multiplier", tier.multiplier());
                if (tier.threshold() == null) {
                    continue;
                }
                if (i == 0) {
                    found.check(tier.threshold().signum() == 0, root + at + ".threshold",
                            "must be 0: every customer is in the lowest tier");
                } else if (levels.get(i - 1).threshold() != null) {
                    found.check(tier.threshold().compareTo(levels.get(i - 1).threshold()) > 0, root + at + ".threshold",
                            "must be above the threshold of " + levels.get(i - 1).name());
                }
            }
        }
        positive(".tiers.window", tiers.window());
    }

    private static Set<String> tierNames(ProgrammeDocument document) {
        Set<String> names = new HashSet<>();
        if (document.tiers() != null && document.tiers().levels() != null) {
            document.tiers().levels().forEach(tier -> names.add(tier.name()));
        }
        return names;
    }

    private void checkEarningRules(List<EarningRule> rules, Set<String> tierNames) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            EarningRule rule = rules.get(i);
            String at = ".earning.rules[" + i + "]";
            found.check(ids.add(rule.id()), root + at + ".id", "repeats the rule id " + rule.id());
            if (rule.effect() != null) {
                positive(at + ".effect.value", rule.effect().value());
            }
            if (rule.when() != null) {
                ProgrammeDocument.Conditions when = rule.when();
                if (when.window() != null && when.window().from() != null && when.window().until() != null) {
                    found.check(when.window().from().isBefore(when.window().until()), root + at + ".when.window.until",
                            "must be after from");
                }
                if (when.tiers() != null) {
                    for (int t = 0; t < when.tiers().size(); t++) {
                        found.check(tierNames.contains(when.tiers().get(t)), root + at + ".when.tiers[" + t + "]",
                                "names no tier of this programme: " + when.tiers().get(t));
                    }
                }
                knownCurrencies(at + ".when.minimumOrderValue", when.minimumOrderValue());
            }
            if (rule.caps() != null) {
                ProgrammeDocument.Caps caps = rule.caps();
                if (caps.perOrder() != null) {
                    positive(at + ".caps.perOrder", caps.perOrder());
                }
                if (caps.perCustomer() != null) {
                    positive(at + ".caps.perCustomer", caps.perCustomer());
                    found.check(caps.period() != null, root + at + ".caps.period", "is needed with perCustomer");
                }
            }
        }
    }

    private void checkTriggers(ProgrammeDocument.Triggers triggers) {
        if (triggers.delayApology() != null) {
            offer(".triggers.delayApology.voucher", triggers.delayApology().voucher());
        }
        if (triggers.birthday() != null) {
            offer(".triggers.birthday.voucher", triggers.birthday().voucher());
        }
        if (triggers.winBack() != null && triggers.winBack().steps() != null) {
            List<ProgrammeDocument.WinBackStep> steps = triggers.winBack().steps();
            for (int i = 0; i < steps.size(); i++) {
                String at = ".triggers.winBack.steps[" + i + "]";
                positive(at + ".after", steps.get(i).after());
                if (i > 0 && steps.get(i).after() != null && steps.get(i - 1).after() != null) {
                    found.check(steps.get(i).after().compareTo(steps.get(i - 1).after()) > 0, root + at + ".after",
                            "must be longer than the step before");
                }
                offer(at + ".voucher", steps.get(i).voucher());
            }
        }
        ProgrammeDocument.CartReminder cart = triggers.cartReminder();
        if (cart != null) {
            positive(".triggers.cartReminder.after", cart.after());
            if (cart.secondStep() != null) {
                String at = ".triggers.cartReminder.secondStep";
                positive(at + ".after", cart.secondStep().after());
                if (cart.after() != null && cart.secondStep().after() != null) {
                    found.check(cart.secondStep().after().compareTo(cart.after()) > 0, root + at + ".after",
                            "must be longer than the first reminder's after");
                }
                offer(at + ".voucher", cart.secondStep().voucher());
            }
        }
        if (triggers.feedback() != null) {
            if (triggers.feedback().apologyVoucher() != null) {
                offer(".triggers.feedback.apologyVoucher", triggers.feedback().apologyVoucher());
            }
            positive(".triggers.feedback.linkValidFor", triggers.feedback().linkValidFor());
        }
    }

    private void checkRewards(List<Reward> rewards, Set<String> tierNames) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < rewards.size(); i++) {
            Reward reward = rewards.get(i);
            String at = ".rewards[" + i + "]";
            found.check(ids.add(reward.id()), root + at + ".id", "repeats the reward id " + reward.id());
            positive(at + ".price", reward.price());
            if (reward.stock() != null) {
                found.check(reward.stock() >= 0, root + at + ".stock", "must not be negative");
            }
            if (reward.perCustomer() != null) {
                positive(at + ".perCustomer.count", reward.perCustomer().count());
            }
            if (reward.minimumTier() != null) {
                found.check(tierNames.contains(reward.minimumTier()), root + at + ".minimumTier",
                        "names no tier of this programme: " + reward.minimumTier());
            }
            Window available = reward.available();
            if (available != null && available.from() != null && available.until() != null) {
                found.check(available.from().isBefore(available.until()), root + at + ".available.until",
                        "must be after from");
            }
            found.check((reward.voucher() == null) != (reward.partner() == null), root + at,
                    "gives a voucher or a partner reward, exactly one of the two");
            offer(at + ".voucher", reward.voucher());
            if (reward.voucher() != null && !reward.voucher().maximumDiscount().isEmpty()) {
                found.check(reward.voucher().percentOff() != null, root + at + ".voucher.maximumDiscount",
                        "is the ceiling of a percentage voucher: set percentOff");
            }
            if (reward.partner() != null) {
                positive(at + ".partner.validFor", reward.partner().validFor());
            }
        }
    }

    private void offer(String at, Offer offer) {
        if (offer == null) {
            return;
        }
        int kinds = (offer.value() != null && !offer.value().isEmpty() ? 1 : 0) + (offer.percentOff() != null ? 1 : 0)
                + (offer.freeGiftSku() != null ? 1 : 0);
        found.check(kinds <= 1, root + at, "gives one of value, percentOff or freeGiftSku, not several");
        found.check(kinds == 1 || offer.freeShipping(), root + at,
                "gives nothing: set value, percentOff, freeGiftSku or freeShipping");
        if (offer.percentOff() != null) {
            found.check(offer.percentOff().signum() > 0 && offer.percentOff().compareTo(BigDecimal.valueOf(100)) <= 0,
                    root + at + ".percentOff", "must be above 0 and at most 100");
        }
        knownCurrencies(at + ".value", offer.value());
        knownCurrencies(at + ".minimumOrderValue", offer.minimumOrderValue());
        knownCurrencies(at + ".maximumDiscount", offer.maximumDiscount());
        positive(at + ".validFor", offer.validFor());
    }

    private void knownCurrencies(String at, Map<String, BigDecimal> byCurrency) {
        if (byCurrency == null) {
            return;
        }
        byCurrency.forEach((code, amount) -> {
            found.check(currencies.contains(code), root + at + "." + code, "is not among the programme's currencies");
            found.amount(root + at + "." + code, amount, code);
        });
    }

    private void positive(String at, Duration value) {
        if (value != null) {
            found.check(!value.isNegative() && !value.isZero(), root + at, "must be positive");
        }
    }

    private void positive(String at, BigDecimal value) {
        if (value != null) {
            found.check(value.signum() > 0, root + at, "must be positive");
        }
    }

    private void positive(String at, long value) {
        found.check(value > 0, root + at, "must be positive");
    }

    private void fail(String at, String problem) {
        found.check(false, root + at, problem);
    }
}
