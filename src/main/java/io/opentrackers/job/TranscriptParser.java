package io.opentrackers.job;

import io.opentrackers.common.InvalidInputException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads WebVTT and SRT transcripts into cues with times (offsets from the start of the recording), speaker and
 * plain text. Speakers come from WebVTT voice tags ({@code <v Ann>}) or a leading {@code Name:} on the cue
 * text (both formats). Formatting tags are dropped. A malformed timing line is refused with its line number.
 */
final class TranscriptParser {

    record Cue(Duration start, Duration end, String speaker, String text) {
    }

    private static final Pattern VTT_TIMING = Pattern.compile(
            "^((?:\\d+:)?\\d{1,2}:\\d{2}\\.\\d{3})\\s+-->\\s+((?:\\d+:)?\\d{1,2}:\\d{2}\\.\\d{3})(?:\\s.*)?$");
    private static final Pattern SRT_TIMING = Pattern.compile(
            "^(\\d+:\\d{2}:\\d{2}[,.]\\d{3})\\s+-->\\s+(\\d+:\\d{2}:\\d{2}[,.]\\d{3})(?:\\s.*)?$");
    private static final Pattern VOICE = Pattern.compile("<v(?:\\.[^\\s>]+)*\\s+([^>]+)>");
    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    /** "Ann:" or "Dr. Ann Lee:" — up to five words before the colon, not starting with a digit. */
    private static final Pattern NAME_PREFIX = Pattern.compile("^([\\p{L}][\\p{L}\\p{N}'.\\-]*(?: [\\p{L}\\p{N}'.\\-]+){0,4}):\\s+(.+)$");

    private TranscriptParser() {
    }

    static List<Cue> vtt(String text) {
        List<String> lines = lines(text);
        if (lines.isEmpty() || !lines.get(0).startsWith("WEBVTT")) {
            throw new InvalidInputException("body", "a WebVTT file must start with the line WEBVTT");
        }
        // header lines (e.g. "Kind: captions") run until the first blank line
        return cues(lines, skipBlock(lines, 0), VTT_TIMING, true);
    }

    static List<Cue> srt(String text) {
        return cues(lines(text), 0, SRT_TIMING, false);
    }

    private static List<Cue> cues(List<String> lines, int from, Pattern timing, boolean vtt) {
        List<Cue> cues = new ArrayList<>();
        int i = from;
        while (i < lines.size()) {
            if (lines.get(i).isBlank()) {
                i++;
                continue;
            }
            // a block: optional identifier (SRT's counter, VTT's cue id) or a VTT NOTE/STYLE/REGION block
            int blockStart = i;
            Matcher match = timing.matcher(lines.get(i).trim());
            if (!match.matches() && i + 1 < lines.size()) {
                match = timing.matcher(lines.get(i + 1).trim());
                i++;
            }
            if (!match.matches()) {
                String first = lines.get(blockStart).trim();
                if (vtt && (first.startsWith("NOTE") || first.equals("STYLE") || first.equals("REGION"))) {
                    i = skipBlock(lines, blockStart);
                    continue;
                }
                throw new InvalidInputException("body", "line " + (blockStart + 1) + ": expected a cue timing "
                        + "such as 00:00:01" + (vtt ? "." : ",") + "000 --> 00:00:04" + (vtt ? "." : ",")
                        + "000, got '" + abbreviate(lines.get(blockStart)) + "'");
            }
            Duration start = time(match.group(1));
            Duration end = time(match.group(2));
            if (end.compareTo(start) < 0) {
                throw new InvalidInputException("body", "line " + (i + 1) + ": the cue ends before it starts");
            }
            StringBuilder content = new StringBuilder();
            for (i++; i < lines.size() && !lines.get(i).isBlank(); i++) {
                content.append(content.isEmpty() ? "" : " ").append(lines.get(i).trim());
            }
            Cue cue = cue(start, end, content.toString());
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
        String speaker = null;
        Matcher voice = VOICE.matcher(raw);
        if (voice.find()) {
            speaker = voice.group(1).trim();
        }
        String text = entities(TAG.matcher(raw).replaceAll("")).replaceAll("\\s+", " ").trim();
        if (speaker == null) {
            Matcher prefix = NAME_PREFIX.matcher(text);
            if (prefix.matches()) {
                speaker = prefix.group(1);
                text = prefix.group(2).trim();
            }
        }
        return text.isEmpty() ? null : new Cue(start, end, speaker, text);
    }

    private static int skipBlock(List<String> lines, int i) {
        while (i < lines.size() && !lines.get(i).isBlank()) {
            i++;
        }
        return i;
    }

    private static Duration time(String value) {
        String[] parts = value.replace(',', '.').split(":");
        int n = parts.length;
        long hours = n == 3 ? Long.parseLong(parts[0]) : 0;
        long minutes = Long.parseLong(parts[n - 2]);
        String[] seconds = parts[n - 1].split("\\.");
        return Duration.ofHours(hours).plusMinutes(minutes).plusSeconds(Long.parseLong(seconds[0]))
                .plusMillis(Long.parseLong(seconds[1]));
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
