package dev.retention.eventing;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The kit depends on Micrometer's API alone (each service brings its Prometheus registry); without a registry the
 * meters count nothing. The kit's tests read them from this one.
 */
public class TestMeterRegistry {

    @Produces
    @Singleton
    MeterRegistry simple() {
        return new SimpleMeterRegistry();
    }
}
