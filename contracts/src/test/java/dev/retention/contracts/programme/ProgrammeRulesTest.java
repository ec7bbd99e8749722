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
                "$.currencies");
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
