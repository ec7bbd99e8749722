package dev.retention.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The AsyncAPI document is the analysts' map: it must list every topic and event type the code knows. */
class AsyncApiDocumentTest {

    private final JsonNode document = load();

    @Test
    void everyTopicIsAChannel() {
        Set<String> addresses = new HashSet<>();
        document.get("channels").forEach(channel -> addresses.add(channel.get("address").asText()));

        assertThat(addresses).containsAll(Topics.INPUT).containsAll(Topics.OUTPUT);
    }

    @Test
    void everyEventTypeIsListedOnItsTopicWithItsSchema() {
        for (EventType type : EventType.values()) {
            JsonNode message = document.at("/components/messages/" + type.wireName().replace('.', '-'));
            assertThat(message.isMissingNode()).as(type.wireName()).isFalse();
            assertThat(message.get("payload").get("$ref").asText()).isEqualTo(type.schemaResource());
            assertThat(getClass().getClassLoader().getResource(type.schemaResource())).as(type.schemaResource())
                    .isNotNull();
            assertThat(channelOf(type.topic()).get("messages").has(type.wireName().replace('.', '-')))
                    .as(type.wireName() + " on " + type.topic()).isTrue();
        }
    }

    @Test
    void everyChannelNamesItsProducerAndConsumers() {
        List<String> incomplete = new ArrayList<>();
        document.get("channels").fields().forEachRemaining(entry -> {
            if (!entry.getKey().equals("dead-letters")
                    && (!entry.getValue().has("x-producer") || entry.getValue().get("x-consumers").isEmpty())) {
                incomplete.add(entry.getKey());
            }
        });

        assertThat(incomplete).isEmpty();
    }

    @Test
    void aServiceThatAlsoWritesAChannelNamesOnlyMessagesOfThatChannelAndSendsThem() {
        List<String> wrong = new ArrayList<>();
        document.get("channels").fields().forEachRemaining(channel -> channel.getValue().path("x-also-produced-by")
                .fields().forEachRemaining(writer -> {
                    for (JsonNode type : writer.getValue()) {
                        String message = type.asText().replace('.', '-');
                        if (!channel.getValue().get("messages").has(message)) {
                            wrong.add(writer.getKey() + " writes " + type.asText() + ", not a message of "
                                    + channel.getKey());
                        }
                        if (!sends(writer.getKey(), channel.getKey(), message)) {
                            wrong.add(writer.getKey() + " has no send operation of " + type.asText() + " on "
                                    + channel.getKey());
                        }
                    }
                }));

        assertThat(document.at("/channels/customers/x-also-produced-by/notification-service").isArray()).isTrue();
        assertThat(wrong).isEmpty();
    }

    /** Whether an operation named after the service sends exactly this message of the channel. */
    private boolean sends(String service, String channel, String message) {
        String channelRef = "#/channels/" + channel;
        String messageRef = channelRef + "/messages/" + message;
        List<JsonNode> matching = new ArrayList<>();
        document.get("operations").fields().forEachRemaining(operation -> {
            JsonNode value = operation.getValue();
            if (operation.getKey().startsWith(service + "-sends-") && value.path("action").asText().equals("send")
                    && value.path("channel").path("$ref").asText().equals(channelRef)) {
                matching.add(value);
            }
        });
        return matching.stream().anyMatch(operation -> {
            Set<String> refs = new HashSet<>();
            operation.path("messages").forEach(m -> refs.add(m.path("$ref").asText()));
            return refs.equals(Set.of(messageRef));
        });
    }

    private JsonNode channelOf(String topic) {
        for (JsonNode channel : document.get("channels")) {
            if (channel.get("address").asText().equals(topic)) {
                return channel;
            }
        }
        throw new AssertionError("no channel for " + topic);
    }

    private static JsonNode load() {
        try (InputStream in = AsyncApiDocumentTest.class.getClassLoader().getResourceAsStream("asyncapi.yaml")) {
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
