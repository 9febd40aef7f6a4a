package io.opentrackers.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.opentrackers.TestApi;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 20, finding 2: one account whose webhook receiver never answers must not delay another account's
 * notifications. Account A queues notifications of twelve jobs for a receiver that accepts connections and then
 * says nothing (each attempt runs into the timeout, 2 s here); account B, with a prompt receiver, must get each of
 * its jobs' first notification within 1 s of submitting.
 */
class WebhookFairnessIT extends AsyncApiTestSupport {

    private ServerSocket silent;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private HttpServer prompt;
    private final Map<String, Long> firstArrival = new ConcurrentHashMap<>();

    @BeforeEach
    void startReceivers() throws IOException {
        silent = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!silent.isClosed()) {
                try {
                    held.add(silent.accept()); // read nothing, answer nothing
                } catch (IOException e) {
                    return;
                }
            }
        }, "silent-receiver");
        acceptor.setDaemon(true);
        acceptor.start();

        prompt = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        prompt.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes());
            String jobId = TestApi.json(body).get("jobId").asString();
            firstArrival.putIfAbsent(jobId, System.currentTimeMillis());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        prompt.start();
    }

    @AfterEach
    void stopReceivers() throws IOException {
        prompt.stop(0);
        silent.close();
        for (Socket socket : held) {
            socket.close();
        }
    }

    @Test
    void aDeadReceiverOfOneAccountDoesNotDelayAnothersNotifications() {
        TestApi a = newAccount();
        String deadUrl = "http://127.0.0.1:" + silent.getLocalPort() + "/hook";
        for (int i = 0; i < 12; i++) {
            // waiting for each job keeps A under the per-account limit of active jobs; its webhooks are not waited for
            awaitJob(a, submit(a, deadUrl, "a" + i), "completed");
        }
        // A's receiver is now being tried; give its attempts time to fill what a sender can hold
        sleep(500);

        TestApi b = newAccount();
        String promptUrl = "http://127.0.0.1:" + prompt.getAddress().getPort() + "/hook";
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long submitted = System.currentTimeMillis();
            String jobId = submit(b, promptUrl, "b" + i);
            long deadline = submitted + 60_000;
            while (!firstArrival.containsKey(jobId) && System.currentTimeMillis() < deadline) {
                sleep(10);
            }
            assertThat(firstArrival).as("B's first notification of job %d arrived", i).containsKey(jobId);
            delays.add(firstArrival.get(jobId) - submitted);
            awaitJob(b, jobId, "completed");
            // spread B's submissions over A's attempts, so that some fall while A's attempt is under way
            sleep(700);
        }
        System.out.printf("B's first-notification delays with A's receiver dead: %s ms%n", delays);
        assertThat(delays).allSatisfy(delay -> assertThat(delay).isLessThan(1_000));
        assertThat(held).as("A's receiver was being tried meanwhile").isNotEmpty();
    }

    private static String submit(TestApi api, String webhookUrl, String name) {
        TestApi.Response accepted = api.post("/v1/process/text", """
                {"name": "%s", "webhookUrl": "%s", "messages": [{"payload": {"content": "What is the price?"}}]}"""
                .formatted(name, webhookUrl));
        assertThat(accepted.status()).isEqualTo(201);
        return accepted.body().get("jobId").asString();
    }
}
