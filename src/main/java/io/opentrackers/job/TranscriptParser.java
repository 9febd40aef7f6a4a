package io.opentrackers.job;

import io.opentrackers.common.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.CoderResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Reads WebVTT and SRT transcripts into cues with times (offsets from the start of the recording), speaker and
 * plain text. Speakers come from WebVTT voice tags ({@code <v Ann>}) or a leading {@code Name:} on the cue
 * text (both formats). Formatting tags are dropped. A malformed timing line is refused with its line number.
 * <p>
 * The body is untrusted text of up to a megabyte, so everything here is a hand-written scanner that looks at
 * each character a bounded number of times: the regular expressions this class used before backtracked, and a
 * cue made of {@code <v.a} repeated took quadratic time (36 KB held a core for 13 s).
 */
final class TranscriptParser {

    record Cue(Duration start, Duration end, String speaker, String text) {
    }

    /**
     * The largest hour a cue may start or end at, over eleven years into a recording: no real transcript comes
     * near it, and larger values are typos or attacks that would overflow the times computed from them.
     */
    static final long MAX_HOURS = 99_999;

    private TranscriptParser() {
    }

    /**
     * The body as text in {@code charset} (the Content-Type's, UTF-8 when it names none). Bytes that are not valid
     * in it are refused with their line rather than replaced: SRT files are often saved in a Windows code page, and
     * silently turning their accents into U+FFFD would store damaged text that no tracker matches.
     */
    static String text(byte[] body, Charset charset) {
        if (body == null || body.length == 0) {
            throw new InvalidInputException("body", "is required: send the transcript as the request body");
        }
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate((int) Math.ceil(body.length * (double) decoder.maxCharsPerByte()) + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                line += body[i] == '\n' ? 1 : 0;
            }
            throw new InvalidInputException("body", "line " + line + " is not valid " + charset.name() + " text (byte "
                    + (in.position() + 1) + "); save the transcript as UTF-8, or name its encoding in the Content-Type, "
                    + "for example 'application/x-subrip; charset=windows-1252'");
        }
        return out.flip().toString();
    }

    static List<Cue> vtt(String text) {
        List<String> lines = lines(text);
        if (lines.isEmpty() || !lines.get(0).startsWith("WEBVTT")) {
            throw new InvalidInputException("body", "a WebVTT file must start with the line WEBVTT");
        }
        // header lines (e.g. "Kind: captions") run until the first blank line
        return cues(lines, skipBlock(lines, 0), true);
    }

    static List<Cue> srt(String text) {
        return cues(lines(text), 0, false);
    }

    private static List<Cue> cues(List<String> lines, int from, boolean vtt) {
        List<Cue> cues = new ArrayList<>();
        int i = from;
        while (i < lines.size()) {
            if (lines.get(i).isBlank()) {
                i++;
                continue;
            }
            // a block: optional identifier (SRT's counter, VTT's cue id) or a VTT NOTE/STYLE/REGION block
            int blockStart = i;
            int cueNumber = cues.size() + 1;
            Timing timing = Timing.read(lines.get(i).trim(), vtt);
            if (timing == null && i + 1 < lines.size()) {
                timing = Timing.read(lines.get(i + 1).trim(), vtt);
                i++;
            }
            if (timing == null) {
                String first = lines.get(blockStart).trim();
                if (vtt && (first.startsWith("NOTE") || first.equals("STYLE") || first.equals("REGION"))) {
                    i = skipBlock(lines, blockStart);
                    continue;
                }
                throw new InvalidInputException("body", "line " + (blockStart + 1) + ": expected a cue timing "
                        + "such as 00:00:01" + (vtt ? "." : ",") + "000 --> 00:00:04" + (vtt ? "." : ",")
                        + "000, got '" + abbreviate(lines.get(blockStart)) + "'");
            }
            if (timing.outOfRange() != null) {
                throw new InvalidInputException("body", "line " + (i + 1) + ": cue " + cueNumber + " has the time '"
                        + abbreviate(timing.outOfRange()) + "', more than " + MAX_HOURS + " hours into the recording");
            }
            if (timing.end().compareTo(timing.start()) < 0) {
                throw new InvalidInputException("body", "line " + (i + 1) + ": the cue ends before it starts");
            }
            StringBuilder content = new StringBuilder();
            for (i++; i < lines.size() && !lines.get(i).isBlank(); i++) {
                content.append(content.isEmpty() ? "" : " ").append(lines.get(i).trim());
            }
            Cue cue = cue(timing.start(), timing.end(), content.toString());
            if (cue != null) {
                cues.add(cue);
            }
        }
        if (cues.isEmpty()) {
            throw new InvalidInputException("body", "the transcript contains no cue with text");
        }
        return cues;
    }

    private static Cue cue(Duration start, Duration end, String raw) {
        String speaker = voice(raw);
        String text = collapseSpaces(entities(stripTags(raw)));
        if (speaker == null) {
            int colon = namePrefixEnd(text);
            if (colon > 0) {
                speaker = text.substring(0, colon);
                text = text.substring(colon + 1).trim();
            }
        }
        return text.isEmpty() ? null : new Cue(start, end, speaker, text);
    }

    /**
     * A cue timing line, {@code START --> END} optionally followed by whitespace and cue settings. WebVTT times
     * are {@code [h+:]mm:ss.ttt} (minutes of one or two digits), SRT times {@code h+:mm:ss,ttt} (or with a dot).
     *
     * @param outOfRange the time whose hours exceed {@link #MAX_HOURS}, or null
     */
    private record Timing(Duration start, Duration end, String outOfRange) {

        /** The timing on {@code line}, or null when the line is not a timing line. */
        static Timing read(String line, boolean vtt) {
            Scanner scan = new Scanner(line);
            int startAt = scan.position();
            long start = scan.time(vtt);
            int startEnd = scan.position();
            if (start == Scanner.NO_TIME || !scan.skipSpaces() || !scan.skip("-->") || !scan.skipSpaces()) {
                return null;
            }
            int endAt = scan.position();
            long end = scan.time(vtt);
            if (end == Scanner.NO_TIME || !(scan.atEnd() || isSpace(scan.peek()))) {
                return null;
            }
            String outOfRange = start == Scanner.TOO_LATE ? line.substring(startAt, startEnd)
                    : end == Scanner.TOO_LATE ? line.substring(endAt, scan.position()) : null;
            return outOfRange != null ? new Timing(Duration.ZERO, Duration.ZERO, outOfRange)
                    : new Timing(Duration.ofMillis(start), Duration.ofMillis(end), null);
        }
    }

    /** A cursor over one line that reads the parts of a timing line, each character once. */
    private static final class Scanner {

        static final long NO_TIME = -1;
        static final long TOO_LATE = -2;

        private final String line;
        private int at;

        Scanner(String line) {
            this.line = line;
        }

        int position() {
            return at;
        }

        boolean atEnd() {
            return at >= line.length();
        }

        char peek() {
            return line.charAt(at);
        }

        /** Skips one or more whitespace characters; false when there is none. */
        boolean skipSpaces() {
            int from = at;
            while (!atEnd() && isSpace(peek())) {
                at++;
            }
            return at > from;
        }

        boolean skip(String literal) {
            if (!line.startsWith(literal, at)) {
                return false;
            }
            at += literal.length();
            return true;
        }

        /**
         * A time in milliseconds, {@link #NO_TIME} when the text is not a time of the format, or
         * {@link #TOO_LATE} when it is one whose hours exceed {@link #MAX_HOURS}.
         */
        long time(boolean vtt) {
            int firstFrom = at;
            long first = digits();
            int firstDigits = at - firstFrom;
            if (firstDigits == 0 || !skip(":")) {
                return NO_TIME;
            }
            int secondFrom = at;
            long second = digits();
            int secondDigits = at - secondFrom;
            long hours;
            long minutes;
            long seconds;
            if (!atEnd() && peek() == ':') {
                // hours:minutes:seconds; SRT always has this form, with two-digit minutes
                at++;
                int thirdFrom = at;
                long third = digits();
                if (secondDigits < (vtt ? 1 : 2) || secondDigits > 2 || at - thirdFrom != 2) {
                    return NO_TIME;
                }
                hours = first;
                minutes = second;
                seconds = third;
            } else {
                // minutes:seconds, WebVTT only
                if (!vtt || firstDigits > 2 || secondDigits != 2) {
                    return NO_TIME;
                }
                hours = 0;
                minutes = first;
                seconds = second;
            }
            if (atEnd() || !(peek() == '.' || (!vtt && peek() == ','))) {
                return NO_TIME;
            }
            at++;
            int millisFrom = at;
            long millis = digits();
            if (at - millisFrom != 3 || minutes > 59 || seconds > 59) {
                // "00:99:01.000" is a typo, not 1 h 39 min: taken as one, the cue moved by an hour and a half
                return NO_TIME;
            }
            if (hours > MAX_HOURS) {
                return TOO_LATE;
            }
            return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis;
        }

        /** Reads ASCII digits; the value saturates above {@link #MAX_HOURS}, however many digits there are. */
        private long digits() {
            long value = 0;
            while (!atEnd() && peek() >= '0' && peek() <= '9') {
                value = Math.min(value * 10 + (peek() - '0'), MAX_HOURS + 1);
                at++;
            }
            return value;
        }
    }

    /**
     * The annotation of the first voice tag ({@code <v Ann>}, {@code <v.loud Ann>}), trimmed, or null when there
     * is none. A voice tag is {@code <v}, optionally classes ({@code .} and at least one more character, no
     * whitespace), whitespace, then the annotation up to the first {@code >}.
     * <p>
     * Linear: candidates are visited left to right, and the next {@code >}, whitespace and non-whitespace after a
     * position are found by cursors that only move forward, so a run of unclosed {@code <v.a} costs one pass.
     */
    private static String voice(String raw) {
        int n = raw.length();
        Forward closing = new Forward(raw, c -> c == '>');
        Forward space = new Forward(raw, TranscriptParser::isSpace);
        Forward text = new Forward(raw, c -> !isSpace(c));
        for (int open = raw.indexOf("<v"); open >= 0; open = raw.indexOf("<v", open + 1)) {
            int body = open + 2;
            int close = closing.from(body);
            if (close == n) {
                return null; // no '>' from here on, so no later tag closes either
            }
            int gap = space.from(body);
            if (gap >= close) {
                continue; // no whitespace between the tag name and its '>'
            }
            boolean classes = gap == body || (raw.charAt(body) == '.' && gap - body >= 2);
            if (!classes) {
                continue; // e.g. <video ...>, <vx Ann>
            }
            int annotation = text.from(gap);
            if (annotation < close) {
                return raw.substring(annotation, close).trim();
            }
            if (close - gap >= 2) {
                return ""; // only whitespace before '>': a voice tag with an empty annotation
            }
        }
        return null;
    }

    /** The first position at or after a given one whose character passes a test, for non-decreasing positions. */
    private static final class Forward {

        private final String text;
        private final IntPredicate test;
        private int found = -1;

        Forward(String text, IntPredicate test) {
            this.text = text;
            this.test = test;
        }

        /** The first match at or after {@code position}, or the text's length when there is none. */
        int from(int position) {
            if (found < position) {
                found = position;
                while (found < text.length() && !test.test(text.charAt(found))) {
                    found++;
                }
            }
            return found;
        }
    }

    /** Drops every {@code <...>} tag; a {@code <} with no {@code >} after it is text. */
    private static String stripTags(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        int copied = 0;
        while (true) {
            int open = raw.indexOf('<', copied);
            int close = open < 0 ? -1 : raw.indexOf('>', open + 1);
            if (close < 0) {
                break;
            }
            out.append(raw, copied, open);
            copied = close + 1;
        }
        return out.append(raw, copied, raw.length()).toString();
    }

    /**
     * The position of the colon of a leading speaker name ("Ann: ...", "Dr. Ann Lee: ..."), or -1: up to five
     * words before the colon, the first starting with a letter, words made of letters, digits and {@code ' . -},
     * then whitespace and text on the same line.
     */
    private static int namePrefixEnd(String text) {
        int n = text.length();
        if (n == 0 || !Character.isLetter(text.codePointAt(0))) {
            return -1;
        }
        int at = 0;
        int extraWords = 0;
        while (true) {
            while (at < n && isNameCharacter(text.codePointAt(at))) {
                at += Character.charCount(text.codePointAt(at));
            }
            if (at >= n) {
                return -1;
            }
            char c = text.charAt(at);
            if (c == ':') {
                break;
            }
            if (c != ' ' || extraWords == 4 || at + 1 >= n || !isNameCharacter(text.codePointAt(at + 1))) {
                return -1;
            }
            extraWords++;
            at++;
        }
        int colon = at;
        if (colon + 1 >= n || !isSpace(text.charAt(colon + 1))) {
            return -1;
        }
        for (int i = colon + 1; i < n; i++) {
            if (isLineTerminator(text.charAt(i))) {
                return -1;
            }
        }
        return colon;
    }

    private static boolean isNameCharacter(int cp) {
        if (cp == '\'' || cp == '.' || cp == '-' || Character.isLetter(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER;
    }

    /** Runs of whitespace become one space; the result is trimmed. */
    private static String collapseSpaces(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean inSpace = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isSpace(c)) {
                inSpace = true;
            } else {
                if (inSpace) {
                    out.append(' ');
                    inSpace = false;
                }
                out.append(c);
            }
        }
        if (inSpace) {
            out.append(' ');
        }
        return out.toString().trim();
    }

    /** The whitespace of the cue format: space, tab, line feed, vertical tab, form feed, carriage return. */
    private static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    private static boolean isLineTerminator(char c) {
        return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }

    private static int skipBlock(List<String> lines, int i) {
        while (i < lines.size() && !lines.get(i).isBlank()) {
            i++;
        }
        return i;
    }

    private static String entities(String text) {
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", " ").replace("&lrm;", "")
                .replace("&rlm;", "").replace("&amp;", "&");
    }

    private static List<String> lines(String text) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        return body.lines().toList();
    }

    private static String abbreviate(String line) {
        return line.length() > 60 ? line.substring(0, 60) + "…" : line;
    }
}
