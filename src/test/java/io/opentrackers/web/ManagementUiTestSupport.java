package io.opentrackers.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.TestApi;
import io.opentrackers.TestApi.Response;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * What the browser tests of the management UI share: the service on a random port, one headless Chromium for the
 * class, a new account for each test (signed out, as a new tab is), no JavaScript error in the console after it, and
 * the steps every test takes (sign in with the keyboard, create trackers and conversations through the API).
 * Trackers use phrases that occur literally in the texts, so hits do not depend on the model's judgement.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ManagementUiTestSupport {

    static final String PRICING = """
            {"name": "Pricing", "vocabulary": ["how much does it cost", "what is the price", "pricing plans",
             "too expensive", "any discount"]}""";
    static final String CANCELLATION = """
            {"name": "Cancellation", "vocabulary": ["cancel my plan", "stop the subscription", "end the contract",
             "close my account", "terminate service"]}""";
    static final String BUDGET = """
            {"name": "Budget", "vocabulary": ["no budget", "over budget", "we cannot afford it",
             "too expensive for us", "no money left"]}""";

    @LocalServerPort
    int port;

    Browser browser;
    TestApi api;

    @BeforeAll
    void openBrowser() {
        browser = Browser.open("http://localhost:" + port);
    }

    @AfterAll
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void account() {
        api = TestApi.newAccount("http://localhost:" + port);
        browser.size(1280, 900);
        // each test starts signed out, as a new tab would
        browser.driver().get(url() + "/");
        browser.script("sessionStorage.clear()");
    }

    @AfterEach
    void noConsoleErrors() {
        assertThat(browser.consoleErrors()).as("JavaScript errors in the console").isEmpty();
    }

    String url() {
        return "http://localhost:" + port;
    }

    /** Signs in through the form, with the keyboard only: type, Tab, type, Enter. */
    void signIn() {
        browser.driver().get(url() + "/");
        browser.script("sessionStorage.clear()");
        browser.driver().navigate().refresh();
        browser.byTestId("login-app-id").sendKeys(api.appId(), Keys.TAB);
        browser.driver().switchTo().activeElement().sendKeys(TestApi.APP_SECRET, Keys.ENTER);
        browser.byTestId("new-tracker");
    }

    JsonNode trackers() {
        Response response = api.get("/v1/manage/trackers");
        assertThat(response.status()).isEqualTo(200);
        return response.body().get("trackers");
    }

    String createTracker(String json) {
        Response created = api.post("/v1/manage/trackers", json);
        assertThat(created.status()).isEqualTo(201);
        return created.body().get("tracker").get("id").asString();
    }

    WebElement row(String name) {
        return browser.until(d -> browser.allByTestId("tracker-row").stream()
                .filter(row -> row.getText().contains(name)).findFirst().orElse(null));
    }

    /** The text of tracker {@code name}'s row once it shows {@code expected} (the list may re-render meanwhile). */
    String rowShowing(String name, String expected) {
        return browser.until(d -> browser.allByTestId("tracker-row").stream().map(WebElement::getText)
                .filter(text -> text.contains(name) && text.contains(expected)).findFirst().orElse(null));
    }

    /** Opens tracker {@code name}'s editor, finding its row again if the list re-rendered under the click. */
    void openRow(String name) {
        browser.until(d -> {
            row(name).click();
            return true;
        });
    }

    void fillEditor(String name, String vocabulary) {
        WebElement nameField = browser.byTestId("tracker-name");
        nameField.clear();
        nameField.sendKeys(name);
        WebElement phrases = browser.byTestId("tracker-vocabulary");
        phrases.clear();
        phrases.sendKeys(vocabulary);
    }

    String processAndWait(String body) {
        Response submitted = api.post("/v1/process/text", body);
        assertThat(submitted.status()).isEqualTo(201);
        String jobId = submitted.body().get("jobId").asString();
        // a job on a tracker of 1,000 examples took over 15 s on a machine at load 27: the page is not what is waited for
        browser.until(Duration.ofSeconds(90),
                d -> "completed".equals(api.get("/v1/job/" + jobId).body().get("status").asString()) ? true : null);
        return submitted.body().get("conversationId").asString();
    }


    /** Sentences enough for a batch of several suggestions, beside the Pricing conversation's own. */
    static final String SEVERAL_SENTENCES = "The weather is lovely today. See you on Monday. My dog loves long "
            + "walks. Can you send me the invoice again? The train was late this morning.";

    /**
     * Pricing with three matches and {@code nonMatches} labelled, so that it has an estimate, and a stored conversation
     * of {@link #SEVERAL_SENTENCES} to suggest sentences from; its id.
     */
    String pricingWithExamplesAndSuggestions(String... nonMatches) {
        String id = createTracker(PRICING);
        StringBuilder examples = new StringBuilder("""
                [{"text": "How much does it cost for ten seats?", "match": true},
                 {"text": "What is the price of the premium tier?", "match": true},
                 {"text": "Is there any discount for schools?", "match": true}""");
        for (String text : nonMatches) {
            examples.append(", {\"text\": \"").append(text).append("\", \"match\": false}");
        }
        assertThat(api.post("/v1/manage/trackers/" + id + "/examples", examples.append(']').toString()).status())
                .isEqualTo(201);
        processAndWait("""
                {"messages": [{"payload": {"content": "Is it expensive? What does the premium tier cost per month?"}},
                              {"payload": {"content": "%s"}}]}""".formatted(SEVERAL_SENTENCES));
        return id;
    }}
