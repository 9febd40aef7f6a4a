package io.opentrackers.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentrackers.common.InvalidInputException;
import io.opentrackers.job.TranscriptParser.Cue;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TranscriptParserTest {

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
    }
}
