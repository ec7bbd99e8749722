package dev.retention.campaigns.domain;

/** An event the rules cannot apply (an order of another customer, a currency without exchange rate). */
public class CampaignRejectedException extends RuntimeException {

    public CampaignRejectedException(String message) {
        super(message);
    }
}
