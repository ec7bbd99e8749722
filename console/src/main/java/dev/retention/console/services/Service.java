package dev.retention.console.services;

import java.util.Locale;

/** The platform's services whose APIs the console calls. */
public enum Service {
    POINTS("points-service"), TIERS("tier-service"), CAMPAIGNS("campaign-service"),
    NOTIFICATIONS("notification-service"), PROGRAMME("programme-service"), INSIGHTS("insights-service");

    private final String serviceName;

    Service(String serviceName) {
        this.serviceName = serviceName;
    }

    /** The name operators know it by (deployments, logs, the runbook). */
    public String serviceName() {
        return serviceName;
    }

    @Override
    public String toString() {
        return serviceName.toLowerCase(Locale.ROOT);
    }
}
