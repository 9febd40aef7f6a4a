package io.opentrackers.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.common.InvalidInputException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both transcript parsers take time linear in the body, on the inputs that made the former regular expressions
 * quadratic and on others built to hurt a scanner: a 1 MB body (the largest the service accepts) parses in well
 * under a second, and twice the input takes about twice the time. A quadratic parser cannot pass: at the measured
 * 1.5 s for 12 KB of {@code <v.a}, 512 KB would already take about 45 minutes.
 *
 * <p>Times are the parsing thread's CPU time, not the wall clock: on a loaded build machine (CI has 2 cores) the
 * thread waits for a core between time slices, which stretched single runs several-fold and once made a 1 MB parse
 * look 20 times slower than the 0.5 MB one. Waiting is not parsing; the CPU a parse uses is what grows with a
 * quadratic parser.
 */
class TranscriptParserLinearTimeTest {

    private static final int MEGABYTE = 1 << 20;
    private static final String VTT_CUE = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n";
    private static final String SRT_CUE = "1\n00:00:01,000 --> 00:00:02,000\n";

    static Stream<Arguments> adversarialBodies() {
        return Stream.of(
                Arguments.of("vtt <v.a repeated", true, body(VTT_CUE, "<v.a", "")),
                Arguments.of("vtt <v.a repeated, closed at the end", true, body(VTT_CUE, "<v.a", ">")),
                Arguments.of("vtt <v followed by spaces, no >", true, body(VTT_CUE, "<v   ", "")),
                Arguments.of("vtt unclosed tag run <b", true, body(VTT_CUE, "<b", "")),
                Arguments.of("vtt closed tag run <b></b>", true, body(VTT_CUE, "<b></b>", "x")),
                Arguments.of("vtt < repeated", true, body(VTT_CUE, "<", "")),
                Arguments.of("vtt whitespace runs", true, body(VTT_CUE, " \t\u000B", "x")),
                Arguments.of("vtt entity run", true, body(VTT_CUE, "&amp;", "")),
                Arguments.of("vtt one long name before a colon", true, body(VTT_CUE + "A", "a", ": x")),
                Arguments.of("vtt many short cues", true,
                        body("WEBVTT\n\n", "00:00:01.000 --> 00:00:02.000\n<v Ann>hi <b>there</b>\n\n", "")),
                Arguments.of("vtt 10-digit hours after many cues", true,
                        body("WEBVTT\n\n", "00:00:01.000 --> 00:00:02.000\nhi\n\n",
                                "1234567890:00:01.000 --> 1234567890:00:02.000\nlate\n")),
                Arguments.of("vtt hours of a megabyte of digits", true,
                        body("WEBVTT\n\n", "9", ":00:01.000 --> 00:00:02.000\nhi\n")),
                Arguments.of("srt <v.a repeated", false, body(SRT_CUE, "<v.a", "")),
                Arguments.of("srt unclosed tag run <i", false, body(SRT_CUE, "<i", "")),
                Arguments.of("srt whitespace before -->", false,
                        body("1\n00:00:01,000", " ", "--> 00:00:02,000\nhi\n")),
                Arguments.of("srt many short cues", false,
                        body("", "7\n00:00:01,000 --> 00:00:02,000\nDr. Lee: hello there\n\n", "")),
                Arguments.of("srt 10-digit hours after many cues", false,
                        body("", "1\n00:00:01,000 --> 00:00:02,000\nhi\n\n",
                                "2\n1234567890:00:01,000 --> 1234567890:00:02,000\nlate\n")));
    }

    /** A body of about {@code size} characters: head, the unit repeated, tail. */
    private static IntFunction<String> body(String head, String unit, String tail) {
        return size -> head + unit.repeat(Math.max(1, (size - head.length() - tail.length()) / unit.length())) + tail;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adversarialBodies")
    // a backtracking regular expression cannot be interrupted: a regression fails here instead of hanging the build
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void parsesInLinearTime(String name, boolean vtt, IntFunction<String> body) {
        String half = body.apply(MEGABYTE / 2);
        String full = body.apply(MEGABYTE);
        parse(half, vtt); // warm-up: the first run includes class loading and JIT compilation
        long halfNanos = fastest(half, vtt);
        long fullNanos = fastest(full, vtt);
        System.out.printf("transcript parser, %s: 0.5 MB %.1f ms, 1 MB %.1f ms of CPU%n", name, halfNanos / 1e6,
                fullNanos / 1e6);
        assertThat(fullNanos).as("1 MB parse CPU time (ns)").isLessThan(1_000_000_000L);
        // 100 ms of slack: when both runs take a few milliseconds, a collection or a JIT step on a loaded machine
        // (0.5 MB in 7.5 ms, 1 MB in 47.8 ms of CPU once, with load 15 on 2 cores) must not read as superlinear; a
        // quadratic parser takes seconds at these sizes and fails both bounds
        assertThat(fullNanos).as("1 MB against 0.5 MB parse CPU time (ns)").isLessThan(3 * halfNanos + 100_000_000L);
    }

    /** The least CPU time of this thread over five parses, in nanoseconds. */
    private static long fastest(String body, boolean vtt) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assertThat(threads.isCurrentThreadCpuTimeSupported()).as("the JVM measures a thread's CPU time").isTrue();
        long best = Long.MAX_VALUE;
        for (int run = 0; run < 5; run++) {
            long start = threads.getCurrentThreadCpuTime();
            parse(body, vtt);
            best = Math.min(best, threads.getCurrentThreadCpuTime() - start);
        }
        return best;
    }

    /** Parses; a refusal is an outcome too (the 10-digit hours must be refused as quickly as text is read). */
    private static void parse(String body, boolean vtt) {
        try {
            int cues = (vtt ? TranscriptParser.vtt(body) : TranscriptParser.srt(body)).size();
            assertThat(cues).isPositive();
        } catch (InvalidInputException refused) {
            assertThat(refused.getMessage()).doesNotContain("Exception");
        }
    }
}
