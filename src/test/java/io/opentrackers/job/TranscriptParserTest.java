package io.opentrackers.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentrackers.common.InvalidInputException;
import io.opentrackers.job.TranscriptParser.Cue;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TranscriptParserTest {

    @Test
    void bodiesAreDecodedInTheirCharsetAndInvalidBytesAreRefusedWithTheirLine() {
        String vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nNaïve café\n";
        assertThat(TranscriptParser.text(vtt.getBytes(StandardCharsets.UTF_16), StandardCharsets.UTF_16)).isEqualTo(vtt);
        assertThat(TranscriptParser.text(vtt.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1))
                .isEqualTo(vtt);
        assertThatThrownBy(() -> TranscriptParser.text(vtt.getBytes(StandardCharsets.ISO_8859_1),
                StandardCharsets.UTF_8))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("body: line 4 is not valid UTF-8 text (byte 41)");
        assertThatThrownBy(() -> TranscriptParser.text(new byte[0], StandardCharsets.UTF_8))
                .hasMessage("body: is required: send the transcript as the request body");
    }

    @Test
    void webVttWithShortTimesVoiceClassesMultiLineCuesAndWindowsLineEnds() {
        String vtt = "\uFEFFWEBVTT - exported\r\n\r\nSTYLE\r\n::cue { color: red }\r\n\r\n"
                + "1\r\n01:02.500 --> 01:04.000\r\n<v.loud Ann>We need\r\nthe <b>price</b> today</v>\r\n\r\n"
                + "00:01:05.000 --> 00:01:06.000\r\n<c.yellow>no speaker here</c>\r\n";
        assertThat(TranscriptParser.vtt(vtt)).containsExactly(
                new Cue(Duration.ofMillis(62_500), Duration.ofSeconds(64), "Ann", "We need the price today"),
                new Cue(Duration.ofSeconds(65), Duration.ofSeconds(66), null, "no speaker here"));
    }

    @Test
    void srtWithNamePrefixesAndEmptyCuesSkipped() {
        String srt = """
                1
                00:00:01,000 --> 00:00:02,000
                Dr. Lee: Hello there.

                2
                00:00:03,000 --> 00:00:04,000
                <i></i>

                3
                00:00:05,000 --> 00:00:06,000
                12:30 works for me
                """;
        List<Cue> cues = TranscriptParser.srt(srt);
        assertThat(cues).containsExactly(
                new Cue(Duration.ofSeconds(1), Duration.ofSeconds(2), "Dr. Lee", "Hello there."),
                new Cue(Duration.ofSeconds(5), Duration.ofSeconds(6), null, "12:30 works for me"));
    }

    @Test
    void malformedTranscriptsAreRefusedWithTheLine() {
        assertThatThrownBy(() -> TranscriptParser.srt("1\n00:00:01,000 -> 00:00:02,000\nhi\n"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("line 1");
        assertThatThrownBy(() -> TranscriptParser.srt("1\n00:00:05,000 --> 00:00:02,000\nhi\n"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("ends before it starts");
        assertThatThrownBy(() -> TranscriptParser.vtt("WEBVTT\n\nNOTE nothing else\n"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("no cue with text");
        assertThatThrownBy(() -> TranscriptParser.srt(""))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("no cue with text");
        // minutes and seconds run to 59: "00:99:01.000" is a typo, which was read as 1 h 39 min 1 s
        assertThatThrownBy(() -> TranscriptParser.vtt("WEBVTT\n\n00:99:01.000 --> 00:99:04.000\nhello\n"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("line 3");
        assertThatThrownBy(() -> TranscriptParser.vtt("WEBVTT\n\n00:61.500 --> 01:02.000\nhello\n"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("line 3");
        assertThatThrownBy(() -> TranscriptParser.srt("1\n00:00:60,000 --> 00:01:02,000\nhi\n"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("expected a cue timing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1234567890", "12345678901234567890", "100000"})
    void hoursBeyondTheLimitAreRefusedNamingTheCue(String hours) {
        String vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nfirst\n\n" + hours + ":00:01.000 --> "
                + hours + ":00:02.000\nsecond\n";
        assertThatThrownBy(() -> TranscriptParser.vtt(vtt))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("line 6: cue 2 has the time '" + hours + ":00:01.000'")
                .hasMessageContaining("more than 99999 hours");
        String srt = "1\n00:00:01,000 --> 00:00:02,000\nfirst\n\n2\n00:00:03,000 --> " + hours
                + ":00:02,000\nsecond\n";
        assertThatThrownBy(() -> TranscriptParser.srt(srt))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("line 6: cue 2 has the time '" + hours + ":00:02,000'");
    }

    @Test
    void theLastHourBeforeTheLimitIsAccepted() {
        assertThat(TranscriptParser.srt("1\n99999:59:59,999 --> 99999:59:59,999\nlate\n"))
                .containsExactly(new Cue(Duration.ofHours(99_999).plusMillis(3_599_999),
                        Duration.ofHours(99_999).plusMillis(3_599_999), null, "late"));
    }

    // The scanners replaced these regular expressions (quadratic on adversarial cues); on every input that is
    // not adversarial for them they are the reference the scanners must agree with.
    private static final Pattern VTT_TIMING = Pattern.compile(
            "^((?:\\d+:)?\\d{1,2}:\\d{2}\\.\\d{3})\\s+-->\\s+((?:\\d+:)?\\d{1,2}:\\d{2}\\.\\d{3})(?:\\s.*)?$");
    private static final Pattern SRT_TIMING = Pattern.compile(
            "^(\\d+:\\d{2}:\\d{2}[,.]\\d{3})\\s+-->\\s+(\\d+:\\d{2}:\\d{2}[,.]\\d{3})(?:\\s.*)?$");
    private static final Pattern VOICE = Pattern.compile("<v(?:\\.[^\\s>]+)*\\s+([^>]+)>");
    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final Pattern NAME_PREFIX = Pattern.compile(
            "^([\\p{L}][\\p{L}\\p{N}'.\\-]*(?: [\\p{L}\\p{N}'.\\-]+){0,4}):\\s+(.+)$");

    /** Pieces that make voice tags, other tags, entities, name prefixes and whitespace likely to meet. */
    private static final String[] CUE_PIECES = {"<v", "<v.", "<", ">", "v", ".", "a", "Ann", "é", "Lee", " ", " ",
            "\t", "\u000B", "\f", "\u00A0", "\u0001", ":", ": ", "1", "²", "'", "-", "&amp;", "&lt;", "&gt;",
            "&nbsp;", "&lrm;", "&", "b", "</v>", "<i>", "\uD83D\uDE00"};

    @Test
    void cueTextGivesTheResultsOfTheFormerRegularExpressions() {
        Random random = new Random(20);
        for (int n = 0; n < 50_000; n++) {
            String line = pieces(random, CUE_PIECES, 1 + random.nextInt(12));
            if (random.nextInt(5) == 0) {
                line += "\n" + pieces(random, CUE_PIECES, 1 + random.nextInt(6));
            }
            String body = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n" + line + "\n";
            if (body.lines().skip(2).anyMatch(String::isBlank)) {
                continue; // a blank line would end the cue: not the cue text this test is about
            }
            String content = String.join(" ", body.lines().skip(3).map(String::trim).toList());
            Cue expected = referenceCue(content);
            String shown = line.replace("\n", "\\n");
            if (expected == null) {
                assertThatThrownBy(() -> TranscriptParser.vtt(body)).as(shown).hasMessageContaining("no cue with text");
            } else {
                assertThat(TranscriptParser.vtt(body)).as(shown).containsExactly(expected);
            }
        }
    }

    private static Cue referenceCue(String raw) {
        String speaker = null;
        Matcher voice = VOICE.matcher(raw);
        if (voice.find()) {
            speaker = voice.group(1).trim();
        }
        String text = TAG.matcher(raw).replaceAll("").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&nbsp;", " ").replace("&lrm;", "").replace("&rlm;", "").replace("&amp;", "&")
                .replaceAll("\\s+", " ").trim();
        if (speaker == null) {
            Matcher prefix = NAME_PREFIX.matcher(text);
            if (prefix.matches()) {
                speaker = prefix.group(1);
                text = prefix.group(2).trim();
            }
        }
        return text.isEmpty() ? null : new Cue(Duration.ofSeconds(1), Duration.ofSeconds(2), speaker, text);
    }

    private static final String[] TIMING_PIECES = {"0", "1", "9", "12", "59", "123", ":", ".", ",", " ", "\t",
            "-->", "--", ">", "a", "00:00:01.000", "00:01,500", "1:02:03.004", " --> "};

    @Test
    void timingLinesGiveTheResultsOfTheFormerRegularExpressions() {
        Random random = new Random(21);
        for (int n = 0; n < 50_000; n++) {
            String line = pieces(random, TIMING_PIECES, 1 + random.nextInt(10));
            if (line.isBlank()) {
                continue;
            }
            boolean vtt = random.nextBoolean();
            String body = (vtt ? "WEBVTT\n\n" : "") + line + "\nhello\n";
            String expected = referenceTiming(line, vtt ? VTT_TIMING : SRT_TIMING);
            String actual;
            try {
                Cue cue = (vtt ? TranscriptParser.vtt(body) : TranscriptParser.srt(body)).get(0);
                actual = cue.start().toMillis() + "/" + cue.end().toMillis();
            } catch (InvalidInputException e) {
                actual = e.getMessage().contains("expected a cue timing") ? "not a timing"
                        : e.getMessage().contains("ends before it starts") ? "ends before it starts"
                        : e.getMessage().contains("hours into the recording") ? "beyond the hour limit"
                        : e.getMessage();
            }
            assertThat(actual).as((vtt ? "vtt " : "srt ") + line).isEqualTo(expected);
        }
    }

    private static String referenceTiming(String line, Pattern timing) {
        Matcher match = timing.matcher(line.trim());
        if (!match.matches()) {
            return "not a timing";
        }
        long[] start = referenceTime(match.group(1));
        long[] end = referenceTime(match.group(2));
        // read in order, start then end, as the parser does: a minute or second past 59 is no time of the format
        for (long[] time : new long[][] {start, end}) {
            if (time == null) {
                return "beyond the hour limit";
            }
            if (time.length == 0) {
                return "not a timing";
            }
        }
        return end[0] < start[0] ? "ends before it starts" : start[0] + "/" + end[0];
    }

    /**
     * {milliseconds}; {} when its minutes or seconds are past 59 (not a time); null when the hours exceed the parser's
     * limit.
     */
    private static long[] referenceTime(String value) {
        String[] parts = value.replace(',', '.').split(":");
        int n = parts.length;
        String[] seconds = parts[n - 1].split("\\.");
        if (Long.parseLong(parts[n - 2]) > 59 || Long.parseLong(seconds[0]) > 59) {
            return new long[0];
        }
        BigInteger hours = n == 3 ? new BigInteger(parts[0]) : BigInteger.ZERO;
        if (hours.compareTo(BigInteger.valueOf(TranscriptParser.MAX_HOURS)) > 0) {
            return null;
        }
        return new long[] {Duration.ofHours(hours.longValue()).plusMinutes(Long.parseLong(parts[n - 2]))
                .plusSeconds(Long.parseLong(seconds[0])).plusMillis(Long.parseLong(seconds[1])).toMillis()};
    }

    private static String pieces(Random random, String[] pieces, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        return text.toString();
    }
}
