package io.opentrackers.tracker;

import static io.opentrackers.ServiceClient.tracker;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.ServiceClient;
import io.opentrackers.ServiceClient.Account;
import io.opentrackers.ServiceClient.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.node.ArrayNode;

/** The per-account tracker limit (500 by default) holds exactly, also under concurrent creates. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TrackerLimitIT {

    @LocalServerPort
    int port;

    @Test
    void fiftyParallelCreatesOnAnAccountHolding480LeaveExactly500() throws Exception {
        ServiceClient api = new ServiceClient(port);
        Account account = api.newAccount();
        assertThat(api.post(account, "/v1/manage/trackers/bulk", trackers("Existing ", 480)).status()).isEqualTo(201);

        CountDownLatch start = new CountDownLatch(1);
        List<Future<Reply>> replies = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            for (int i = 0; i < 50; i++) {
                String name = "Parallel " + i;
                replies.add(pool.submit(() -> {
                    start.await();
                    return api.post(account, "/v1/manage/trackers", tracker(name));
                }));
            }
            start.countDown();
        } finally {
            pool.shutdown();
        }

        Map<Integer, Long> statuses = new TreeMap<>();
        for (Future<Reply> reply : replies) {
            statuses.merge(reply.get().status(), 1L, Long::sum);
            if (reply.get().status() == 409) {
                assertThat(reply.get().text("type")).isEqualTo("https://opentrackers.io/problems/tracker-limit-reached");
                assertThat(reply.get().text("detail")).contains("limit is 500");
            }
        }
        assertThat(statuses).isEqualTo(Map.of(201, 20L, 409, 30L));
        assertThat(api.get(account, "/v1/manage/trackers").json().get("trackers").size()).isEqualTo(500);
    }

    @Test
    void aBulkCreateThatWouldExceedTheLimitStoresNothing() {
        ServiceClient api = new ServiceClient(port);
        Account account = api.newAccount();
        assertThat(api.post(account, "/v1/manage/trackers", trackers("Held ", 499)).status()).isEqualTo(201);

        Reply tooMany = api.post(account, "/v1/manage/trackers/bulk", trackers("More ", 2));
        assertThat(tooMany.status()).isEqualTo(409);
        assertThat(tooMany.contentType()).isEqualTo("application/problem+json");
        assertThat(tooMany.text("detail")).isEqualTo("Creating 2 trackers would exceed the limit of 500 trackers "
                + "per account; the account holds 499 (1 left)");
        assertThat(api.get(account, "/v1/manage/trackers").json().get("trackers").size()).isEqualTo(499);

        assertThat(api.post(account, "/v1/manage/tracker", tracker("Last one")).status()).isEqualTo(201);
        assertThat(api.post(account, "/v1/manage/tracker", tracker("One too many")).status()).isEqualTo(409);
        // deleting makes room again
        String anyId = api.get(account, "/v1/manage/trackers").json().get("trackers").get(0).get("id").asString();
        assertThat(api.delete(account, "/v1/manage/trackers/" + anyId).status()).isEqualTo(200);
        assertThat(api.post(account, "/v1/manage/tracker", tracker("One too many")).status()).isEqualTo(201);
    }

    private static ArrayNode trackers(String prefix, int count) {
        ArrayNode array = ServiceClient.JSON.createArrayNode();
        for (int i = 0; i < count; i++) {
            array.add(tracker(prefix + i));
        }
        return array;
    }
}
