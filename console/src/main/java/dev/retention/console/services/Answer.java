package dev.retention.console.services;

import com.fasterxml.jackson.databind.JsonNode;

/** A service's answer: its status and JSON body; a refusal also as a {@link Problem}. */
public record Answer(int status, JsonNode body, Problem problem) {

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    public boolean notFound() {
        return status == 404;
    }
}
