package io.opentrackers.job;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 POST to a destination {@link WebhookDestinations} has checked, over a socket connected to one of the
 * checked addresses, within one deadline for everything (connecting, TLS, sending, reading the status line).
 *
 * <p>Why not {@code java.net.http.HttpClient}: on Java 17 it resolves the host itself and offers no hook to pin the
 * connection to an address already checked (the resolver SPI arrived in Java 18 and is JVM-wide); connecting to the
 * address literal instead would need the restricted {@code Host} header and would break SNI and certificate checks
 * for https. A webhook needs only the status code, so this client writes the request, reads the status line, and
 * closes: no redirects, no proxies, no connection reuse, no body read.
 */
class WebhookHttp {

    private static final int MAX_HEAD_BYTES = 16 * 1024;

    private final SSLSocketFactory tls;

    WebhookHttp(SSLSocketFactory tls) {
        this.tls = tls;
    }

    /** @return the final (non-1xx) status code */
    int post(WebhookDestinations.Checked destination, Map<String, String> headers, byte[] body, Duration timeout)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Socket socket = connect(destination, deadline);
        try (Socket plain = socket) {
            Socket channel = destination.tls() ? handshake(plain, destination, deadline) : plain;
            try (channel) {
                OutputStream out = channel.getOutputStream();
                out.write(head(destination, headers, body.length).getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
                return readStatus(channel, deadline);
            }
        }
    }

    /** Tries the checked addresses in order (as a client does with a name's addresses), each within the deadline. */
    private static Socket connect(WebhookDestinations.Checked destination, long deadline) throws IOException {
        IOException last = null;
        for (InetAddress address : destination.addresses()) {
            Socket socket = new Socket(Proxy.NO_PROXY);
            try {
                socket.connect(new InetSocketAddress(address, destination.port()), remainingMillis(deadline));
                return socket;
            } catch (IOException e) {
                socket.close();
                last = e;
                if (System.nanoTime() >= deadline) {
                    break;
                }
            }
        }
        throw last != null ? last : new IOException("no address to connect to");
    }

    private Socket handshake(Socket plain, WebhookDestinations.Checked destination, long deadline) throws IOException {
        // the host name, not the address, is what the certificate must match and what SNI announces
        SSLSocket socket = (SSLSocket) tls.createSocket(plain, destination.host(), destination.port(), true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!destination.host().contains(":") && !destination.host().matches("[0-9.]+")) {
            parameters.setServerNames(List.of(new SNIHostName(destination.host())));
        }
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(remainingMillis(deadline));
        socket.startHandshake();
        return socket;
    }

    private static String head(WebhookDestinations.Checked destination, Map<String, String> headers, int length) {
        String path = destination.uri().getRawPath() == null || destination.uri().getRawPath().isEmpty()
                ? "/" : destination.uri().getRawPath();
        String target = destination.uri().getRawQuery() == null ? path : path + "?" + destination.uri().getRawQuery();
        StringBuilder head = new StringBuilder("POST ").append(target).append(" HTTP/1.1\r\n")
                // user information was refused, so the authority is host[:port] exactly as the URL wrote it
                .append("Host: ").append(destination.uri().getRawAuthority()).append("\r\n")
                .append("Content-Length: ").append(length).append("\r\n")
                .append("Connection: close\r\n");
        // names and values are ours (fixed names, digits, hex, ids); a URI cannot hold CR or LF
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        return head.append("\r\n").toString();
    }

    /** Reads status lines, skipping interim 1xx answers with their headers, until the final status. */
    private static int readStatus(Socket socket, long deadline) throws IOException {
        InputStream in = socket.getInputStream();
        int budget = MAX_HEAD_BYTES;
        while (true) {
            String statusLine = readLine(socket, in, deadline, budget);
            budget -= statusLine.length() + 2;
            int status = parseStatus(statusLine);
            if (status >= 200) {
                return status;
            }
            String line;
            do {
                line = readLine(socket, in, deadline, budget);
                budget -= line.length() + 2;
            } while (!line.isEmpty());
        }
    }

    private static int parseStatus(String line) throws IOException {
        // HTTP/1.1 204 No Content
        if (line.startsWith("HTTP/1.") && line.length() >= 12 && line.charAt(8) == ' ') {
            String code = line.substring(9, 12);
            if (code.chars().allMatch(Character::isDigit) && (line.length() == 12 || line.charAt(12) == ' ')) {
                return Integer.parseInt(code);
            }
        }
        throw new IOException("not an HTTP/1.x status line: '" + line.substring(0, Math.min(line.length(), 80)) + "'");
    }

    /** One line without its CR LF; every read waits at most until the deadline, so a trickling answer cannot hold on. */
    private static String readLine(Socket socket, InputStream in, long deadline, int budget) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            socket.setSoTimeout(remainingMillis(deadline));
            int next = in.read();
            if (next < 0) {
                throw new IOException("connection closed before the status was read");
            }
            if (next == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(next);
            if (line.size() > budget) {
                throw new IOException("response head longer than " + MAX_HEAD_BYTES + " bytes");
            }
        }
    }

    private static int remainingMillis(long deadline) throws SocketTimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("webhook timeout reached");
        }
        // a timeout of 0 would mean "wait forever"
        return (int) Math.max(1, Math.min(left, Integer.MAX_VALUE));
    }
}
