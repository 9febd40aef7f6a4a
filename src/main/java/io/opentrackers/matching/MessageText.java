package io.opentrackers.matching;

/** A message to track: its id (unique within one matching call) and its text. */
public record MessageText(String id, String text) {
}
