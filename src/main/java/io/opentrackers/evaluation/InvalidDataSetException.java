package io.opentrackers.evaluation;

import java.util.List;

/**
 * A data set the offline commands cannot measure: a file missing, malformed or breaking the format's rules. Each
 * problem names the file, the line (of a JSONL file) or the tracker, the member and the reason; the commands report
 * them as they report a bad option ({@link OfflineCommands}: exit code 2, the problems on stderr), never as a
 * stack trace.
 */
final class InvalidDataSetException extends RuntimeException {

    /** Enough to fix a file in one go; a file broken on every line would otherwise print all of them. */
    static final int MAX_LISTED = 20;

    InvalidDataSetException(List<String> problems, int found) {
        super(describe(problems, found));
    }

    private static String describe(List<String> problems, int found) {
        StringBuilder text = new StringBuilder(found == 1 ? "The data set has a problem:"
                : "The data set has " + found + " problems:");
        problems.stream().limit(MAX_LISTED).forEach(problem -> text.append(System.lineSeparator()).append("  ")
                .append(problem));
        if (found > MAX_LISTED) {
            text.append(System.lineSeparator()).append("  ... and ").append(found - MAX_LISTED).append(" more");
        }
        return text.toString();
    }
}
