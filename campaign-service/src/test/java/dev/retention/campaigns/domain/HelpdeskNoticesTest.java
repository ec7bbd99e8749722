package dev.retention.campaigns.domain;

import dev.retention.contracts.events.FeedbackChannel;
import dev.retention.contracts.events.ServiceRecoveryRequested;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What the helpdesk hears: detractors only, the comment only where the shop allows it, never an empty comment. */
class HelpdeskNoticesTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    @Property(tries = 300)
    void anAnswerNotifiesTheHelpdeskOfDetractorsOnlyWithTheCommentOnlyWhereAllowed(
            @ForAll @IntRange(min = 0, max = 10) int score, @ForAll("comments") Optional<String> comment,
            @ForAll boolean commentsAllowed) {
        FeedbackAnswer answer = new FeedbackAnswer("c-1", "o-1", score, comment.orElse(null), FeedbackChannel.WEB,
                NOW, "e-1");

        Optional<ServiceRecoveryRequested> notice = HelpdeskNotices.onAnswer(answer, commentsAllowed, NOW);

        assertThat(notice.isPresent()).isEqualTo(score <= 6);
        notice.ifPresent(n -> {
            assertThat(n.orderId()).isEqualTo("o-1");
            assertThat(n.score()).isEqualTo(score);
            assertThat(n.requestedAt()).isEqualTo(NOW);
            assertThat(n.comment()).isEqualTo(commentsAllowed ? answer.comment() : null);
        });
    }

    @Property(tries = 300)
    void aLaterCommentReachesTheHelpdeskOnlyForADetractorWhereCommentsAreAllowed(
            @ForAll @IntRange(min = 0, max = 10) int score, @ForAll("comments") Optional<String> comment,
            @ForAll boolean commentsAllowed) {
        Optional<ServiceRecoveryRequested> notice = HelpdeskNotices.onLaterComment("o-1", score,
                comment.orElse(null), commentsAllowed, NOW);

        boolean expected = score <= 6 && commentsAllowed && comment.filter(c -> !c.isBlank()).isPresent();
        assertThat(notice.isPresent()).isEqualTo(expected);
        notice.ifPresent(n -> assertThat(n.comment()).isEqualTo(comment.orElseThrow()));
    }

    @Provide
    Arbitrary<Optional<String>> comments() {
        return Arbitraries.oneOf(Arbitraries.just(Optional.empty()), Arbitraries.of(" ", "\t").map(Optional::of),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(40).map(Optional::of));
    }
}
