package io.opentrackers.matching;

/** A sentence or clause of a message: [start, end) character positions in the message text. */
record Span(int start, int end) {

    String of(String text) {
        return text.substring(start, end);
    }
}
