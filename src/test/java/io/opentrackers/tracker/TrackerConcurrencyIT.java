package io.opentrackers.tracker;

import static io.opentrackers.ServiceClient.tracker;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.ServiceClient;
import io.opentrackers.ServiceClient.Account;
import io.opentrackers.ServiceClient.Reply;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Issue 20, finding 8: PATCH, PUT and DELETE fired in parallel at one tracker once answered 400 although every
 * body was valid. Each round fires valid requests at one tracker at once; each answer must be 200, 404 (deleted
 * first) or 409: {@code conflict} (a patch that does not apply to what a concurrent request left) or
 * {@code tracker-name-taken} (an earlier round's tracker took the new name), never 400.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TrackerConcurrencyIT {

    private static final int ROUNDS = 30;

    /** Each valid on the tracker as created; several stop applying after another request changed it. */
    private static final List<String> PATCHES = List.of(
            "[{\"op\":\"add\",\"path\":\"/vocabulary/-\",\"value\":\"one more phrase\"}]",
            "[{\"op\":\"remove\",\"path\":\"/vocabulary/5\"}]",
            "[{\"op\":\"replace\",\"path\":\"/description\",\"value\":\"patched\"}]",
            "[{\"op\":\"remove\",\"path\":\"/description\"}]",
            "[{\"op\":\"replace\",\"path\":\"/vocabulary/0\",\"value\":\"first phrase\"}]",
            "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"Renamed\"}]");

    @LocalServerPort
    int port;

    @Test
    void parallelPatchPutAndDeleteAnswer200Or404Or409Only() throws Exception {
        ServiceClient api = new ServiceClient(port);
        Account account = api.newAccount();
        Map<Integer, Integer> statuses = Collections.synchronizedMap(new TreeMap<>());
        List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                Reply created = api.post(account, "/v1/manage/trackers", tracker("Race " + round, "p0", "p1", "p2",
                        "p3", "p4", "p5").put("description", "described"));
                assertThat(created.status()).isEqualTo(201);
                String path = "/v1/manage/trackers/" + created.json().get("tracker").get("id").asString();
                String put = tracker("Race " + round, "q0", "q1", "q2", "q3", "q4").toString();
                List<Runnable> requests = new ArrayList<>();
                PATCHES.forEach(patch -> requests.add(() -> record(api.patch(account, path, patch), "PATCH " + patch,
                        statuses, unexpected)));
                requests.add(() -> record(api.put(account, path, put), "PUT", statuses, unexpected));
                requests.add(() -> record(api.put(account, path, put), "PUT", statuses, unexpected));
                requests.add(() -> record(api.patch(account, path, PATCHES.get(0)), "PATCH again", statuses,
                        unexpected));
                if (round % 3 == 0) {
                    requests.add(() -> record(api.delete(account, path), "DELETE", statuses, unexpected));
                }
                Collections.shuffle(requests);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> fired = new ArrayList<>();
                for (Runnable request : requests) {
                    fired.add(pool.submit(() -> {
                        start.await();
                        request.run();
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> future : fired) {
                    future.get(60, TimeUnit.SECONDS);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("%d rounds of parallel PATCH/PUT/DELETE on one tracker: %s%n", ROUNDS, statuses);
        assertThat(unexpected).isEmpty();
        assertThat(statuses.keySet()).containsOnly(200, 404, 409);
        assertThat(statuses).containsKeys(200, 409);
    }

    private static void record(Reply reply, String request, Map<Integer, Integer> statuses, List<String> unexpected) {
        statuses.merge(reply.status(), 1, Integer::sum);
        boolean documented = reply.status() == 200 || reply.status() == 404
                || reply.status() == 409 && (reply.json().get("type").asString().endsWith("/tracker-name-taken")
                || reply.json().get("type").asString().endsWith("/conflict") && reply.json().get("detail").asString()
                        .startsWith("The patch does not apply to the tracker's current state"));
        if (!documented) {
            unexpected.add(request + " -> " + reply.status() + " " + reply.body());
        }
    }
}
