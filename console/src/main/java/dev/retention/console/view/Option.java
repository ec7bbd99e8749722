package dev.retention.console.view;

/** A choice in a form: the value sent and the label shown. */
public record Option(String value, String label) {
}
