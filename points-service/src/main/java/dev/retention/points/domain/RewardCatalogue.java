package dev.retention.points.domain;

import dev.retention.contracts.programme.ProgrammeDocument;
import dev.retention.contracts.programme.ProgrammeDocument.Reward;
import dev.retention.contracts.programme.ProgrammeDocument.Tier;
import dev.retention.contracts.programme.ProgrammeVersion;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * The rewards of one programme version, with what judging them needs: the tiers lowest first and the time zone the
 * per-customer limits' periods are read in. Before the programme's first version there is no catalogue
 * ({@link #NONE}, version 0).
 *
 * @param version the programme version (0: the configured baseline, which has no rewards)
 * @param tiers   tier names, lowest first
 */
public record RewardCatalogue(int version, List<Reward> rewards, List<String> tiers, ZoneId zone) {

    public static final RewardCatalogue NONE = new RewardCatalogue(0, List.of(), List.of(), ZoneId.of("UTC"));

    public RewardCatalogue {
        rewards = List.copyOf(rewards);
        tiers = List.copyOf(tiers);
    }

    public static RewardCatalogue of(ProgrammeVersion version) {
        ProgrammeDocument document = version.document();
        List<String> tiers = document.tiers() == null || document.tiers().levels() == null ? List.of()
                : document.tiers().levels().stream().map(Tier::name).toList();
        return new RewardCatalogue(version.version(), document.rewards(), tiers, zone(document.timeZone()));
    }

    private static ZoneId zone(String timeZone) {
        try {
            return timeZone == null ? ZoneId.of("UTC") : ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            return ZoneId.of("UTC"); // the programme's own checks refuse such a version before it gets here
        }
    }

    public Optional<Reward> reward(String rewardId) {
        return rewards.stream().filter(reward -> reward.id().equals(rewardId)).findFirst();
    }
}
