package dev.retention.console.view;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.qute.EngineConfiguration;
import io.quarkus.qute.EvalContext;
import io.quarkus.qute.ValueResolver;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Lets templates read the services' JSON answers as they come: {@code {entry.points}}, {@code {#for e in page.entries}}.
 * Scalars become Java values (text, numbers as {@code BigDecimal}, booleans), objects and arrays stay nodes; a member
 * the answer lacks, or holds as null, is null.
 */
@EngineConfiguration
public class JsonValues implements ValueResolver {

    @Override
    public int getPriority() {
        return io.quarkus.qute.WithPriority.DEFAULT_PRIORITY + 10;
    }

    @Override
    public boolean appliesTo(EvalContext context) {
        return context.getBase() instanceof JsonNode;
    }

    @Override
    public CompletionStage<Object> resolve(EvalContext context) {
        JsonNode node = (JsonNode) context.getBase();
        String name = context.getName();
        if (name.equals("get") && context.getParams().size() == 1) {
            return context.evaluate(context.getParams().get(0)).thenApply(key -> key instanceof Number index
                    ? Json.value(node.get(index.intValue())) : Json.value(node.get(String.valueOf(key))));
        }
        if (node.isArray() || node.isObject()) {
            switch (name) {
                case "size":
                    return CompletableFuture.completedFuture(node.size());
                case "isEmpty":
                    return CompletableFuture.completedFuture(node.isEmpty());
                case "fields":
                    return CompletableFuture.completedFuture(Json.entries(node));
                default:
                    break;
            }
        }
        return CompletableFuture.completedFuture(Json.value(node.get(name)));
    }
}
