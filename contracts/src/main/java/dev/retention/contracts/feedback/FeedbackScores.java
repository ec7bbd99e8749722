package dev.retention.contracts.feedback;

/**
 * The Net Promoter classes of a 0-10 answer: detractors (0-6) start service recovery, promoters (9-10) are invited
 * to refer a friend, passives (7-8) get the points only. Points never depend on the class, so answers stay honest.
 */
public enum FeedbackScores {
    DETRACTOR, PASSIVE, PROMOTER;

    public static final int MIN = 0;
    public static final int MAX = 10;

    public static FeedbackScores of(int score) {
        if (score < MIN || score > MAX) {
            throw new IllegalArgumentException("a feedback score is 0 to 10, not " + score);
        }
        return score <= 6 ? DETRACTOR : score <= 8 ? PASSIVE : PROMOTER;
    }
}
