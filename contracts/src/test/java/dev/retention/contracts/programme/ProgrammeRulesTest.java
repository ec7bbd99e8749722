package dev.retention.contracts.programme;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.contracts.events.FieldViolation;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ProgrammeRulesTest {

    @Test
    void theInitialProgrammeIsValidAndReadsBackUnchanged() {
        JsonNode initial = ProgrammeJson.initialTree();

        assertThat(ProgrammeJson.violations(initial, Set.of("EUR", "USD", "GBP", "CHF"))).isEmpty();
        assertThat(ProgrammeJson.read(ProgrammeJson.tree(ProgrammeJson.initial()))).isEqualTo(ProgrammeJson.initial());
    }

    @Test
    void aRefusedDraftListsEverySemanticViolationByPath() {
        ObjectNode draft = ProgrammeJson.initialTree().deepCopy();
        ArrayNode levels = (ArrayNode) draft.at("/tiers/levels");
        ((ObjectNode) levels.get(0)).put("threshold", "10");
        ((ObjectNode) levels.get(2)).put("name", "silver").put("threshold", "400");
        ObjectNode rule = ((ArrayNode) draft.at("/earning/rules")).addObject();
        rule.put("id", "weekend").put("name", "Double points weekend");
        rule.putObject("effect").put("type", "MULTIPLIER").put("value", "2");
        rule.putObject("when").putObject("window").put("from", "2026-12-12T00:00:00Z").put("until", "2026-12-11T00:00:00Z");
        rule.putObject("caps").put("perCustomer", 500);
        ((ObjectNode) draft.at("/currencies/EUR")).put("exchangeRate", "2");

        List<FieldViolation> violations = ProgrammeJson.violations(draft, Set.of("JPY"));

        assertThat(violations).extracting(FieldViolation::field).containsExactlyInAnyOrder(
                "$.tiers.levels[0].threshold",
                "$.tiers.levels[2].name",
                "$.tiers.levels[2].threshold",
                "$.earning.rules[0].when.window.until",
                "$.earning.rules[0].caps.period",
                "$.currencies.EUR.exchangeRate",
                "$.currencies",
                "$.rewards[2].minimumTier");
    }

    @Test
    void theSchemaNamesTheFieldOfAMisspeltOrMalformedSetting() {
        ObjectNode draft = ProgrammeJson.initialTree().deepCopy();
        ((ObjectNode) draft.at("/earning")).put("stackng", "SUM");
        ((ObjectNode) draft.at("/expiry")).put("inactivity", "365 days");

        List<FieldViolation> violations = ProgrammeJson.violations(draft, Set.of());

        assertThat(violations).extracting(FieldViolation::field)
                .contains("$.earning", "$.expiry.inactivity");
    }

    @Test
    void anOfferMustGiveExactlyOneThingOrFreeShipping() {
        ObjectNode draft = ProgrammeJson.initialTree().deepCopy();
        ((ObjectNode) draft.at("/triggers/delayApology/voucher")).put("percentOff", "10");
        ((ObjectNode) draft.at("/triggers/birthday/voucher")).remove("percentOff");
        ((ObjectNode) draft.at("/triggers/winBack/steps/1")).put("after", "P30D");

        assertThat(ProgrammeJson.violations(draft, Set.of())).extracting(FieldViolation::field).containsExactly(
                "$.triggers.delayApology.voucher",
                "$.triggers.birthday.voucher",
                "$.triggers.winBack.steps[1].after");
    }

    @Test
    void aRewardGivesAVoucherOrAPartnerCodeAndNamesOnlyTiersAndCurrenciesOfItsProgramme() {
        ObjectNode draft = ProgrammeJson.initialTree().deepCopy();
        ArrayNode rewards = draft.putArray("rewards");
        ObjectNode fine = rewards.addObject().put("id", "ten-off").put("name", "10 EUR off").put("price", 1000)
                .put("stock", 10);
        fine.putObject("voucher").put("validFor", "P30D").putObject("value").put("EUR", "10.00");
        fine.putObject("perCustomer").put("count", 1).put("period", "MONTH");
        ObjectNode both = rewards.addObject().put("id", "ten-off").put("name", "Both").put("price", 10)
                .put("minimumTier", "platinum");
        both.putObject("voucher").put("validFor", "P30D").put("freeShipping", true)
                .putObject("maximumDiscount").put("EUR", "5.00");
        ObjectNode late = rewards.addObject().put("id", "tickets").put("name", "Tickets").put("price", 500);
        late.putObject("partner").put("poolId", "tickets").put("text", "Your ticket").put("validFor", "P7D");
        late.putObject("available").put("from", "2027-01-02T00:00:00Z").put("until", "2027-01-01T00:00:00Z");
        ObjectNode yen = rewards.addObject().put("id", "percent").put("name", "15 %").put("price", 800);
        yen.putObject("voucher").put("validFor", "P30D").put("percentOff", "15")
                .putObject("maximumDiscount").put("JPY", "500");

        assertThat(ProgrammeJson.violations(draft, Set.of())).extracting(FieldViolation::field)
                .containsExactlyInAnyOrder(
                        "$.rewards[1].id",
                        "$.rewards[1].minimumTier",
                        "$.rewards[1].voucher.maximumDiscount",
                        "$.rewards[2].available.until",
                        "$.rewards[3].voucher.maximumDiscount.JPY");
        assertThat(ProgrammeJson.read(draft).reward("ten-off").orElseThrow().kind())
                .isEqualTo(ProgrammeDocument.Reward.Kind.FIXED_VOUCHER);
        // A voucher and a partner code at once is refused by the schema already.
        both.putObject("partner").put("poolId", "tickets").put("text", "Your ticket");
        assertThat(ProgrammeJson.violations(draft, Set.of())).extracting(FieldViolation::field)
                .containsExactly("$.rewards[1]");
    }

    @Test
    void aRuleMayOnlyNameTiersAndCurrenciesOfItsProgramme() {
        ObjectNode draft = ProgrammeJson.initialTree().deepCopy();
        ObjectNode rule = ((ArrayNode) draft.at("/earning/rules")).addObject();
        rule.put("id", "platinum-bonus").put("name", "Platinum bonus");
        rule.putObject("effect").put("type", "FIXED_PER_ORDER").put("value", "100");
        ObjectNode when = rule.putObject("when");
        when.putArray("tiers").add("gold").add("platinum");
        when.putObject("minimumOrderValue").put("SEK", "100.00");

        assertThat(ProgrammeJson.violations(draft, Set.of())).extracting(FieldViolation::field).containsExactly(
                "$.earning.rules[0].when.tiers[1]",
                "$.earning.rules[0].when.minimumOrderValue.SEK");
    }
}
