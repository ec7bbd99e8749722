package dev.retention.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** Renders a Kustomize directory with {@code kubectl kustomize}, as an operator does before applying it. */
final class Kustomize {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Kustomize() {
    }

    static List<JsonNode> render(Path directory) {
        Process kubectl;
        try {
            kubectl = new ProcessBuilder("kubectl", "kustomize", directory.toString()).redirectErrorStream(false).start();
        } catch (IOException e) {
            throw new AssertionError("These tests render deploy/k8s with 'kubectl kustomize' and no kubectl is on the PATH."
                    + " Install kubectl 1.27 or later (it brings kustomize 5), e.g. from https://kubernetes.io/docs/tasks/tools/,"
                    + " and run the build again.", e);
        }
        try {
            byte[] out = kubectl.getInputStream().readAllBytes();
            String err = new String(kubectl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!kubectl.waitFor(2, TimeUnit.MINUTES) || kubectl.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + directory + " failed: " + err);
            }
            List<JsonNode> documents = new ArrayList<>();
            try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(out)) {
                while (it.hasNext()) {
                    JsonNode document = it.next();
                    if (document != null && !document.isNull() && !document.isMissingNode()) {
                        documents.add(document);
                    }
                }
            }
            return documents;
        } catch (IOException e) {
            throw new AssertionError("could not read what kubectl kustomize " + directory + " rendered", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
