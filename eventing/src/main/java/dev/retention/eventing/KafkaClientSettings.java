package dev.retention.eventing;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The {@code kafka.*} settings shared with the SmallRye channels (servers, security), narrowed to one client kind. */
public final class KafkaClientSettings {

    private KafkaClientSettings() {
    }

    public static Map<String, Object> forClient(Map<String, Object> sharedKafkaConfig, Set<String> clientConfigNames) {
        Map<String, Object> settings = new HashMap<>();
        sharedKafkaConfig.forEach((key, value) -> {
            if (clientConfigNames.contains(key) || key.startsWith("sasl.") || key.startsWith("ssl.")
                    || key.equals("security.protocol")) {
                settings.put(key, value);
            }
        });
        return settings;
    }
}
