package io.opentrackers.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.opentrackers.common.InvalidInputException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The SSRF rule: what the default configuration refuses, what an operator can open, and DNS rebinding. */
class WebhookDestinationsTest {

    /** The default configuration (no allowed networks), with the platform's resolver. */
    private final WebhookDestinations defaults = new WebhookDestinations(
            new JobProperties(2, 5, 100, 500, 64, Duration.ofSeconds(30), Duration.ofMillis(500), 3, Duration.ofSeconds(10),
                    new JobProperties.Webhook(Duration.ofSeconds(5), 8, Duration.ofSeconds(1), Duration.ofMinutes(10),
                            Duration.ofMillis(500), 4, List.of())));

    @ParameterizedTest
    @ValueSource(strings = {
            // loopback, in every spelling
            "http://127.0.0.1/hook", "http://127.0.0.1:8080/admin/accounts", "http://127.255.255.254/",
            "http://localhost/hook", "http://localhost:8080/actuator/health", "http://LOCALHOST./",
            "http://[::1]/hook", "http://[0:0:0:0:0:0:0:1]:8080/", "http://[::ffff:127.0.0.1]/",
            "http://[::127.0.0.1]/", "http://[64:ff9b::7f00:1]/", "http://[2002:7f00:1::]/",
            // numeric forms other clients read as 127.0.0.1 (or as something else than Java does)
            "http://2130706433/", "http://0x7f000001/", "http://0x7f.0.0.1/", "http://0177.0.0.1/",
            "http://017700000001/", "http://127.1/", "http://127.0.1/",
            // link-local and cloud metadata
            "http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/", "http://[fd00:ec2::254]/",
            "http://metadata.google.internal/computeMetadata/v1/", "http://metadata/", "http://100.100.100.200/",
            // private networks
            "http://10.0.0.1/", "https://10.255.255.255/", "http://172.16.0.1/", "http://172.31.255.255/",
            "http://192.168.1.1/", "http://[fc00::1]/", "http://[fd12:3456::1]/", "http://100.64.0.1/",
            // this network, multicast, broadcast, reserved
            "http://0.0.0.0/", "http://0.0.0.0:8080/", "http://[::]/", "http://224.0.0.1/", "http://255.255.255.255/",
            "http://240.0.0.1/", "http://[ff02::1]/",
            // credentials in the URL, whatever the host
            "http://user:pw@127.0.0.1/", "https://user:pw@example.com/hook", "https://token@example.com/hook"})
    void theDefaultConfigurationRefusesAtSubmit(String url) {
        assertThatThrownBy(() -> defaults.checkSubmitted(url))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.violations())
                        .singleElement().satisfies(v -> assertThat(v.field()).isEqualTo("webhookUrl")));
    }

    @Test
    void refusalsSayWhyWithoutEchoingWhatANameResolvesTo() {
        assertThatThrownBy(() -> defaults.checkSubmitted("http://169.254.169.254/latest"))
                .hasMessageContaining("link-local").hasMessageContaining("169.254.169.254")
                .hasMessageContaining("trackers.jobs.webhook.allowed-networks");
        assertThatThrownBy(() -> defaults.checkSubmitted("http://2130706433/"))
                .hasMessageContaining("four decimal numbers");
        assertThatThrownBy(() -> defaults.checkSubmitted("http://user:pw@example.com/"))
                .hasMessageContaining("user name or password");
        assertThatThrownBy(() -> defaults.checkSubmitted("http://localhost/"))
                .hasMessageContaining("internal address").hasMessageNotContaining("127.0.0.1");
    }

    @Test
    void publicAddressesAndNamesThatDoNotResolveYetAreAccepted() {
        WebhookDestinations destinations = new WebhookDestinations(List.of(), host -> {
            if (host.equals("hooks.example.com")) {
                return new InetAddress[] {InetAddress.getByName("93.184.215.14")};
            }
            throw new UnknownHostException(host);
        });
        assertThatCode(() -> destinations.checkSubmitted("https://hooks.example.com/trackers")).doesNotThrowAnyException();
        assertThatCode(() -> destinations.checkSubmitted("http://8.8.8.8:8080/x")).doesNotThrowAnyException();
        assertThatCode(() -> destinations.checkSubmitted("https://[2606:4700::1111]/")).doesNotThrowAnyException();
        assertThatCode(() -> destinations.checkSubmitted("https://not-yet.example.org/")).doesNotThrowAnyException();
        assertThatCode(() -> destinations.checkSubmitted(null)).doesNotThrowAnyException();
        // a local-only name that does not resolve is refused even so
        assertThatThrownBy(() -> destinations.checkSubmitted("http://metadata.google.internal/"))
                .isInstanceOf(InvalidInputException.class);
    }

    /**
     * A port no socket can have was accepted at submit (java.net.URI takes any digits); every attempt then failed
     * with an IllegalArgumentException the sender did not expect, and the notification (with the job's later ones
     * behind it) was retried every claim period for ever. Now it is refused at submit and, for one stored before,
     * refused at send time, which abandons it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"http://8.8.8.8:99999/hook", "https://8.8.8.8:65536/", "http://8.8.8.8:0/",
            "http://hooks.example.com:123456789/"})
    void aPortNoSocketCanHaveIsRefusedAtSubmitAndAtSendTime(String url) throws Exception {
        WebhookDestinations destinations = new WebhookDestinations(List.of(), host -> new InetAddress[] {
                InetAddress.getByName("93.184.215.14")});
        assertThatThrownBy(() -> destinations.checkSubmitted(url))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.violations())
                        .singleElement().satisfies(v -> {
                            assertThat(v.field()).isEqualTo("webhookUrl");
                            assertThat(v.message()).contains("1 to 65535");
                        }));
        assertThatThrownBy(() -> destinations.resolve(url)).isInstanceOf(WebhookDestinations.RefusedException.class);
        assertThatCode(() -> destinations.checkSubmitted("http://8.8.8.8:65535/")).doesNotThrowAnyException();
        assertThatCode(() -> destinations.checkSubmitted("http://8.8.8.8:1/")).doesNotThrowAnyException();
    }

    @Test
    void aNameWithOnePrivateAddressAmongPublicOnesIsRefused() {
        WebhookDestinations destinations = new WebhookDestinations(List.of(), host -> new InetAddress[] {
                InetAddress.getByName("93.184.215.14"), InetAddress.getByName("10.1.2.3")});
        assertThatThrownBy(() -> destinations.checkSubmitted("https://mixed.example.com/"))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void anOperatorOpensOnlyTheNetworksItNames() {
        WebhookDestinations destinations = new WebhookDestinations(List.of("10.20.0.0/16", " fd00:1::/32 "),
                InetAddress::getAllByName);
        assertThatCode(() -> destinations.checkSubmitted("http://10.20.3.4/hook")).doesNotThrowAnyException();
        assertThatCode(() -> destinations.checkSubmitted("http://[fd00:1::5]/hook")).doesNotThrowAnyException();
        assertThatThrownBy(() -> destinations.checkSubmitted("http://10.21.0.1/hook"))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> destinations.checkSubmitted("http://169.254.169.254/"))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> destinations.checkSubmitted("http://127.0.0.1/"))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void anInvalidAllowedNetworkStopsTheServiceFromStarting() {
        assertThatThrownBy(() -> new WebhookDestinations(List.of("intranet.example.com/24"), InetAddress::getAllByName))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowed-networks");
        assertThatThrownBy(() -> new WebhookDestinations(List.of("10.0.0.0/33"), InetAddress::getAllByName))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefix length");
    }

    @Test
    void aNameThatRebindsToAPrivateAddressAfterTheSubmitCheckIsRefusedAtSendTime() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        WebhookDestinations destinations = new WebhookDestinations(List.of(), host -> new InetAddress[] {
                InetAddress.getByName(lookups.getAndIncrement() == 0 ? "93.184.215.14" : "169.254.169.254")});
        destinations.checkSubmitted("http://rebind.example.com/hook");
        assertThatThrownBy(() -> destinations.resolve("http://rebind.example.com/hook"))
                .isInstanceOf(WebhookDestinations.RefusedException.class);
    }

    /**
     * The sender connects to the addresses the check returned and does not look the name up again: the name here
     * exists only in the test's resolver, yet the request arrives, with the name in its Host header.
     */
    @Test
    void theSenderConnectsOnlyToTheCheckedAddress() throws Exception {
        List<String> hosts = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            hosts.add(exchange.getRequestHeaders().getFirst("Host"));
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            AtomicInteger lookups = new AtomicInteger();
            WebhookDestinations destinations = new WebhookDestinations(List.of("127.0.0.0/8"), host -> {
                lookups.incrementAndGet();
                return new InetAddress[] {InetAddress.getLoopbackAddress()};
            });
            String url = "http://receiver.test.invalid:" + server.getAddress().getPort() + "/hook";
            WebhookDestinations.Checked checked = destinations.resolve(url);
            int status = new WebhookHttp((SSLSocketFactory) SSLSocketFactory.getDefault())
                    .post(checked, Map.of("Content-Type", "application/json"), "{}".getBytes(), Duration.ofSeconds(2));
            assertThat(status).isEqualTo(204);
            assertThat(hosts).containsExactly("receiver.test.invalid:" + server.getAddress().getPort());
            assertThat(lookups).hasValue(1);
        } finally {
            server.stop(0);
        }
    }

    /**
     * An attempt is bounded by its timeout, not by the receiver: it fails with a timeout, and no sooner than the
     * timeout. A bound that the JVM never applied would leave the read waiting forever, which {@link Timeout} turns
     * into a failure; the wall clock is not asked for more, since a loaded build machine (CI has 2 cores) may take a
     * while to run the thread again once the timeout fired (this used to require under 2 s in all).
     */
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anAttemptEndsAtTheTimeoutEvenIfTheReceiverNeverAnswers() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            WebhookDestinations destinations = new WebhookDestinations(List.of("127.0.0.0/8"), InetAddress::getAllByName);
            WebhookDestinations.Checked checked = destinations.resolve(
                    "http://127.0.0.1:" + silent.getLocalPort() + "/");
            WebhookHttp http = new WebhookHttp((SSLSocketFactory) SSLSocketFactory.getDefault());
            long start = System.nanoTime();
            assertThatThrownBy(() -> http.post(checked, Map.of(), new byte[0], Duration.ofMillis(300)))
                    .isInstanceOf(java.net.SocketTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("until the attempt gave up")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(250));
        }
    }

    /**
     * One deadline covers the whole attempt: a receiver that trickles its answer, a byte every 50 ms (well within any
     * single read's timeout), cannot keep a sender past it.
     */
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aReceiverTricklingItsAnswerCannotHoldAnAttemptPastTheTimeout() throws Exception {
        try (java.net.ServerSocket trickling = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread receiver = new Thread(() -> {
                try (java.net.Socket connection = trickling.accept()) {
                    var out = connection.getOutputStream();
                    while (true) {
                        out.write('H'); // a status line that never ends
                        out.flush();
                        Thread.sleep(50);
                    }
                } catch (IOException | InterruptedException e) {
                    // the sender gave up and closed the connection, or the test ended
                }
            }, "trickling-receiver");
            receiver.setDaemon(true);
            receiver.start();
            WebhookDestinations destinations = new WebhookDestinations(List.of("127.0.0.0/8"), InetAddress::getAllByName);
            WebhookDestinations.Checked checked = destinations.resolve(
                    "http://127.0.0.1:" + trickling.getLocalPort() + "/");
            WebhookHttp http = new WebhookHttp((SSLSocketFactory) SSLSocketFactory.getDefault());
            assertThatThrownBy(() -> http.post(checked, Map.of(), new byte[0], Duration.ofMillis(500)))
                    .isInstanceOf(java.net.SocketTimeoutException.class);
        }
    }
}
