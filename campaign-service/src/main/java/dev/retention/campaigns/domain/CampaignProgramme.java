package dev.retention.campaigns.domain;

import dev.retention.contracts.programme.ProgrammeDocument;

import java.time.ZoneId;

/**
 * What campaign-service takes from one programme version: the triggers' settings, the guards and the
 * recommendations. The operational settings (the default time zone of customers, the holdout salt) are not programme
 * data: they come from application.properties and are the same for every version.
 */
public record CampaignProgramme(CampaignPolicy policy, TriggerGuards guards, RecommendationPolicy recommendations) {

    /** A programme without recommendations (the baseline of application.properties). */
    public CampaignProgramme(CampaignPolicy policy, TriggerGuards guards) {
        this(policy, guards, RecommendationPolicy.DISABLED);
    }

    /** @throws IllegalArgumentException naming the part of the document campaign-service cannot apply */
    public static CampaignProgramme from(ProgrammeDocument document, ZoneId defaultZone, String holdoutSalt) {
        return new CampaignProgramme(CampaignPolicy.from(document, defaultZone),
                TriggerGuards.from(document, holdoutSalt), RecommendationPolicy.from(document.recommendations()));
    }
}
