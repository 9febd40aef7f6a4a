package io.opentrackers.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.web.socket.CloseStatus;

/**
 * How a connection's frames go out when its client reads slowly or not at all, against a socket whose writes complete
 * only when the test says so (the client reading). The integration test is {@code SlowClientStreamingIT}.
 */
class OutgoingFramesTest {

    private static final long NEVER = Long.MAX_VALUE;

    /** A socket that records what it is asked to do; a write completes on {@link #read} or {@link #fail}. */
    private static final class Socket implements OutgoingFrames.Socket {

        final List<String> written = new ArrayList<>();
        final List<CloseStatus> closed = new ArrayList<>();
        final List<CloseStatus> aborted = new ArrayList<>();
        private SendHandler writing;

        @Override
        public void write(String text, SendHandler done) {
            assertThat(writing).as("one frame at a time").isNull();
            written.add(text);
            writing = done;
        }

        @Override
        public boolean isOpen() {
            return closed.isEmpty() && aborted.isEmpty();
        }

        @Override
        public void close(CloseStatus status) {
            closed.add(status);
        }

        @Override
        public void abort(CloseStatus status) {
            aborted.add(status);
        }

        /** The client took the frame being written. */
        void read() {
            SendHandler done = writing;
            writing = null;
            done.onResult(new SendResult((jakarta.websocket.Session) null));
        }

        void fail() {
            SendHandler done = writing;
            writing = null;
            done.onResult(new SendResult(null, new IOException("Connection reset by peer")));
        }
    }

    @Test
    void framesGoOutOneAtATimeInTheOrderTheyWereSentWithoutWaitingForTheClient() {
        Socket socket = new Socket();
        OutgoingFrames frames = new OutgoingFrames(socket, 1024, NEVER);
        frames.send("a");
        frames.send("b");
        frames.send("c");
        assertThat(socket.written).containsExactly("a");
        socket.read();
        socket.read();
        assertThat(socket.written).containsExactly("a", "b", "c");
        socket.read();
        frames.send("d");
        assertThat(socket.written).containsExactly("a", "b", "c", "d");
        assertThat(frames.stoppedReading()).isNull();
    }

    @Test
    void aClientWhoseUnsentOutputPassesTheBoundIsCutOffWithWhatItDidNotReadDropped() {
        Socket socket = new Socket();
        OutgoingFrames frames = new OutgoingFrames(socket, 10, NEVER);
        frames.send("being written");
        frames.send("0123456789"); // 10 characters queued: at the bound, not past it
        assertThat(frames.stoppedReading()).isNull();
        frames.send("x");
        assertThat(frames.closing()).as("frames after the overflow are dropped").isTrue();
        frames.send("later");

        String reason = frames.stoppedReading();
        assertThat(reason).contains("send-buffer-size");
        assertThat(frames.stoppedReading()).as("reported once").isNull();
        frames.cutOff(reason);
        assertThat(socket.aborted).containsExactly(CloseStatus.POLICY_VIOLATION.withReason(reason));
        // the client reads the frame that was stuck: nothing queued follows it
        socket.read();
        assertThat(socket.written).containsExactly("being written");
        assertThat(socket.closed).isEmpty();
    }

    @Test
    void aClientThatTakesNothingForTheSendTimeoutIsCutOffAndOneThatReadsIsNot() {
        Socket stuck = new Socket();
        OutgoingFrames frames = new OutgoingFrames(stuck, 1024, 0);
        assertThat(frames.stoppedReading()).as("nothing being written").isNull();
        frames.send("a");
        assertThat(frames.stoppedReading()).contains("send-timeout");

        Socket reading = new Socket();
        OutgoingFrames read = new OutgoingFrames(reading, 1024, 0);
        read.send("a");
        reading.read();
        assertThat(read.stoppedReading()).isNull();
    }

    @Test
    void aCloseFollowsTheFramesSentBeforeIt() {
        Socket socket = new Socket();
        OutgoingFrames frames = new OutgoingFrames(socket, 1024, NEVER);
        frames.send("result");
        frames.send("error: shutting down");
        frames.close(CloseStatus.GOING_AWAY);
        frames.send("after the close");
        assertThat(socket.closed).isEmpty();
        socket.read();
        assertThat(socket.closed).isEmpty();
        socket.read();
        assertThat(socket.written).containsExactly("result", "error: shutting down");
        assertThat(socket.closed).containsExactly(CloseStatus.GOING_AWAY);
    }

    @Test
    void aFailedWriteDropsWhatIsQueuedAndClosesTheConnection() {
        Socket socket = new Socket();
        OutgoingFrames frames = new OutgoingFrames(socket, 1024, NEVER);
        frames.send("a");
        frames.send("b");
        socket.fail();
        frames.send("c");
        assertThat(socket.written).containsExactly("a");
        assertThat(socket.closed).containsExactly(CloseStatus.GOING_AWAY);
        assertThat(frames.stoppedReading()).isNull();
    }
}
