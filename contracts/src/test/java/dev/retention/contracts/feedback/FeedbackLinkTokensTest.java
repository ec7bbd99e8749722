package dev.retention.contracts.feedback;

import dev.retention.contracts.feedback.FeedbackLinkTokens.Expired;
import dev.retention.contracts.feedback.FeedbackLinkTokens.Invalid;
import dev.retention.contracts.feedback.FeedbackLinkTokens.Valid;
import dev.retention.contracts.feedback.FeedbackLinkTokens.Verdict;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FeedbackLinkTokensTest {

    private static final String SECRET = "feedback-secret-0123456789";
    private static final String OTHER_SECRET = "another-secret-9876543210";
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    private final FeedbackLinkTokens tokens = new FeedbackLinkTokens(SECRET, null);

    @Provide
    Arbitrary<String> triggerIds() {
        return Arbitraries.strings().withCharRange('!', '~').withChars("äöü€:.").ofMinLength(1).ofMaxLength(120);
    }

    @Property
    void aTokenVerifiesToItsTriggerUntilItExpires(@ForAll("triggerIds") String triggerId,
                                                  @ForAll @LongRange(min = 1, max = 400 * 86400L) long validSeconds,
                                                  @ForAll @LongRange(min = 0, max = 800 * 86400L) long elapsed) {
        Instant expiresAt = NOW.plusSeconds(validSeconds);
        String token = tokens.issue(triggerId, expiresAt);

        Verdict verdict = tokens.verify(token, NOW.plusSeconds(elapsed));

        if (elapsed < validSeconds) {
            assertThat(verdict).isEqualTo(new Valid(triggerId, expiresAt));
        } else {
            assertThat(verdict).isEqualTo(new Expired(triggerId, expiresAt));
        }
    }

    @Property
    void anyChangedCharacterMakesTheTokenInvalid(@ForAll("triggerIds") String triggerId,
                                                 @ForAll @IntRange(min = 0, max = 10_000) int position,
                                                 @ForAll @IntRange(min = 1, max = 63) int shift) {
        String token = tokens.issue(triggerId, NOW.plusSeconds(86400));
        int at = position % token.length();
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char original = token.charAt(at);
        int index = alphabet.indexOf(original);
        char replaced = index < 0 ? 'A' : alphabet.charAt((index + shift) % alphabet.length());
        String tampered = token.substring(0, at) + replaced + token.substring(at + 1);

        Verdict verdict = tokens.verify(tampered, NOW);

        // A base64 character's last bits may be padding the decoder ignores: then the token still names the same
        // trigger and expiry, which is no forgery.
        if (verdict instanceof Valid valid) {
            assertThat(valid.triggerId()).isEqualTo(triggerId);
        } else {
            assertThat(verdict).isInstanceOf(Invalid.class);
        }
    }

    @Property
    void aTokenForAnotherTriggerCannotBeMadeWithoutTheSecret(@ForAll("triggerIds") String triggerId,
                                                            @ForAll("triggerIds") String otherTriggerId) {
        String token = tokens.issue(triggerId, NOW.plusSeconds(86400));
        String signature = token.substring(token.indexOf('.') + 1);
        String forgedPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ((NOW.getEpochSecond() + 86400) + ":" + otherTriggerId).getBytes(StandardCharsets.UTF_8));

        Verdict verdict = tokens.verify(forgedPayload + "." + signature, NOW);

        if (!otherTriggerId.equals(triggerId)) {
            assertThat(verdict).isInstanceOf(Invalid.class);
        }
    }

    @Property
    void extendingTheExpiryInvalidatesTheToken(@ForAll("triggerIds") String triggerId,
                                               @ForAll @LongRange(min = 1, max = 100_000_000L) long extension) {
        Instant expiresAt = NOW.minusSeconds(60);
        String token = tokens.issue(triggerId, expiresAt);
        String signature = token.substring(token.indexOf('.') + 1);
        String extended = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ((expiresAt.getEpochSecond() + extension) + ":" + triggerId).getBytes(StandardCharsets.UTF_8));

        assertThat(tokens.verify(extended + "." + signature, NOW)).isInstanceOf(Invalid.class);
    }

    @Property
    void arbitraryStringsAreNeverValid(@ForAll String anything) {
        assertThat(tokens.verify(anything, NOW)).isInstanceOf(Invalid.class);
    }

    @Test
    void aPreviousSecretStaysAcceptedAfterRotationAndAnUnknownOneIsNot() {
        String oldToken = new FeedbackLinkTokens(OTHER_SECRET, null).issue("t-1", NOW.plusSeconds(3600));

        assertThat(new FeedbackLinkTokens(SECRET, OTHER_SECRET).verify(oldToken, NOW))
                .isEqualTo(new Valid("t-1", Instant.ofEpochSecond(NOW.getEpochSecond() + 3600)));
        assertThat(tokens.verify(oldToken, NOW)).isInstanceOf(Invalid.class);
    }

    @Test
    void theTokenCarriesNoMoreThanTheTriggerIdAndTheExpiry() {
        String token = tokens.issue("t-42", Instant.ofEpochSecond(1_800_000_000L));
        String payload = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
                StandardCharsets.UTF_8);

        assertThat(payload).isEqualTo("1800000000:t-42");
        assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    }

    @Test
    void aShortSecretIsRefused() {
        assertThatThrownBy(() -> new FeedbackLinkTokens("short", null)).isInstanceOf(IllegalArgumentException.class);
    }
}
