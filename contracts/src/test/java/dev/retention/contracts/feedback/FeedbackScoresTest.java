package dev.retention.contracts.feedback;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FeedbackScoresTest {

    @Property
    void zeroToSixDetractsSevenAndEightArePassiveNineAndTenPromote(@ForAll @IntRange(min = 0, max = 10) int score) {
        FeedbackScores expected = score <= 6 ? FeedbackScores.DETRACTOR
                : score >= 9 ? FeedbackScores.PROMOTER : FeedbackScores.PASSIVE;

        assertThat(FeedbackScores.of(score)).isEqualTo(expected);
    }

    @Property
    void aHigherScoreNeverFallsIntoALowerClass(@ForAll @IntRange(min = 0, max = 9) int score) {
        assertThat(FeedbackScores.of(score + 1).ordinal()).isGreaterThanOrEqualTo(FeedbackScores.of(score).ordinal());
    }

    @Property
    void scoresOutsideZeroToTenAreRefused(@ForAll int score) {
        if (score >= 0 && score <= 10) {
            return;
        }
        assertThatThrownBy(() -> FeedbackScores.of(score)).isInstanceOf(IllegalArgumentException.class);
    }
}
