package dev.retention.console.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A simulation's figures, in force against the draft, key by key. */
class ComparisonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyKeyOfEitherSideIsARowAndAMissingSideCountsZero() throws Exception {
        JsonNode inForce = JSON.readTree("{\"base\": 1200, \"birthday\": 300.5, \"retired\": 40}");
        JsonNode draft = JSON.readTree("{\"base\": 1500, \"birthday\": \"250.25\", \"weekend\": 90}");

        Comparison comparison = Comparison.of(inForce, draft);

        assertThat(comparison.keys()).containsExactly("base", "birthday", "retired", "weekend");
        assertThat(comparison.rows().get(0).difference()).isEqualByComparingTo("300");
        assertThat(comparison.rows().get(1).draft()).isEqualByComparingTo("250.25");
        assertThat(comparison.rows().get(1).difference()).isEqualByComparingTo("-50.25");
        assertThat(comparison.rows().get(2).draft()).isEqualByComparingTo("0");
        assertThat(comparison.rows().get(2).difference()).isEqualByComparingTo("-40");
        assertThat(comparison.rows().get(3).inForce()).isEqualByComparingTo("0");
        assertThat(comparison.rows().get(3).difference()).isEqualByComparingTo("90");
        assertThat(comparison.inForceValues()).containsExactly(1200.0, 300.5, 40.0, 0.0);
        assertThat(comparison.draftValues()).containsExactly(1500.0, 250.25, 0.0, 90.0);
    }

    @Test
    void nullsAndTextThatIsNoNumberCountZero() throws Exception {
        Comparison comparison = Comparison.of(JSON.readTree("{\"a\": null, \"b\": \"n/a\"}"),
                JSON.readTree("{\"a\": 3, \"b\": 2}"));

        assertThat(comparison.rows()).extracting(Comparison.Row::difference)
                .usingElementComparator(java.math.BigDecimal::compareTo)
                .containsExactly(new java.math.BigDecimal(3), new java.math.BigDecimal(2));
    }

    @Test
    void twoEmptySidesHaveNoRows() throws Exception {
        assertThat(Comparison.of(JSON.readTree("{}"), JSON.readTree("{}")).rows()).isEmpty();
    }
}
