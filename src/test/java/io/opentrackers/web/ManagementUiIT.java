package io.opentrackers.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.TestApi;
import io.opentrackers.TestApi.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;

/**
 * The management UI at {@code /} in headless Chromium, each step checked through the API (set-up and shared steps in
 * {@link ManagementUiTestSupport}).
 */
class ManagementUiIT extends ManagementUiTestSupport {

    /** Page script: each quality estimate the page asks for is held until the test calls window.releaseEstimate(). */
    private static final String HOLD_EACH_ESTIMATE = """
            const original = window.fetch;
            window.releaseEstimate = null;
            window.fetch = (url, options) => {
              const answer = original(url, options);
              if (!String(url).includes('/quality')) return answer;
              return answer.then(response => new Promise(resolve => { window.releaseEstimate = () => resolve(response); }));
            };""";

    /** Pricing with one example of each label, its Teach page open and listing both. */
    private String teachPricingWithAMatchAndANonMatch() {
        String id = createTracker(PRICING);
        api.post("/v1/manage/trackers/" + id + "/examples", """
                [{"text": "Can you tell me the fee for ten seats?", "match": true},
                 {"text": "See you on Monday.", "match": false}]""");
        signIn();
        browser.go("#/trackers/" + id + "/teach");
        browser.until(d -> browser.allByTestId("example").size() == 2 ? true : null);
        return id;
    }

    @Test
    void signInWithTheKeyboardAndSignOut() {
        browser.driver().get(url() + "/");
        browser.byTestId("login-app-id").sendKeys(api.appId());
        browser.byTestId("login-app-secret").sendKeys("wrong-secret", Keys.ENTER);
        assertThat(browser.byTestId("login-error").getText()).contains("wrong");
        assertThat(browser.script("return sessionStorage.length")).isEqualTo(0L);

        signIn();
        assertThat(browser.script("return sessionStorage.getItem('opentrackers.token')")).isNotNull();
        browser.byTestId("sign-out").click();
        browser.byTestId("login-app-id");
        assertThat(browser.script("return sessionStorage.getItem('opentrackers.token')")).isNull();
    }

    /** A screen reader reads an alert when it appears, not when the same text is written into it again. */
    @Test
    void theSameSignInErrorTwiceInARowIsAnnouncedAgain() {
        browser.driver().get(url() + "/");
        assertThat(browser.driver().findElement(By.cssSelector("form.sign-in .hint")).getText())
                .contains("closing this tab signs you out").doesNotContain("in in ");
        browser.byTestId("login-app-id").sendKeys(api.appId());
        browser.byTestId("login-app-secret").sendKeys("wrong-secret", Keys.ENTER);
        assertThat(browser.byTestId("login-error").getText()).isEqualTo("The App ID or App secret is wrong.");

        // from here on: whether the error was hidden for the new attempt, and every alert that appears
        browser.script("""
                window.signInAlerts = {hidden: false, appeared: []};
                new MutationObserver(records => records.forEach(record => {
                  if (record.type === 'attributes' && record.target.hidden) window.signInAlerts.hidden = true;
                  record.addedNodes.forEach(node => {
                    if (node.nodeType === 1 && node.getAttribute('role') === 'alert') {
                      window.signInAlerts.appeared.push(node.textContent);
                    }
                  });
                })).observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ['hidden']});""");
        browser.driver().switchTo().activeElement().sendKeys(Keys.ENTER);
        // the attempt is over once the error, hidden when it started, shows again
        browser.until(d -> Boolean.TRUE.equals(browser.script("return window.signInAlerts.hidden && "
                + "document.querySelector(\"[data-testid='login-error']:not([hidden])\") !== null")) ? true : null);
        assertThat(browser.script("return window.signInAlerts.appeared"))
                .isEqualTo(List.of("The App ID or App secret is wrong."));
    }

    @Test
    void aRefusedTokenReturnsToSignIn() {
        signIn();
        // what an expired token gets: a 401 on the next call
        browser.script("sessionStorage.setItem('opentrackers.token', 'expired.token.value')");
        browser.byTestId("nav-try").click();
        browser.byTestId("login-app-id");
        assertThat(browser.byTestId("login-notice").getText()).contains("sign in again");
    }

    @Test
    void anInvalidPhraseIsShownAndNothingIsStored() {
        signIn();
        browser.byTestId("new-tracker").click();
        fillEditor("Questions", "why\nhow\nwhen\nwhere\nwhat now?");
        // checked as the user types, before any save
        assertThat(browser.waitFor(By.cssSelector(".field-error:not([hidden])")).getText()).contains("'?'");
        browser.byTestId("tracker-save").click();

        WebElement error = browser.byTestId("tracker-error");
        assertThat(error.isDisplayed()).isTrue();
        assertThat(error.getText()).contains("what now?").contains("'?'");
        assertThat(trackers()).isEmpty();
    }

    @Test
    void aProblemFromTheServerIsShownNextToTheFieldItNames() {
        createTracker(PRICING);
        signIn();
        browser.byTestId("new-tracker").click();
        fillEditor("Pricing", "price\ncost\nfee\nrate\ncharge");
        browser.byTestId("tracker-save").click();

        assertThat(browser.byTestId("tracker-error").getText()).contains("already exists");
        WebElement nameError = browser.waitFor(By.id(browser.byTestId("tracker-name").getAttribute("id") + "-error"));
        assertThat(nameError.getText()).contains("already exists");
        assertThat(browser.byTestId("tracker-name").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(trackers()).hasSize(1);
    }

    @Test
    void createEditAndDeleteATracker() {
        signIn();
        browser.byTestId("new-tracker").click();
        fillEditor("Cancellation", "cancel my plan\nstop the subscription\nend the contract\nclose my account\nterminate service");
        browser.byTestId("tracker-save").click();

        assertThat(rowShowing("Cancellation", "5 phrases")).contains("5 phrases");
        JsonNode stored = trackers();
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).get("name").asString()).isEqualTo("Cancellation");
        assertThat(stored.get(0).get("vocabulary").toString()).contains("terminate service");
        String id = stored.get(0).get("id").asString();

        openRow("Cancellation");
        WebElement phrases = browser.byTestId("tracker-vocabulary");
        assertThat(phrases.getAttribute("value")).contains("cancel my plan");
        phrases.sendKeys(Keys.END, "\nquit the service");
        browser.byTestId("tracker-save").click();
        assertThat(rowShowing("Cancellation", "6 phrases")).contains("6 phrases");
        JsonNode edited = api.get("/v1/manage/trackers/" + id).body().get("tracker");
        assertThat(edited.get("vocabulary")).hasSize(6);
        assertThat(edited.get("vocabulary").get(5).asString()).isEqualTo("quit the service");
        assertThat(edited.get("version").asInt()).isEqualTo(2);

        openRow("Cancellation");
        browser.byTestId("tracker-delete").click();
        // one Enter must not delete: the dialog starts on Cancel
        assertFocusMovesTo("cancel-delete");
        browser.byTestId("confirm-delete").click();
        browser.until(d -> browser.allByTestId("tracker-row").isEmpty() && !browser.allByTestId("new-tracker").isEmpty()
                ? true : null);
        assertThat(api.get("/v1/manage/trackers/" + id).status()).isEqualTo(404);
    }

    /**
     * Two tabs edit one tracker: the save of the tab that loaded an older version is refused (the editor sends the
     * version it loaded as If-Match) instead of silently overwriting the other tab's change, and the page offers to
     * load the current version.
     */
    @Test
    void aSaveOverAChangeMadeElsewhereIsRefusedAndTheCurrentVersionCanBeLoaded() {
        String id = createTracker(PRICING);
        signIn();
        openRow("Pricing");
        WebElement phrases = browser.byTestId("tracker-vocabulary");
        assertThat(phrases.getAttribute("value")).contains("any discount");
        // meanwhile another tab saves the tracker
        assertThat(api.put("/v1/manage/trackers/" + id, PRICING.replace("any discount", "a small discount")).status())
                .isEqualTo(200);
        phrases.sendKeys(Keys.END, "\nis there a free tier");
        browser.byTestId("tracker-save").click();

        String error = browser.until(d -> {
            WebElement box = browser.byTestId("tracker-error");
            return box.isDisplayed() && !box.getText().isBlank() ? box.getText() : null;
        });
        assertThat(error).contains("changed elsewhere").contains("You edited version 1").contains("version 2 now");
        JsonNode kept = api.get("/v1/manage/trackers/" + id).body().get("tracker");
        assertThat(kept.get("vocabulary").toString()).contains("a small discount").doesNotContain("free tier");
        assertThat(kept.get("version").asInt()).isEqualTo(2);

        browser.byTestId("tracker-reload").click();
        String reloaded = browser.until(d -> {
            String value = browser.byTestId("tracker-vocabulary").getAttribute("value");
            return value.contains("a small discount") ? value : null;
        });
        assertThat(reloaded).doesNotContain("free tier");
        browser.byTestId("tracker-save").click();
        assertThat(rowShowing("Pricing", "5 phrases")).contains("5 phrases");
    }

    /**
     * A save refused because the tracker changed elsewhere says what that change touched and can still save the
     * user's edits: over the current version, keeping the other change where the user changed nothing (as the
     * delete's "Delete anyway"). Until 2026-11-28 the box said "Saving would overwrite that change" and offered only
     * to load the current version, discarding the edits.
     */
    @Test
    void aSaveRefusedForAChangeElsewhereSaysWhatItTouchedAndCanSaveMineAnyway() {
        String id = createTracker(CANCELLATION);
        signIn();
        openRow("Cancellation");
        WebElement phrases = browser.byTestId("tracker-vocabulary");
        phrases.sendKeys(Keys.END, "\nswitch me off");
        // meanwhile a colleague changes only the description
        assertThat(api.put("/v1/manage/trackers/" + id, CANCELLATION.replace("\"name\": \"Cancellation\",",
                "\"name\": \"Cancellation\", \"description\": \"Customers who want to leave\",")).status()).isEqualTo(200);
        browser.byTestId("tracker-save").click();

        String said = browser.until(d -> {
            WebElement line = browser.byTestId("tracker-changed-fields");
            return line.getText().isBlank() ? null : line.getText();
        });
        assertThat(said).isEqualTo("You edited version 1; it is at version 2 now. That change touched: Description. "
                + "You changed: Phrases.");
        assertThat(browser.byTestId("tracker-error").getText()).doesNotContain("Saving would overwrite");
        for (int width : new int[] {1280, 390}) {
            browser.size(width, 900);
            browser.script("arguments[0].scrollIntoView({block: 'start'})", browser.byTestId("tracker-error"));
            windowShot("editor-conflict-" + width);
        }
        browser.size(1280, 900);
        browser.byTestId("tracker-save-anyway").click();
        row("Cancellation");
        JsonNode stored = api.get("/v1/manage/trackers/" + id).body().get("tracker");
        assertThat(stored.get("vocabulary").toString()).contains("switch me off");
        assertThat(stored.get("description").asString()).as("the other change, kept").isEqualTo("Customers who want to leave");
        assertThat(stored.get("version").asInt()).isEqualTo(3);
    }

    /**
     * The editor checks the vocabulary rules as the user types (ui/js/rules.js); they must say what the server says,
     * or the page would refuse what the API accepts (or promise what it refuses).
     */
    @Test
    void thePageChecksPhrasesAsTheServerDoes() {
        List<String> phrases = List.of("what now?", "l'été dernier", "co-op plan", "version 2.0", "naïve café",
                "価格はいくらですか", "السعر", "e\u0301te\u0301", "price\u00a0list", "tab\there", "50% off", "a_b",
                "emoji 😀", "curly ’quote’", "x".repeat(257), "ok phrase");
        browser.driver().get(url() + "/");
        for (String phrase : phrases) {
            List<String> vocabulary = List.of(phrase, "alpha", "beta", "gamma", "delta");
            Object client = browser.driver().executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    import('/ui/js/rules.js').then(rules => done(rules.checkVocabulary(arguments[0]).length));""",
                    vocabulary);
            Response server = api.post("/v1/manage/trackers", "{\"name\":\"Rules " + phrases.indexOf(phrase)
                    + "\",\"vocabulary\":" + tools.jackson.databind.json.JsonMapper.builder().build()
                    .writeValueAsString(vocabulary) + "}");
            assertThat(((Number) client).intValue() == 0).as("the page accepts \"%s\" (server answered %d)", phrase,
                    server.status()).isEqualTo(server.status() == 201);
        }
    }

    @Test
    void namesAndPhrasesAreShownAsTextNeverAsMarkup() {
        createTracker("""
                {"name": "<img src=x onerror=\\"window.injected = 1\\"> <b>Bold</b>",
                 "vocabulary": ["how much does it cost", "what is the price", "pricing plans", "too expensive", "any discount"]}""");
        signIn();
        assertThat(rowShowing("<b>Bold</b>", "<img src=x onerror=\"window.injected = 1\"> <b>Bold</b>"))
                .contains("<img src=x onerror=\"window.injected = 1\"> <b>Bold</b>");
        assertThat(browser.driver().findElements(By.cssSelector("main img, main b"))).isEmpty();
        assertThat(browser.script("return window.injected === undefined")).isEqualTo(true);
    }

    /**
     * Stored XSS, the way an attacker with an account (or one who talks into a customer's recorded call) would try
     * it: markup in every text the API stores and the pages show (tracker names, descriptions, categories, examples,
     * conversation names, message texts, speaker names and ids, analytics labels) and in the text the service
     * echoes back in problems (an unknown id in the address, a refused phrase). Every page that shows them is
     * opened in one document, with {@code alert} replaced by a flag: no injected element may appear, no handler may
     * run, and the console (where a CSP violation would be reported) must stay clean (checked after each test).
     */
    @Test
    void everyPageShowsHostileTextAsText() throws Exception {
        String img = "<img src=x onerror=alert(1)>";
        String svg = "\"><svg/onload=alert(2)>";
        String script = "</script><script>alert(3)</script>";
        String quoted = "' onmouseover='alert(4)";
        String id = createTracker("""
                {"name": %s, "description": %s, "categories": [%s, %s], "vocabulary": ["how much does it cost",
                 "what is the price", "pricing plans", "too expensive", "any discount"]}"""
                .formatted(jsonText(img), jsonText(svg), jsonText(script), jsonText(quoted)));
        createTracker("""
                {"name": %s, "vocabulary": ["no budget", "over budget", "we cannot afford it", "too expensive for us",
                 "no money left"]}""".formatted(jsonText(svg + quoted)));
        assertThat(api.post("/v1/manage/trackers/" + id + "/examples", """
                [{"text": %s, "match": true}, {"text": %s, "match": false}]"""
                .formatted(jsonText("What is the price " + img), jsonText(svg + " over budget"))).status()).isEqualTo(201);
        String conversation = processAndWait("""
                {"name": %s, "messages": [
                  {"payload": {"content": %s}, "from": {"userId": %s, "name": %s, "role": "customer"}},
                  {"payload": {"content": %s}, "from": {"userId": "u2", "name": %s, "role": "agent"}},
                  {"payload": {"content": "Is there any discount? We have no budget."}, "from": {"name": %s}}]}"""
                .formatted(jsonText(img + svg), jsonText("What is the price " + img + " of it?"), jsonText(svg),
                        jsonText(img), jsonText("How much does it cost " + script), jsonText(svg),
                        jsonText(quoted)));
        signIn();
        browser.script("window.xss = []; window.alert = window.confirm = window.prompt = v => window.xss.push(String(v));");

        Map<String, String> pages = new java.util.LinkedHashMap<>();
        pages.put("trackers", "#/trackers");
        pages.put("tracker", "#/trackers/" + id);
        pages.put("teach", "#/trackers/" + id + "/teach");
        pages.put("conversations", "#/conversations");
        pages.put("conversation", "#/conversations/" + conversation);
        pages.put("analytics", "#/analytics");
        pages.put("conversations-of-a-tracker", "#/conversations?trackerId=" + id + "&from=" + img + "&tracker="
                + java.net.URLEncoder.encode(img + svg, java.nio.charset.StandardCharsets.UTF_8));
        // ids that do not exist: the pages show the service's problem, which quotes the id
        pages.put("unknown-tracker", "#/trackers/" + java.net.URLEncoder.encode(img, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
        pages.put("unknown-conversation", "#/conversations/" + java.net.URLEncoder.encode(svg, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
        Path shots = Path.of("target", "ui-hostile-text");
        for (Map.Entry<String, String> page : pages.entrySet()) {
            // same document: a hash change, so the replaced alert stays in place
            browser.script("location.hash = arguments[0]", page.getValue());
            browser.until(d -> browser.script("return document.querySelector('main[aria-busy]') === null"
                    + " && document.querySelector('main .page-loading, main .loading') === null") == Boolean.TRUE
                    ? true : null);
            browser.screenshot(shots.resolve(page.getKey() + ".png"));
            assertHostileTextInert(page.getKey());
        }
        // the conversation page names the speakers and quotes the messages as text
        browser.script("location.hash = arguments[0]", "#/conversations/" + conversation);
        assertThat(browser.byTestId("conversation-messages").getText()).contains(img).contains(svg).contains(script);

        browser.script("location.hash = '#/try'");
        browser.byTestId("try-text").sendKeys(img + ": What is the price " + svg + "?\n" + script);
        browser.byTestId("try-run").click();
        browser.waitFor(By.cssSelector("[data-testid='try-result'] mark"));
        browser.screenshot(shots.resolve("try.png"));
        assertHostileTextInert("try it");
        assertThat(browser.byTestId("try-result").getText()).contains(svg).contains(script);

        // what the page checks and what the server refuses is quoted back next to the field
        browser.script("location.hash = '#/trackers/new'");
        fillEditor(img, svg + "\nprice\ncost\nfee\nrate");
        browser.byTestId("tracker-save").click();
        browser.byTestId("tracker-error");
        assertHostileTextInert("editor problems");
        browser.screenshot(shots.resolve("editor.png"));
    }

    private static String jsonText(String text) {
        return tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(text);
    }

    private void assertHostileTextInert(String page) {
        assertThat(browser.script("return window.xss")).as("alert calls on %s", page).asList().isEmpty();
        assertThat(browser.script("""
                return [...document.querySelectorAll('img, svg, script:not([src]), iframe, object, embed')]
                    .map(e => e.outerHTML.slice(0, 80))
                    .concat([...document.querySelectorAll('*')].flatMap(e => [...e.attributes]
                        .filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name)))"""))
                .as("elements or handlers made from stored text on %s", page).asList().isEmpty();
    }

    @Test
    void searchAndSortTheList() {
        createTracker(PRICING);
        createTracker(BUDGET);
        signIn();
        row("Pricing");
        List<String> sorted = browser.until(d -> browser.allByTestId("tracker-row").stream()
                .map(WebElement::getText).toList());
        assertThat(sorted).satisfiesExactly(first -> assertThat(first).startsWith("Budget"), second -> assertThat(second).startsWith("Pricing"));
        browser.byTestId("tracker-search").sendKeys("money");
        browser.until(d -> browser.allByTestId("tracker-row").size() == 1 ? true : null);
        String only = browser.until(d -> browser.allByTestId("tracker-row").get(0).getText());
        assertThat(only).startsWith("Budget");
    }

    @Test
    void bulkImportIsAllOrNothing() throws Exception {
        signIn();
        Path bad = Files.createTempFile("trackers-bad", ".json");
        Files.writeString(bad, "[" + PRICING + ", {\"name\": \"Support\", \"vocabulary\": [\"it is broken\", \"an error\", "
                + "\"does not work\", \"need help\", \"what now?\"]}]");
        browser.driver().findElement(By.cssSelector("[data-testid='tracker-import']")).sendKeys(bad.toString());
        browser.until(d -> browser.byTestId("import-result").getText().contains("Nothing was imported") ? true : null);
        assertThat(browser.byTestId("import-result").getText()).contains("Nothing was imported").contains("Tracker 2")
                .contains("what now?");
        assertThat(trackers()).isEmpty();

        Path good = Files.createTempFile("trackers-good", ".json");
        Files.writeString(good, "[" + PRICING + "]");
        browser.driver().findElement(By.cssSelector("[data-testid='tracker-import']")).sendKeys(good.toString());
        row("Pricing");
        assertThat(trackers()).hasSize(1);
    }

    /**
     * Export then import, as a user copies an account's trackers to another: the file holds what creates the trackers
     * again and what they were taught, and the import gives them both back.
     */
    @Test
    void exportedTrackersAreImportedWithTheirExamplesIntoAnotherAccount() throws Exception {
        String budget = createTracker(BUDGET);
        createTracker(PRICING);
        assertThat(api.post("/v1/manage/trackers/" + budget + "/examples", """
                [{"text": "Honestly we ran out of money this quarter.", "match": true},
                 {"text": "The CFO froze all spending.", "match": true},
                 {"text": "Money is not the issue, timing is.", "match": false}]""").status()).isEqualTo(201);
        signIn();
        catchDownloads();
        browser.byTestId("tracker-export").click();

        JsonNode file = TestApi.json(downloaded("trackers-" + api.appId() + "-"));
        String said = browser.until(d -> {
            Object toast = browser.script("return document.getElementById('toast').textContent");
            return toast != null && toast.toString().startsWith("Exported") ? toast.toString() : null;
        });
        assertThat(said).startsWith("Exported 2 trackers with 3 examples to trackers-" + api.appId() + "-");
        JsonNode exported = file.get("trackers");
        assertThat(exported).extracting(tracker -> tracker.get("name").asString()).containsExactly("Budget", "Pricing");
        assertThat(exported.get(0).has("id")).as("the service's own fields are left out").isFalse();
        assertThat(exported.get(0).has("version")).isFalse();
        assertThat(exported.get(0).has("createdOn")).isFalse();
        assertThat(exported.get(0).get("vocabulary")).hasSize(5);
        assertThat(exported.get(0).get("examples").get(2).toString())
                .isEqualTo("{\"text\":\"Money is not the issue, timing is.\",\"match\":false}");

        Path saved = Files.createTempFile("trackers-export", ".json");
        Files.writeString(saved, file.toString());
        api = TestApi.newAccount(url());
        signIn();
        browser.driver().findElement(By.cssSelector("[data-testid='tracker-import']")).sendKeys(saved.toString());
        rowShowing("Budget", "3 examples");
        JsonNode copied = trackers();
        assertThat(copied).extracting(tracker -> tracker.get("name").asString())
                .containsExactlyInAnyOrder("Budget", "Pricing");
        String copiedBudget = api.get("/v1/manage/trackers?name=Budget").body().get("trackers").get(0).get("id")
                .asString();
        JsonNode examples = api.get("/v1/manage/trackers/" + copiedBudget + "/examples").body().get("examples");
        assertThat(examples).extracting(example -> example.get("text").asString() + "=" + example.get("match"))
                .containsExactlyInAnyOrder("Honestly we ran out of money this quarter.=true",
                        "The CFO froze all spending.=true", "Money is not the issue, timing is.=false");
    }

    @Test
    void exportSelectedHoldsOnlyTheTickedTrackers() throws Exception {
        createTracker(BUDGET);
        createTracker(PRICING);
        createTracker(CANCELLATION);
        signIn();
        catchDownloads();
        row("Pricing").findElement(By.cssSelector("input.select-box")).click();
        browser.byTestId("export-selected").click();

        JsonNode exported = TestApi.json(downloaded("trackers-")).get("trackers");
        assertThat(exported).extracting(tracker -> tracker.get("name").asString()).containsExactly("Pricing");
        assertThat(exported.get(0).get("examples")).isEmpty();
    }

    /** Examples are added after their trackers are created: a bad one must stop the import before anything is. */
    @Test
    void anImportFileWithABadExampleImportsNothingAndSaysWhich() throws Exception {
        signIn();
        Path bad = Files.createTempFile("trackers-bad-example", ".json");
        Files.writeString(bad, "{\"trackers\": [" + BUDGET.replace("]}", "], \"examples\": [{\"text\": \"out of money\", "
                + "\"match\": true}, {\"text\": \"  \", \"match\": true}, {\"text\": \"fine\", \"match\": \"yes\"}]}")
                + "]}");
        browser.driver().findElement(By.cssSelector("[data-testid='tracker-import']")).sendKeys(bad.toString());

        browser.until(d -> browser.byTestId("import-result").getText().contains("Nothing was imported") ? true : null);
        assertThat(browser.byTestId("import-result").getText()).contains("Nothing was imported")
                .contains("Tracker 1 (“Budget”), example 2: the text must not be blank")
                .contains("Tracker 1 (“Budget”), example 3: match must be true or false");
        assertThat(trackers()).isEmpty();
    }

    private Path downloads;

    /** Files the page saves go to a folder of the test's own, as a user's browser puts them in Downloads. */
    private void catchDownloads() throws java.io.IOException {
        downloads = Files.createTempDirectory("downloads");
        browser.driver().executeCdpCommand("Browser.setDownloadBehavior",
                Map.of("behavior", "allow", "downloadPath", downloads.toString()));
    }

    /** The text of the trackers' export the page saved: its name starts with {@code prefix} and ends with the day. */
    private String downloaded(String prefix) {
        return downloaded(prefix, ".json", ".*-\\d{4}-\\d{2}-\\d{2}\\.json");
    }

    /**
     * The text of the file the page saved, once it is complete, after checking its name: it starts with
     * {@code prefix}, ends with {@code extension} and matches {@code name}.
     */
    private String downloaded(String prefix, String extension, String name) {
        Path file = browser.until(d -> {
            try (var files = Files.list(downloads)) {
                // Chrome writes "….crdownload" and renames it when the file is complete
                return files.filter(path -> path.toString().endsWith(extension)).findFirst().orElse(null);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(file.getFileName().toString()).startsWith(prefix).matches(name);
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void tryItHighlightsEachHit() {
        createTracker(PRICING);
        signIn();
        browser.byTestId("nav-try").click();
        browser.byTestId("try-text").sendKeys("Ann: Hello there.\nBob: What is the price of the premium plan?");
        browser.byTestId("try-run").click();

        WebElement mark = browser.waitFor(By.cssSelector("[data-testid='try-result'] mark"));
        assertThat(mark.getText()).startsWithIgnoringCase("what is the price");
        assertThat(browser.allByTestId("try-hit")).extracting(WebElement::getText)
                .anySatisfy(hit -> assertThat(hit).contains("Pricing").contains("“what is the price”").contains("score 1.00"));
        // the hits are those the API answers for the same messages, and only on the second message
        Response direct = api.post("/v1/match", """
                {"messages": [{"id": "m1", "payload": {"content": "Hello there."}},
                              {"id": "m2", "payload": {"content": "What is the price of the premium plan?"}}]}""");
        List<String> within = new ArrayList<>();
        for (JsonNode match : direct.body().get(0).get("matches")) {
            for (JsonNode ref : match.get("messageRefs")) {
                assertThat(ref.get("id").asString()).isEqualTo("m2");
                within.add(match.get("value").asString());
            }
        }
        assertThat(within).contains("what is the price");
        // the API lists every phrase of the tracker within its threshold; the page shows the one that matched (the
        // literal one) and the others as "similar", not as hits
        assertThat(browser.allByTestId("try-hit")).singleElement().satisfies(hit -> assertThat(hit.getText())
                .contains("“what is the price”").contains("literal")
                .contains(within.size() > 1 ? "+" + (within.size() - 1) + " similar" : "score"));
        assertThat(browser.byTestId("try-summary").getText()).isEqualTo("1 tracker hit in 1 message");
        assertThat(browser.driver().findElements(By.cssSelector("[data-message-id='m1'] mark"))).isEmpty();
    }

    /**
     * A phrase matches literally in its word forms ("pricing" in "the price"), and a trainer reading "literal" looks
     * for the phrase in the message: until 2026-11-29 the hit read "“pricing” · literal" beside a sentence without
     * "pricing". It names the words said, wherever hits are shown.
     */
    @Test
    void aLiteralHitInAnotherWordFormNamesTheWordsSaid() {
        createTracker("""
                {"name": "Pricing Question", "vocabulary": ["pricing", "how much is it", "what does it cost",
                 "send me a quote", "is there a discount"]}""");
        String conversation = processAndWait("""
                {"name": "Price call", "messages": [{"payload": {"content": "What is the price for the premium plan?"}}]}""");
        signIn();
        browser.go("#/try");
        browser.byTestId("try-text").sendKeys("What is the price for the premium plan?");
        browser.byTestId("try-run").click();
        assertThat(browser.byTestId("try-hit").getText()).contains("“pricing”").contains("· literal, said as “price”");
        assertThat(browser.waitFor(By.cssSelector("[data-testid='try-result'] mark")).getText()).isEqualTo("price");

        browser.go("#/conversations/" + conversation);
        assertThat(browser.byTestId("conversation-hit").getText()).contains("“pricing”")
                .contains("· literal, said as “price”");
        // a phrase found as it is written says nothing more
        browser.go("#/try");
        browser.byTestId("try-text").clear();
        browser.byTestId("try-text").sendKeys("Can you send me a quote?");
        browser.byTestId("try-run").click();
        browser.until(d -> browser.byTestId("try-hit").getText().contains("“send me a quote”") ? true : null);
        assertThat(browser.byTestId("try-hit").getText()).contains("· literal").doesNotContain("said as");
    }

    /**
     * Try it's heading counts a tracker firing on a message as one hit, and draws one chip for it: the phrase that
     * matched, with its other phrases said in the message behind "+N similar" and still highlighted. Until 2026-11-29 a
     * greeting of three literal phrases drew three "Greeting" chips under "1 tracker hit in 1 message".
     */
    @Test
    void tryItDrawsOneChipPerTrackerAndMessageAsItsHeadingCounts() {
        createTracker("""
                {"name": "Greeting", "vocabulary": ["good morning", "thanks for calling", "how can I help you",
                 "welcome to our service", "nice to meet you"]}""");
        createTracker(PRICING);
        signIn();
        browser.go("#/try");
        browser.byTestId("try-text").sendKeys("Agent: Good morning, thanks for calling, how can I help you?\n"
                + "Customer: What is the price of the premium plan?");
        browser.byTestId("try-run").click();
        String summary = browser.byTestId("try-summary").getText();
        List<WebElement> chips = browser.allByTestId("try-hit");
        assertThat(summary).isEqualTo("2 tracker hits in 2 messages");
        assertThat(chips).hasSize(2);
        WebElement greeting = browser.driver().findElement(By.cssSelector("[data-message-id='m1']"));
        assertThat(greeting.findElements(By.cssSelector("[data-testid='try-hit']"))).singleElement()
                .satisfies(chip -> assertThat(chip.getText()).startsWith("Greeting “good morning”").contains("· literal")
                        .contains("similar"));
        greeting.findElement(By.cssSelector("details.also > summary")).click();
        assertThat(greeting.findElement(By.cssSelector("details.also ul")).getText())
                .contains("“thanks for calling”").contains("“how can I help you”");
        // every phrase said is still marked in the message
        assertThat(greeting.findElements(By.tagName("mark"))).extracting(WebElement::getText)
                .containsExactly("Good morning", "thanks for calling", "how can I help you");
    }

    @Test
    void uploadATranscriptAndReadItsHits() throws Exception {
        createTracker(PRICING);
        signIn();
        browser.byTestId("nav-conversations").click();
        browser.byTestId("upload-name");
        Path vtt = Files.createTempFile("call", ".vtt");
        Files.writeString(vtt, """
                WEBVTT

                00:00:01.000 --> 00:00:04.000
                <v Ann Lee>What is the price of the premium plan?

                00:00:05.000 --> 00:00:08.500
                <v Bob>I can send you our pricing plans today. Any discount is possible.
                """);
        browser.driver().findElement(By.cssSelector("[data-testid='upload-file']")).sendKeys(vtt.toString());
        browser.byTestId("upload-name").sendKeys("Weekly sync");
        browser.byTestId("upload-submit").click();

        String conversationId = browser.until(d -> {
            String hash = (String) browser.script("return location.hash");
            return hash.startsWith("#/conversations/") ? hash.substring("#/conversations/".length()) : null;
        });
        browser.waitFor(By.cssSelector("[data-testid='conversation-hit']"));
        // the page shows what the Conversation API holds: the three literal hits and any found by meaning
        Response hits = api.get("/v1/conversations/" + conversationId + "/trackers");
        assertThat(hits.status()).isEqualTo(200);
        assertThat(hits.body()).hasSize(1);
        int refs = 0;
        Set<String> hitMessages = new HashSet<>();
        for (JsonNode match : hits.body().get(0).get("matches")) {
            refs += match.get("messageRefs").size();
            match.get("messageRefs").forEach(ref -> hitMessages.add(ref.get("id").asString()));
        }
        assertThat(refs).isGreaterThanOrEqualTo(3);
        // one hit per sentence the tracker fired on (as analytics counts), naming the phrase that matched there
        assertThat(browser.allByTestId("conversation-hit")).hasSize(hitMessages.size());
        assertThat(browser.byTestId("tracker-count").getText()).startsWith("Pricing " + hitMessages.size() + " ")
                .contains("what is the price").contains("pricing plans").contains("any discount");
        assertThat(browser.driver().findElements(By.cssSelector("[data-testid='conversation-messages'] mark")))
                .extracting(WebElement::getText).anySatisfy(text -> assertThat(text).startsWith("What is the price"))
                .anySatisfy(text -> assertThat(text).contains("pricing plans"))
                .anySatisfy(text -> assertThat(text).contains("Any discount"));
        // two cues uploaded, three sentences stored: the page shows the two messages and says so
        JsonNode sentences = api.get("/v1/conversations/" + conversationId + "/messages").body().get("messages");
        assertThat(browser.allByTestId("conversation-message")).hasSize(2);
        assertThat(browser.byTestId("conversation-size").getText()).startsWith("2 messages (" + sentences.size() + " sentences)");
        assertThat(api.get("/v1/conversations/" + conversationId).body().get("name").asString()).isEqualTo("Weekly sync");
    }

    /**
     * Each page is loaded three times from the service with the browser's cache off, as a first visit is, and the
     * fastest load must be under two seconds: a page that needs two seconds needs them every time, while a loaded
     * build machine (CI has 2 cores shared by the service, the browser and the build) can stall any single load. Until
     * 2026-11-27 one load was timed.
     */
    @Test
    void theFirstPageIsReadyInUnderTwoSeconds() {
        createTracker(PRICING);
        browser.driver().executeCdpCommand("Network.enable", Map.of());
        browser.driver().executeCdpCommand("Network.setCacheDisabled", Map.of("cacheDisabled", true));
        try {
            assertThat(fastestReady("sign-in", "/", () -> browser.byTestId("login-app-id")))
                    .as("ms from navigation until the sign-in form is on screen").isLessThan(2000);

            signIn(); // signed in: the first page is the list of trackers
            assertThat(fastestReady("trackers", "/#/trackers", () -> row("Pricing")))
                    .as("ms from navigation until the trackers are listed").isLessThan(2000);
        } finally {
            browser.driver().executeCdpCommand("Network.setCacheDisabled", Map.of("cacheDisabled", false));
            browser.driver().executeCdpCommand("Network.disable", Map.of());
        }
    }

    /** The fastest of three loads of {@code path}: milliseconds from the start of navigation to the ready mark. */
    private double fastestReady(String page, String path, Runnable drawn) {
        double fastest = Double.MAX_VALUE;
        for (int load = 0; load < 3; load++) {
            browser.freshLoad(path.substring(1));
            drawn.run();
            fastest = Math.min(fastest, readyAfter(page));
        }
        return fastest;
    }

    /** Milliseconds from the start of navigation to the page's ready mark (app.js sets it once a page is drawn). */
    private double readyAfter(String page) {
        double ms = ((Number) browser.script("return performance.getEntriesByName(arguments[0])[0].startTime",
                "ready:" + page)).doubleValue();
        System.out.printf("UI page ready: %s in %.0f ms%n", page, ms);
        return ms;
    }

    @Test
    void pagesCarryAStrictContentSecurityPolicy() {
        String policy = org.springframework.web.client.RestClient.create(url()).get().uri("/")
                .exchange((request, response) -> response.getHeaders().getFirst("Content-Security-Policy"));
        assertThat(policy).contains("default-src 'none'")
                .contains("script-src 'self'").doesNotContain("unsafe");
        // the API stays protected
        int anonymous = org.springframework.web.client.RestClient.create(url()).get().uri("/v1/manage/trackers")
                .exchange((request, response) -> response.getStatusCode().value());
        assertThat(anonymous).isEqualTo(401);
    }

    // ---- teaching, analytics, the conversations list, explain and the conditions in the editor ----

    /** The Pricing tracker, a stored conversation to suggest sentences from, and its teach page, signed in. */
    private String openTeachPage(String secondMessage) {
        String id = createTracker(PRICING);
        processAndWait("""
                {"messages": [{"payload": {"content": "Is it expensive? What does the premium tier cost per month?"}},
                              {"payload": {"content": "%s"}}]}""".formatted(secondMessage));
        signIn();
        browser.go("#/trackers/" + id + "/teach");
        return id;
    }

    @Test
    void teachATrackerWithExamples() {
        String id = openTeachPage("The weather is lovely today.");
        browser.byTestId("teach-quality");
        browser.byTestId("example-text").sendKeys("Can you tell me the fee for ten seats?");
        browser.byTestId("example-add-match").click();
        browser.until(d -> browser.allByTestId("example").size() == 1 ? true : null);
        JsonNode examples = api.get("/v1/manage/trackers/" + id + "/examples").body().get("examples");
        assertThat(examples).hasSize(1);
        assertThat(examples.get(0).get("match").asBoolean()).isTrue();
        // the estimate says what it still waits for (the server's minimum: 3 of each kind)
        browser.until(d -> browser.byTestId("quality-hint").getText().contains("label 2 more matches and 3 more "
                + "non-matches") ? true : null);

        List<WebElement> suggestions = browser.allByTestId("suggestion-no-match");
        if (!suggestions.isEmpty()) {
            suggestions.get(0).click();
            browser.until(d -> browser.allByTestId("example").size() == 2 ? true : null);
            assertThat(api.get("/v1/manage/trackers/" + id + "/examples").body().get("examples")).hasSize(2);
        }
        assertThat(browser.byTestId("quality-figures").getText()).contains("precision");
    }

    @Test
    void theEstimateSaysHowSureItIsAndEachSuggestionWhereItComesFrom() throws java.io.IOException {
        String id = createTracker(PRICING);
        assertThat(api.post("/v1/manage/trackers/" + id + "/examples", """
                [{"text": "How much does it cost for ten seats?", "match": true},
                 {"text": "What is the price of the premium tier?", "match": true},
                 {"text": "Is there any discount for schools?", "match": true},
                 {"text": "The weather is lovely today.", "match": false},
                 {"text": "My dog loves long walks.", "match": false},
                 {"text": "See you on Monday.", "match": false}]""").status()).isEqualTo(201);
        String conversation = processAndWait("""
                {"messages": [{"payload": {"content": "Is it expensive? What does the premium tier cost per month?"}},
                              {"payload": {"content": "The train was late again this morning."}}]}""");
        signIn();
        browser.go("#/trackers/" + id + "/teach");

        // six examples: every figure has its 95 % range under it, and the page says the figures are rough
        browser.until(d -> browser.allByTestId("quality-range").size() == 2 ? true : null);
        assertThat(browser.allByTestId("quality-range").get(1).getText()).as("recall: 3 of 3").isEqualTo("0.44–1.00");
        assertThat(browser.byTestId("quality-hint").getText())
                .contains("It fired on 3 of them, 3 rightly (precision), and on 3 of the 3 matches (recall). "
                        + "F1 weighs the two together in one figure.")
                .contains("the figures are rough");

        // why these sentences, and each one leads to its conversation
        browser.byTestId("suggestion");
        JsonNode shown = api.get("/v1/manage/trackers/" + id + "/suggestions?limit=10").body().get("suggestions");
        long firing = java.util.stream.StreamSupport.stream(shown.spliterator(), false)
                .filter(s -> s.get("fired").asBoolean()).count();
        assertThat(browser.byTestId("suggestions-why").getText()).contains("least sure about: it fires on "
                + (firing == 0 ? "none of them" : firing == shown.size() ? "each of them" : "some of them"));
        WebElement suggestion = browser.byTestId("suggestion");
        String text = suggestion.findElement(By.cssSelector("p.text")).getText();
        WebElement link = suggestion.findElement(By.cssSelector("a"));
        assertThat(link.getAttribute("href")).contains("#/conversations/" + conversation + "?sentence=");
        link.click();
        // the conversation opens at the sentence: outlined in its place, among what was said around it
        browser.until(d -> browser.script("return location.hash").toString().startsWith("#/conversations/" + conversation)
                ? true : null);
        WebElement linked = browser.until(d -> d.findElements(By.cssSelector("[data-testid=conversation-sentence].linked"))
                .stream().findFirst().orElse(null));
        assertThat(linked.getText()).isEqualTo(text);
        assertThat(linked.getAttribute("aria-current")).isEqualTo("true");
        assertThat(browser.allByTestId("conversation-sentence")).hasSizeGreaterThan(1);
        Path shots = Path.of("target", "ui-screenshots");
        Files.createDirectories(shots);
        browser.screenshot(shots.resolve("conversation-linked-sentence-1280.png"));
    }

    @Test
    void teachingATrackerDeletedMeanwhileSaysItIsGoneInsteadOfFailingAtEveryClick() {
        String id = openTeachPage("The weather is lovely today.");
        browser.byTestId("suggestion-match");
        assertThat(api.send(org.springframework.http.HttpMethod.DELETE, "/v1/manage/trackers/" + id, null, null).status()).isEqualTo(200);

        browser.byTestId("suggestion-match").click();
        assertThat(browser.byTestId("page-problem").getText()).contains("“Pricing” no longer exists")
                .doesNotContain(id);
        assertThat(browser.allByTestId("suggestion-match")).as("buttons that could only fail").isEmpty();
        assertFocusMovesTo("page-back");
        browser.byTestId("page-back").click();
        browser.byTestId("new-tracker");
    }

    @Test
    void removingAnExampleRemovedMeanwhileJustShowsTheListAsItIs() {
        String id = teachPricingWithAMatchAndANonMatch();
        String first = api.get("/v1/manage/trackers/" + id + "/examples").body().get("examples").get(0).get("id").asString();
        assertThat(api.send(org.springframework.http.HttpMethod.DELETE, "/v1/manage/trackers/" + id + "/examples/" + first,
                null, null).status()).isEqualTo(200);

        // newest first: the one removed meanwhile (the first added) is the second row
        browser.allByTestId("example-remove").get(1).click();
        browser.until(d -> browser.allByTestId("example").size() == 1 ? true : null);
        assertThat(browser.byTestId("teach-examples").getText()).contains("See you on Monday.");
        assertThat(browser.script("return document.getElementById('toast').textContent")).as("no problem to show")
                .asString().doesNotContain("No example");
    }

    @Test
    void aTooLongSentenceIsNeitherCutNorStoredAndTheBoxSaysHowLongItIs() {
        String id = createTracker(PRICING);
        signIn();
        browser.go("#/trackers/" + id + "/teach");
        String sentence = "How much does the premium tier cost per seat per month? ".repeat(18); // 1,008 characters
        WebElement text = browser.byTestId("example-text");
        text.sendKeys(sentence);
        browser.byTestId("example-add-match").click();
        WebElement error = browser.waitFor(By.id(text.getAttribute("id") + "-error"));
        assertThat(error.getText()).isEqualTo("The sentence has 1007 characters, at most 1000 are allowed");
        assertThat(text.getAttribute("value")).as("kept whole, to shorten").isEqualTo(sentence);
        assertThat(api.get("/v1/manage/trackers/" + id + "/examples").body().get("examples")).isEmpty();
    }

    @Test
    void aTrackerAtTheExampleLimitSaysSoWhereTheUserLabelsAndWhatStillWorks() {
        String id = createTracker(PRICING);
        StringBuilder full = new StringBuilder("[");
        for (int i = 0; i < 1000; i++) {
            full.append(i == 0 ? "" : ",").append("{\"text\": \"Sentence number ").append(i).append(" of the set\", \"match\": ")
                    .append(i % 2 == 0).append('}');
        }
        assertThat(api.post("/v1/manage/trackers/" + id + "/examples", full.append(']').toString()).status()).isEqualTo(201);
        processAndWait("""
                {"messages": [{"payload": {"content": "Is it expensive? What does the premium tier cost per month?"}},
                              {"payload": {"content": "The weather is lovely today."}}]}""");
        signIn();
        browser.go("#/trackers/" + id + "/teach");

        browser.byTestId("suggestion-match").click();
        assertThat(browser.byTestId("examples-full").getText())
                .isEqualTo("“Pricing” holds 1,000 examples, the most a tracker can: remove some to add new ones. "
                        + "Changing the label of an example still works.");
        WebElement text = browser.byTestId("example-text");
        text.sendKeys("Can you tell me the fee for ten seats?", Keys.ENTER);
        WebElement error = browser.waitFor(By.id(text.getAttribute("id") + "-error"));
        assertThat(error.getText()).startsWith("“Pricing” holds 1,000 examples");
        assertThat(text.getAttribute("value")).isEqualTo("Can you tell me the fee for ten seats?");
        assertThat(api.get("/v1/manage/trackers/" + id + "/examples").body().get("examples")).hasSize(1000);
    }

    @Test
    void anEstimateThatArrivesLateNeverReplacesTheNewerOne() {
        String id = openTeachPage("The weather is lovely today. See you on Monday. My dog loves long walks.");
        browser.until(d -> browser.allByTestId("suggestion-no-match").size() >= 2 ? true : null);
        browser.byTestId("quality-figures");
        // the estimate asked after the first answer arrives 2 s late, after the one asked after the second
        browser.script("""
                const original = window.fetch;
                let qualityCalls = 0;
                window.lateEstimateDrawn = false;
                window.fetch = (url, options) => {
                  const answer = original(url, options);
                  if (!String(url).includes('/quality') || qualityCalls++ > 0) return answer;
                  return answer.then(response => new Promise(resolve => setTimeout(() => {
                    resolve(response);
                    setTimeout(() => { window.lateEstimateDrawn = true; }, 200);
                  }, 2000)));
                };""");
        browser.allByTestId("suggestion-no-match").get(0).click();
        browser.until(d -> api.get("/v1/manage/trackers/" + id + "/examples").body().get("examples").size() == 1 ? true : null);
        // the first one's buttons wait for its answer: the next sentence's
        browser.until(d -> {
            browser.allByTestId("suggestion-no-match").stream().filter(WebElement::isEnabled).findFirst().orElseThrow().click();
            return true;
        });
        browser.until(d -> api.get("/v1/manage/trackers/" + id + "/examples").body().get("examples").size() == 2 ? true : null);
        browser.until(d -> Boolean.TRUE.equals(browser.script("return window.lateEstimateDrawn")) ? true : null);
        assertThat(browser.byTestId("quality-figures").getText()).as("the estimate of both answers")
                .contains("0 / 2");
        assertThat(browser.driver().findElement(By.id("examples-title")).getText()).isEqualTo("Examples (2)");
    }

    /**
     * An estimate takes seconds on a tracker with many examples: while it is on its way, the figures of the earlier
     * labels are said to be those, not left to pass for the current ones; the note goes when the new figures come.
     */
    @Test
    void whileANewEstimateIsOnItsWayTheFiguresShownAreSaidToBeTheEarlierOnes() {
        String id = openTeachPage("The weather is lovely today. See you on Monday. My dog loves long walks.");
        browser.until(d -> browser.allByTestId("suggestion-no-match").size() >= 1 ? true : null);
        browser.byTestId("quality-figures");
        assertThat(browser.allByTestId("quality-updating")).isEmpty();
        // the next estimate is held until the test lets it go
        browser.script(HOLD_EACH_ESTIMATE);
        browser.allByTestId("suggestion-no-match").get(0).click();
        browser.until(d -> api.get("/v1/manage/trackers/" + id + "/examples").body().get("examples").size() == 1 ? true : null);
        WebElement updating = browser.byTestId("quality-updating");
        assertThat(updating.getText()).contains("Updating for your latest labels");
        assertThat(browser.byTestId("teach-quality").getAttribute("aria-busy")).isEqualTo("true");
        assertThat(browser.byTestId("quality-figures").getText()).as("the earlier figures stay on show").contains("0 / 0");
        browser.until(d -> Boolean.TRUE.equals(browser.script("return window.releaseEstimate !== null")) ? true : null);
        browser.script("window.releaseEstimate()");
        browser.until(d -> browser.allByTestId("quality-updating").isEmpty() ? true : null);
        assertThat(browser.byTestId("quality-figures").getText()).contains("0 / 1");
        assertThat(browser.byTestId("teach-quality").getAttribute("aria-busy")).isNull();
    }

    @Test
    void analyticsShowsHitsPerTrackerAndSpeaker() {
        createTracker(PRICING);
        processAndWait("""
                {"messages": [{"payload": {"content": "What is the price of the premium plan?"},
                               "from": {"name": "Ann", "role": "customer"}}]}""");
        signIn();
        browser.byTestId("nav-analytics").click();
        WebElement row = browser.byTestId("analytics-row");
        // the figures of the API for the page's period (the last 30 days, per day)
        JsonNode figures = api.get("/v1/analytics/trackers?from=" + java.time.Instant.now().minus(java.time.Duration.ofDays(30))
                + "&to=" + java.time.Instant.now().plusSeconds(60) + "&interval=day").body().get("trackers").get(0);
        JsonNode bySpeaker = figures.get("bySpeaker");
        assertThat(figures.get("hits").asInt()).isEqualTo(1);
        assertThat(row.getText()).startsWith(String.join(" ", "Pricing", "1", figures.get("conversations").asString(),
                bySpeaker.get("agent").asString(), bySpeaker.get("customer").asString(), bySpeaker.get("unknown").asString()));
        assertThat(browser.driver().findElements(By.cssSelector("[data-testid='analytics-result'] canvas"))).hasSize(2);
        // every hit was said by a known role: "Unknown" needs no words
        assertThat(browser.allByTestId("analytics-unknown-hint")).isEmpty();
    }

    /** A quality manager takes the period's figures to a spreadsheet: the CSV the API writes, as a file. */
    @Test
    void analyticsDownloadsThePeriodsFiguresAsCsv() throws Exception {
        String pricing = createTracker(PRICING);
        processAndWait("""
                {"messages": [{"payload": {"content": "What is the price of the premium plan?"},
                               "from": {"name": "Ann", "role": "customer"}}]}""");
        signIn();
        browser.byTestId("nav-analytics").click();
        browser.byTestId("analytics-row");
        new Select(browser.byTestId("analytics-range")).selectByValue("7");
        windowShot("analytics-csv-1280");
        catchDownloads();
        browser.byTestId("analytics-csv").click();
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        String csv = downloaded("tracker-analytics-", ".csv", "tracker-analytics-\\d{4}-\\d{2}-\\d{2}-to-"
                + java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1) + "-day\\.csv");
        List<String> rows = List.of(csv.split("\r\n"));
        assertThat(rows).hasSize(8).first().isEqualTo("tracker_id,tracker,start,hits,conversations");
        assertThat(rows).last().isEqualTo(pricing + ",Pricing," + today + ",1,1");
        assertThat(browser.byTestId("analytics-csv").isEnabled()).isTrue();

        // on a phone the button wraps under the period's fields, at the end of its row, within the screen
        viewport(390, 844);
        WebElement button = browser.byTestId("analytics-csv");
        windowShot("analytics-csv-390");
        assertThat(button.getRect().getX() + button.getRect().getWidth()).isLessThanOrEqualTo(390);
        assertThat(button.getRect().getY()).isGreaterThan(browser.byTestId("analytics-range").getRect().getY());
        browser.size(1280, 900);
    }

    /**
     * "Unknown" beside Agent and Customer is said to be a speaker the transcript did not name as either, and how to
     * name them; a trainer read it as something gone wrong (until 2026-11-29).
     */
    @Test
    void analyticsSaysWhatAnUnknownSpeakerIs() {
        createTracker(PRICING);
        processAndWait("""
                {"messages": [{"payload": {"content": "What is the price of the premium plan?"}, "from": {"name": "Ann"}}]}""");
        signIn();
        browser.byTestId("nav-analytics").click();
        assertThat(browser.byTestId("analytics-row").getText()).startsWith("Pricing 1 1 0 0 1");
        assertThat(browser.byTestId("analytics-unknown-hint").getText()).isEqualTo("Unknown: hits in messages whose "
                + "speaker is not known to be the agent or the customer. Name the speakers Agent and Customer in a "
                + "transcript (or send their role) to have them counted by speaker.");
    }

    /**
     * A quality manager's question, "how often did customers ask for a refund in the last 7 days, and in which
     * calls?": the period is 7 UTC days (the page used to send an instant 7 × 24 hours back, which the service rounds
     * down to its day's start, so a call on the eighth day was counted), the page says which days it counted, and the
     * conversation count opens exactly the calls it counted.
     */
    @Test
    void anAnalyticsFigureSaysItsDaysAndOpensTheCallsItCounts() {
        createTracker("""
                {"name": "Refund", "vocabulary": ["refund", "money back", "reverse the charge", "credit my card",
                 "reimburse me"]}""");
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        String call = """
                {"name": "%s", "messages": [{"payload": {"content": "I want a refund."}, "from": {"name": "Ann", "role": "customer"},
                  "duration": {"startTime": "%sT00:30:00Z", "endTime": "%sT00:31:00Z"}}]}""";
        processAndWait(call.formatted("Eight days ago", today.minusDays(7), today.minusDays(7)));
        processAndWait(call.formatted("Three days ago", today.minusDays(3), today.minusDays(3)));
        processAndWait(call.formatted("Yesterday", today.minusDays(1), today.minusDays(1)));
        processAndWait("""
                {"name": "Today, no refund", "messages": [{"payload": {"content": "Thanks, all good."}}]}""");
        signIn();
        browser.go("#/analytics?days=7&interval=day");
        WebElement row = browser.byTestId("analytics-row");
        assertThat(row.getText()).startsWith("Refund 2 2 0 2 0");
        String counted = browser.byTestId("analytics-counted").getText();
        String firstDay = (String) browser.script("return new Date(arguments[0]).toLocaleDateString(undefined, "
                + "{timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric'})", today.minusDays(6) + "T00:00:00Z");
        assertThat(counted).startsWith("Counted: " + firstDay + " to ").contains("UTC");
        // the page's figures are the API's for those days
        JsonNode figures = api.get("/v1/analytics/trackers?from=" + today.minusDays(6) + "&to=" + today.plusDays(1))
                .body().get("trackers").get(0);
        assertThat(figures.get("conversations").asInt()).isEqualTo(2);

        row.findElement(By.cssSelector("[data-testid='analytics-conversations']")).click();
        browser.until(d -> browser.allByTestId("conversation-row").size() == 2 ? true : null);
        assertThat(browser.allByTestId("conversation-row")).extracting(WebElement::getText)
                .allSatisfy(text -> assertThat(text).doesNotContain("Eight days ago").doesNotContain("Today, no refund"))
                .anySatisfy(text -> assertThat(text).startsWith("Yesterday"))
                .anySatisfy(text -> assertThat(text).startsWith("Three days ago"));
        assertThat(browser.byTestId("conversation-filter").getText()).contains("“Refund”").contains(firstDay);
        // no upload form in the way of the answer
        assertThat(browser.allByTestId("upload-text")).isEmpty();
    }

    /**
     * A conversation opened from Teach, or the calls behind an analytics figure, offer the way back there ("← Teach
     * “Pricing”", "← Analytics" with its period). Until 2026-11-29 the only link was "← Conversations" (or "← All
     * conversations"): the way back was the browser's Back button, for those who knew it.
     */
    @Test
    void aConversationOpenedFromTeachOrAnalyticsOffersTheWayBack() {
        String id = pricingWithExamplesAndSuggestions("My cat sleeps all day.", "Good morning, everyone.",
                "Can you send me the contract?");
        processAndWait("""
                {"name": "Price call", "messages": [{"payload": {"content": "What is the price of the premium plan?"}}]}""");
        signIn();
        browser.go("#/trackers/" + id + "/teach");
        browser.byTestId("suggestion").findElement(By.linkText("its conversation")).click();
        browser.byTestId("conversation-message");
        WebElement back = browser.byTestId("came-from");
        assertThat(back.getText()).isEqualTo("← Teach “Pricing”");
        assertThat(browser.driver().findElement(By.cssSelector("p.breadcrumb")).getText())
                .isEqualTo("← Teach “Pricing” · Conversations");
        back.click();
        browser.byTestId("suggestion");
        assertThat(browser.script("return location.hash")).isEqualTo("#/trackers/" + id + "/teach");

        browser.go("#/analytics?days=7&interval=day");
        browser.byTestId("analytics-row").findElement(By.cssSelector("[data-testid='analytics-conversations']")).click();
        browser.byTestId("conversation-row");
        assertThat(browser.byTestId("came-from").getText()).isEqualTo("← Analytics");
        windowShot("came-from-analytics-1280");
        viewport(390, 844);
        windowShot("came-from-analytics-390");
        browser.size(1280, 900);
        browser.byTestId("came-from").click();
        browser.byTestId("analytics-row");
        assertThat(browser.script("return location.hash")).isEqualTo("#/analytics?days=7&interval=day");
        // opened from the menu, a conversation has only its list to go back to
        browser.go("#/conversations");
        browser.byTestId("conversation-row").findElement(By.tagName("a")).click();
        browser.byTestId("conversation-message");
        assertThat(browser.allByTestId("came-from")).isEmpty();
        assertThat(browser.driver().findElement(By.cssSelector("p.breadcrumb")).getText()).isEqualTo("← Conversations");
    }

    /**
     * Polish a user sees on every visit (finding 27): dates to the minute, the time never split from its "PM" (at 390 px
     * "PM" stood on a line of its own in every tracker row); a job's status in words ("Completed", not the API's
     * "completed"); the editor's window size, disabled, looks it beside its greyed unit; and under Sensitivity the box
     * comes before its words ("default ☑ Use the calibrated default" read "default" as its label).
     */
    /**
     * Every list dates its rows to the minute ("Nov 28, 2026, 8:45 PM"), but a tracker's examples read
     * "11/28/2026, 8:45:14 PM" until 2026-11-28, and so did the editor's "changed": seconds a trainer has no use for,
     * in another form than the rest of the pages.
     */
    @Test
    void examplesAndTheEditorDateToTheMinuteAsTheListsDo() {
        String id = teachPricingWithAMatchAndANonMatch();
        String toTheMinute = "[A-Z][a-z]{2} \\d{1,2}, \\d{4}, \\d{1,2}:\\d{2}[ \u00a0][AP]M";
        assertThat(browser.allByTestId("example"))
                .allSatisfy(example -> assertThat(example.findElement(By.cssSelector(".date")).getText())
                        .matches(toTheMinute));
        browser.go("#/trackers/" + id);
        browser.until(d -> browser.byTestId("tracker-name").getDomProperty("value").equals("Pricing") ? true : null);
        assertThat(browser.waitFor(By.xpath("//p[contains(., ' · changed ')]")).getText())
                .matches("ID .* · version \\d+ · changed " + toTheMinute);
    }

    @Test
    void datesStatusesAndDisabledControlsReadAsTheyShould() {
        String id = createTracker(PRICING);
        processAndWait("""
                {"name": "Call with Ann", "messages": [{"payload": {"content": "What is the price?"},
                  "duration": {"startTime": "2026-11-20T14:00:00Z", "endTime": "2026-11-20T14:01:00Z"}}]}""");
        signIn();
        viewport(390, 844);
        String date = (String) browser.script("return arguments[0].querySelector('.date').textContent", row("Pricing"));
        assertThat(date).startsWith("changed ").doesNotContainPattern("\\d:\\d\\d:\\d\\d")
                .doesNotContainPattern("\\d [AP]M");
        // the date wraps, if at all, before the time, never inside it
        assertThat(browser.script("""
                const span = arguments[0].querySelector('.date');
                const range = document.createRange();
                range.setStart(span.firstChild, span.textContent.search(/\\d+:\\d\\d/));
                range.setEnd(span.firstChild, span.textContent.length);
                return range.getClientRects().length""", row("Pricing"))).isEqualTo(1L);
        windowShot("polish-trackers-390");
        browser.size(1280, 900);

        openConversations();
        assertThat(browser.byTestId("conversation-row").findElement(By.cssSelector("td[data-label='Status']")).getText())
                .isEqualTo("Completed");

        browser.go("#/trackers/" + id);
        browser.byTestId("tracker-vocabulary");
        browser.driver().findElement(By.cssSelector("details.more > summary")).click();
        WebElement size = browser.byTestId("tracker-window-size");
        assertThat(size.isEnabled()).isFalse();
        assertThat(size.getCssValue("background-color")).isNotEqualTo(browser.byTestId("tracker-name").getCssValue("background-color"));
        WebElement options = browser.byTestId("sensitivity-default").findElement(By.xpath("ancestor::div[contains(@class,'inline-options')]"));
        assertThat(options.getText()).isEqualTo("Use the calibrated default");
        browser.byTestId("sensitivity-default").click();
        assertThat(options.getText()).startsWith("Use the calibrated default").endsWith("Sensitivity 0.50");
        browser.byTestId("sensitivity-default").click();
        browser.script("arguments[0].scrollIntoView({block: 'center'})", size);
        windowShot("polish-editor-1280");
    }

    @Test
    void pastConversationsAreListed() {
        processAndWait("""
                {"name": "Call with Ann", "messages": [{"payload": {"content": "Hello."}}]}""");
        signIn();
        browser.byTestId("nav-conversations").click();
        WebElement row = browser.byTestId("conversation-row");
        assertThat(row.getText()).contains("Call with Ann");
        row.findElement(By.tagName("a")).click();
        browser.byTestId("conversation-message");
    }

    /**
     * A conversation is deleted from its page after a confirmation that starts on Cancel (as a tracker's), and the
     * list no longer shows it.
     */
    @Test
    void deleteAConversationFromItsPage() {
        String doomed = processAndWait("""
                {"name": "Call to delete", "messages": [{"payload": {"content": "What is the price?"}}]}""");
        processAndWait("""
                {"name": "Call to keep", "messages": [{"payload": {"content": "Hello."}}]}""");
        signIn();
        browser.driver().get(url() + "/#/conversations/" + doomed);
        browser.byTestId("conversation-message");

        browser.byTestId("conversation-delete").click();
        assertThat(browser.byTestId("delete-dialog").getText()).contains("Delete “Call to delete”?");
        // one Enter must not delete: the dialog starts on Cancel
        assertFocusMovesTo("cancel-delete");
        browser.driver().switchTo().activeElement().sendKeys(Keys.ENTER);
        browser.until(d -> browser.script("return document.querySelector('dialog[open]') === null"));
        assertThat(api.get("/v1/conversations/" + doomed).status()).isEqualTo(200);

        browser.byTestId("conversation-delete").click();
        browser.byTestId("confirm-delete").click();
        browser.until(d -> "#/conversations".equals(browser.script("return location.hash")) ? true : null);
        List<String> rows = browser.until(d -> {
            List<String> texts = browser.allByTestId("conversation-row").stream().map(WebElement::getText).toList();
            return texts.isEmpty() ? null : texts;
        });
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).contains("Call to keep");
        assertThat(api.get("/v1/conversations/" + doomed).status()).isEqualTo(404);
    }

    @Test
    void tryItShowsNearMissesWithTheirThresholds() {
        int nearMisses = 0;
        for (JsonNode candidate : pricingAndBudgetExplainedOn(PRICE_QUESTION)) {
            nearMisses += candidate.get("fired").asBoolean() ? 0 : 1;
        }
        signIn();
        tryIt(PRICE_QUESTION);
        browser.waitFor(By.cssSelector("[data-testid='try-result'] mark"));
        assertThat(browser.allByTestId("try-near-miss")).hasSize(nearMisses);
        if (nearMisses > 0) {
            browser.byTestId("try-near-misses").findElement(By.tagName("summary")).click();
            assertThat(browser.byTestId("try-near-miss").getText()).contains("threshold");
        }
    }

    /**
     * Why a tracker fired is the threshold it cleared: until 2026-11-28 its near misses read "score 0.84 / threshold
     * 0.67" while a hit read only "score 0.79 · by meaning", so a trainer could not tell a hit that barely fired from
     * a sure one, nor compare it with the near miss beside it.
     */
    @Test
    void tryItSaysTheThresholdEachHitCleared() {
        JsonNode fired = null;
        for (JsonNode candidate : pricingAndBudgetExplainedOn(PRICE_QUESTION)) {
            if (candidate.get("fired").asBoolean()) fired = candidate;
        }
        assertThat(fired).isNotNull();
        assertThat(fired.get("name").asString()).isEqualTo("Pricing");
        String threshold = String.format(java.util.Locale.ROOT, "%.2f", fired.get("threshold").asDouble());

        signIn();
        tryIt(PRICE_QUESTION);
        assertThat(browser.byTestId("try-hit").getText())
                .startsWith("Pricing “what is the price” score 1.00 / threshold " + threshold + " · literal");
    }

    /**
     * The numbers beside a hit are said once above the messages: "score 0.81 / threshold 0.69" was left to a trainer
     * to guess on Try it and on a conversation's page (until 2026-11-29). A result without hits has no such numbers,
     * and no such line.
     */
    @Test
    void whatAScoreAndAThresholdAreIsSaidWhereTheyAreShown() {
        createTracker(PRICING);
        String conversation = processAndWait("""
                {"messages": [{"payload": {"content": "What is the price of it?"}}]}""");
        signIn();
        tryIt("The weather is lovely today.");
        browser.until(d -> browser.byTestId("try-summary").getText().equals("No tracker fired") ? true : null);
        if (browser.allByTestId("try-near-miss").isEmpty()) {
            assertThat(browser.allByTestId("score-hint")).isEmpty();
        }
        browser.byTestId("try-text").clear();
        browser.byTestId("try-text").sendKeys(PRICE_QUESTION);
        browser.byTestId("try-run").click();
        browser.byTestId("try-hit");
        assertThat(browser.byTestId("score-hint").getText()).isEqualTo("Score: how close the words are to the phrase "
                + "named, from 0 to 1 (1.00 when it was said as written: “literal”). A tracker fires when its score "
                + "reaches its threshold; near misses came close, and say why they did not fire.");

        browser.go("#/conversations/" + conversation);
        browser.byTestId("conversation-hit");
        assertThat(browser.byTestId("score-hint").getText()).isEqualTo("Score: how close the words are to the phrase "
                + "named, from 0 to 1 (1.00 when it was said as written: “literal”).");
    }

    /**
     * A new account's tracker list said "No trackers yet" under a search box and a sort with nothing to search or sort,
     * and not what a tracker is (until 2026-11-29). It now says so in two sentences, offers New tracker and Import, and
     * shows search and sort once there is a tracker to find.
     */
    @Test
    void aNewAccountsTrackerListSaysWhatATrackerIsAndOffersTheFirstSteps() throws Exception {
        signIn();
        WebElement empty = browser.byTestId("trackers-empty");
        assertThat(empty.getText()).startsWith("No trackers yet. A tracker is a named list of example phrases, such as "
                + "“Pricing”: “how much does it cost”, “what is the price”. Messages of your conversations that mean "
                + "the same, in other words too, are reported as its hits.");
        assertThat(browser.byTestId("empty-new-tracker").isDisplayed()).isTrue();
        assertThat(browser.byTestId("empty-import").getText()).isEqualTo("Import JSON…");
        assertThat(browser.allByTestId("tracker-search")).as("nothing to search").noneMatch(WebElement::isDisplayed);
        assertThat(browser.allByTestId("tracker-sort")).as("nothing to sort").noneMatch(WebElement::isDisplayed);
        screenshotsAtBothWidths("trackers-empty", "the empty tracker list", "window.scrollTo(0, 0)");

        browser.byTestId("empty-new-tracker").click();
        fillEditor("Pricing", "how much does it cost\nwhat is the price\npricing plans\ntoo expensive\nany discount");
        browser.byTestId("tracker-save").click();
        row("Pricing");
        assertThat(browser.allByTestId("trackers-empty")).isEmpty();
        assertThat(browser.byTestId("tracker-search").isDisplayed()).isTrue();
        assertThat(browser.byTestId("tracker-sort").isDisplayed()).isTrue();

        // every tracker deleted: the list is a new account's again, the focus on its first step, not on a hidden search
        browser.byTestId("tracker-select-all").click();
        browser.byTestId("delete-selected").click();
        browser.byTestId("confirm-bulk-delete").click();
        browser.byTestId("trackers-empty");
        assertThat(browser.allByTestId("tracker-search")).noneMatch(WebElement::isDisplayed);
        browser.until(d -> "empty-new-tracker".equals(browser.script("return document.activeElement.dataset.testid"))
                ? true : null);
    }

    /**
     * On a phone a new account's conversation list said "No conversations yet." under a closed upload form, and
     * neither what a conversation is nor where to upload one (until 2026-11-29). It now says both, and its button opens
     * the form at its first field; the search and the days show once there is a conversation.
     */
    @Test
    void aNewAccountsConversationListSaysWhatAConversationIsAndLeadsToTheUpload() throws Exception {
        signIn();
        browser.go("#/conversations");
        WebElement empty = browser.byTestId("conversations-empty");
        assertThat(empty.getText()).startsWith("No conversations yet. A conversation is the transcript of a call or "
                + "chat that you upload: each of its messages is checked against your trackers, and its page shows "
                + "which fired where.");
        assertThat(browser.allByTestId("conversation-search")).noneMatch(WebElement::isDisplayed);
        screenshotsAtBothWidths("conversations-empty", "the empty conversation list", "window.scrollTo(0, 0)");

        viewport(390, 844);
        assertThat(browser.allByTestId("upload-text")).as("the form, closed on a phone").noneMatch(WebElement::isDisplayed);
        WebElement upload = browser.byTestId("empty-upload");
        assertThat(upload.getText()).isEqualTo("Upload a conversation");
        assertThat(upload.getRect().getY() + upload.getRect().getHeight()).as("the way to the upload, in sight")
                .isLessThanOrEqualTo(844);
        upload.click();
        assertThat(browser.byTestId("upload-open").getAttribute("aria-expanded")).isEqualTo("true");
        assertThat(browser.script("return document.activeElement.dataset.testid")).isEqualTo("upload-file");
        browser.byTestId("upload-text").sendKeys("Ann: How much does it cost?");
        browser.byTestId("upload-submit").click();
        browser.byTestId("conversation-message");
        browser.driver().findElement(By.linkText("← Conversations")).click();
        browser.byTestId("conversation-row");
        assertThat(browser.allByTestId("conversations-empty")).isEmpty();
        assertThat(browser.byTestId("conversation-search").isDisplayed()).isTrue();
        browser.size(1280, 900);
    }

    /**
     * An upload whose answer never came (the connection dropped after the service stored it) and that the user sends
     * again is one conversation, not two: the page sends the same Idempotency-Key with the same upload. A new upload
     * of the same text after an answer is a new conversation, as asked.
     */
    @Test
    void anUploadSentAgainAfterItsAnswerWasLostIsStoredOnce() {
        signIn();
        browser.byTestId("nav-conversations").click();
        browser.byTestId("upload-text");
        // the first answer is lost on its way back: the service has the upload, the page sees a network error
        browser.script("""
                const realFetch = window.fetch;
                let lost = false;
                window.fetch = async (url, init) => {
                  const answer = await realFetch(url, init);
                  if (!lost && String(url).startsWith('/v1/process/text') && init?.method === 'POST') {
                    lost = true;
                    throw new TypeError('Failed to fetch');
                  }
                  return answer;
                };""");
        browser.byTestId("upload-text").sendKeys("Ann: How much does it cost?\nBob: It depends on the plan.");
        browser.byTestId("upload-submit").click();
        assertThat(browser.byTestId("upload-error").getText()).contains("could not be reached");
        assertThat(conversationCount()).isEqualTo(1);

        browser.byTestId("upload-submit").click();
        browser.byTestId("conversation-message");
        assertThat(conversationCount()).as("the retry answered with the first upload's job").isEqualTo(1);

        browser.go("#/conversations");
        browser.byTestId("upload-text");
        browser.byTestId("upload-text").sendKeys("Ann: How much does it cost?\nBob: It depends on the plan.");
        browser.byTestId("upload-submit").click();
        browser.byTestId("conversation-message");
        assertThat(conversationCount()).as("the same text uploaded again, deliberately").isEqualTo(2);
    }

    private int conversationCount() {
        return api.get("/v1/conversations").body().get("conversations").size();
    }

    /**
     * The Teach page showed "closeness 0.70" under a sentence whose conversation showed "score 0.82", and never said
     * what closeness is (until 2026-11-29): one line above the suggestions says it, and that a score may differ.
     */
    @Test
    void whatClosenessIsIsSaidOnceAboveTheSuggestions() throws Exception {
        String id = pricingWithExamplesAndSuggestions("See you on Monday.");
        signIn();
        browser.go("#/trackers/" + id + "/teach");
        assertThat(browser.byTestId("suggestion-state").getText()).contains("· closeness ");
        assertThat(browser.allByTestId("closeness-hint")).hasSize(1);
        WebElement hint = browser.byTestId("closeness-hint");
        assertThat(hint.getText()).isEqualTo("Closeness: how close the sentence, read alone, is to the nearest of the "
                + "tracker’s phrases and labelled matches, from 0 to 1. A conversation’s “score” is for the words that "
                + "matched one phrase, so it can differ.");
        assertThat(hint.getRect().getY()).as("above the suggestions")
                .isLessThan(browser.byTestId("suggestion").getRect().getY());
        screenshotsAtBothWidths("teach-closeness", "the teach page", "window.scrollTo(0, 0)");
    }

    private static final String PRICE_QUESTION = "What is the price of it?";

    /** Pricing and Budget created, and the candidates /v1/match explains for {@code said} as the only message. */
    private JsonNode pricingAndBudgetExplainedOn(String said) {
        createTracker(PRICING);
        createTracker(BUDGET);
        Response explained = api.post("/v1/match", "{\"explain\": true, \"messages\": [{\"id\": \"m1\", "
                + "\"payload\": {\"content\": \"" + said + "\"}}]}");
        assertThat(explained.status()).isEqualTo(200);
        return explained.body().get("explanations").get(0).get("candidates");
    }

    /** Try it, opened from the menu, run on {@code said}. */
    private void tryIt(String said) {
        browser.byTestId("nav-try").click();
        browser.byTestId("try-text").sendKeys(said);
        browser.byTestId("try-run").click();
    }

    @Test
    void tryItSaysWhichEverydaySentenceALoneTrackersNearMissWasTakenFor() {
        createTracker(PRICING);
        String said = "What time is it?";
        Response explained = api.post("/v1/match", "{\"explain\": true, \"messages\": [{\"id\": \"m1\", "
                + "\"payload\": {\"content\": \"" + said + "\"}}]}");
        JsonNode candidate = explained.body().get("explanations").get(0).get("candidates").get(0);
        assertThat(candidate.get("reason").asString()).as("a lone tracker's small-talk near miss")
                .isEqualTo("everyday-talk");
        String everyday = candidate.get("everydayTalk").get("text").asString();

        signIn();
        browser.byTestId("nav-try").click();
        browser.byTestId("try-text").sendKeys(said);
        browser.byTestId("try-run").click();
        browser.byTestId("try-near-misses").findElement(By.tagName("summary")).click();
        assertThat(browser.byTestId("try-near-miss").getText())
                .contains("closer to everyday talk than to the tracker").contains("“" + everyday + "”");
    }

    /** "Another tracker was chosen" left users asking which one; and the one named need not have fired. */
    @Test
    void tryItNamesTheTrackerThatANotChosenNearMissLostItsWordsTo() {
        createTracker("""
                {"name": "Greeting", "vocabulary": ["thanks for calling", "how can I help you", "welcome to",
                 "my name is", "good morning"], "speaker": "agent"}""");
        createTracker(PRICING);
        Response explained = api.post("/v1/match", """
                {"explain": true, "messages": [{"id": "m1", "payload": {"content": "Good morning, my name is Bob."},
                 "from": {"name": "Customer", "role": "customer"}}]}""");
        JsonNode pricing = null;
        for (JsonNode candidate : explained.body().get("explanations").get(0).get("candidates")) {
            if (candidate.get("name").asString().equals("Pricing")) {
                pricing = candidate;
            }
        }
        assertThat(pricing).as(explained.body().toString()).isNotNull();
        assertThat(pricing.get("reason").asString()).isEqualTo("not-chosen");
        assertThat(pricing.at("/chosenInstead/name").asString()).isEqualTo("Greeting");

        signIn();
        browser.byTestId("nav-try").click();
        // a customer says the agent's greeting: Greeting gets the words, and its speaker condition stops it
        browser.byTestId("try-text").sendKeys("Customer: Good morning, my name is Bob.");
        browser.byTestId("try-run").click();
        assertThat(browser.byTestId("try-summary").getText()).isEqualTo("No tracker fired");
        browser.byTestId("try-near-misses").findElement(By.tagName("summary")).click();
        List<String> lines = browser.allByTestId("try-near-miss").stream().map(WebElement::getText).toList();
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("Pricing")
                .contains("these words read more like “Greeting”").doesNotContain("chosen"));
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("Greeting")
                .contains("said by the other speaker"));
    }

    @Test
    void theEditorSetsSpeakerWindowAndExclusions() {
        signIn();
        browser.byTestId("new-tracker").click();
        fillEditor("Switching", "switch provider\nmove to another vendor\nchange supplier\nleave for a competitor\ngo elsewhere");
        browser.driver().findElement(By.cssSelector("details.more summary")).click();
        new Select(browser.byTestId("tracker-speaker")).selectByValue("customer");
        new Select(browser.byTestId("tracker-window-anchor")).selectByValue("end");
        browser.byTestId("tracker-window-size").sendKeys("5");
        new Select(browser.byTestId("tracker-window-unit")).selectByValue("messages");
        browser.byTestId("tracker-exclude").sendKeys("not planning to switch");
        browser.byTestId("tracker-save").click();
        row("Switching");
        JsonNode stored = trackers().get(0);
        assertThat(stored.get("speaker").asString()).isEqualTo("customer");
        assertThat(stored.get("window").toString()).isEqualTo("{\"anchor\":\"end\",\"messages\":5}");
        assertThat(stored.get("exclude").toString()).isEqualTo("[\"not planning to switch\"]");
    }

    // ---- what the audit of the pages found (docs/ui.md): navigation, forms that keep what was typed, hits ----

    /** Makes the page's calls to paths containing {@code part} wait {@code ms} before they go out. */
    private void slowDown(String part, int ms) {
        browser.script("""
                const original = window.fetch;
                window.fetch = (url, options) => String(url).includes(arguments[0])
                    ? new Promise(resolve => setTimeout(resolve, arguments[1])).then(() => original(url, options))
                    : original(url, options);""", part, ms);
    }

    private String activeTestId() {
        return (String) browser.script("return document.activeElement?.dataset.testid ?? document.activeElement?.tagName");
    }

    /**
     * Asserts that the focus moves to the element: the page may move it a task after the click that caused it (a hash
     * change, an answer of the API), which a loaded build machine can delay past the moment a click returns.
     */
    private void assertFocusMovesTo(String testId) {
        try {
            browser.until(d -> testId.equals(activeTestId()) ? true : null);
        } catch (org.openqa.selenium.TimeoutException e) {
            // the assertion below names where the focus is instead
        }
        assertThat(activeTestId()).as("the element with the focus").isEqualTo(testId);
    }

    private String transcriptOf(int lines) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            text.append(i % 2 == 0 ? "Ann: " : "Bob: ").append("Line ").append(i).append(" about the weather and the plans.\n");
        }
        return text.toString();
    }

    @Test
    void anUploadThatFinishesElsewhereSaysSoInsteadOfTakingTheUserAway() {
        signIn();
        browser.byTestId("nav-conversations").click();
        browser.byTestId("upload-text");
        browser.script("""
                const box = document.querySelector('[data-testid=upload-text]');
                box.value = arguments[0];
                box.dispatchEvent(new Event('input'));""", transcriptOf(60));
        // submitted, and at once the user goes on to write a tracker
        browser.script("document.querySelector('[data-testid=upload-submit]').click(); location.hash = '#/trackers/new'");
        browser.byTestId("tracker-name").sendKeys("Half-written");
        WebElement link = browser.byTestId("toast-link");
        assertThat(link.getAttribute("href")).contains("#/conversations/");
        assertThat(browser.script("return location.hash")).isEqualTo("#/trackers/new");
        assertThat(browser.byTestId("tracker-name").getAttribute("value")).isEqualTo("Half-written");
        // the form has unsaved text: following the link asks first
        link.click();
        browser.byTestId("leave-confirm").click();
        browser.byTestId("conversation-message");
    }

    @Test
    void onlyTheLatestNavigationDrawsAndEveryPageSaysItIsLoading() {
        createTracker(PRICING);
        String conversationId = processAndWait("""
                {"name": "Slow one", "messages": [{"payload": {"content": "What is the price?"}}]}""");
        signIn();
        slowDown("/v1/conversations/", 1500);
        browser.go("#/conversations/" + conversationId);
        browser.waitFor(By.cssSelector("main .loading"));
        browser.byTestId("nav-analytics").click();
        browser.byTestId("analytics-row");
        // the conversation's answers arrive after the analytics: they must not replace them
        browser.script("return new Promise(resolve => setTimeout(resolve, 2500))");
        assertThat(browser.driver().findElement(By.cssSelector("main h1")).getText()).isEqualTo("Analytics");
        assertThat(browser.allByTestId("analytics-row")).isNotEmpty();
        assertThat(browser.allByTestId("conversation-message")).isEmpty();
        assertThat(browser.driver().getTitle()).isEqualTo("Analytics – OpenTrackers");

        // a slow page: the old one is gone at once, and the new one says it is on its way
        slowDown("/v1/manage/trackers", 1500);
        browser.byTestId("nav-try").click();
        assertThat(browser.waitFor(By.cssSelector("main .loading")).getText()).contains("Loading");
        assertThat(browser.allByTestId("analytics-row")).isEmpty();
        browser.byTestId("try-text");
        // after a navigation the focus is on the new page's heading, for keyboards and screen readers
        assertThat(browser.script("return document.activeElement.tagName + ' ' + document.activeElement.textContent"))
                .isEqualTo("H1 Try it");
    }

    @Test
    void aPageThatCannotLoadSaysSoInItsOwnPlace() {
        createTracker(PRICING);
        signIn();
        row("Pricing");
        // the service goes away: the page the user asked for says so (and offers to try again)
        browser.script("""
                const original = window.fetch;
                window.offline = true;
                window.fetch = (url, options) => window.offline ? Promise.reject(new TypeError('Failed to fetch')) : original(url, options);""");
        browser.byTestId("nav-try").click();
        assertThat(browser.byTestId("page-problem").getText()).contains("could not be reached");
        assertThat(browser.driver().findElement(By.cssSelector("main h1")).getText()).isEqualTo("Try it");
        browser.script("window.offline = false");
        browser.byTestId("page-retry").click();
        browser.byTestId("try-text");

        // addresses that name nothing: a page that says so, with a way back
        browser.go("#/trackers/%E0%A4%A");
        assertThat(browser.byTestId("not-found").getText()).contains("no page at this address");
        browser.go("#/conversations/no-such-conversation");
        assertThat(browser.byTestId("page-back").getAttribute("href")).endsWith("#/conversations");
        browser.go("#/trackers/no-such-tracker/teach");
        assertThat(browser.byTestId("page-back").getAttribute("href")).endsWith("#/trackers");
    }

    /**
     * An old bookmark of a tracker or conversation since deleted (or an address that never named one) says so in the
     * page's words, with the way back, and the focus on its heading. Until 2026-11-29 it showed the service's "No
     * tracker with id '00000000-…'" under a heading "Tracker", and a bookmark left the focus on the document.
     */
    @Test
    void aBookmarkOfATrackerOrConversationThatIsGoneSaysSoWithTheWayBack() {
        String deleted = createTracker(PRICING);
        assertThat(api.send(org.springframework.http.HttpMethod.DELETE, "/v1/manage/trackers/" + deleted, null, null).status())
                .isEqualTo(200);
        signIn();
        String[][] pages = {
                {"#/trackers/" + deleted, "Tracker not found", "This tracker does not exist; it may have been deleted.", "#/trackers"},
                {"#/trackers/not-a-uuid/teach", "Tracker not found", "This tracker does not exist; it may have been deleted.", "#/trackers"},
                {"#/conversations/abc", "Conversation not found", "This conversation does not exist; it may have been deleted.",
                        "#/conversations"}};
        for (String[] expected : pages) {
            for (boolean bookmark : new boolean[] {true, false}) {
                if (bookmark) {
                    browser.freshLoad(expected[0]);
                } else {
                    browser.go("#/analytics");
                    browser.waitFor(By.cssSelector("[data-testid='analytics-result'] > *"));
                    browser.go(expected[0]);
                }
                assertThat(browser.byTestId("page-problem").getText()).as(expected[0]).isEqualTo(expected[2]);
                assertThat(browser.driver().findElement(By.cssSelector("main h1")).getText()).isEqualTo(expected[1]);
                assertThat(browser.byTestId("page-back").getAttribute("href")).endsWith(expected[3]);
                assertThat((String) browser.script("return document.activeElement.tagName + ' ' + document.activeElement.textContent"))
                        .as(expected[0] + (bookmark ? " opened from a bookmark" : "")).isEqualTo("H1 " + expected[1]);
                assertThat(browser.driver().getTitle()).isEqualTo(expected[1] + " – OpenTrackers");
            }
        }
        windowShot("gone-not-found-1280");
        viewport(390, 844);
        windowShot("gone-not-found-390");
        browser.size(1280, 900);
    }

    @Test
    void everyProblemOfTheEditorIsNamedOnceAndTheSummaryFollowsTheFixes() {
        signIn();
        browser.byTestId("new-tracker").click();
        browser.byTestId("tracker-vocabulary").sendKeys("alpha one\nbeta two\ngamma three\ndelta four\nepsilon five");
        browser.byTestId("tracker-save").click();
        // an empty name: said at the field and in the summary, and the focus goes to the field
        assertThat(browser.byTestId("tracker-error").findElements(By.tagName("li"))).extracting(WebElement::getText)
                .containsExactly("Name is required");
        String nameId = browser.byTestId("tracker-name").getAttribute("id");
        assertThat(browser.driver().findElement(By.id(nameId + "-error")).getText()).isEqualTo("Name is required");
        assertFocusMovesTo("tracker-name");

        // several problems: one line each, numbered by the textarea's lines (blank lines count)
        browser.byTestId("tracker-name").sendKeys("Prices");
        WebElement phrases = browser.byTestId("tracker-vocabulary");
        phrases.clear();
        phrases.sendKeys("price\n\nwhat now?\n\nPrice");
        browser.byTestId("tracker-save").click();
        assertThat(browser.byTestId("tracker-error").findElements(By.tagName("li"))).extracting(WebElement::getText)
                .containsExactly("Phrases must have 5 to 50 phrases, has 3",
                        "Phrases, line 3: \"what now?\" contains '?' which is not allowed; a phrase holds only letters, digits, spaces, full stops (.), apostrophes (') and hyphens (-)",
                        "Phrases, line 5: \"Price\" repeats line 1 (phrases are compared ignoring case, spacing and how accents are encoded)");
        assertFocusMovesTo("tracker-vocabulary");

        // the summary follows the fixes, and goes once nothing is left
        phrases.clear();
        phrases.sendKeys("price\n\nwhat now\ncost\nfee\nrate");
        browser.until(d -> browser.allByTestId("tracker-error").get(0).isDisplayed() ? null : true);
        browser.byTestId("tracker-save").click();
        row("Prices");
        assertThat(trackers().get(0).get("vocabulary")).hasSize(5);
    }

    /**
     * Typing the first phrases of a new tracker is not a mistake: the count above the box says how many there are, and
     * the box turns red for the count only once the user leaves it (or saves). Until 2026-11-28 it was red, with
     * "Phrases must have 5 to 50 phrases, has 1", from the first letter. A phrase's own problem ('?') shows at once.
     */
    /**
     * A phrase such as "a" or "it is" is allowed, and then fires literally on nearly every sentence (28 trackers of
     * the audit fired on "Is there a discount for annual plans?"). The editor says so as it is typed, naming the line,
     * without refusing the save; "no" and other words that carry meaning are not flagged.
     */
    @Test
    void aPhraseSaidInNearlyEverySentenceIsPointedOutWithoutBlockingTheSave() {
        signIn();
        browser.byTestId("new-tracker").click();
        browser.byTestId("tracker-name").sendKeys("Careless");
        WebElement phrases = browser.byTestId("tracker-vocabulary");
        phrases.sendKeys("no way\nwe are not interested\na\nit is\nnot for us");
        WebElement warning = browser.byTestId("vocabulary-warning");
        browser.until(d -> warning.isDisplayed() ? true : null);
        assertThat(warning.findElements(By.cssSelector(".line"))).extracting(WebElement::getText).containsExactly(
                "Line 3: \"a\" is said in nearly every sentence: the tracker would fire on almost everything. Write "
                        + "what people say about the topic.",
                "Line 4: \"it is\" is said in nearly every sentence: the tracker would fire on almost everything. "
                        + "Write what people say about the topic.");
        assertThat(phrases.getDomAttribute("aria-invalid")).isNull();
        windowShot("editor-everywhere-1280");

        browser.byTestId("tracker-save").click();
        browser.until(d -> api.get("/v1/manage/trackers?name=Careless").body().get("trackers").size() == 1 ? true
                : null);
        // fixed: the warning goes
        browser.go("#/trackers");
        browser.byTestId("new-tracker").click();
        browser.byTestId("tracker-vocabulary").sendKeys("no way\nnot for us");
        assertThat(browser.byTestId("vocabulary-count").getText()).isEqualTo("2 of 5–50 phrases");
        assertThat(browser.driver().findElement(By.cssSelector("[data-testid='vocabulary-warning']")).isDisplayed())
                .isFalse();
    }

    /**
     * Names are case-sensitive (the wire contract), so "pricing" beside "Pricing" is a second tracker: a new user made
     * one by accident (2026-11-29 walkthrough). The editor says so as the name is typed, and says a name another
     * tracker has before the save is refused; the tracker's own name, edited, is no warning.
     */
    @Test
    void aNameDifferingOnlyInCaseFromAnotherTrackersIsSaidAsItIsTyped() {
        String pricing = createTracker(PRICING);
        signIn();
        browser.byTestId("new-tracker").click();
        WebElement name = browser.byTestId("tracker-name");
        name.sendKeys("pricing");
        WebElement warning = browser.byTestId("name-warning");
        browser.until(d -> warning.isDisplayed() ? true : null);
        assertThat(warning.getText()).isEqualTo("Another tracker is named “Pricing”. Names are case-sensitive: this "
                + "would be a second tracker beside it. Open “Pricing”");
        assertThat(browser.byTestId("name-warning-open").getDomAttribute("href")).isEqualTo("#/trackers/" + pricing);
        windowShot("editor-name-case-1280");

        name.clear();
        name.sendKeys(" Pricing ");
        browser.until(d -> warning.getText().startsWith("Another tracker of this account is named “Pricing”: names "
                + "must differ, so saving would be refused.") ? true : null);
        name.sendKeys(Keys.BACK_SPACE, " plans");
        browser.until(d -> warning.isDisplayed() ? null : true);
        name.clear();

        createTracker(CANCELLATION);
        browser.go("#/trackers/" + pricing);
        WebElement own = browser.byTestId("tracker-name");
        browser.until(d -> "Pricing".equals(own.getDomProperty("value")) ? true : null);
        own.clear();
        own.sendKeys("CANCELLATION");
        WebElement editing = browser.byTestId("name-warning");
        browser.until(d -> editing.getText().startsWith("Another tracker is named “Cancellation”.") ? true : null);
        // back to its own name: no other tracker has it
        own.clear();
        own.sendKeys("pricing");
        browser.until(d -> editing.isDisplayed() ? null : true);
    }

    /**
     * A list pasted from a document keeps its numbers, and "1." is allowed: until 2026-11-28 "1. talk to my manager"
     * was saved as such, unremarked, and then matched "I will talk to my manager first" by meaning only. Its other
     * marks (a question mark, a curly apostrophe) were refused one line at a time, to be deleted by hand.
     */
    @Test
    void aListPastedWithItsNumbersAndPunctuationIsTidiedInOneClick() {
        signIn();
        browser.byTestId("new-tracker").click();
        browser.byTestId("tracker-name").sendKeys("Objections");
        WebElement phrases = browser.byTestId("tracker-vocabulary");
        paste(phrases, """
                1. I need to think about it
                2. too expensive!

                3. talk to my manager
                4. Is there a discount?
                5. We’re happy with our current vendor, thanks
                6. "not right now\"""");
        WebElement warning = browser.byTestId("vocabulary-warning");
        browser.until(d -> warning.isDisplayed() ? true : null);
        assertThat(warning.getText()).isEqualTo("6 lines (1, 2, 4…) start with the mark of a list (\"1.\", \"2.\"…), "
                + "which would be saved as part of the phrase. \"Remove list marks and punctuation\" takes it out.");
        assertThat(browser.waitFor(By.id(phrases.getDomAttribute("id") + "-error")).getText()).contains("Line 5: ").contains("'’'");

        WebElement tidy = browser.byTestId("vocabulary-tidy");
        assertThat(tidy.getText()).isEqualTo("Remove list marks and punctuation");
        tidy.click();
        // every line in its place, so what is said about line 4 is still about line 4
        assertThat(phrases.getDomProperty("value")).isEqualTo("""
                I need to think about it
                too expensive

                talk to my manager
                Is there a discount
                We're happy with our current vendor thanks
                not right now""");
        assertThat(browser.byTestId("vocabulary-tidied").getText()).isEqualTo("Tidied 6 lines.");
        assertThat(activeTestId()).isEqualTo("tracker-vocabulary");
        assertThat(tidy.isDisplayed()).isFalse();
        assertThat(warning.isDisplayed()).isFalse();
        assertThat(phrases.getDomAttribute("aria-invalid")).isNull();

        browser.byTestId("tracker-save").click();
        browser.until(d -> api.get("/v1/manage/trackers?name=Objections").body().get("trackers").size() == 1 ? true
                : null);
        assertThat(api.get("/v1/manage/trackers?name=Objections").body().get("trackers").get(0).get("vocabulary"))
                .extracting(JsonNode::asString).containsExactly("I need to think about it", "too expensive",
                        "talk to my manager", "Is there a discount", "We're happy with our current vendor thanks",
                        "not right now");
    }

    @Test
    void thePhrasesBoxIsNotMarkedForItsCountWhileTheFirstPhrasesAreTyped() {
        signIn();
        browser.byTestId("new-tracker").click();
        WebElement phrases = browser.byTestId("tracker-vocabulary");
        phrases.sendKeys("can I get a demo");
        browser.until(d -> "1 of 5–50 phrases".equals(browser.byTestId("vocabulary-count").getText()) ? true : null);
        assertThat(phrases.getDomAttribute("aria-invalid")).as("the box while the first phrase is typed").isNull();
        assertThat(browser.driver().findElement(By.id(phrases.getDomAttribute("id") + "-error")).isDisplayed()).isFalse();
        windowShot("editor-typing-1280");

        phrases.sendKeys("\nwhat now?");
        WebElement error = browser.driver().findElement(By.id(phrases.getDomAttribute("id") + "-error"));
        browser.until(d -> error.isDisplayed() ? true : null);
        assertThat(error.getText()).isEqualTo("Line 2: \"what now?\" contains '?' which is not allowed; a phrase holds "
                + "only letters, digits, spaces, full stops (.), apostrophes (') and hyphens (-)");
        phrases.sendKeys(Keys.BACK_SPACE);
        browser.until(d -> error.isDisplayed() ? null : true);

        // leaving the box with two phrases: now the count is a problem of the box
        phrases.sendKeys(Keys.TAB);
        browser.until(d -> error.isDisplayed() ? true : null);
        assertThat(error.getText()).isEqualTo("Phrases must have 5 to 50 phrases, has 2");
        assertThat(phrases.getDomAttribute("aria-invalid")).isEqualTo("true");

        // left by a click on Save: the problem appearing under the box must not take the click away from the button
        browser.go("#/trackers");
        browser.byTestId("leave-confirm").click();
        browser.byTestId("new-tracker").click();
        browser.byTestId("tracker-vocabulary").sendKeys("can I get a demo\nbook a demo");
        browser.byTestId("tracker-save").click();
        assertThat(browser.byTestId("tracker-error").findElements(By.tagName("li"))).extracting(WebElement::getText)
                .containsExactly("Name is required", "Phrases must have 5 to 50 phrases, has 2");
    }

    @Test
    void unsavedChangesAreAskedAboutAndSurviveASignIn() {
        String id = createTracker(PRICING);
        signIn();
        openRow("Pricing");
        WebElement phrases = browser.byTestId("tracker-vocabulary");
        phrases.sendKeys(Keys.END, "\nspecial offer");
        // leaving by Cancel (or the menu, or Back) asks first; staying keeps the text
        browser.byTestId("tracker-cancel").click();
        assertFocusMovesTo("leave-stay");
        browser.byTestId("leave-stay").click();
        assertThat(browser.script("return location.hash")).isEqualTo("#/trackers/" + id);
        assertThat(browser.byTestId("tracker-vocabulary").getAttribute("value")).endsWith("special offer");
        // a reload or closing the tab: the browser asks
        assertThat(browser.script("""
                const event = new Event('beforeunload', {cancelable: true});
                window.dispatchEvent(event);
                return event.defaultPrevented""")).isEqualTo(true);

        // the session ends before the save: after signing in again, the text is still there to save
        browser.script("sessionStorage.setItem('opentrackers.token', 'expired.token.value')");
        browser.byTestId("tracker-save").click();
        browser.byTestId("login-app-secret").sendKeys(TestApi.APP_SECRET, Keys.ENTER);
        assertThat(browser.byTestId("draft-restored").getText()).contains("not saved are back");
        assertThat(browser.byTestId("tracker-vocabulary").getAttribute("value")).endsWith("special offer");
        browser.byTestId("tracker-save").click();
        row("Pricing");
        assertThat(api.get("/v1/manage/trackers/" + id).body().get("tracker").get("vocabulary").toString()).contains("special offer");

        // leaving on purpose drops the changes
        openRow("Pricing");
        browser.byTestId("tracker-vocabulary").sendKeys(Keys.END, "\nthrown away");
        browser.byTestId("nav-try").click();
        browser.byTestId("leave-confirm").click();
        browser.byTestId("try-text").sendKeys("Ann: is there a special offer?");
        browser.go("#/trackers/" + id);
        assertThat(browser.byTestId("tracker-vocabulary").getAttribute("value")).doesNotContain("thrown away");
        assertThat(browser.allByTestId("draft-restored").stream().filter(WebElement::isDisplayed)).isEmpty();

        // what was typed into Try it survives a sign-in too
        browser.script("sessionStorage.setItem('opentrackers.token', 'expired.token.value')");
        browser.byTestId("nav-try").click();
        browser.byTestId("login-app-secret").sendKeys(TestApi.APP_SECRET, Keys.ENTER);
        assertThat(browser.byTestId("try-text").getAttribute("value")).isEqualTo("Ann: is there a special offer?");
    }

    /**
     * A session that ends in the middle of an edit: the sign-in page says the session ended and that the unsaved
     * edit will be back, and after the sign-in the field edited is in sight with the focus. Until 2026-11-29 it said
     * only "Please sign in again.", and the edit came back off screen, at 390 px and at 1280 × 657 alike.
     */
    @Test
    void aSessionEndedMidEditSaysTheEditIsKeptAndShowsItAfterSignIn() {
        String id = createTracker(PRICING);
        signIn();
        for (int[] size : new int[][] {{1280, 657}, {390, 844}}) {
            viewport(size[0], size[1]);
            browser.go("#/trackers/" + id);
            browser.byTestId("tracker-vocabulary");
            browser.driver().findElement(By.cssSelector("details.more > summary")).click();
            browser.byTestId("tracker-exclude").sendKeys("not planning to switch " + size[0]);
            browser.script("sessionStorage.setItem('opentrackers.token', 'expired.token.value')");
            browser.byTestId("tracker-save").click();
            assertThat(browser.byTestId("login-notice").getText()).isEqualTo("Your session has ended. Please sign in again. "
                    + "What you typed and did not save is kept: it will be back after you sign in.");
            windowShot("session-ended-" + size[0]);
            browser.byTestId("login-app-secret").sendKeys(TestApi.APP_SECRET, Keys.ENTER);
            browser.byTestId("draft-restored");
            WebElement exclude = browser.byTestId("tracker-exclude");
            assertThat(exclude.getAttribute("value")).endsWith("not planning to switch " + size[0]);
            assertThat(browser.script("return document.activeElement")).as("the focus at %d px", size[0]).isEqualTo(exclude);
            assertWholeInSight(exclude, "the restored field at " + size[0] + " px");
            windowShot("session-ended-restored-" + size[0]);
            browser.byTestId("draft-discard").click();
            browser.until(d -> d.findElement(By.cssSelector("[data-testid='tracker-exclude']")).getAttribute("value").isEmpty()
                    && browser.allByTestId("draft-restored").stream().noneMatch(WebElement::isDisplayed) ? true : null);
        }
        browser.size(1280, 900);

        // nothing typed: nothing promised
        browser.go("#/trackers");
        row("Pricing");
        browser.script("sessionStorage.setItem('opentrackers.token', 'expired.token.value')");
        browser.byTestId("nav-analytics").click();
        assertThat(browser.byTestId("login-notice").getText()).isEqualTo("Your session has ended. Please sign in again.");
    }

    @Test
    void signInSaysWhenTheSessionExpiredAndSignOutForgetsThePage() {
        String id = createTracker(PRICING);
        signIn();
        browser.go("#/trackers/" + id);
        browser.byTestId("tracker-vocabulary");
        // the token expired while the tab was away: a reload says why sign-in is back
        browser.script("sessionStorage.setItem('opentrackers.expiresAt', String(Date.now() - 1000))");
        browser.driver().navigate().refresh();
        assertThat(browser.byTestId("login-notice").getText()).contains("expired");
        browser.byTestId("login-app-secret").sendKeys(TestApi.APP_SECRET, Keys.ENTER);
        browser.byTestId("tracker-vocabulary"); // back where the user was

        // signing out on purpose: the next account starts on its own trackers
        browser.byTestId("sign-out").click();
        browser.byTestId("login-app-id");
        assertThat(browser.script("return location.hash")).isEqualTo("");
        browser.byTestId("login-app-secret").sendKeys(TestApi.APP_SECRET, Keys.ENTER);
        row("Pricing");
        assertThat(browser.script("return location.hash")).isEqualTo("#/trackers");
        assertThat(browser.driver().getTitle()).isEqualTo("Trackers – OpenTrackers");
        assertThat(browser.byTestId("tracker-count").getText()).isEqualTo("1 tracker.");
    }

    @Test
    void teachingSendsEachAnswerOnceAndFetchesMoreSuggestions() {
        String id = openTeachPage("The weather is lovely today. See you on Monday.");
        browser.byTestId("suggestion");
        // a double click, then a change of mind: one example, with the first answer
        browser.script("""
                const item = document.querySelector('[data-testid=suggestion]');
                const match = item.querySelector('[data-testid=suggestion-match]');
                match.click(); match.click();
                item.querySelector('[data-testid=suggestion-no-match]').click();""");
        browser.until(d -> browser.allByTestId("example").size() == 1 ? true : null);
        JsonNode examples = api.get("/v1/manage/trackers/" + id + "/examples").body().get("examples");
        assertThat(examples).hasSize(1);
        assertThat(examples.get(0).get("match").asBoolean()).isTrue();

        // labelling every suggestion brings the next ones, until there are none, and then says so
        for (int round = 0; round < 30 && browser.allByTestId("suggestions-none").isEmpty(); round++) {
            List<WebElement> buttons = browser.allByTestId("suggestion-no-match");
            if (!buttons.isEmpty()) {
                int before = api.get("/v1/manage/trackers/" + id + "/examples").body().get("examples").size();
                browser.until(d -> {
                    browser.allByTestId("suggestion-no-match").get(0).click();
                    return true;
                });
                browser.until(d -> api.get("/v1/manage/trackers/" + id + "/examples").body().get("examples").size() > before
                        ? true : null);
            }
            browser.script("return new Promise(resolve => setTimeout(resolve, 300))");
        }
        assertThat(browser.byTestId("suggestions-none").getText()).contains("No more suggestions");
        assertThat(browser.byTestId("suggestions-more").getText()).isEqualTo("Look again");

        // Enter in the sentence adds it as a match
        browser.byTestId("example-text").sendKeys("Can you tell me the fee for ten seats?", Keys.ENTER);
        browser.until(d -> api.get("/v1/manage/trackers/" + id + "/examples").body().get("examples").toString()
                .contains("the fee for ten seats") ? true : null);
        // the page clears the box once the answer arrives, a moment after the example is stored
        browser.until(d -> browser.byTestId("example-text").getAttribute("value").isEmpty() ? true : null);
    }

    /**
     * What a button brings (Try it's results, the problem of an upload, its progress) is drawn under it, and on a
     * phone, or a laptop's short window, below the fold: until 2026-11-28 the screen after the tap was the one before
     * it. The page now scrolls it into sight, the button (or the control with the focus) kept in sight too.
     */
    @Test
    void whatAButtonBringsIsScrolledIntoSight() throws Exception {
        createTracker(PRICING);
        signIn();
        Path srt = Files.createTempFile("Weekly sync ", ".srt");
        Files.writeString(srt, """
                1
                00:00:01,000 --> 00:00:04,000
                What is the price of the premium plan?
                """);
        for (int[] size : new int[][] {{1280, 657}, {390, 844}}) {
            browser.size(size[0], size[1]);
            browser.go("#/try");
            browser.byTestId("try-text").clear();
            browser.byTestId("try-text").sendKeys("Ann: Good morning.\nBob: Hello, how can I help?\n"
                    + "Ann: What is the price for ten seats?\nBob: I will send you our pricing plans.");
            browser.byTestId("try-run").click();
            browser.byTestId("try-summary");
            assertWholeInSight(browser.driver().findElement(By.cssSelector("[data-testid='try-result'] .message")), "the first message of the results");
            assertWholeInSight(browser.byTestId("try-run"), "the Try it button");
            windowShot("try-results-" + size[0]);

            browser.go("#/conversations");
            if (size[0] == 390) {
                browser.byTestId("upload-open").click(); // on a phone the form is behind this button
            }
            browser.byTestId("upload-text").sendKeys("Ann: hello");
            browser.driver().findElement(By.cssSelector("[data-testid='upload-file']")).sendKeys(srt.toString());
            browser.byTestId("upload-submit").click();
            assertThat(browser.byTestId("upload-problem").getText()).contains("upload one at a time");
            assertWholeInSight(browser.byTestId("upload-problem"), "the problem");
            assertThat(browser.script("return document.activeElement.dataset.testid")).isEqualTo("upload-clear-file");
            assertWholeInSight(browser.byTestId("upload-clear-file"), "the focused Remove the file");
            windowShot("upload-file-and-text-" + size[0]);

            // the job's progress, held at its first state: the page asks for no job's status meanwhile
            browser.script("""
                    const original = window.fetch;
                    window.fetch = (url, options) => String(url).includes('/v1/job/') ? new Promise(() => {}) : original(url, options);""");
            browser.byTestId("upload-text").clear();
            browser.byTestId("upload-submit").click();
            assertWholeInSight(browser.byTestId("job-progress"), "the upload's progress");
            windowShot("upload-progress-" + size[0]);
            browser.driver().navigate().refresh();
            browser.byTestId("nav-trackers");
        }
    }

    private void assertWholeInSight(WebElement element, String what) {
        @SuppressWarnings("unchecked")
        Map<String, Object> where = (Map<String, Object>) browser.script("""
                const box = arguments[0].getBoundingClientRect();
                return {top: box.top, bottom: box.bottom, window: innerHeight};""", element);
        assertThat(((Number) where.get("top")).doubleValue()).as("%s in the window: %s", what, where).isGreaterThanOrEqualTo(0);
        assertThat(((Number) where.get("bottom")).doubleValue()).as("%s in the window: %s", what, where)
                .isLessThanOrEqualTo(((Number) where.get("window")).doubleValue());
    }

    /** On Teach at 1280 px the suggestions, the page's main task, have the wide column; at 390 px they come first. */
    @Test
    void teachGivesTheSuggestionsTheWideColumn() {
        String id = pricingWithExamplesAndSuggestions("See you on Monday.");
        signIn();
        browser.size(1280, 800);
        browser.go("#/trackers/" + id + "/teach");
        browser.byTestId("suggestion");
        double suggestions = browser.byTestId("teach-suggestions").getRect().getWidth();
        double examples = browser.byTestId("teach-examples").getRect().getWidth();
        assertThat(suggestions).as("the suggestions' column beside the examples' (%s px)", examples)
                .isGreaterThan(examples * 1.3);
        windowShot("teach-1280");
        browser.size(390, 844);
        assertThat(browser.byTestId("teach-suggestions").getRect().getY())
                .isLessThan(browser.byTestId("teach-examples").getRect().getY());
        windowShot("teach-390");
    }

    /**
     * Teach names its two labels with one pair of words: Match / No match on every button, Matches / Non-matches for
     * the lists. Until 2026-11-28 it used five ("It matches", "It does not match", "Not matches", "not a match", …).
     */
    @Test
    void teachNamesItsTwoLabelsWithOnePairOfWords() {
        teachPricingWithAMatchAndANonMatch();
        assertThat(browser.byTestId("example-add-match").getText()).isEqualTo("Match");
        assertThat(browser.byTestId("example-add-no-match").getText()).isEqualTo("No match");
        assertThat(browser.byTestId("examples-show-match").getText()).isEqualTo("Matches (1)");
        assertThat(browser.byTestId("examples-show-no-match").getText()).isEqualTo("Non-matches (1)");
        browser.byTestId("example-text").sendKeys("We have a hard stop at noon.");
        browser.byTestId("example-add-no-match").click();
        browser.until(d -> browser.byTestId("last-label").getText().startsWith("Saved “We have a hard stop at noon.” as a non-match.")
                ? true : null);
        assertThat(browser.driver().findElement(By.cssSelector("main")).getText())
                .doesNotContain("It matches").doesNotContain("It does not match").doesNotContain("Not matches")
                .doesNotContain("not a match");
    }

    /** The other phrases of a hit name their tracker as a name, not with a possessive ("Next steps's"). */
    @Test
    void theSimilarPhrasesOfAHitNameTheirTrackerInQuotes() {
        createTracker(PRICING.replace("\"Pricing\"", "\"Next steps\""));
        signIn();
        browser.go("#/try");
        browser.byTestId("try-text").sendKeys("What is the price for ten seats?");
        browser.byTestId("try-run").click();
        WebElement also = browser.waitFor(By.cssSelector("[data-testid='try-hit'] details.also"));
        also.findElement(By.tagName("summary")).click();
        assertThat(also.findElement(By.cssSelector("p.hint")).getText())
                .isEqualTo("Also within the threshold of “Next steps”, not counted as hits:");
    }

    /**
     * A tracker limited to the first (or last) N seconds is never met by pasted text, which has no times (a message
     * without times is outside such a window: matching.md, "Tracker conditions"). Until 2026-11-28 Try it said only
     * "No tracker fired" and "outside the tracker's window" for the first and only message, and the editor did not say
     * that such a window needs a timed transcript.
     */
    @Test
    void aWindowInSecondsIsSaidToNeedTimedMessages() {
        String id = createTracker("""
                {"name": "Demo request", "vocabulary": ["can I get a demo", "book a demo", "see the product",
                 "a trial please", "show me how it works"], "window": {"anchor": "start", "seconds": 60}}""");
        createTracker(PRICING);
        signIn();
        for (int width : new int[] {1280, 390}) {
            browser.size(width, 900);
            browser.go("#/try");
            browser.byTestId("try-text").clear();
            browser.byTestId("try-text").sendKeys("Customer: Maybe. Can I get a demo of the new plan?");
            new Select(browser.byTestId("try-tracker")).selectByValue(id);
            browser.byTestId("try-run").click();
            assertThat(browser.byTestId("try-untimed").getText()).isEqualTo("“Demo request” counts only the first 60 "
                    + "seconds of a conversation. Pasted text has no times, so it cannot fire here. Try it on a transcript "
                    + "with times (a WebVTT or SRT file) on Conversations.");
            browser.byTestId("try-near-misses").findElement(By.tagName("summary")).click();
            assertThat(browser.byTestId("try-near-miss").getText()).contains("Demo request")
                    .contains("outside the tracker's window: it counts only the first 60 seconds, and pasted text has no times");
            windowShot("try-untimed-" + width);
        }
        // all trackers tried: only the one with a window in seconds is named
        new Select(browser.byTestId("try-tracker")).selectByValue("");
        browser.byTestId("try-run").click();
        browser.until(d -> browser.byTestId("try-untimed").getText().startsWith("“Demo request” counts only") ? true : null);

        browser.go("#/trackers/" + id);
        browser.byTestId("tracker-name");
        browser.script("document.querySelector('details.more').open = true");
        WebElement size = browser.byTestId("tracker-window-size");
        assertThat(browser.byTestId("tracker-window-hint").getText()).startsWith("A window in seconds needs messages with times");
        assertThat(size.getDomAttribute("aria-describedby")).contains("window-hint");
        for (int width : new int[] {1280, 390}) {
            browser.size(width, 900);
            browser.script("arguments[0].scrollIntoView({block: 'center'})", size);
            windowShot("editor-window-hint-" + width);
        }
    }

    /**
     * Pasted text uploaded without a name is named after when it was pasted, in the user's locale, and the Name hint
     * says so. Until 2026-11-29 it was stored without a name: listed by its bare ID, its page headed "Conversation".
     */
    @Test
    void aPastedConversationWithoutANameIsNamedAfterWhenItWasPasted() {
        createTracker(PRICING);
        signIn();
        browser.go("#/conversations");
        assertThat((String) browser.script("return document.getElementById(arguments[0].id + '-hint').textContent",
                browser.byTestId("upload-name"))).contains("pasted text is named “Pasted conversation” with the day and time");
        browser.byTestId("upload-text").sendKeys("Agent: Good morning.\nCustomer: What is the price of the premium plan?");
        browser.byTestId("upload-submit").click();
        String conversationId = browser.until(d -> {
            String hash = (String) browser.script("return location.hash");
            return hash.startsWith("#/conversations/") ? hash.substring("#/conversations/".length()) : null;
        });
        // in the browser's locale; the minute may have turned between the upload and the check
        @SuppressWarnings("unchecked")
        List<String> expected = (List<String>) browser.script("return [0, 60000].map(ago => 'Pasted conversation, ' + "
                + "new Date(Date.now() - ago).toLocaleString(undefined, {day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit'}))");
        String stored = api.get("/v1/conversations/" + conversationId).body().get("name").asString();
        assertThat(stored).isIn(expected);
        assertThat(browser.driver().findElement(By.cssSelector("main h1")).getText()).isEqualTo(stored);
        browser.go("#/conversations");
        assertThat(browser.byTestId("conversation-row").getText()).contains(stored).doesNotContain(conversationId);
    }

    @Test
    void uploadsAreNamedAfterTheirFileAndNeverMixAFileWithPastedText() throws Exception {
        signIn();
        browser.byTestId("nav-conversations").click();
        // nothing to send: the focus goes to the box to paste into
        browser.byTestId("upload-submit").click();
        assertThat(browser.byTestId("upload-problem").getText()).contains("Choose a file or paste");
        assertFocusMovesTo("upload-text");

        Path srt = Files.createTempFile("Weekly sync ", ".srt");
        Files.writeString(srt, """
                1
                00:00:01,000 --> 00:00:04,000
                What is the price of the premium plan?
                """);
        browser.driver().findElement(By.cssSelector("[data-testid='upload-file']")).sendKeys(srt.toString());
        browser.byTestId("upload-text").sendKeys("Ann: hello");
        browser.byTestId("upload-submit").click();
        assertThat(browser.byTestId("upload-problem").getText()).contains("upload one at a time");
        browser.byTestId("upload-text").clear();
        browser.byTestId("upload-submit").click();
        String conversationId = browser.until(d -> {
            String hash = (String) browser.script("return location.hash");
            return hash.startsWith("#/conversations/") ? hash.substring("#/conversations/".length()) : null;
        });
        String expected = srt.getFileName().toString().replaceFirst("\\.srt$", "");
        assertThat(api.get("/v1/conversations/" + conversationId).body().get("name").asString()).isEqualTo(expected);
        browser.until(d -> expected.equals(browser.driver().findElement(By.cssSelector("main h1")).getText()) ? true : null);
    }

    /**
     * A score beside its threshold has the decimals that tell them apart: a near miss read "score 0.69 / threshold
     * 0.69", which looked as if it should have fired.
     */
    @Test
    void aScoreAndItsThresholdAreShownWithTheDecimalsThatTellThemApart() {
        browser.driver().get(url() + "/");
        @SuppressWarnings("unchecked")
        List<Object> shown = (List<Object>) browser.driver().executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('/ui/js/dom.js').then(m => done([[0.6871, 0.6904], [0.6901, 0.6904], [0.8123, 0.69], [0.7, 0.7],
                    [0.69, null]].map(([value, threshold]) => m.scoreAndThreshold(value, threshold))));""");
        assertThat(shown).containsExactly("score 0.687 / threshold 0.690", "score 0.6901 / threshold 0.6904",
                "score 0.81 / threshold 0.69", "score 0.70 / threshold 0.70", "score 0.69 / threshold –");
    }

    @Test
    void aLineIsSaidBySomeoneOnlyWhenItStartsWithASpeakersName() {
        browser.driver().get(url() + "/");
        @SuppressWarnings("unchecked")
        List<Object> speakers = (List<Object>) browser.driver().executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('/ui/js/messages.js').then(m => done(m.parseConversation(arguments[0])
                    .map(message => message.from ? message.from.name + '|' + (message.from.role ?? '') + '|' + message.payload.content
                                                 : '-|' + message.payload.content)));""",
                "Ann Lee: How much is it?\nAgent: It is ten dollars.\nNote: we also look at a competitor\n"
                        + "Speaker 2: fine\nPS: call me\nthe ratio is 3:1 today\nwhat it says: nothing");
        assertThat(speakers).containsExactly("Ann Lee||How much is it?", "Agent||It is ten dollars.",
                "-|Note: we also look at a competitor", "Speaker 2||fine", "-|PS: call me", "-|the ratio is 3:1 today",
                "-|what it says: nothing");
    }

    @Test
    void importingSaysEveryProblemAtOnceInThePagesWords() throws Exception {
        signIn();
        // the visible button takes the focus (the file input behind it is out of the tab order)
        browser.byTestId("new-tracker");
        browser.script("document.querySelector('[data-testid=new-tracker]').focus()");
        new Actions(browser.driver()).sendKeys(Keys.TAB).perform();
        assertFocusMovesTo("tracker-import-button");
        assertThat(browser.script("return document.activeElement.matches(':focus-visible')")).isEqualTo(true);

        Path file = Files.createTempFile("trackers", ".json");
        Files.writeString(file, "[" + PRICING + ", " + PRICING.replace("\"any discount\"", "\"any discount?\"") + "]");
        browser.driver().findElement(By.cssSelector("[data-testid='tracker-import']")).sendKeys(file.toString());
        browser.until(d -> browser.byTestId("import-result").findElements(By.tagName("li")).size() == 2 ? true : null);
        assertThat(browser.byTestId("import-result").findElements(By.tagName("li"))).extracting(WebElement::getText)
                .containsExactly("Tracker 2 (“Pricing”): tracker 1 of this file has the same name; names must differ",
                        "Tracker 2 (“Pricing”), phrase 5: \"any discount?\" contains '?' which is not allowed; a phrase holds "
                                + "only letters, digits, spaces, full stops (.), apostrophes (') and hyphens (-)");
        assertThat(trackers()).isEmpty();

        // the server's own refusals name phrases as the page does, not by JSON path
        createTracker(PRICING);
        Files.writeString(file, "[" + PRICING + "]");
        browser.driver().findElement(By.cssSelector("[data-testid='tracker-import']")).sendKeys(file.toString());
        browser.until(d -> browser.byTestId("import-result").getText().contains("already used") ? true : null);
        assertThat(browser.byTestId("import-result").getText())
                .contains("Tracker 1 (“Pricing”): the name is already used by another tracker of this account")
                .doesNotContain("vocabulary[").doesNotContain("'Pricing'");

        // the same file, fixed, chosen again: imported
        Files.writeString(file, "[" + PRICING.replace("\"Pricing\"", "\"Prices\"") + "]");
        browser.driver().findElement(By.cssSelector("[data-testid='tracker-import']")).sendKeys(file.toString());
        row("Prices");
        assertThat(trackers()).hasSize(2);
        assertThat(browser.byTestId("tracker-count").getText()).isEqualTo("2 trackers.");
    }

    /**
     * A name the account already uses is one of the problems of a bad file, listed with the others in one answer:
     * until 2026-11-28 the page checked the file itself and sent nothing while it found a problem, so the names taken
     * (which only the service knows) came on the next try, in another layout ("…, name: a tracker named 'Budget'…").
     */
    @Test
    void importingListsANameAlreadyTakenWithEveryOtherProblemAtOnce() throws Exception {
        createTracker(BUDGET);
        signIn();
        Path file = Files.createTempFile("trackers", ".json");
        Files.writeString(file, """
                [{"name": "Old test A", "vocabulary": ["one", "two", "three", "four"]},
                 {"name": "Budget", "vocabulary": ["a b", "c d", "e f", "g h", "i j?"]},
                 {"name": "Old test B"}]""");
        browser.driver().findElement(By.cssSelector("[data-testid='tracker-import']")).sendKeys(file.toString());
        browser.until(d -> browser.byTestId("import-result").findElements(By.tagName("li")).size() == 4 ? true : null);
        assertThat(browser.byTestId("import-result").findElement(By.tagName("p")).getText())
                .isEqualTo("Nothing was imported from " + file.getFileName() + ". Fix these problems and choose the file again:");
        assertThat(browser.byTestId("import-result").findElements(By.tagName("li"))).extracting(WebElement::getText)
                .containsExactly("Tracker 1 (“Old test A”): the vocabulary must have 5 to 50 phrases, has 4",
                        "Tracker 2 (“Budget”), phrase 5: \"i j?\" contains '?' which is not allowed; a phrase holds only "
                                + "letters, digits, spaces, full stops (.), apostrophes (') and hyphens (-)",
                        "Tracker 3 (“Old test B”): the vocabulary is required (a list of 5 to 50 phrases)",
                        "Tracker 2 (“Budget”): the name is already used by another tracker of this account");
        assertThat(trackers()).hasSize(1);

        // a file whose only other problem is an example (which the service does not check) says the name too
        Files.writeString(file, "[" + BUDGET.replace("\"no money left\"]", "\"no money left\"], \"examples\": [{\"text\": \" \", \"match\": true}]") + "]");
        browser.driver().findElement(By.cssSelector("[data-testid='tracker-import']")).sendKeys(file.toString());
        browser.until(d -> browser.byTestId("import-result").findElements(By.tagName("li")).size() == 2 ? true : null);
        assertThat(browser.byTestId("import-result").findElements(By.tagName("li"))).extracting(WebElement::getText)
                .containsExactly("Tracker 1 (“Budget”), example 1: the text must not be blank",
                        "Tracker 1 (“Budget”): the name is already used by another tracker of this account");
        assertThat(trackers()).hasSize(1);
    }

    /**
     * After an import the keyboard goes on from what it did: the problems of a refused file, or the first tracker
     * imported. Until 2026-11-28 the focus was left on the document after a good file (the next Tab started again at
     * the top) and in the search box after a bad one, away from the problems.
     */
    @Test
    void afterAnImportTheFocusIsOnItsProblemsOrOnTheFirstTrackerImported() throws Exception {
        createTopics(60);
        Path file = Files.createTempFile("trackers", ".json");
        int[] widths = {1280, 390};
        signIn();
        for (int width : widths) {
            browser.size(width, width == 390 ? 844 : 800);
            browser.go("#/trackers");
            browser.byTestId("tracker-import-button");
            Files.writeString(file, "[" + PRICING.replace("\"any discount\"", "\"any discount?\"") + "]");
            browser.driver().findElement(By.cssSelector("[data-testid='tracker-import']")).sendKeys(file.toString());
            browser.until(d -> "import-problem".equals(browser.script("return document.activeElement.dataset.testid")) ? true : null);
            assertThat(browser.script("return document.activeElement.textContent")).asString().contains("any discount?");
            windowShot("import-refused-" + width);

            // Topic 1 … Topic 60 fill page 1 and part of page 2: the first of the new ones, in name order, is on page 2
            String suffix = width == 390 ? " narrow" : "";
            Files.writeString(file, "[" + PRICING.replace("\"Pricing\"", "\"Topic 57b" + suffix + "\"") + ", "
                    + BUDGET.replace("\"Budget\"", "\"Topic 55b" + suffix + "\"") + ", "
                    + CANCELLATION.replace("\"Cancellation\"", "\"Topic 59b" + suffix + "\"") + "]");
            browser.driver().findElement(By.cssSelector("[data-testid='tracker-import']")).sendKeys(file.toString());
            browser.until(d -> ("Topic 55b" + suffix).equals(focusedTrackerName()) ? true : null);
            assertFocusedRowInSightBelowTheHeader();
            windowShot("import-done-" + width);
        }
    }

    @Test
    void analyticsKeepsItsPeriodInTheAddressAndTellsEqualLinesApart() {
        createTracker(PRICING);
        createTracker(BUDGET);
        processAndWait("""
                {"messages": [{"payload": {"content": "What is the price? We have no budget."}}]}""");
        signIn();
        browser.byTestId("nav-analytics").click();
        browser.byTestId("analytics-row");
        new Select(browser.byTestId("analytics-range")).selectByValue("90");
        new Select(browser.byTestId("analytics-interval")).selectByValue("week");
        browser.until(d -> "#/analytics?days=90&interval=week".equals(browser.script("return location.hash")) ? true : null);
        browser.driver().navigate().refresh();
        browser.byTestId("analytics-row");
        assertThat(new Select(browser.byTestId("analytics-range")).getFirstSelectedOption().getText())
                .isEqualTo("Last " + wholeWeeksOfTheLast(90) + " weeks");
        assertThat(new Select(browser.byTestId("analytics-interval")).getFirstSelectedOption().getText()).isEqualTo("week");
        // two trackers with the same figures: their lines differ in dash and point shape, not only in colour
        @SuppressWarnings("unchecked")
        List<String> styles = (List<String>) browser.until(d -> browser.script("""
                const chart = window.Chart?.getChart(document.querySelector('[data-testid=analytics-result] canvas'));
                return chart ? chart.data.datasets.map(d => JSON.stringify(d.borderDash) + ' ' + d.pointStyle) : null"""));
        assertThat(styles).hasSize(2).doesNotHaveDuplicates();
    }

    /**
     * The period control names the days the figures are of. The service counts whole weeks (from Monday) or months
     * per week or month, so until 2026-11-28 "Last 7 days" per week counted two weeks, a call of 8 days ago
     * included, under that name. Seven days are now offered per day only, and a longer period per week or month is
     * named by the whole weeks or months counted.
     */
    @Test
    void theAnalyticsPeriodNamesTheDaysItCounts() {
        createTracker(PRICING);
        processAndWait("""
                {"messages": [{"payload": {"content": "What is the price?"}}]}""");
        signIn();
        browser.go("#/analytics?days=7&interval=week");
        browser.byTestId("analytics-row");
        Select period = new Select(browser.byTestId("analytics-range"));
        Select per = new Select(browser.byTestId("analytics-interval"));
        assertThat(period.getFirstSelectedOption().getText()).isEqualTo("Last 7 days");
        assertThat(per.getFirstSelectedOption().getText()).as("7 days are counted per day").isEqualTo("day");
        assertThat(per.getOptions()).filteredOn(option -> !option.isEnabled()).extracting(WebElement::getText)
                .containsExactly("week", "month");
        browser.until(d -> "#/analytics?days=7&interval=day".equals(browser.script("return location.hash")) ? true : null);
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        assertThat(browser.byTestId("analytics-counted").getText()).startsWith("Counted: "
                + browser.script("return new Date(arguments[0]).toLocaleDateString(undefined, {timeZone: 'UTC', day: "
                + "'numeric', month: 'short', year: 'numeric'})", today.minusDays(6).toString()) + " to ");

        period.selectByValue("30");
        per.selectByValue("week");
        int weeks = wholeWeeksOfTheLast(30);
        browser.until(d -> ("Last " + weeks + " weeks").equals(new Select(browser.byTestId("analytics-range"))
                .getFirstSelectedOption().getText()) ? true : null);
        assertThat(new Select(browser.byTestId("analytics-range")).getOptions()).extracting(WebElement::getText)
                .containsExactly("Last 7 days", "Last " + weeks + " weeks", "Last " + wholeWeeksOfTheLast(90) + " weeks",
                        "Last " + wholeWeeksOfTheLast(365) + " weeks");
        browser.until(d -> browser.byTestId("analytics-counted").getText().contains("whole weeks") ? true : null);
        // choosing 7 days goes back to per day, and says so
        new Select(browser.byTestId("analytics-range")).selectByValue("7");
        browser.until(d -> "day".equals(new Select(browser.byTestId("analytics-interval")).getFirstSelectedOption().getText())
                ? true : null);
        assertThat(new Select(browser.byTestId("analytics-range")).getFirstSelectedOption().getText()).isEqualTo("Last 7 days");
        windowShot("analytics-7-days-1280");
    }

    /** How many whole weeks from Monday the service counts for the last {@code days} UTC days, today's included. */
    private static int wholeWeeksOfTheLast(int days) {
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        java.time.LocalDate start = today.minusDays(days - 1L)
                .with(java.time.temporal.TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY));
        java.time.LocalDate end = today.plusDays(1).with(java.time.temporal.TemporalAdjusters.nextOrSame(java.time.DayOfWeek.MONDAY));
        return (int) (java.time.temporal.ChronoUnit.DAYS.between(start, end) / 7);
    }

    @Test
    void narrowTablesStackTheirColumns() {
        createTracker(PRICING);
        processAndWait("""
                {"name": "A call with a rather long name to see it wrap", "messages": [{"payload": {"content": "What is the price?"}}]}""");
        signIn();
        browser.size(390, 900);
        try {
            browser.byTestId("nav-conversations").click();
            browser.byTestId("conversation-row");
            assertCellsInsideTheWindow("conversation-row");
            browser.byTestId("nav-analytics").click();
            browser.byTestId("analytics-row");
            assertCellsInsideTheWindow("analytics-row");
        } finally {
            browser.size(1280, 900);
        }
    }

    /** Every cell of the rows with this test id is on screen, whole: nothing cut off at the window's right edge. */
    private void assertCellsInsideTheWindow(String rowTestId) {
        long width = (Long) browser.script("return document.documentElement.clientWidth");
        for (WebElement cell : browser.byTestId(rowTestId).findElements(By.tagName("td"))) {
            assertThat(cell.isDisplayed()).isTrue();
            assertThat((long) (cell.getRect().getX() + cell.getRect().getWidth())).as(cell.getText()).isLessThanOrEqualTo(width);
        }
        assertThat(browser.horizontalOverflow()).isZero();
    }

    // ---- the second audit (2026-11-27): problems the service finds are shown where the user typed them ----

    @Test
    void aNameWithAnInvisibleCharacterIsRefusedNextToTheNameField() {
        signIn();
        browser.byTestId("new-tracker").click();
        // a zero-width space pasted with the name: the page cannot show it, the service refuses it and names it
        fillEditor("Pri\u200bcing", "how much does it cost\nwhat is the price\npricing plans\ntoo expensive\nany discount");
        browser.byTestId("tracker-save").click();

        WebElement name = browser.byTestId("tracker-name");
        WebElement nameError = browser.waitFor(By.id(name.getAttribute("id") + "-error"));
        assertThat(nameError.getText()).startsWith("Name contains the invisible character U+200B (ZERO WIDTH SPACE) after \"Pri\"");
        assertThat(name.getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(name.getAttribute("aria-describedby")).contains(nameError.getAttribute("id"));
        // nothing typed is lost, nothing is stored
        assertThat(browser.byTestId("tracker-vocabulary").getAttribute("value")).contains("any discount");
        assertThat(trackers()).isEmpty();
        // once the name is typed again, the service's problem goes and the tracker is created
        name.clear();
        name.sendKeys("Pricing");
        assertThat(nameError.isDisplayed()).isFalse();
        browser.byTestId("tracker-save").click();
        browser.until(d -> trackers().size() == 1 ? true : null);
    }

    @Test
    void eachLineOfTheProblemSummaryHasItsBulletOnItsFirstLine() throws Exception {
        signIn();
        browser.size(390, 900);
        try {
            browser.byTestId("new-tracker").click();
            browser.byTestId("tracker-save").click();
            WebElement summary = browser.byTestId("tracker-error");
            browser.script("arguments[0].scrollIntoView({block: 'start'})", summary);
            // per line of the summary: its box (viewport pixels) and the height of one line of its text
            @SuppressWarnings("unchecked")
            List<List<Number>> items = (List<List<Number>>) browser.script("""
                    return [...arguments[0].querySelectorAll('li')].map(li => {
                      const box = li.getBoundingClientRect();
                      const line = parseFloat(getComputedStyle(li.querySelector('button')).lineHeight);
                      return [box.left, box.top, box.bottom, line];
                    });""", summary);
            assertThat(items).as("a line of the summary wraps at 390 px")
                    .anySatisfy(item -> assertThat(item.get(2).doubleValue() - item.get(1).doubleValue())
                            .isGreaterThan(1.5 * item.get(3).doubleValue()));
            java.awt.image.BufferedImage shot = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(
                    browser.driver().getScreenshotAs(org.openqa.selenium.OutputType.BYTES)));
            double scale = shot.getWidth() / ((Number) browser.script("return window.innerWidth")).doubleValue();
            for (List<Number> item : items) {
                double left = item.get(0).doubleValue();
                double top = item.get(1).doubleValue();
                double bottom = item.get(2).doubleValue();
                double line = item.get(3).doubleValue();
                // the bullet is drawn left of the item's box, in the summary's red: find its rows
                int first = -1;
                for (int y = (int) (top * scale); y < (int) (bottom * scale) && first < 0; y++) {
                    for (int x = (int) ((left - 16) * scale); x < (int) ((left - 2) * scale); x++) {
                        int green = (shot.getRGB(x, y) >> 8) & 0xff;
                        if (green < 150) {
                            first = y;
                            break;
                        }
                    }
                }
                assertThat(first).as("a bullet beside the line at %s px", top).isNotNegative();
                assertThat(first / scale).as("the bullet of the line at %s px is on its first line", top)
                        .isLessThan(top + line);
            }
        } finally {
            browser.size(1280, 900);
        }
    }

    /** Puts text into a box as a paste does (a NUL character cannot be typed), and tells the page it changed. */
    private void paste(WebElement box, String text) {
        browser.script("""
                arguments[0].value = arguments[1];
                arguments[0].dispatchEvent(new Event('input', {bubbles: true}));""", box, text);
    }

    /**
     * The problem under a box whose third line (after a blank one, which counts as the user sees lines) holds a NUL
     * character: named by that line, in the page's words rather than the API's JSON path, and tied to the box.
     */
    private WebElement refusedAtLineThree(WebElement box) {
        WebElement error = browser.waitFor(By.id(box.getAttribute("id") + "-error"));
        assertThat(error.getText()).startsWith("Line 3: ").contains("NUL character").doesNotContain("messages[");
        assertThat(box.getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(box.getAttribute("aria-describedby")).contains(error.getAttribute("id"));
        return error;
    }

    @Test
    void tryItShowsWhatTheServiceRefusesAtTheTextInThePagesWords() {
        createTracker(PRICING);
        signIn();
        browser.byTestId("nav-try").click();
        WebElement text = browser.byTestId("try-text");
        paste(text, "Ann: Hello there.\n\nBob: What is the\0 price?");
        browser.byTestId("try-run").click();
        WebElement error = refusedAtLineThree(text);
        // nothing under the form repeats it as the API says it
        assertThat(browser.driver().findElement(By.cssSelector("[data-testid='try-result']")).getText()).isEmpty();

        // more text than one try takes: said at the box, with where to go instead, in the page's words
        paste(text, "What is the price of the premium plan? ".repeat(3000));
        assertThat(error.isDisplayed()).as("the old problem goes once the text changes").isFalse();
        browser.byTestId("try-run").click();
        browser.until(d -> error.isDisplayed() ? true : null);
        assertThat(error.getText()).contains("at most 100000").contains("Conversations")
                .doesNotContain("messages:").doesNotContain("/v1/");
        // fixed, it runs
        text.clear();
        text.sendKeys("Bob: What is the price of the premium plan?");
        browser.byTestId("try-run").click();
        assertThat(browser.byTestId("try-summary").getText()).isEqualTo("1 tracker hit in 1 message");
        assertThat(text.getAttribute("aria-invalid")).isNull();
    }

    @Test
    void aPastedTranscriptTheServiceRefusesIsShownAtTheBoxByLine() {
        signIn();
        browser.byTestId("nav-conversations").click();
        WebElement pasted = browser.byTestId("upload-text");
        paste(pasted, "Ann: Hello there.\n\nBob: What is the\0 price?");
        browser.byTestId("upload-submit").click();
        refusedAtLineThree(pasted);
        assertThat(browser.driver().findElement(By.cssSelector("[data-testid='upload-status']")).getText()).isEmpty();
        assertThat(pasted.getAttribute("value")).contains("Bob: What is the");
        assertThat(api.get("/v1/conversations").body().get("conversations")).isEmpty();
    }

    @Test
    void aRefusedExampleIsShownAtTheSentenceAndEachSuggestionsButtonsNameTheirSentence() {
        String id = openTeachPage("The weather is lovely today.");
        browser.byTestId("suggestion");
        // the buttons of a suggestion say which sentence they answer (a screen reader lists ten "Match" otherwise)
        for (WebElement suggestion : browser.allByTestId("suggestion")) {
            String sentence = suggestion.findElement(By.cssSelector(".text")).getText();
            assertThat(suggestion.findElement(By.cssSelector("[data-testid=suggestion-match]")).getAccessibleName())
                    .isEqualTo("Match: “" + sentence + "”");
            assertThat(suggestion.findElement(By.cssSelector("[data-testid=suggestion-no-match]")).getAccessibleName())
                    .isEqualTo("No match: “" + sentence + "”");
        }

        // only a zero-width space: nothing shows, the service refuses it as blank; said at the box, and it stays
        WebElement text = browser.byTestId("example-text");
        text.sendKeys("\u200b");
        browser.byTestId("example-add-match").click();
        WebElement error = browser.waitFor(By.id(text.getAttribute("id") + "-error"));
        assertThat(error.getText()).isEqualTo("The sentence must not be blank");
        assertThat(text.getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(text.getAttribute("value")).isEqualTo("\u200b");
        assertThat(api.get("/v1/manage/trackers/" + id + "/examples").body().get("examples")).isEmpty();
        // typing again clears it; a good sentence is stored
        text.clear();
        text.sendKeys("Can you tell me the fee for ten seats?");
        assertThat(error.isDisplayed()).isFalse();
        assertThat(text.getAttribute("aria-invalid")).isNull();
        text.sendKeys(Keys.ENTER);
        browser.until(d -> api.get("/v1/manage/trackers/" + id + "/examples").body().get("examples").size() == 1 ? true : null);
        // an empty box says what it needs instead of doing nothing
        browser.until(d -> browser.byTestId("example-text").getAttribute("value").isEmpty() ? true : null);
        browser.byTestId("example-add-no-match").click();
        assertThat(browser.waitFor(By.id(text.getAttribute("id") + "-error")).getText()).isEqualTo("Enter a sentence first.");
    }

    @Test
    void theWindowsControlsAreNamedAndItsProblemIsTiedToTheSize() {
        signIn();
        browser.byTestId("new-tracker").click();
        fillEditor("Opening", "hello\ngood morning\nthanks for calling\nhow can I help\nwelcome");
        browser.driver().findElement(By.cssSelector("details.more summary")).click();
        WebElement anchor = browser.byTestId("tracker-window-anchor");
        WebElement size = browser.byTestId("tracker-window-size");
        WebElement unit = browser.byTestId("tracker-window-unit");
        // each control says what it sets, not only the group around them (a screen reader announces a control alone)
        assertThat(anchor.getAccessibleName()).isEqualTo("Where in the conversation");
        assertThat(size.getAccessibleName()).isEqualTo("Number of seconds or messages");
        assertThat(unit.getAccessibleName()).isEqualTo("Seconds or messages");

        new Select(anchor).selectByValue("start");
        size.sendKeys("1.5");
        browser.byTestId("tracker-save").click();
        // the problem is the size: it is marked there, described by the problem, and has the focus
        WebElement error = browser.waitFor(By.id("window-error"));
        assertThat(error.getText()).contains("whole number");
        assertThat(size.getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(size.getAttribute("aria-describedby")).contains("window-error");
        assertFocusMovesTo("tracker-window-size");
        assertThat(trackers()).isEmpty();
    }

    @Test
    void tryItWithoutTrackersSaysToCreateOneInsteadOfThatNoneFired() {
        signIn();
        browser.byTestId("nav-try").click();
        WebElement empty = browser.byTestId("try-no-trackers");
        assertThat(empty.getText()).contains("no trackers yet");
        assertThat(browser.allByTestId("try-run")).isEmpty();
        empty.findElement(By.linkText("Create a tracker")).click();
        browser.byTestId("tracker-name");
        assertThat(browser.script("return location.hash")).isEqualTo("#/trackers/new");
    }

    @Test
    void teachingWithoutConversationsSaysWhereSuggestionsComeFrom() {
        String id = createTracker(PRICING);
        signIn();
        browser.go("#/trackers/" + id + "/teach");
        // not "no more suggestions … every sentence is labelled": nothing was ever there to label
        WebElement none = browser.byTestId("suggestions-none");
        assertThat(none.getText()).startsWith("No suggestions yet").doesNotContain("No more");
        none.findElement(By.linkText("Upload a conversation")).click();
        browser.byTestId("upload-text");
    }

    // ---- the third audit (2026-11-27): a quality manager's 40 trackers, the keyboard's place, undoing a label ----

    @Test
    void aKeyboardUserKeepsTheirPlaceWhenAButtonIsBusy() {
        String id = openTeachPage("The weather is lovely today.");
        assertThat(api.post("/v1/manage/trackers/" + id + "/examples", """
                [{"text": "How much is the enterprise tier?", "match": true},
                 {"text": "See you on Monday.", "match": false}]""").status()).isEqualTo(201);
        // Try it, pressed with Enter: the button is disabled while the answer is on its way, which drops the focus to
        // the document; once the result is there the keyboard goes on from the button, not from the top of the page
        browser.byTestId("nav-try").click();
        browser.byTestId("try-text").sendKeys("Ann: What is the price?");
        browser.byTestId("try-run").sendKeys(Keys.ENTER);
        browser.byTestId("try-summary");
        assertFocusMovesTo("try-run");

        // removing an example with the keyboard: the focus goes to the next example's Remove, not to the document
        browser.go("#/trackers/" + id + "/teach");
        browser.until(d -> browser.allByTestId("example-remove").size() == 2 ? true : null);
        browser.allByTestId("example-remove").get(0).sendKeys(Keys.ENTER);
        browser.until(d -> browser.allByTestId("example").size() == 1 ? true : null);
        assertFocusMovesTo("example-remove");
        assertThat(browser.script("return document.activeElement.getAttribute('aria-label')"))
                .as("newest first: the one added before it").isEqualTo("Remove the example “How much is the enterprise tier?”");
        // the last one: the focus goes to the sentence box
        browser.byTestId("example-remove").sendKeys(Keys.ENTER);
        browser.until(d -> browser.allByTestId("example").isEmpty() ? true : null);
        assertFocusMovesTo("example-text");
    }

    @Test
    void aWrongLabelIsPutRightOnTheExampleItself() {
        String id = openTeachPage("The weather is lovely today.");
        // the trainer meant "does not match" and pressed "Match"
        WebElement suggestion = browser.until(d -> browser.allByTestId("suggestion").stream()
                .filter(s -> s.getText().contains("weather")).findFirst().orElse(null));
        suggestion.findElement(By.cssSelector("[data-testid=suggestion-match]")).click();
        browser.until(d -> browser.allByTestId("example").size() == 1 ? true : null);
        WebElement relabel = browser.byTestId("example-relabel");
        assertThat(relabel.getText()).isEqualTo("Change to no match");
        assertThat(relabel.getAccessibleName()).isEqualTo("Change to no match: “The weather is lovely today.”");
        relabel.click();
        // one example, now a non-match (relabelled in place, not removed and added again)
        browser.until(d -> browser.byTestId("example").getText().startsWith("no match") ? true : null);
        JsonNode examples = api.get("/v1/manage/trackers/" + id + "/examples").body().get("examples");
        assertThat(examples).hasSize(1);
        assertThat(examples.get(0).get("text").asString()).isEqualTo("The weather is lovely today.");
        assertThat(examples.get(0).get("match").asBoolean()).isFalse();
        assertThat(browser.byTestId("example-relabel").getText()).isEqualTo("Change to match");
        assertFocusMovesTo("example-relabel");
    }


    /** {@code count} examples added to the tracker in one write, "Sentence number 0 of the set" first; every third a match. */
    private void addNumberedExamples(String trackerId, int count) {
        StringBuilder all = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            all.append(i == 0 ? "" : ",").append("{\"text\": \"Sentence number ").append(i).append(" of the set\", \"match\": ")
                    .append(i % 3 == 0).append('}');
        }
        assertThat(api.post("/v1/manage/trackers/" + trackerId + "/examples", all.append(']').toString()).status()).isEqualTo(201);
    }

    private List<String> exampleTextsShown() {
        List<String> texts = new ArrayList<>();
        browser.driver().findElements(By.cssSelector("[data-testid=example] .text")).forEach(e -> texts.add(e.getText()));
        return texts;
    }

    /**
     * A trainer who had labelled a few dozen sentences found the label just given at the bottom of the examples, oldest
     * first, of up to 1,000. The newest come first, in pages of 50, and the matches or the non-matches can be shown
     * alone, each with its count.
     */
    @Test
    void theNewestExamplesComeFirstInPagesAndTheMatchesOrNonMatchesAlone() {
        String id = createTracker(PRICING);
        addNumberedExamples(id, 120); // 40 matches (0, 3, …, 117), 80 non-matches
        signIn();
        browser.go("#/trackers/" + id + "/teach");
        browser.until(d -> browser.allByTestId("example").size() == 50 ? true : null);
        assertThat(exampleTextsShown().get(0)).as("the newest first").isEqualTo("Sentence number 119 of the set");
        assertThat(exampleTextsShown().get(49)).isEqualTo("Sentence number 70 of the set");
        assertThat(browser.byTestId("examples-count").getText()).isEqualTo("1–50 of 120 examples. Newest first.");
        assertThat(browser.byTestId("examples-show-all").getText()).isEqualTo("All (120)");
        assertThat(browser.byTestId("examples-show-all").getAttribute("aria-pressed")).isEqualTo("true");
        assertThat(browser.byTestId("examples-show-match").getText()).isEqualTo("Matches (40)");
        assertThat(browser.byTestId("examples-show-no-match").getText()).isEqualTo("Non-matches (80)");

        // the label just given is on top, counted
        browser.byTestId("example-text").sendKeys("Can you tell me the fee for ten seats?", Keys.ENTER);
        browser.until(d -> "Can you tell me the fee for ten seats?".equals(exampleTextsShown().get(0)) ? true : null);
        assertThat(browser.byTestId("examples-show-match").getText()).isEqualTo("Matches (41)");
        assertThat(browser.byTestId("last-label").getText()).startsWith("Saved “Can you tell me the fee for ten seats?”");

        // the matches alone, newest first, and their second page
        browser.byTestId("examples-show-match").click();
        browser.until(d -> browser.byTestId("examples-count").getText().equals("41 matches. Newest first.") ? true : null);
        assertThat(browser.byTestId("examples-show-match").getAttribute("aria-pressed")).isEqualTo("true");
        assertThat(browser.allByTestId("example")).hasSize(41)
                .allSatisfy(row -> assertThat(row.getText()).startsWith("match"));
        assertThat(exampleTextsShown().get(1)).isEqualTo("Sentence number 117 of the set");
        browser.byTestId("examples-show-no-match").click();
        browser.until(d -> browser.byTestId("examples-count").getText().equals("1–50 of 80 non-matches. Newest first.") ? true : null);
        browser.byTestId("examples-pages").findElement(By.cssSelector("[aria-label='Page 2']")).click();
        browser.until(d -> browser.byTestId("examples-count").getText().equals("51–80 of 80 non-matches. Newest first.") ? true : null);
        assertThat(browser.allByTestId("example")).hasSize(30)
                .allSatisfy(row -> assertThat(row.getText()).startsWith("no match"));
        assertThat(exampleTextsShown().get(0)).isEqualTo("Sentence number 44 of the set");
        assertThat(exampleTextsShown().get(29)).isEqualTo("Sentence number 1 of the set");
    }

    /**
     * A trainer who remembered labelling "the invoice was wrong" could not find it among 120 examples in pages of 50.
     * The search finds it by a word, in any case and without its accents, within the kind shown and across the pages,
     * says what it shows and when it finds nothing, and the labelling keys are text in it: typing "invoice" there
     * labelled the current suggestion (the N) before it. Screenshots at 1280 × 800 and 390 × 844 for docs/ui.md.
     */
    @Test
    void anExampleIsFoundByAWordOfItWithinTheKindShownAndThePages() throws Exception {
        String id = pricingWithExamplesAndSuggestions("the invoice was wrong", "The café invoice was wrong, twice.");
        addNumberedExamples(id, 114); // 38 matches; 120 examples in all, 42 of them matches
        assertThat(api.post("/v1/manage/trackers/" + id + "/examples",
                "[{\"text\": \"Can you send me the INVOICE for ten seats?\", \"match\": true}]").status()).isEqualTo(201);
        signIn();
        browser.go("#/trackers/" + id + "/teach");
        browser.until(d -> browser.allByTestId("example").size() == 50 ? true : null);
        markedSuggestion();

        // typed into the box, N and the other letters are text, not labels
        WebElement search = browser.byTestId("examples-search");
        search.sendKeys("invoice");
        browser.until(d -> browser.byTestId("examples-count").getText()
                .equals("3 of 120 examples match “invoice”. Newest first.") ? true : null);
        assertThat(search.getAttribute("value")).isEqualTo("invoice");
        assertThat(browser.allByTestId("examples-search-said").get(0).getAttribute("textContent"))
                .as("what a screen reader hears").isEqualTo("3 of 120 examples match “invoice”. Newest first.");
        assertThat(exampleTextsShown()).containsExactly("Can you send me the INVOICE for ten seats?",
                "The café invoice was wrong, twice.", "the invoice was wrong");
        assertThat(browser.byTestId("examples-show-all").getText()).isEqualTo("All (3)");
        assertThat(browser.byTestId("examples-show-match").getText()).isEqualTo("Matches (1)");
        assertThat(browser.byTestId("examples-show-no-match").getText()).isEqualTo("Non-matches (2)");
        assertThat(browser.allByTestId("examples-pages").get(0).isDisplayed()).isFalse();

        // without the accent, in capitals
        search.clear();
        search.sendKeys("CAFE INVOICE");
        browser.until(d -> browser.byTestId("examples-count").getText()
                .equals("1 of 120 examples match “CAFE INVOICE”. Newest first.") ? true : null);
        assertThat(exampleTextsShown()).containsExactly("The café invoice was wrong, twice.");

        // within a kind
        search.clear();
        search.sendKeys("invoice");
        browser.byTestId("examples-show-no-match").click();
        browser.until(d -> browser.byTestId("examples-count").getText()
                .equals("2 of 78 non-matches contain “invoice”. Newest first.") ? true : null);
        assertThat(exampleTextsShown()).containsExactly("The café invoice was wrong, twice.", "the invoice was wrong");

        // nothing found is said, with where the word is, and the way back
        search.clear();
        search.sendKeys("wrong");
        browser.byTestId("examples-show-match").click();
        browser.until(d -> browser.allByTestId("examples-none-found").size() == 1 ? true : null);
        assertThat(browser.byTestId("examples-none-found").getText())
                .isEqualTo("No match has “wrong” in it (2 examples of the other kind do: see All). Show all matches");
        assertThat(browser.allByTestId("examples-count").get(0).isDisplayed()).isFalse();
        assertThat(browser.allByTestId("examples-search-said").get(0).getAttribute("textContent"))
                .isEqualTo("No match has “wrong” in it (2 examples of the other kind do: see All). ");
        browser.byTestId("examples-search-clear").click();
        browser.until(d -> browser.byTestId("examples-count").getText().equals("42 matches. Newest first.") ? true : null);
        assertThat(activeTestId()).isEqualTo("examples-search");

        // across the pages: the pager pages what is found, and a new search starts at its first page
        browser.byTestId("examples-show-all").click();
        search.sendKeys("of the set");
        browser.until(d -> browser.byTestId("examples-count").getText()
                .equals("1–50 of the 114 examples that match “of the set” (of 120). Newest first.") ? true : null);
        browser.byTestId("examples-pages").findElement(By.cssSelector("[aria-label='Page 3']")).click();
        browser.until(d -> browser.byTestId("examples-count").getText()
                .equals("101–114 of the 114 examples that match “of the set” (of 120). Newest first.") ? true : null);
        assertThat(exampleTextsShown().get(13)).isEqualTo("Sentence number 0 of the set");
        search.clear();
        search.sendKeys("set");
        browser.until(d -> browser.byTestId("examples-count").getText()
                .equals("1–50 of the 114 examples that match “set” (of 120). Newest first.") ? true : null);
        assertThat(examplesOf(id)).as("nothing typed in the search was taken for a label").hasSize(120);

        search.clear();
        search.sendKeys("invoice");
        browser.until(d -> browser.allByTestId("example").size() == 3 ? true : null);
        screenshotsAtBothWidths("teach-search", "teach search",
                "document.querySelector('[data-testid=teach-examples]').scrollIntoView({block: 'start'})");
    }

    /**
     * While a trainer labelled, the estimate's card at the top of the page grew a little at each label ("Updating…" came
     * above the figures and went, the line on how they moved appeared under them), and the sentence being labelled crept
     * down. Every change of the card's size is watched: the suggestions under it never move, at either width.
     */
    @Test
    void theSentenceBeingLabelledStaysWhereItIsWhileTheEstimateChanges() {
        for (int[] size : new int[][] {{1280, 800}, {390, 844}}) {
            String id = pricingWithExamplesAndSuggestions("My cat sleeps all day.", "Good morning, everyone.",
                    "Can you send me the contract?");
            signIn();
            viewport(size[0], size[1]);
            browser.go("#/trackers/" + id + "/teach");
            browser.until(d -> browser.allByTestId("suggestion").size() >= 3 ? true : null);
            browser.byTestId("quality-figures");
            // the card's every change of size, with where the suggestions were then (from the top of the page, so
            // that a scroll to the focused sentence does not count); each next estimate held until the test lets it go
            browser.script("""
                    const suggestions = document.querySelector('[data-testid=teach-suggestions]');
                    const top = () => Math.round(suggestions.getBoundingClientRect().top + window.scrollY);
                    window.suggestionsTops = [top()];
                    new ResizeObserver(() => window.suggestionsTops.push(top()))
                        .observe(document.querySelector('[data-testid=teach-quality]'));
                    """ + HOLD_EACH_ESTIMATE);
            for (int label = 1; label <= 3; label++) {
                int examples = 6 + label;
                markedSuggestion();
                press(label == 2 ? "y" : "n");
                awaitExampleCount(id, examples);
                browser.byTestId("quality-updating");
                browser.until(d -> Boolean.TRUE.equals(browser.script("return window.releaseEstimate !== null")) ? true : null);
                browser.script("const release = window.releaseEstimate; window.releaseEstimate = null; release()");
                browser.until(d -> browser.allByTestId("quality-updating").isEmpty() ? true : null);
                browser.until(d -> estimateMoved());
            }
            browser.script("return new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)))");
            @SuppressWarnings("unchecked")
            List<Number> tops = (List<Number>) browser.script("return window.suggestionsTops");
            assertThat(new HashSet<>(tops.stream().map(Number::longValue).toList()))
                    .as("where the suggestions were at each change of the estimate's card, at " + size[0] + " px: " + tops)
                    .hasSize(1);
            api = TestApi.newAccount("http://localhost:" + port);
        }
        browser.size(1280, 900);
    }

    // ---- labelling with the keys, undo, and how the estimate moved (issue "Teach a tracker") ----


    /** Presses a key where the focus is, as a user at the keyboard does. */
    private void press(CharSequence... keys) {
        new Actions(browser.driver()).sendKeys(keys).perform();
    }

    /** The sentence of the suggestion the keys answer, once it is marked and has the focus. */
    private String currentSuggestion() {
        return browser.until(d -> (String) browser.script("""
                const current = document.querySelector('[data-testid=suggestion].current');
                return current && document.activeElement === current ? current.querySelector('.text').textContent : null;"""));
    }

    /** The suggestion marked current, focused or not. */
    private String markedSuggestion() {
        return browser.until(d -> (String) browser.script(
                "return document.querySelector('[data-testid=suggestion].current .text')?.textContent ?? null"));
    }

    /** The tracker's examples as "text=match", in the order they were added. */
    private List<String> examplesOf(String trackerId) {
        List<String> said = new ArrayList<>();
        api.get("/v1/manage/trackers/" + trackerId + "/examples").body().get("examples")
                .forEach(example -> said.add(example.get("text").asString() + "=" + example.get("match").asBoolean()));
        return said;
    }

    /** Waits for the tracker's examples to be {@code expected} (the page stores a label a moment after the key). */
    private void assertExamplesBecome(String trackerId, String... expected) {
        try {
            browser.until(d -> examplesOf(trackerId).equals(List.of(expected)) ? true : null);
        } catch (org.openqa.selenium.TimeoutException e) {
            // the assertion below says what they are instead
        }
        assertThat(examplesOf(trackerId)).containsExactly(expected);
    }

    private void awaitExampleCount(String trackerId, int count) {
        browser.until(d -> examplesOf(trackerId).size() == count ? true : null);
    }

    /** The line that says how the estimate moved, or null while the page shows none. */
    private String estimateMoved() {
        return (String) browser.script("""
                const line = document.querySelector('[data-testid=quality-delta]');
                return line && !line.hidden ? line.textContent : null;""");
    }

    @Test
    void suggestionsAreLabelledWithTheKeysAlone() {
        String id = openTeachPage(SEVERAL_SENTENCES);
        browser.until(d -> browser.allByTestId("suggestion").size() >= 4 ? true : null);
        // the keys are said where the labelling is, not only in a tooltip
        assertThat(browser.byTestId("suggestions-keys").getText())
                .isEqualTo("Keys: Y match · N no match · S or → skip · K or ← back · U undo");
        String first = markedSuggestion();
        // Ctrl+N and Cmd+N are the browser's (a new window), never a label
        browser.script("""
                for (const modifier of ['ctrlKey', 'metaKey']) {
                  document.activeElement.dispatchEvent(new KeyboardEvent('keydown',
                      {key: 'n', [modifier]: true, bubbles: true, cancelable: true}));
                }""");

        press("y");
        String second = browser.until(d -> {
            String now = currentSuggestion();
            return now.equals(first) ? null : now;
        });
        press("n");
        String third = browser.until(d -> {
            String now = currentSuggestion();
            return now.equals(second) ? null : now;
        });
        // skipped: not labelled, the next one is current; K goes back to it and → forward again
        press("s");
        String fourth = currentSuggestion();
        assertThat(fourth).isNotEqualTo(third);
        press("k");
        assertThat(currentSuggestion()).isEqualTo(third);
        press(Keys.ARROW_RIGHT);
        assertThat(currentSuggestion()).isEqualTo(fourth);
        press("n");

        assertExamplesBecome(id, first + "=true", second + "=false", fourth + "=false");
        browser.until(d -> !currentSuggestion().equals(fourth) ? true : null);
        assertThat(browser.allByTestId("suggestion")).as("the skipped sentence is still there to answer")
                .anyMatch(s -> s.getText().startsWith(third));
        // 1 match and 2 non-matches: no estimate before nor after, so no change is made up
        browser.until(d -> browser.byTestId("quality-figures").getText().contains("1 / 2") ? true : null);
        assertThat(estimateMoved()).isNull();
    }

    @Test
    void keysTypedInTheSentenceBoxLabelNothing() {
        String id = openTeachPage(SEVERAL_SENTENCES);
        browser.byTestId("suggestion");
        String first = markedSuggestion();
        WebElement box = browser.byTestId("example-text");
        // every labelling key, typed as text: each one is in the box, none labelled or moved anything
        String typed = "No, not now. Maybe next year? Yes, surely; okay, just ask.";
        box.sendKeys(typed, Keys.ARROW_LEFT, Keys.ARROW_RIGHT);
        assertThat(box.getAttribute("value")).isEqualTo(typed);
        assertThat(markedSuggestion()).as("still the first sentence").isEqualTo(first);

        // outside the box, N labels the current sentence: the first, and nothing before it
        browser.driver().findElement(By.tagName("h1")).click();
        press("n");
        assertExamplesBecome(id, first + "=false");
        browser.until(d -> !currentSuggestion().equals(first) ? true : null);
        assertExamplesBecome(id, first + "=false");
        assertThat(box.getAttribute("value")).as("what was typed stays in the box, unsent").isEqualTo(typed);
    }

    @Test
    void undoTakesTheLabelBackAndTheSentenceIsCurrentAgain() {
        String id = openTeachPage(SEVERAL_SENTENCES);
        browser.byTestId("suggestion");
        String first = markedSuggestion();
        press("n");
        assertExamplesBecome(id, first + "=false");
        browser.until(d -> !currentSuggestion().equals(first) ? true : null);
        assertThat(browser.byTestId("last-label").getText()).startsWith("Saved “" + first + "” as a non-match.");

        // Undo is a button beside what was saved, reached and pressed with the keyboard
        browser.byTestId("undo-label").sendKeys(Keys.ENTER);
        assertExamplesBecome(id);
        browser.until(d -> currentSuggestion().equals(first) ? true : null);
        assertThat(browser.byTestId("last-label").getText()).startsWith("Undone: “" + first + "” is not an example any more.");

        // U, and Ctrl+Z, do the same outside a text box
        press("y");
        assertExamplesBecome(id, first + "=true");
        browser.until(d -> !currentSuggestion().equals(first) ? true : null);
        press("u");
        assertExamplesBecome(id);
        browser.until(d -> currentSuggestion().equals(first) ? true : null);
        press("n");
        assertExamplesBecome(id, first + "=false");
        browser.until(d -> !currentSuggestion().equals(first) ? true : null);
        new Actions(browser.driver()).keyDown(Keys.CONTROL).sendKeys("z").keyUp(Keys.CONTROL).perform();
        assertExamplesBecome(id);
        browser.until(d -> currentSuggestion().equals(first) ? true : null);

        // a sentence that was an example already (typed as a match) and was relabelled by a key: Undo gives it its
        // label back, the same example, rather than removing what the user had taught before
        browser.byTestId("example-text").sendKeys(first, Keys.ENTER);
        browser.until(d -> browser.allByTestId("example").size() == 1 ? true : null);
        String exampleId = api.get("/v1/manage/trackers/" + id + "/examples").body().get("examples").get(0).get("id").asString();
        browser.driver().findElement(By.tagName("h1")).click();
        assertThat(markedSuggestion()).isEqualTo(first);
        press("n");
        assertExamplesBecome(id, first + "=false");
        browser.until(d -> !currentSuggestion().equals(first) ? true : null);
        press("u");
        browser.until(d -> currentSuggestion().equals(first) ? true : null);
        JsonNode examples = api.get("/v1/manage/trackers/" + id + "/examples").body().get("examples");
        assertThat(examples).hasSize(1);
        assertThat(examples.get(0).get("id").asString()).isEqualTo(exampleId);
        assertThat(examples.get(0).get("match").asBoolean()).isTrue();
        assertThat(browser.byTestId("last-label").getText()).startsWith("Undone: “" + first + "” is a match again.");
    }

    /**
     * Undo told a new example from a relabelled one by the examples the page had listed: a text another tab (or a
     * colleague) had added meanwhile was taken for new, and Undo deleted it instead of giving back its label. The
     * service's answer now says what the example was before, and Undo follows it.
     */
    @Test
    void undoOfALabelGivenToATextAddedElsewhereMeanwhileGivesItsLabelBack() {
        String id = openTeachPage(SEVERAL_SENTENCES);
        browser.byTestId("suggestion");
        String first = markedSuggestion();
        // another tab teaches the same sentence as a match, after this page listed the examples
        JsonNode added = api.post("/v1/manage/trackers/" + id + "/examples",
                "{\"text\": \"" + first + "\", \"match\": true}").body().get("examples").get(0);

        browser.driver().findElement(By.tagName("h1")).click();
        press("n");
        assertExamplesBecome(id, first + "=false");
        browser.until(d -> !currentSuggestion().equals(first) ? true : null);
        press("u");
        assertExamplesBecome(id, first + "=true");
        assertThat(api.get("/v1/manage/trackers/" + id + "/examples").body().get("examples").get(0).get("id").asString())
                .as("the same example, not one added again").isEqualTo(added.get("id").asString());
        assertThat(browser.byTestId("last-label").getText()).startsWith("Undone: “" + first + "” is a match again.");
    }

    /**
     * A label changed on the examples list had no Undo, where a suggestion's label had one. It is undone the same way
     * (U, Ctrl+Z or the button), and the keyboard is back at that example's button.
     */
    @Test
    void aLabelChangedOnTheExamplesListIsUndoneAsASuggestionsLabelIs() {
        String id = teachPricingWithAMatchAndANonMatch();

        // newest first: the first added is the second row
        browser.allByTestId("example-relabel").get(1).click();
        assertExamplesBecome(id, "Can you tell me the fee for ten seats?=false", "See you on Monday.=false");
        browser.until(d -> browser.byTestId("last-label").getText()
                .startsWith("Changed “Can you tell me the fee for ten seats?” to a non-match.") ? true : null);
        assertFocusMovesTo("example-relabel");
        // said in the example's row, above its buttons: at 390 px the line above the suggestions is screens away
        assertThat(browser.script("""
                return document.querySelector('[data-testid=last-label]').closest('[data-testid=example]')
                    ?.querySelector('.text').textContent""")).isEqualTo("Can you tell me the fee for ten seats?");
        press("u");
        assertExamplesBecome(id, "Can you tell me the fee for ten seats?=true", "See you on Monday.=false");
        browser.until(d -> browser.allByTestId("example").get(1).getText().startsWith("match") ? true : null);
        assertThat(browser.byTestId("last-label").getText())
                .startsWith("Undone: “Can you tell me the fee for ten seats?” is a match again.");
        assertThat((String) browser.script("return document.activeElement.getAttribute('aria-label')"))
                .as("the keyboard is back at the example's button").isEqualTo("Change to no match: “Can you tell me the fee for ten seats?”");

        // the other example, changed and undone with the button beside what was saved
        browser.allByTestId("example-relabel").get(0).click();
        assertExamplesBecome(id, "Can you tell me the fee for ten seats?=true", "See you on Monday.=true");
        browser.until(d -> browser.byTestId("last-label").getText().startsWith("Changed “See you on Monday.”") ? true : null);
        browser.byTestId("undo-label").click();
        assertExamplesBecome(id, "Can you tell me the fee for ten seats?=true", "See you on Monday.=false");
        assertThat(examplesOf(id)).hasSize(2);
    }

    /**
     * A sales trainer typing sentences one after the other: the examples list, drawn again after each, took the
     * sentence box with it, so the focus fell to the page and the next sentence was typed into nothing. The box now
     * keeps the focus, and what was saved, with its Undo, is said under it, not above the suggestions screens away.
     */
    @Test
    void sentencesTypedOneAfterAnotherKeepTheBoxAndTheirUndoIsBesideIt() {
        String id = createTracker(PRICING);
        signIn();
        browser.go("#/trackers/" + id + "/teach");
        browser.byTestId("example-text").sendKeys("Is the onboarding fee included in that price?", Keys.ENTER);
        browser.until(d -> browser.allByTestId("example").size() == 1 ? true : null);
        press("What does that run per seat with you guys?", Keys.ENTER);
        assertExamplesBecome(id, "Is the onboarding fee included in that price?=true",
                "What does that run per seat with you guys?=true");
        browser.until(d -> browser.allByTestId("example").size() == 2 ? true : null);
        assertFocusMovesTo("example-text");
        assertThat(browser.script("""
                return document.querySelector('[data-testid=last-label]').closest('[data-testid=teach-examples]') !== null"""))
                .as("the line of the last label is in the examples card").isEqualTo(true);
        assertThat(browser.byTestId("last-label").getText())
                .startsWith("Saved “What does that run per seat with you guys?” as a match.");
        browser.byTestId("undo-label").click();
        assertExamplesBecome(id, "Is the onboarding fee included in that price?=true");
        assertThat(browser.byTestId("example-text").getAttribute("value"))
                .isEqualTo("What does that run per seat with you guys?");
    }

    /**
     * A sales trainer who could not answer a batch's sentences skipped to its last one, where S did nothing: new
     * sentences came only once every sentence shown was labelled. "Other sentences" passes over the batch without
     * labelling it, and those sentences are not offered again while the page is open.
     */
    @Test
    void sentencesTheTrainerCannotAnswerArePassedOverForOthers() {
        String id = createTracker(PRICING);
        processAndWait("""
                {"messages": [{"payload": {"content": "What does the premium tier cost per month? Is there a fee for extra seats? \
                Can we pay yearly instead? Like twelve? Send me a few time slots. How's it going? The weather is lovely \
                today. See you on Monday. My dog loves long walks. Can you send me the invoice again? The train was late \
                this morning. We signed the lease last week. Our office moved to Denver. What got you looking?"}}]}""");
        signIn();
        browser.go("#/trackers/" + id + "/teach");
        browser.until(d -> browser.allByTestId("suggestion").size() == 10 ? true : null);
        List<String> first = suggestionTexts();

        browser.byTestId("suggestions-other").click();
        browser.until(d -> !suggestionTexts().isEmpty() && !suggestionTexts().equals(first) ? true : null);
        List<String> others = suggestionTexts();
        assertThat(others).as("none of the sentences passed over").doesNotContainAnyElementsOf(first);
        assertThat(currentSuggestion()).as("the keys go on at the first of them").isEqualTo(others.get(0));
        assertThat(examplesOf(id)).as("passing over labels nothing").isEmpty();

        // all passed over: the page says so, and can show them again
        browser.byTestId("suggestions-other").click();
        assertThat(browser.byTestId("suggestions-none").getText()).startsWith("No other suggestions");
        browser.byTestId("suggestions-more").click();
        browser.until(d -> suggestionTexts().equals(first) ? true : null);
    }

    private List<String> suggestionTexts() {
        List<String> texts = new ArrayList<>();
        browser.driver().findElements(By.cssSelector("[data-testid=suggestion] .text")).forEach(e -> texts.add(e.getText()));
        return texts;
    }

    /** As the page writes a figure: two decimals, as JavaScript's toFixed rounds the double. */
    private static String figure(JsonNode value) {
        return new java.math.BigDecimal(value.asDouble()).setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
    }

    @Test
    void theEstimateSaysHowItMovedSinceThePageOpened() {
        String id = pricingWithExamplesAndSuggestions("My cat sleeps all day.", "Good morning, everyone.");
        signIn();
        browser.go("#/trackers/" + id + "/teach");
        browser.byTestId("suggestion");
        browser.byTestId("quality-figures");
        assertThat(estimateMoved()).as("nothing labelled yet").isNull();

        // 3 matches, 2 non-matches: no estimate when the page opened; the third non-match gives one, said as such
        String first = markedSuggestion();
        press("n");
        awaitExampleCount(id, 6);
        JsonNode one = api.get("/v1/manage/trackers/" + id + "/quality").body();
        assertThat(one.get("f1").isNull()).isFalse();
        String honest = browser.until(d -> estimateMoved());
        assertThat(honest).isEqualTo("Since you opened this page: F1 " + figure(one.get("f1")) + " after 1 label. There "
                + "was no estimate when it opened (too few examples, or none it fired on), so there is nothing to compare it with.");

        // opened again with figures: the change, from the figures then to the figures now
        browser.driver().navigate().refresh();
        browser.until(d -> browser.allByTestId("suggestion").size() >= 2 ? true : null);
        browser.byTestId("quality-figures");
        browser.until(d -> !markedSuggestion().equals(first) ? true : null);
        press("n");
        awaitExampleCount(id, 7);
        browser.until(d -> currentSuggestion() != null ? true : null);
        press("y");
        awaitExampleCount(id, 8);
        JsonNode now = api.get("/v1/manage/trackers/" + id + "/quality").body();
        String expected = "Since you opened this page: F1 " + figure(one.get("f1")) + " → " + figure(now.get("f1"))
                + " after 2 labels (precision " + figure(one.get("precision")) + " → " + figure(now.get("precision"))
                + ", recall " + figure(one.get("recall")) + " → " + figure(now.get("recall")) + ").";
        browser.until(d -> browser.byTestId("quality-figures").getText().contains(now.get("positives").asInt() + " / "
                + now.get("negatives").asInt()) ? true : null);
        assertThat(estimateMoved()).isEqualTo(expected);
        // an undone label is no longer counted
        press("u");
        awaitExampleCount(id, 7);
        browser.until(d -> String.valueOf(estimateMoved()).contains("after 1 label ") ? true : null);
    }

    /** The teach page labelled with the keys, at 1280 × 800 and 390 × 844, for docs/ui.md. */
    @Test
    void screenshotsOfTeachingWithTheKeys() throws Exception {
        String id = pricingWithExamplesAndSuggestions("My cat sleeps all day.", "Good morning, everyone.",
                "Can you send me the contract?");
        signIn();
        browser.go("#/trackers/" + id + "/teach");
        browser.until(d -> browser.allByTestId("suggestion").size() >= 3 ? true : null);
        browser.byTestId("quality-figures");
        press("n");
        awaitExampleCount(id, 7);
        browser.until(d -> currentSuggestion() != null ? true : null);
        press("n");
        awaitExampleCount(id, 8);
        browser.until(d -> estimateMoved());
        browser.until(d -> browser.byTestId("quality-figures").getText().contains("3 / 5") ? true : null);
        currentSuggestion();
        screenshotsAtBothWidths("teach-keys", "teach page", "");
    }

    /**
     * The whole page as it is, at 1280 × 800 and 390 × 844 (target/ui-screenshots/{@code name}-WIDTH.png), each after
     * {@code prepare} (a page script; "" for none), none wider than the window.
     */
    private void screenshotsAtBothWidths(String name, String what, String prepare) throws java.io.IOException {
        Path out = Path.of("target", "ui-screenshots");
        for (int[] size : new int[][] {{1280, 800}, {390, 844}}) {
            viewport(size[0], size[1]);
            if (!prepare.isEmpty()) {
                browser.script(prepare);
            }
            new Actions(browser.driver()).moveToLocation(1, 1).perform();
            browser.screenshot(out.resolve(name + "-" + size[0] + ".png"));
            assertThat(browser.horizontalOverflow()).as(what + " at " + size[0] + " px " + browser.elementsOutsideTheWindow())
                    .isZero();
        }
        browser.size(1280, 900);
    }

    /**
     * A UI audit: to show each tracker's number of examples the list asked for the examples of every tracker, one
     * request per tracker (500 for the largest account). The counts now come with the list: one request for the
     * page, however many trackers it shows.
     */
    /**
     * The list says when a tracker can fire, in words apart from its categories: "said by the customer · first 60 s".
     * Until 2026-11-29 the speaker was a grey chip like the categories ("customer", "Sales", "Demo") and the window was
     * not shown at all.
     */
    /**
     * The hints meant for trainers say what to do, in their words: until 2026-11-29 they read "Messages carry their
     * speaker's role as from.role.", "JSON (the body of POST /v1/process/text, …)" and "(5-fold cross-validation)".
     */
    @Test
    void hintsForTrainersSayWhatToDoWithoutTheApisWords() {
        String id = pricingWithExamplesAndSuggestions("My cat sleeps all day.", "Good morning, everyone.",
                "Can you send me the contract?");
        signIn();
        browser.go("#/trackers/" + id);
        browser.byTestId("tracker-vocabulary");
        browser.driver().findElement(By.cssSelector("details.more > summary")).click();
        String speakerHint = (String) browser.script("return document.getElementById(arguments[0].id + '-hint').textContent",
                browser.byTestId("tracker-speaker"));
        assertThat(speakerHint).contains("start each line with “Agent:” or “Customer:”").doesNotContain("from.role");

        browser.go("#/conversations");
        browser.byTestId("upload-name");
        String fileHint = (String) browser.script("return document.getElementById(arguments[0].id + '-hint').textContent",
                browser.driver().findElement(By.cssSelector("[data-testid='upload-file']")));
        assertThat(fileHint).contains("WebVTT (.vtt) or SRT (.srt) file").doesNotContain("/v1/").doesNotContain("POST");

        browser.go("#/trackers/" + id + "/teach");
        String estimate = browser.until(d -> {
            String text = browser.byTestId("teach-quality").getText();
            return text.contains("Estimated from") ? text : null;
        });
        assertThat(estimate).contains("Estimated from your 6 examples: each was decided by the tracker and your other examples")
                .doesNotContain("fold").doesNotContain("cross-validation");
    }

    @Test
    void theListShowsSpeakerAndWindowAsConditionsApartFromCategories() {
        createTracker("""
                {"name": "Demo request", "vocabulary": ["book a demo", "can I see a demo", "show me the product",
                 "a trial please", "show me how it works"], "speaker": "customer",
                 "window": {"anchor": "start", "seconds": 60}, "categories": ["Sales", "Demo"]}""");
        createTracker(PRICING.replace("\"any discount\"]", "\"any discount\"], \"window\": {\"anchor\": \"end\", \"messages\": 3}"));
        createTracker(BUDGET);
        signIn();
        WebElement demo = row("Demo request");
        assertThat(demo.findElement(By.cssSelector("[data-testid='tracker-conditions']")).getText())
                .isEqualTo("said by the customer · first 60 s");
        assertThat(demo.findElements(By.cssSelector(".tag"))).extracting(WebElement::getText).containsExactly("Sales", "Demo");
        // a condition is not drawn as a category chip
        assertThat(demo.findElement(By.cssSelector("[data-testid='tracker-conditions']")).getCssValue("background-color"))
                .isNotEqualTo(demo.findElement(By.cssSelector(".tag")).getCssValue("background-color"));
        assertThat(row("Pricing").findElement(By.cssSelector("[data-testid='tracker-conditions']")).getText())
                .isEqualTo("last 3 messages");
        assertThat(row("Budget").findElements(By.cssSelector("[data-testid='tracker-conditions']"))).isEmpty();
        windowShot("tracker-conditions-1280");
        viewport(390, 844);
        windowShot("tracker-conditions-390");
        browser.size(1280, 900);
    }

    @Test
    void theListShowsTheExampleCountsWithoutARequestPerTracker() {
        String pricing = createTracker(PRICING);
        createTracker(BUDGET);
        assertThat(api.post("/v1/manage/trackers/" + pricing + "/examples", """
                [{"text": "Can you tell me the fee for ten seats?", "match": true},
                 {"text": "Is there a cheaper plan for schools?", "match": true},
                 {"text": "The price of coffee went up.", "match": false}]""").status()).isEqualTo(201);
        signIn();
        browser.go("#/try");
        browser.byTestId("try-text");
        // from here on, the requests of the list page alone
        browser.script("performance.clearResourceTimings()");
        browser.byTestId("nav-trackers").click();

        assertThat(rowShowing("Pricing", "3 examples")).contains("5 phrases");
        assertThat(rowShowing("Budget", "0 examples")).contains("5 phrases");
        @SuppressWarnings("unchecked")
        List<String> requests = (List<String>) browser.script("return performance.getEntriesByType('resource')"
                + ".map(entry => entry.name).filter(name => name.includes('/v1/'))");
        assertThat(requests).containsExactly(url() + "/v1/manage/trackers");
    }

    @Test
    void searchFindsTrackersByTheirCategories() {
        createTracker("""
                {"name": "Pricing", "categories": ["sales"], "vocabulary": ["how much does it cost", "what is the price",
                 "pricing plans", "too expensive", "any discount"]}""");
        createTracker(BUDGET);
        signIn();
        row("Budget");
        browser.byTestId("tracker-search").sendKeys("sales");
        browser.until(d -> browser.allByTestId("tracker-row").size() == 1 ? true : null);
        assertThat(browser.byTestId("tracker-row").getText()).contains("Pricing");
        assertThat(browser.byTestId("tracker-count").getText()).isEqualTo("1 of 2 trackers match “sales”.");
    }

    @Test
    void aProblemInTheSummaryTakesTheFocusToItsLine() {
        signIn();
        browser.byTestId("new-tracker").click();
        StringBuilder phrases = new StringBuilder();
        for (int i = 1; i <= 50; i++) {
            phrases.append("phrase number ").append(i).append('\n');
        }
        phrases.append("phrase number 7");
        browser.byTestId("tracker-name").sendKeys("Fifty phrases");
        browser.script("const box = document.querySelector('[data-testid=tracker-vocabulary]'); box.value = arguments[0];"
                + " box.dispatchEvent(new Event('input', {bubbles: true}))", phrases.toString());
        browser.byTestId("tracker-save").click();
        WebElement line51 = browser.until(d -> browser.byTestId("tracker-error").findElements(By.tagName("button")).stream()
                .filter(b -> b.getText().startsWith("Phrases, line 51:")).findFirst().orElse(null));
        line51.click();
        assertFocusMovesTo("tracker-vocabulary");
        // the line is selected and scrolled into the box's view (line 51 of a box ten lines high)
        assertThat(browser.script("const box = document.activeElement;"
                + " return box.value.slice(box.selectionStart, box.selectionEnd)")).isEqualTo("phrase number 7");
        assertThat((Boolean) browser.script("""
                const box = document.activeElement;
                const lineHeight = parseFloat(getComputedStyle(box).lineHeight);
                const top = 50 * lineHeight + parseFloat(getComputedStyle(box).paddingTop);
                return top >= box.scrollTop && top + lineHeight <= box.scrollTop + box.clientHeight;""")).isTrue();
    }

    @Test
    void leavingAgainWhileTheQuestionIsOpenAsksOnce() {
        signIn();
        browser.byTestId("new-tracker").click();
        browser.byTestId("tracker-name").sendKeys("Half done");
        browser.script("location.hash = '#/try'");
        browser.byTestId("leave-dialog");
        // Back, or another address, while the question is on screen: the same question, not a second one on top
        browser.script("location.hash = '#/conversations'");
        browser.script("return new Promise(resolve => setTimeout(resolve, 300))");
        assertThat(browser.allByTestId("leave-dialog")).hasSize(1);
        browser.byTestId("leave-confirm").click();
        browser.until(d -> "Conversations".equals(browser.driver().findElement(By.cssSelector("main h1")).getText()) ? true : null);
        assertThat(browser.allByTestId("leave-dialog")).isEmpty();
    }

    @Test
    void analyticsOfManyTrackersChartsTheBusiestAndNamesTheOnesWithoutHits() {
        String[][] topics = {
            {"Pricing", "how much does it cost", "what is the price", "pricing plans", "too expensive", "any discount"},
            {"Budget", "no budget", "over budget", "we cannot afford it", "too expensive for us", "no money left"},
            {"Cancellation", "cancel my plan", "stop the subscription", "end the contract", "close my account", "terminate service"},
            {"Shipping", "where is my parcel", "tracking number", "delivery is late", "package has not arrived", "shipping status"},
            {"Password", "reset my password", "forgot my password", "cannot log in", "locked out of my account", "login problem"},
            {"Refund", "i want a refund", "money back", "refund my order", "return the item", "get reimbursed"},
            {"Greeting", "good morning", "hello there", "nice to meet you", "how are you today", "thanks for calling"},
            {"Complaint", "very disappointed", "terrible service", "this is unacceptable", "i want to complain", "worst experience"},
            {"Competitor", "your competitor", "another vendor", "switch providers", "other company offers", "cheaper elsewhere"},
            {"Weather", "heavy rain tomorrow", "sunny afternoon", "snow storm warning", "weather forecast", "strong wind outside"},
        };
        StringBuilder messages = new StringBuilder();
        for (String[] topic : topics) {
            createTracker("{\"name\": \"%s\", \"vocabulary\": [\"%s\"]}".formatted(topic[0],
                    String.join("\", \"", java.util.Arrays.copyOfRange(topic, 1, topic.length))));
            if (!topic[0].equals("Weather")) {
                messages.append(messages.isEmpty() ? "" : ", ")
                        .append("{\"payload\": {\"content\": \"Well, %s.\"}}".formatted(topic[1]));
            }
        }
        processAndWait("{\"messages\": [" + messages + "]}");
        JsonNode figures = api.get("/v1/analytics/trackers?from=" + java.time.Instant.now().minus(java.time.Duration.ofDays(30))
                + "&to=" + java.time.Instant.now().plusSeconds(60) + "&interval=day").body().get("trackers");
        List<String> withHits = new ArrayList<>();
        List<String> without = new ArrayList<>();
        List<Map.Entry<String, Integer>> hits = new ArrayList<>();
        figures.forEach(t -> (t.get("hits").asInt() > 0 ? withHits : without).add(t.get("name").asString()));
        figures.forEach(t -> hits.add(Map.entry(t.get("name").asString(), t.get("hits").asInt())));
        assertThat(withHits).as("trackers with hits (literal phrases)").hasSizeGreaterThan(8);
        assertThat(without).as("trackers without hits").contains("Weather");

        signIn();
        browser.byTestId("nav-analytics").click();
        browser.byTestId("analytics-row");
        // the table: the trackers with hits, most first
        List<String> rows = browser.allByTestId("analytics-row").stream()
                .map(r -> r.findElement(By.cssSelector("td")).getText()).toList();
        List<String> expected = hits.stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).toList();
        assertThat(rows).isEqualTo(expected);
        // the others in one line, by name
        assertThat(browser.byTestId("analytics-no-hits").getText())
                .isEqualTo("No hits in this period (%d): %s".formatted(without.size(), String.join(", ", without.stream().sorted().toList())));
        // the chart: the eight busiest, each with its own style, and the page says the table has the rest
        @SuppressWarnings("unchecked")
        List<String> lines = (List<String>) browser.until(d -> browser.script("""
                const chart = window.Chart?.getChart(document.querySelector('[data-testid=analytics-result] canvas'));
                return chart ? chart.data.datasets.map(d => d.label + ' ' + JSON.stringify(d.borderDash) + ' ' + d.pointStyle) : null"""));
        assertThat(lines).hasSize(8).doesNotHaveDuplicates();
        assertThat(lines.stream().map(line -> line.substring(0, line.indexOf(' '))).toList()).isEqualTo(expected.subList(0, 8));
        assertThat(browser.byTestId("analytics-charted").getText())
                .isEqualTo("The charts show the 8 trackers with the most hits; the table has all %d with hits.".formatted(withHits.size()));
    }

    @Test
    void anEditOfATrackerDeletedMeanwhileCanBeSavedAsANewOne() {
        String id = createTracker(PRICING);
        signIn();
        browser.go("#/trackers/" + id);
        browser.byTestId("tracker-description").sendKeys("Questions about what it costs");
        // a colleague on the same account (or another tab) deletes it meanwhile
        assertThat(api.send(org.springframework.http.HttpMethod.DELETE, "/v1/manage/trackers/" + id, null, null).status())
                .isEqualTo(200);
        browser.byTestId("tracker-save").click();
        // not "No tracker with id '…'": what happened, and a way to keep the work
        assertThat(browser.byTestId("tracker-error").getText())
                .contains("“Pricing” no longer exists: it was deleted").contains("Create it again").doesNotContain(id);
        assertThat(browser.allByTestId("tracker-delete")).isEmpty();
        // nor an id to copy or a tracker to teach: both would lead to "not found"
        assertThat(browser.allByTestId("copy-id")).isEmpty();
        assertThat(browser.allByTestId("teach-link")).isEmpty();
        WebElement save = browser.byTestId("tracker-save");
        assertThat(save.getText()).isEqualTo("Create it again");
        save.click();
        browser.byTestId("tracker-list");
        JsonNode all = trackers();
        assertThat(all).hasSize(1);
        assertThat(all.get(0).get("name").asString()).isEqualTo("Pricing");
        assertThat(all.get(0).get("description").asString()).isEqualTo("Questions about what it costs");
        assertThat(all.get(0).get("id").asString()).isNotEqualTo(id);
    }

    /**
     * The delete sends the version the editor loaded as If-Match, as the save does: a tracker a colleague (or another
     * tab) changed since is not deleted with that change unseen. The dialog says so and offers the current version,
     * or to delete it anyway; before, the change was deleted without a word.
     */
    @Test
    void aDeleteOfATrackerChangedMeanwhileIsRefusedUntilTheUserHasSeenTheChange() throws Exception {
        String id = createTracker(PRICING);
        signIn();
        browser.go("#/trackers/" + id);
        assertThat(browser.byTestId("tracker-vocabulary").getAttribute("value")).contains("any discount");
        // meanwhile a colleague saves the tracker
        assertThat(api.put("/v1/manage/trackers/" + id, PRICING.replace("any discount", "a small discount")).status())
                .isEqualTo(200);
        browser.byTestId("tracker-delete").click();
        browser.byTestId("confirm-delete").click();

        WebElement dialog = browser.byTestId("delete-dialog");
        String said = browser.until(d -> dialog.getText().contains("changed elsewhere") ? dialog.getText() : null);
        assertThat(said).contains("Nothing was deleted").contains("You opened version 1").contains("version 2 now");
        JsonNode kept = api.get("/v1/manage/trackers/" + id).body().get("tracker");
        assertThat(kept.get("version").asInt()).isEqualTo(2);
        assertThat(kept.get("vocabulary").toString()).contains("a small discount");
        // the safe choice has the focus: one Enter shows the change instead of deleting it
        assertFocusMovesTo("delete-reload");
        assertThat(browser.byTestId("confirm-delete").getText()).isEqualTo("Delete anyway");
        Path shots = Path.of("target", "ui-screenshots");
        Files.createDirectories(shots);
        browser.screenshot(shots.resolve("delete-changed-1280.png"));
        browser.size(390, 900);
        browser.screenshot(shots.resolve("delete-changed-390.png"));
        browser.size(1280, 900);

        browser.byTestId("delete-reload").click();
        browser.until(d -> browser.byTestId("tracker-vocabulary").getAttribute("value").contains("a small discount")
                ? true : null);

        // changed once more; this time the user deletes it anyway, having been told
        assertThat(api.put("/v1/manage/trackers/" + id, PRICING).status()).isEqualTo(200);
        browser.byTestId("tracker-delete").click();
        browser.byTestId("confirm-delete").click();
        browser.until(d -> browser.byTestId("delete-dialog").getText().contains("version 3 now") ? true : null);
        assertThat(api.get("/v1/manage/trackers/" + id).status()).isEqualTo(200);
        browser.byTestId("confirm-delete").click();
        browser.byTestId("tracker-list");
        assertThat(api.get("/v1/manage/trackers/" + id).status()).isEqualTo(404);
    }

    @Test
    void theDeleteQuestionOfATrackerIsReadWithWhatDeletingDoes() {
        String id = createTracker(PRICING);
        signIn();
        browser.go("#/trackers/" + id);
        browser.byTestId("tracker-delete").click();
        WebElement dialog = browser.byTestId("delete-dialog");
        // a screen reader reads a dialog's title and its description when it opens: the description says the cost
        String describedBy = dialog.getAttribute("aria-describedby");
        assertThat(describedBy).isNotBlank();
        assertThat(browser.driver().findElement(By.id(describedBy)).getText()).contains("This cannot be undone");
        browser.byTestId("cancel-delete").click();
    }

    // ---- screenshots for docs/ui.md: target/ui-screenshots/<page>-<width>.png ----

    /** A screenshot of the page as it is, and how far it sticks out sideways. */
    private void shoot(Path out, String page, int width, Map<String, Long> overflow) throws java.io.IOException {
        // the pointer stays where the last click was: moved off the menu, so no item shows its hover colour
        new Actions(browser.driver()).moveToLocation(1, 1).perform();
        browser.screenshot(out.resolve(page + "-" + width + ".png"));
        if (browser.horizontalOverflow() > 0) {
            overflow.put(page + "-" + width + " " + browser.elementsOutsideTheWindow(), browser.horizontalOverflow());
        } else {
            overflow.put(page + "-" + width, 0L);
        }
    }

    /**
     * "Budget 9, Budget 11, Budget 107", as people read numbers: on the list, in Try it's choice of tracker and in
     * analytics' line of trackers without hits.
     */
    @Test
    void trackersAreOrderedByNameAsPeopleReadNumbers() {
        for (String number : List.of("107", "11", "9")) {
            createTracker("""
                    {"name": "Budget %s", "vocabulary": ["no budget %s", "over budget %s", "we cannot afford it %s",
                     "too expensive for us %s", "no money left %s"]}""".formatted(number, number, number, number, number, number));
        }
        signIn();
        browser.until(d -> browser.allByTestId("tracker-row").size() == 3 ? true : null);
        assertThat(browser.driver().findElements(By.cssSelector("[data-testid='tracker-row'] .tracker-name"))
                .stream().map(WebElement::getText).toList()).containsExactly("Budget 9", "Budget 11", "Budget 107");
        browser.byTestId("nav-try").click();
        assertThat(new Select(browser.byTestId("try-tracker")).getOptions().stream().map(WebElement::getText).toList())
                .containsExactly("All my trackers (3)", "Budget 9", "Budget 11", "Budget 107");

        createTracker(PRICING);
        processAndWait("""
                {"messages": [{"payload": {"content": "What is the price of the premium plan?"}, "from": {"name": "Ann"}}]}""");
        browser.byTestId("nav-analytics").click();
        assertThat(browser.byTestId("analytics-no-hits").getText()).endsWith("Budget 9, Budget 11, Budget 107");
    }

    /**
     * A tracker found by one of its phrases says which phrase (its row shows the name only), and a search that finds
     * nothing says so, with the way back to the whole list, instead of an empty box.
     */
    @Test
    void aSearchSaysWhichPhraseFoundATrackerAndWhenNothingWasFound() {
        createTracker(PRICING);
        createTracker(BUDGET);
        signIn();
        row("Budget");
        browser.byTestId("tracker-search").sendKeys("afford");
        browser.until(d -> browser.allByTestId("tracker-row").size() == 1 ? true : null);
        assertThat(browser.byTestId("tracker-found-phrase").getText()).isEqualTo("phrase “we cannot afford it”");
        // in any case and with or without accents, as the examples on Teach are searched
        browser.byTestId("tracker-search").clear();
        browser.byTestId("tracker-search").sendKeys("CANNÓT AFFÖRD");
        browser.until(d -> browser.byTestId("tracker-count").getText()
                .equals("1 of 2 trackers match “CANNÓT AFFÖRD”.") ? true : null);
        assertThat(browser.byTestId("tracker-found-phrase").getText()).isEqualTo("phrase “we cannot afford it”");
        // found by its name: nothing more to say
        browser.byTestId("tracker-search").clear();
        browser.byTestId("tracker-search").sendKeys("budg");
        browser.until(d -> browser.allByTestId("tracker-row").size() == 1 ? true : null);
        assertThat(browser.allByTestId("tracker-found-phrase")).isEmpty();

        browser.byTestId("tracker-search").sendKeys("etary");
        assertThat(browser.byTestId("tracker-none-found").getText())
                .startsWith("No tracker has “budgetary” in its name, phrases or categories.");
        browser.byTestId("tracker-none-found").findElement(By.tagName("button")).click();
        browser.until(d -> browser.allByTestId("tracker-row").size() == 2 ? true : null);
        assertFocusMovesTo("tracker-search");
        assertThat(browser.byTestId("tracker-search").getAttribute("value")).isEmpty();
    }

    /**
     * Creates "Topic 1" to "Topic {@code count}" in one bulk request (phrases "topic N one" …; the odd ones in the
     * category "odd", Topic 77 with a sixth phrase, the most of all).
     */
    private void createTopics(int count) {
        StringBuilder bulk = new StringBuilder("[");
        for (int i = 1; i <= count; i++) {
            bulk.append(i > 1 ? "," : "").append("""
                    {"name": "Topic %d", "categories": %s, "vocabulary": ["topic %d one", "topic %d two", "topic %d three",
                     "topic %d four", "topic %d five"%s]}""".formatted(i, i % 2 == 1 ? "[\"odd\"]" : "[]", i, i, i, i, i,
                    i == 77 ? ", \"topic 77 six\"" : ""));
        }
        assertThat(api.post("/v1/manage/trackers/bulk", bulk.append(']').toString()).status()).isEqualTo(201);
    }

    private List<String> namesShown() {
        return browser.until(d -> browser.driver().findElements(By.cssSelector("[data-testid='tracker-row'] .tracker-name"))
                .stream().map(WebElement::getText).toList());
    }

    private String focusedTrackerName() {
        return (String) browser.script(
                "return document.activeElement.matches('.tracker-name') ? document.activeElement.textContent : null");
    }

    /** Presses the pager's button named {@code label} ("Page 2", "Next page") below the list, with the keyboard. */
    private void pressPage(String label) {
        WebElement button = browser.byTestId("tracker-pages").findElement(By.cssSelector("button[aria-label='" + label + "']"));
        browser.script("arguments[0].focus()", button);
        button.sendKeys(Keys.ENTER);
    }

    /** Signs in to an account of 120 trackers, "Topic 1" to "Topic 120", and opens Topic 75, on page 2 of the list. */
    private void openTopic75Of120() {
        createTopics(120);
        signIn();
        browser.until(d -> browser.byTestId("tracker-count").getText().equals("1–50 of 120 trackers.") ? true : null);
        pressPage("Page 2");
        browser.until(d -> "Topic 51".equals(focusedTrackerName()) ? true : null);
        WebElement link = row("Topic 75").findElement(By.cssSelector(".tracker-name"));
        browser.script("arguments[0].scrollIntoView({block: 'center'})", link);
        link.click();
        browser.byTestId("tracker-name");
    }

    /**
     * Back from a tracker's editor on a list of 120, the list is at the page holding that tracker's row, the row in
     * view, with the focus on its name: not at the top of page 1, 75 rows away from where the user was. A new
     * tracker's row likewise, wherever its name sorts.
     */
    @Test
    void backFromTheEditorTheListIsAtTheTrackersRow() {
        openTopic75Of120();
        // the page is remembered too: Back from page 1 would land on page 2 regardless
        browser.script("sessionStorage.removeItem('opentrackers.drafts')");
        browser.byTestId("tracker-categories").sendKeys("checked");
        browser.byTestId("tracker-save").click();
        browser.until(d -> "Topic 75".equals(focusedTrackerName()) ? true : null);
        assertThat(browser.byTestId("tracker-count").getText()).isEqualTo("51–100 of 120 trackers.");
        assertThat((Boolean) browser.script("""
                const box = document.activeElement.getBoundingClientRect();
                return box.top >= 0 && box.bottom <= innerHeight;""")).as("the row is in view").isTrue();

        browser.byTestId("new-tracker").click();
        fillEditor("Topic 110b", "one ten b one\none ten b two\none ten b three\none ten b four\none ten b five");
        browser.byTestId("tracker-save").click();
        browser.until(d -> "Topic 110b".equals(focusedTrackerName()) ? true : null);
        assertThat(browser.byTestId("tracker-count").getText()).isEqualTo("101–121 of 121 trackers.");
        assertThat((Boolean) browser.script("""
                const box = document.activeElement.getBoundingClientRect();
                return box.top >= 0 && box.bottom <= innerHeight;""")).as("the new row is in view").isTrue();
    }

    /**
     * After a delete on a long list, the list is where the deleted row was: at the row that took its place, on the
     * page that holds it (page 2 of 3), not on page 1.
     */
    @Test
    void afterADeleteTheListIsAtTheRowThatTookItsPlace() {
        openTopic75Of120();
        browser.byTestId("tracker-delete").click();
        browser.byTestId("confirm-delete").click();
        browser.until(d -> "Topic 76".equals(focusedTrackerName()) ? true : null);
        assertThat(browser.allByTestId("tracker-row")).hasSize(50);
        assertThat((Boolean) browser.script("""
                const box = document.activeElement.getBoundingClientRect();
                return box.top >= 0 && box.bottom <= innerHeight;""")).as("the row is in view").isTrue();

        assertThat(browser.byTestId("tracker-count").getText()).isEqualTo("51–100 of 119 trackers.");
    }

    /**
     * 120 trackers are drawn 50 to a page, with the count saying which; the search and the sort take every tracker
     * before a page is cut, the pager is buttons named for a screen reader, a page change puts the focus on its first
     * tracker, and the page survives a reload of the tab.
     */
    @Test
    void aLongListIsDrawnInPagesAndSearchAndSortTakeEveryTracker() {
        createTopics(120);
        signIn();
        browser.until(d -> browser.byTestId("tracker-count").getText().equals("1–50 of 120 trackers.") ? true : null);
        assertThat(browser.allByTestId("tracker-row")).hasSize(50);
        assertThat(namesShown().get(0)).isEqualTo("Topic 1");
        WebElement pager = browser.byTestId("tracker-pages");
        assertThat(pager.getTagName()).isEqualTo("nav");
        assertThat(pager.getAttribute("aria-label")).isNotBlank();
        assertThat(pager.findElements(By.tagName("button")).stream().map(b -> b.getAttribute("aria-label")
                + (b.getAttribute("aria-current") != null ? " (current)" : "") + (b.isEnabled() ? "" : " (disabled)")).toList())
                .containsExactly("Previous page (disabled)", "Page 1 (current)", "Page 2", "Page 3", "Next page");

        pressPage("Page 3");
        browser.until(d -> "Topic 101".equals(focusedTrackerName()) ? true : null);
        assertThat(browser.byTestId("tracker-count").getText()).isEqualTo("101–120 of 120 trackers.");
        assertThat(browser.allByTestId("tracker-row")).hasSize(20);
        pressPage("Previous page");
        browser.until(d -> "Topic 51".equals(focusedTrackerName()) ? true : null);
        assertThat(browser.byTestId("tracker-count").getText()).isEqualTo("51–100 of 120 trackers.");
        browser.driver().navigate().refresh();
        browser.until(d -> browser.byTestId("tracker-count").getText().equals("51–100 of 120 trackers.") ? true : null);
        assertThat(namesShown().get(0)).as("the page after a reload").isEqualTo("Topic 51");

        // the order of all 120, from its first row: Topic 77 has the most phrases, and is on page 2 by name
        new Select(browser.byTestId("tracker-sort")).selectByValue("phrases");
        browser.until(d -> "Topic 77".equals(namesShown().get(0)) ? true : null);
        assertThat(browser.byTestId("tracker-count").getText()).isEqualTo("1–50 of 120 trackers.");
        new Select(browser.byTestId("tracker-sort")).selectByValue("name");

        // a search over all 120 (not the page shown), paged itself when it finds more than 50
        browser.byTestId("tracker-search").sendKeys("topic 11");
        browser.until(d -> browser.byTestId("tracker-count").getText().equals("11 of 120 trackers match “topic 11”.") ? true : null);
        assertThat(namesShown()).containsExactly("Topic 11", "Topic 110", "Topic 111", "Topic 112", "Topic 113",
                "Topic 114", "Topic 115", "Topic 116", "Topic 117", "Topic 118", "Topic 119");
        assertThat(browser.allByTestId("tracker-pages").get(0).isDisplayed()).as("one page: no pager").isFalse();
        browser.byTestId("tracker-search").clear();
        browser.byTestId("tracker-search").sendKeys("odd");
        browser.until(d -> browser.byTestId("tracker-count").getText()
                .equals("1–50 of the 60 trackers that match “odd” (of 120).") ? true : null);
        pressPage("Next page");
        browser.until(d -> "Topic 101".equals(focusedTrackerName()) ? true : null);
        assertThat(browser.byTestId("tracker-count").getText()).isEqualTo("51–60 of the 60 trackers that match “odd” (of 120).");
        assertThat(namesShown()).hasSize(10).allSatisfy(name -> assertThat(Integer.parseInt(name.substring(6)) % 2).isOne());
    }

    /**
     * Try it's choice of one tracker among 120 is found by part of its name (a browser's select finds an option only by
     * its first letters), and narrowing the choice never changes the tracker chosen.
     */
    @Test
    void tryItsChoiceOfOneTrackerAmongManyIsFoundByPartOfItsName() {
        createTopics(120);
        signIn();
        browser.byTestId("nav-try").click();
        browser.byTestId("try-tracker-search").sendKeys("11");
        browser.until(d -> browser.byTestId("try-tracker-found").getText()
                .equals("11 of 120 trackers match “11”; choose one under “Trackers to try”.") ? true : null);
        Select which = new Select(browser.byTestId("try-tracker"));
        assertThat(which.getOptions().stream().map(WebElement::getText).toList()).containsExactly("All my trackers (120)",
                "Topic 11", "Topic 110", "Topic 111", "Topic 112", "Topic 113", "Topic 114", "Topic 115", "Topic 116",
                "Topic 117", "Topic 118", "Topic 119");
        which.selectByVisibleText("Topic 115");
        browser.byTestId("try-tracker-search").clear();
        browser.byTestId("try-tracker-search").sendKeys("99");
        browser.until(d -> browser.byTestId("try-tracker-found").getText().startsWith("1 of 120 trackers match “99”") ? true : null);
        assertThat(which.getOptions().stream().map(WebElement::getText).toList())
                .containsExactly("All my trackers (120)", "Topic 99", "Topic 115");
        assertThat(which.getFirstSelectedOption().getText()).isEqualTo("Topic 115");

        browser.byTestId("try-text").sendKeys("Ann: About topic 115 one and topic 99 one.");
        browser.byTestId("try-run").click();
        assertThat(browser.byTestId("try-hit").getText()).contains("Topic 115");
        assertThat(browser.allByTestId("try-hit")).hasSize(1);
    }

    /**
     * Analytics of 500 trackers, 40 with hits: the table shows the 25 busiest and the others on request (the focus then
     * on the first of them), and the 460 without hits are one line that opens to their names, not a block of 460.
     */
    @Test
    void analyticsOfHundredsOfTrackersShowsTheBusiestAndTheRestOnRequest() {
        signIn();
        // the figures of 500 trackers, as the service would answer them (the real figures are tested above)
        answerAnalyticsWith(500, """
                const hits = i < 40 ? 40 - i : 0;
                return {id: 'id-' + (i + 1), name: 'Topic ' + (i + 1), hits, conversations: hits ? 1 : 0,
                  bySpeaker: {agent: hits, customer: 0, unknown: 0}, topPhrases: [], series: [{start: from, hits}]};""");
        browser.byTestId("nav-analytics").click();
        browser.byTestId("analytics-row");
        assertThat(browser.allByTestId("analytics-row").stream().filter(WebElement::isDisplayed)
                .map(r -> r.findElement(By.cssSelector("td")).getText()).toList())
                .hasSize(25).startsWith("Topic 1", "Topic 2").endsWith("Topic 25");
        assertThat(browser.byTestId("analytics-charted").getText()).isEqualTo("The charts show the 8 trackers with the most "
                + "hits; the table has the 25 with the most of the 40 with hits, and all of them on request.");
        WebElement noHits = browser.byTestId("analytics-no-hits");
        assertThat(noHits.getText()).isEqualTo("No hits in this period: 460 trackers (their names)");
        assertThat(noHits.getSize().getHeight()).as("one line, not 460 names").isLessThan(60);

        WebElement showAll = browser.byTestId("analytics-show-all");
        assertThat(showAll.getText()).isEqualTo("Show all 40 trackers with hits");
        showAll.sendKeys(Keys.ENTER);
        browser.until(d -> browser.allByTestId("analytics-row").stream().filter(WebElement::isDisplayed).count() == 40 ? true : null);
        assertThat(browser.script("return document.activeElement.matches('[data-testid=analytics-row]') "
                + "? document.activeElement.cells[0].textContent : null")).as("the focus on the first row shown").isEqualTo("Topic 26");
        noHits.findElement(By.tagName("summary")).click();
        assertThat(noHits.getText()).contains("Topic 41, Topic 42, Topic 43").endsWith("Topic 499, Topic 500");
    }

    /**
     * The page's calls for analytics answered with {@code count} trackers made by {@code trackerOf}, the body of a
     * JavaScript function of {@code i} (0-based) and {@code from} (the range's start) returning one tracker's figures,
     * as the service would answer them: for sizes and names that would take minutes to store for real.
     */
    private void answerAnalyticsWith(int count, String trackerOf) {
        // the function is written into the script, not made with new Function: the page's policy allows no eval
        browser.script("const trackerOf = (i, from) => {\n" + trackerOf + "\n};\n" + """
                const count = arguments[0];
                const original = window.fetch;
                window.fetch = (url, options) => {
                  if (!String(url).includes('/v1/analytics/trackers')) return original(url, options);
                  const query = new URL(url, location.href).searchParams;
                  const from = query.get('from') + 'T00:00:00Z';
                  const trackers = Array.from({length: count}, (_, i) => trackerOf(i, from));
                  return Promise.resolve(new Response(JSON.stringify({from, to: query.get('to') + 'T00:00:00Z',
                      interval: query.get('interval'), trackers}), {status: 200, headers: {'Content-Type': 'application/json'}}));
                };""", count);
    }

    /**
     * Holds the answers to the page's requests of these methods until the test calls {@code window.release()} (set
     * once a request is held), as a slow connection would.
     */
    private void holdAnswersTo(String... methods) {
        browser.script("""
                const original = window.fetch;
                const held = arguments[0];
                window.release = null;
                window.fetch = (url, options) => {
                  const answer = original(url, options);
                  if (!held.includes(options?.method)) return answer;
                  return answer.then(response => new Promise(resolve => { window.release = () => resolve(response); }));
                };""", List.of(methods));
    }

    /**
     * On a slow connection, the button of a save or a delete under way says so (and sends nothing more), rather than
     * only turning grey for as long as the service takes.
     */
    @Test
    void savingAndDeletingSayWhatIsHappeningWhileTheServiceAnswers() {
        String id = createTracker(PRICING);
        signIn();
        openRow("Pricing");
        holdAnswersTo("PUT", "DELETE");
        browser.byTestId("tracker-description").sendKeys("What customers ask about prices");
        WebElement save = browser.byTestId("tracker-save");
        save.click();
        browser.until(d -> Boolean.TRUE.equals(browser.script("return window.release !== null")) ? true : null);
        assertThat(save.getText()).isEqualTo("Saving…");
        assertThat(save.isEnabled()).isFalse();
        browser.script("window.release(); window.release = null");
        row("Pricing");
        assertThat(api.get("/v1/manage/trackers/" + id).body().get("tracker").get("description").asString())
                .isEqualTo("What customers ask about prices");

        openRow("Pricing");
        browser.byTestId("tracker-delete").click();
        WebElement confirm = browser.byTestId("confirm-delete");
        confirm.click();
        browser.until(d -> Boolean.TRUE.equals(browser.script("return window.release !== null")) ? true : null);
        assertThat(confirm.getText()).isEqualTo("Deleting…");
        assertThat(confirm.isEnabled()).isFalse();
        assertThat(browser.byTestId("cancel-delete").isEnabled()).as("no cancelling a delete already sent").isFalse();
        browser.script("window.release()");
        browser.byTestId("new-tracker");
        assertThat(api.get("/v1/manage/trackers/" + id).status()).isEqualTo(404);
    }

    /**
     * A tracker that fired on none of its examples has no precision ("–"): the page says why, in words, instead of
     * "It fired on 0 of them, 0 rightly (precision)". The estimate is the service's answer for such a tracker.
     */
    @Test
    void anEstimateOfATrackerThatNeverFiredSaysWhyThereIsNoPrecision() {
        String id = createTracker(PRICING);
        browser.driver().get(url() + "/");
        browser.script("""
                const original = window.fetch;
                window.fetch = (url, options) => !String(url).endsWith('/quality') ? original(url, options)
                  : Promise.resolve(new Response(JSON.stringify({examples: 6, positives: 3, negatives: 3, precision: null,
                      recall: 0, f1: 0, method: '5-fold cross-validation', minimum: {positives: 3, negatives: 3},
                      counts: {truePositives: 0, falsePositives: 0, falseNegatives: 3},
                      ranges: {precision: null, recall: {low: 0, high: 0.5615}}}),
                    {status: 200, headers: {'Content-Type': 'application/json'}}));""");
        browser.byTestId("login-app-id").sendKeys(api.appId(), Keys.TAB);
        browser.driver().switchTo().activeElement().sendKeys(TestApi.APP_SECRET, Keys.ENTER);
        browser.byTestId("new-tracker");
        browser.script("location.hash = arguments[0]", "#/trackers/" + id + "/teach");
        assertThat(browser.byTestId("quality-hint").getText())
                .contains("It fired on none of them, so precision (how many of its hits are right) has nothing to go on yet")
                .contains("it found none of the 3 matches (recall)")
                .doesNotContain("0 rightly");
    }

    // ---- deleting several trackers at once (docs/ui.md, "Deleting several trackers") ----

    /** Ticks tracker {@code name}'s box with the keyboard: the focus on the box, then Space. */
    private void tick(String name) {
        WebElement box = row(name).findElement(By.cssSelector("input[type='checkbox']"));
        browser.script("arguments[0].focus()", box);
        box.sendKeys(Keys.SPACE);
    }

    /** Waits until the selection bar reads {@code expected} ("" once it is hidden), then asserts it for its message. */
    private void assertSelection(String expected) {
        java.util.function.Supplier<String> shown = () -> {
            WebElement count = browser.driver().findElement(By.cssSelector("[data-testid='selection-count']"));
            return count.isDisplayed() ? count.getText() : "";
        };
        try {
            browser.until(d -> expected.equals(shown.get()) ? true : null);
        } catch (org.openqa.selenium.TimeoutException e) {
            // the assertion below names what the bar says instead
        }
        assertThat(shown.get()).as("the selection bar").isEqualTo(expected);
    }

    /** The lines of names in the question before a delete of several. */
    private List<String> namesAsked() {
        return browser.byTestId("bulk-delete-names").findElements(By.tagName("li")).stream().map(WebElement::getText).toList();
    }

    private void clearSearch() {
        browser.byTestId("tracker-search").sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
    }

    private List<String> trackerNamesInTheAccount() {
        List<String> names = new ArrayList<>();
        trackers().forEach(t -> names.add(t.get("name").asString()));
        return names;
    }

    /**
     * The user of a long list ticks trackers on two pages and in a search, and deletes them at once: the question
     * names how many and which (and that some are not on screen), the list and its count then show what the service
     * holds. A page emptied by the delete gives way to the one before it.
     */
    /**
     * After a delete of several, the focus goes to the first row's name: it must be in sight, below the header that
     * sticks to the top of the window, not under it. Until 2026-11-28 a row partly in the window, under the header, was
     * in view for the browser, which did not scroll to it, and the header covered the focused name (WCAG 2.4.11,
     * focus not obscured).
     */
    @Test
    void afterADeleteOfSeveralTheFocusedRowIsNotHiddenUnderTheStickyHeader() {
        createTopics(40);
        signIn();
        int[][] windows = {{1280, 800}, {390, 844}};
        String[][] ticks = {{"Topic 2", "Topic 3", "Topic 4"}, {"Topic 5", "Topic 6", "Topic 7"}};
        for (int i = 0; i < 2; i++) {
            browser.size(windows[i][0], windows[i][1]);
            for (String name : ticks[i]) {
                tick(name);
            }
            assertSelection("3 selected");
            browser.byTestId("delete-selected").click();
            // the page scrolled as a reader leaves it: the first row just under the top of the window, below the header
            browser.script("""
                    const first = document.querySelector('[data-testid=tracker-row]');
                    window.scrollBy(0, first.getBoundingClientRect().top - 10);""");
            browser.byTestId("confirm-bulk-delete").click();
            String left = (40 - 3 * (i + 1)) + " trackers.";
            browser.until(d -> browser.byTestId("tracker-count").getText().equals(left) ? true : null);
            browser.until(d -> "Topic 1".equals(focusedTrackerName()) ? true : null);
            assertFocusedRowInSightBelowTheHeader();
            // nothing is selected any more: the live region that said "3 selected" says nothing stale
            assertThat(browser.script("return document.querySelector('[data-testid=selection-said]').textContent"))
                    .as("the selection said to a screen reader").isEqualTo("");
            assertThat(browser.script("return document.querySelector('main').innerText")).asString()
                    .doesNotContain("3 selected");
            windowShot("after-bulk-delete-" + windows[i][0]);
        }
    }

    /** The window as the user sees it (not the whole page), in target/ui-window/, to look at. */
    private void windowShot(String name) {
        try {
            Path file = Path.of("target", "ui-window", name + ".png");
            Files.createDirectories(file.getParent());
            Files.write(file, browser.driver().getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The focused element is whole in the window, below the list's sticky header. */
    private void assertFocusedRowInSightBelowTheHeader() {
        @SuppressWarnings("unchecked")
        Map<String, Object> where = (Map<String, Object>) browser.until(d -> browser.script("""
                const focused = document.activeElement.getBoundingClientRect();
                const header = document.querySelector('.list-select').getBoundingClientRect();
                return {top: focused.top, bottom: focused.bottom, headerBottom: header.bottom, window: innerHeight};"""));
        assertThat(((Number) where.get("top")).doubleValue()).as("the focus below the sticky header: %s", where)
                .isGreaterThanOrEqualTo(((Number) where.get("headerBottom")).doubleValue());
        assertThat(((Number) where.get("bottom")).doubleValue()).as("the focus above the window's bottom: %s", where)
                .isLessThanOrEqualTo(((Number) where.get("window")).doubleValue());
    }

    @Test
    void trackersTickedAcrossPagesAndSearchesAreDeletedAtOnce() {
        createTopics(120);
        signIn();
        browser.until(d -> browser.byTestId("tracker-count").getText().equals("1–50 of 120 trackers.") ? true : null);
        assertSelection("");
        tick("Topic 2");
        tick("Topic 3");
        assertSelection("2 selected");
        pressPage("Page 2");
        browser.until(d -> "Topic 51".equals(focusedTrackerName()) ? true : null);
        assertSelection("2 selected, 2 on other pages");
        tick("Topic 60");
        browser.byTestId("tracker-search").sendKeys("topic 11");
        browser.until(d -> browser.byTestId("tracker-count").getText().equals("11 of 120 trackers match “topic 11”.") ? true : null);
        assertSelection("3 selected, 3 not matching “topic 11”");
        tick("Topic 115");
        assertSelection("4 selected, 3 not matching “topic 11”");
        clearSearch();
        browser.until(d -> browser.byTestId("tracker-count").getText().equals("1–50 of 120 trackers.") ? true : null);
        assertSelection("4 selected, 2 on other pages");
        assertThat(row("Topic 2").findElement(By.cssSelector("input[type='checkbox']")).isSelected()).isTrue();

        browser.byTestId("delete-selected").click();
        WebElement dialog = browser.byTestId("bulk-delete-dialog");
        assertThat(dialog.findElement(By.tagName("h2")).getText()).isEqualTo("Delete 4 trackers?");
        assertThat(namesAsked()).containsExactly("Topic 2", "Topic 3", "Topic 60", "Topic 115");
        assertThat(browser.byTestId("bulk-delete-not-shown").getText()).isEqualTo("Not on screen now: 2 on other pages.");
        // one Enter must not delete
        assertFocusMovesTo("cancel-bulk-delete");
        assertThat(api.get("/v1/manage/trackers").body().get("trackers").size()).as("nothing deleted before the answer").isEqualTo(120);
        browser.byTestId("confirm-bulk-delete").click();

        browser.until(d -> browser.byTestId("tracker-count").getText().equals("1–50 of 116 trackers.") ? true : null);
        assertThat(trackerNamesInTheAccount()).hasSize(116).doesNotContain("Topic 2", "Topic 3", "Topic 60", "Topic 115");
        assertSelection("");
        assertThat(namesShown()).startsWith("Topic 1", "Topic 4");
        // what was done, said above the list; no problem to report
        assertThat(browser.byTestId("bulk-result").getText()).isEqualTo("Deleted 4 trackers.");
        assertThat(browser.driver().findElements(By.cssSelector("[data-testid='bulk-result'] .problem-box"))).isEmpty();

        // the whole of the last page: the list then shows the page before it, not an empty one
        pressPage("Page 3");
        browser.until(d -> browser.byTestId("tracker-count").getText().equals("101–116 of 116 trackers.") ? true : null);
        browser.byTestId("tracker-select-all").click();
        assertSelection("16 selected");
        browser.byTestId("delete-selected").click();
        assertThat(namesAsked()).hasSize(6).endsWith("and 11 more");
        browser.byTestId("confirm-bulk-delete").click();
        browser.until(d -> browser.byTestId("tracker-count").getText().equals("51–100 of 100 trackers.") ? true : null);
        assertThat(trackerNamesInTheAccount()).hasSize(100);
        assertThat(browser.allByTestId("tracker-row")).hasSize(50);
        assertSelection("");
    }

    /**
     * Of four ticked trackers, one was deleted elsewhere meanwhile (gone, as asked), one changed elsewhere (the version
     * the list showed no longer holds) and one refused by the service: the others are deleted, and the two left are
     * named with their reason and stay ticked, so a second press deletes what should still go.
     */
    @Test
    void aDeleteOfSeveralThatPartlyFailsSaysWhichAndWhyAndKeepsThemSelected() {
        String pricing = createTracker(PRICING);
        String budget = createTracker(BUDGET);
        String cancellation = createTracker(CANCELLATION);
        String refund = createTracker("""
                {"name": "Refund", "vocabulary": ["money back", "a refund please", "return the order", "reimburse me",
                 "charge me back"]}""");
        signIn();
        row("Refund");
        for (String name : List.of("Budget", "Cancellation", "Pricing", "Refund")) {
            tick(name);
        }
        assertSelection("4 selected");
        // meanwhile: a colleague deletes one and changes another, and the service refuses to delete a third
        assertThat(api.send(org.springframework.http.HttpMethod.DELETE, "/v1/manage/trackers/" + cancellation, null, null).status())
                .isEqualTo(200);
        assertThat(api.put("/v1/manage/trackers/" + pricing, PRICING.replace("any discount", "a small discount")).status())
                .isEqualTo(200);
        browser.script("""
                window.originalFetch = window.fetch;
                window.fetch = (url, options) => options?.method === 'DELETE' && String(url).endsWith(arguments[0])
                  ? Promise.resolve(new Response(JSON.stringify({type: 'about:blank', title: 'Service Unavailable', status: 503,
                      detail: 'The database is busy; try again in a minute'}),
                      {status: 503, headers: {'Content-Type': 'application/problem+json'}}))
                  : window.originalFetch(url, options);""", budget);

        browser.byTestId("delete-selected").click();
        assertThat(namesAsked()).containsExactly("Budget", "Cancellation", "Pricing", "Refund");
        browser.byTestId("confirm-bulk-delete").click();

        WebElement result = browser.byTestId("bulk-result");
        assertThat(result.getText()).startsWith("Deleted 2 of 4 trackers (1 of them had been deleted elsewhere already).")
                .contains("These 2 were not deleted and are still selected:");
        assertThat(browser.allByTestId("bulk-failure").stream().map(WebElement::getText).toList()).containsExactly(
                "“Budget”: The database is busy; try again in a minute",
                "“Pricing”: it was changed elsewhere since this list was shown, and deleting it would delete that change "
                        + "unseen. The list now shows it as it is; delete it again if it should still go.");
        assertFocusMovesTo("bulk-result");
        assertThat(api.get("/v1/manage/trackers/" + refund).status()).isEqualTo(404);
        assertThat(api.get("/v1/manage/trackers/" + budget).status()).isEqualTo(200);
        assertThat(api.get("/v1/manage/trackers/" + pricing).body().get("tracker").get("version").asInt()).isEqualTo(2);
        assertThat(browser.byTestId("tracker-count").getText()).isEqualTo("2 trackers.");
        assertThat(namesShown()).containsExactly("Budget", "Pricing");
        assertSelection("2 selected");
        assertThat(browser.allByTestId("tracker-select").stream().allMatch(WebElement::isSelected)).isTrue();

        // the service answers again; the list holds Pricing's new version, so this time it goes too
        browser.script("window.fetch = window.originalFetch");
        browser.byTestId("delete-selected").click();
        browser.byTestId("confirm-bulk-delete").click();
        browser.waitFor(By.cssSelector("[data-testid='tracker-list'] .empty"));
        assertThat(trackers()).isEmpty();
        assertSelection("");
    }

    /**
     * The header's box ticks every row of the page, is half-ticked while some are, and leaves the other pages' ticks
     * alone; every box is a labelled input that the keyboard ticks, and a tick survives a reload of the tab.
     */
    @Test
    void selectAllTicksThePageAndIsHalfTickedWhileSomeAre() {
        createTopics(60);
        signIn();
        browser.until(d -> browser.byTestId("tracker-count").getText().equals("1–50 of 60 trackers.") ? true : null);
        WebElement first = row("Topic 1").findElement(By.cssSelector("input[type='checkbox']"));
        assertThat(first.getAccessibleName()).isEqualTo("Select Topic 1");
        WebElement all = browser.byTestId("tracker-select-all");
        assertThat(all.getAccessibleName()).isEqualTo("Select all on this page");
        tick("Topic 1");
        assertSelection("1 selected");
        assertThat(browser.script("return document.activeElement.dataset.testid")).as("ticking does not open the tracker")
                .isEqualTo("tracker-select");
        assertThat(browser.script("return arguments[0].indeterminate", all)).isEqualTo(true);
        assertThat(all.isSelected()).isFalse();

        browser.script("arguments[0].focus()", all);
        all.sendKeys(Keys.SPACE);
        assertSelection("50 selected");
        assertThat(browser.script("return arguments[0].indeterminate", all)).isEqualTo(false);
        assertThat(all.isSelected()).isTrue();
        assertThat(browser.allByTestId("tracker-select").stream().filter(WebElement::isSelected).count()).isEqualTo(50);

        pressPage("Page 2");
        browser.until(d -> "Topic 51".equals(focusedTrackerName()) ? true : null);
        assertThat(browser.byTestId("tracker-select-all").isSelected()).isFalse();
        assertSelection("50 selected, 50 on other pages");
        browser.byTestId("tracker-select-all").click();
        assertSelection("60 selected, 50 on other pages");
        browser.driver().navigate().refresh();
        browser.until(d -> browser.byTestId("tracker-count").getText().equals("51–60 of 60 trackers.") ? true : null);
        assertSelection("60 selected, 50 on other pages");
        assertThat(browser.byTestId("tracker-select-all").isSelected()).as("kept for the tab").isTrue();

        pressPage("Page 1");
        browser.until(d -> "Topic 1".equals(focusedTrackerName()) ? true : null);
        browser.byTestId("tracker-select-all").click();
        assertSelection("10 selected, 10 on other pages");
        browser.byTestId("clear-selection").click();
        assertSelection("");
        assertFocusMovesTo("tracker-select-all");
        assertThat(trackers()).hasSize(60);
    }

    /**
     * While several trackers are deleted one after the other, the dialog says how far it is ("Deleting 2 of 3…"), and
     * Stop ends it after the delete under way; what was not deleted stays ticked.
     */
    @Test
    void aDeleteOfSeveralSaysHowFarItIsAndCanBeStopped() {
        createTracker(PRICING);
        createTracker(BUDGET);
        createTracker(CANCELLATION);
        signIn();
        row("Pricing");
        browser.byTestId("tracker-select-all").click();
        assertSelection("3 selected");
        holdAnswersTo("DELETE");
        browser.byTestId("delete-selected").click();
        browser.byTestId("confirm-bulk-delete").click();
        browser.until(d -> Boolean.TRUE.equals(browser.script("return window.release !== null")) ? true : null);
        assertThat(browser.byTestId("bulk-delete-progress").getText()).isEqualTo("Deleting 1 of 3…");
        assertThat(browser.byTestId("confirm-bulk-delete").isEnabled()).isFalse();
        WebElement stop = browser.byTestId("cancel-bulk-delete");
        assertThat(stop.getText()).isEqualTo("Stop");
        browser.script("const r = window.release; window.release = null; r()");
        browser.until(d -> Boolean.TRUE.equals(browser.script("return window.release !== null")) ? true : null);
        assertThat(browser.byTestId("bulk-delete-progress").getText()).isEqualTo("Deleting 2 of 3…");
        stop.click();
        assertThat(stop.getText()).isEqualTo("Stopping…");
        browser.script("const r = window.release; window.release = null; r()");

        assertThat(browser.byTestId("bulk-result").getText())
                .isEqualTo("Deleted 2 of 3 trackers. Stopped before the last one, which is still selected.");
        assertThat(trackerNamesInTheAccount()).containsExactly("Pricing");
        assertThat(namesShown()).containsExactly("Pricing");
        assertSelection("1 selected");
    }

    /** Sizes the window so that the page's viewport is {@code width} × {@code height}, as a phone's or a laptop's is. */
    private void viewport(int width, int height) {
        browser.size(width, height);
        long missing = height - ((Number) browser.script("return window.innerHeight")).longValue();
        browser.size(width, (int) (height + missing));
    }

    /** The selection bar and the question, as the user sees them at 1280 × 800 and 390 × 844, for docs/ui.md. */
    @Test
    void screenshotsOfDeletingSeveralTrackers() throws Exception {
        StringBuilder bulk = new StringBuilder("[");
        String[] names = {"Budget", "Cancellation", "Competitor mentions", "Legacy promo 2023", "Legacy promo spring",
            "Old pricing FAQ", "Onboarding", "Pricing", "Refund", "Renewal", "Test tracker 1", "Test tracker 2"};
        for (int i = 0; i < names.length; i++) {
            bulk.append(i > 0 ? "," : "").append("""
                    {"name": "%s", "vocabulary": ["phrase %d one", "phrase %d two", "phrase %d three", "phrase %d four",
                     "phrase %d five"]}""".formatted(names[i], i, i, i, i, i));
        }
        assertThat(api.post("/v1/manage/trackers/bulk", bulk.append(']').toString()).status()).isEqualTo(201);
        Path out = Path.of("target", "ui-screenshots");
        Files.createDirectories(out);
        signIn();
        row("Test tracker 2");
        for (String name : List.of("Legacy promo 2023", "Legacy promo spring", "Old pricing FAQ", "Test tracker 1",
                "Test tracker 2")) {
            tick(name);
        }
        browser.byTestId("tracker-search").sendKeys("legacy");
        assertSelection("5 selected, 3 not matching “legacy”");
        screenshotsOfSelectionAndQuestion(out, "bulk", "window.scrollTo(0, 0)", () -> assertThat(
                browser.byTestId("bulk-delete-not-shown").getText()).isEqualTo("Not on screen now: 3 not matching “legacy”."));
        assertThat(trackers()).hasSize(12);
    }

    @Test
    void screenshotsOfEveryPage() throws Exception {
        shootEveryPage("");
    }

    /** The same pages in the dark colour scheme (the user's {@code prefers-color-scheme}): PAGE-dark-WIDTH.png. */
    @Test
    void screenshotsOfEveryPageInTheDarkScheme() throws Exception {
        browser.colourScheme("dark");
        try {
            shootEveryPage("-dark");
        } finally {
            browser.colourScheme(null);
        }
    }

    /**
     * Every page, signed out and in, at 1280 and 390 px wide: target/ui-screenshots/PAGE{@code suffix}-WIDTH.png, and
     * none wider than the window.
     */
    private void shootEveryPage(String suffix) throws Exception {
        String pricingId = createTracker(PRICING);
        createTracker("""
                {"name": "Cancellation", "categories": ["retention"], "vocabulary": ["cancel my plan", "stop the subscription",
                 "end the contract", "close my account", "terminate service"]}""");
        // a few labels, so that the teach page shows examples and an estimate
        assertThat(api.post("/v1/manage/trackers/" + pricingId + "/examples", """
                [{"text": "How much is the enterprise tier?", "match": true},
                 {"text": "Is there a discount for annual billing?", "match": true},
                 {"text": "What does it cost per seat?", "match": true},
                 {"text": "The weather is lovely today.", "match": false},
                 {"text": "See you on Monday.", "match": false},
                 {"text": "Can you send me the contract?", "match": false}]""").status()).isEqualTo(201);
        String conversationId = processAndWait("""
                {"name": "Call with Ann", "messages": [
                  {"payload": {"content": "Hello. What is the price of the premium plan?"}, "from": {"name": "Ann"}},
                  {"payload": {"content": "Our pricing plans start at ten dollars a seat."}, "from": {"name": "Bob"}},
                  {"payload": {"content": "If it is too expensive we will cancel my plan."}, "from": {"name": "Ann"}}]}""");
        Path out = Path.of("target", "ui-screenshots");
        Map<String, Long> overflow = new TreeMap<>();
        for (int width : new int[] {1280, 390}) {
            browser.size(width, 900);
            browser.driver().get(url() + "/");
            browser.script("sessionStorage.clear()");
            browser.driver().navigate().refresh();
            browser.byTestId("login-app-id");
            shoot(out, "sign-in" + suffix, width, overflow);
            signIn();
            row("Pricing");
            shoot(out, "trackers" + suffix, width, overflow);
            openRow("Pricing");
            browser.byTestId("tracker-vocabulary").sendKeys(Keys.END, "\nwhat now?");
            browser.driver().findElement(By.cssSelector("details.more summary")).click();
            browser.byTestId("tracker-save").click();
            browser.byTestId("tracker-error");
            shoot(out, "editor" + suffix, width, overflow);
            browser.byTestId("tracker-delete").click();
            browser.byTestId("confirm-delete");
            shoot(out, "delete" + suffix, width, overflow);
            browser.byTestId("cancel-delete").click();
            browser.byTestId("nav-try").click();
            // the refused edit is not saved: the page asks before dropping it
            browser.byTestId("leave-confirm").click();
            browser.byTestId("try-text").sendKeys("Ann: Hello there.\nBob: What is the price of the premium plan?\n"
                    + "Ann: We might cancel my plan.");
            browser.byTestId("try-run").click();
            browser.waitFor(By.cssSelector("[data-testid='try-result'] mark"));
            shoot(out, "try" + suffix, width, overflow);
            browser.byTestId("nav-conversations").click();
            browser.waitFor(By.cssSelector("[data-testid='conversation-list'] > *"));
            shoot(out, "conversations" + suffix, width, overflow);
            browser.driver().get(url() + "/#/conversations/" + conversationId);
            browser.byTestId("conversation-hit");
            shoot(out, "conversation" + suffix, width, overflow);
            browser.byTestId("conversation-delete").click();
            browser.byTestId("confirm-delete");
            shoot(out, "conversation-delete" + suffix, width, overflow);
            browser.byTestId("cancel-delete").click();
            browser.driver().get(url() + "/#/trackers/" + pricingId + "/teach");
            browser.waitFor(By.cssSelector("[data-testid='quality-figures']"));
            shoot(out, "teach" + suffix, width, overflow);
            browser.byTestId("nav-analytics").click();
            browser.waitFor(By.cssSelector("[data-testid='analytics-result'] > *"));
            shoot(out, "analytics" + suffix, width, overflow);
            browser.byTestId("analytics-conversations").click();
            browser.byTestId("conversation-filter");
            browser.byTestId("conversation-row");
            shoot(out, "analytics-conversations" + suffix, width, overflow);
        }
        browser.size(1280, 900);
        List<String> files = new ArrayList<>();
        try (var listing = Files.list(out)) {
            listing.forEach(file -> files.add(file.getFileName().toString()));
        }
        assertThat(files).contains("sign-in" + suffix + "-1280.png", "analytics" + suffix + "-390.png");
        // usable at 390 px: no page is wider than the window (wide tables scroll inside their box)
        assertThat(overflow).allSatisfy((page, pixels) -> assertThat(pixels).as(page).isZero());
    }

    // ---- the list of past conversations of an account of thousands of calls (2026-11-27) ----

    @org.springframework.beans.factory.annotation.Autowired
    io.opentrackers.conversation.ConversationService conversationService;

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    /**
     * Stores conversations named {@code names} (without messages, as the tests of the list API store them), the first
     * the oldest, a minute apart, so that the list's order (newest first) is the reverse of {@code names}.
     */
    private List<String> storeConversations(List<String> names) {
        io.opentrackers.account.AccountId account = io.opentrackers.account.AccountId.parse(api.accountId());
        java.time.Instant newest = java.time.Instant.now();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String id = conversationService.create(account, names.get(i), io.opentrackers.conversation.Conversation.SOURCE_ASYNC).id();
            // created then, and without messages started then (what creating it at that time would have stored)
            jdbc.sql("update conversation set created_on = :at, started_on = :at where id = :id")
                    .param("at", java.sql.Timestamp.from(newest.minusSeconds(60L * (names.size() - i))))
                    .param("id", id).update();
            ids.add(id);
        }
        return ids;
    }

    /** "Call 1" to "Call {@code count}", every tenth named "Test upload …" instead. */
    private List<String> calls(int count) {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            names.add((i % 10 == 0 ? "Test upload " : "Call ") + i);
        }
        return names;
    }

    private void openConversations() {
        browser.byTestId("nav-conversations").click();
    }

    private void assertConversationCount(String expected) {
        try {
            browser.until(d -> expected.equals(browser.byTestId("conversation-count").getText()) ? true : null);
        } catch (org.openqa.selenium.TimeoutException e) {
            // the assertion below names what the line says instead
        }
        assertThat(browser.byTestId("conversation-count").getText()).as("the count line").isEqualTo(expected);
    }

    private List<String> conversationsShown() {
        return browser.until(d -> browser.driver().findElements(By.cssSelector("[data-testid='conversation-row'] td.title a"))
                .stream().map(WebElement::getText).toList());
    }

    private WebElement conversationRow(String name) {
        return browser.until(d -> browser.allByTestId("conversation-row").stream()
                .filter(row -> row.findElement(By.cssSelector("td.title a")).getText().equals(name)).findFirst().orElse(null));
    }

    private void tickConversation(String name) {
        WebElement box = conversationRow(name).findElement(By.cssSelector("input[type='checkbox']"));
        browser.script("arguments[0].focus()", box);
        box.sendKeys(Keys.SPACE);
    }

    private void pressConversationPage(String label) {
        WebElement button = browser.byTestId("conversation-pages").findElement(By.cssSelector("button[aria-label='" + label + "']"));
        browser.script("arguments[0].focus()", button);
        button.sendKeys(Keys.ENTER);
    }

    private void searchConversations(String text) {
        WebElement search = browser.byTestId("conversation-search");
        search.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        if (!text.isEmpty()) {
            search.sendKeys(text);
        }
    }

    private List<String> conversationNamesInTheAccount() {
        List<String> names = new ArrayList<>();
        String after = null;
        do {
            JsonNode page = api.get("/v1/conversations?limit=200" + (after == null ? "" : "&after=" + after)).body();
            page.get("conversations").forEach(c -> names.add(c.path("name").asString()));
            after = page.has("next") ? page.get("next").asString() : null;
        } while (after != null);
        return names;
    }

    /**
     * An account of 230 calls (more than the API's largest page of 200): the list draws 50 at a time with numbered
     * pages and says which of how many it shows; the search by name and the days each started cover every call, not
     * only the page on screen, and a search that finds nothing says so. It used to draw 20, then 20 more per press of
     * "Show older conversations", with no count and no search.
     */
    /**
     * The list is in the service's order, newest upload first, which is not the order of the calls' Started dates: a
     * call held on the 27th, uploaded first, comes after one held on the 20th, uploaded later. Until 2026-11-28 the
     * only date shown was Started, so the rows looked unsorted; the date they are sorted by is now shown, and marked.
     */
    @Test
    void theConversationListShowsTheUploadDateItIsSortedBy() {
        List<String> ids = storeConversations(List.of("Held on the 27th", "Held on the 26th", "Held on the 20th"));
        int[] heldOn = {27, 26, 20};
        for (int i = 0; i < 3; i++) {
            jdbc.sql("update conversation set started_on = :at where id = :id")
                    .param("at", java.sql.Timestamp.valueOf(java.time.LocalDateTime.of(2026, 11, heldOn[i], 14, 0)))
                    .param("id", ids.get(i)).update();
            jdbc.sql("update conversation set created_on = :at where id = :id")
                    .param("at", java.sql.Timestamp.valueOf(java.time.LocalDateTime.of(2026, 11, 28, 9 + i, 30)))
                    .param("id", ids.get(i)).update();
        }
        signIn();
        for (int width : new int[] {1280, 390}) {
            browser.size(width, 900);
            openConversations();
            browser.until(d -> browser.allByTestId("conversation-row").size() == 3 ? true : null);
            assertThat(conversationsShown()).containsExactly("Held on the 20th", "Held on the 26th", "Held on the 27th");
            assertThat(browser.byTestId("conversation-order").getText()).isEqualTo("Newest upload first.");
            assertThat(browser.allByTestId("conversation-uploaded-head").get(0).getDomAttribute("aria-sort")).isEqualTo("descending");
            // the date the rows are in order of, newest first, as the browser writes it
            List<String> uploaded = browser.allByTestId("conversation-uploaded").stream()
                    .map(cell -> (String) browser.script("return arguments[0].textContent", cell)).toList();
            List<String> expected = new ArrayList<>();
            for (int hour : new int[] {11, 10, 9}) {
                // the time kept whole: no break before its "AM"
                expected.add((String) browser.script("return new Date(2026, 10, 28, arguments[0], 30).toLocaleString(undefined, "
                        + "{dateStyle: 'medium', timeStyle: 'short'}).replace(/(\\d)\\s+(?=[^\\s\\d,]+$)/u, '$1\\u00a0')", hour));
            }
            assertThat(uploaded).isEqualTo(expected);
            browser.byTestId("nav-trackers").click();
            browser.byTestId("new-tracker");
        }
    }

    @Test
    void pastConversationsArePagedCountedAndFoundByNameAndDay() {
        List<String> ids = storeConversations(calls(230));
        // Call 1 to Call 3 happened on 15 January 2026 (a conversation without messages started when it was created)
        for (int i = 0; i < 3; i++) {
            jdbc.sql("update conversation set created_on = :at, started_on = :at where id = :id")
                    .param("at", java.sql.Timestamp.valueOf(java.time.LocalDateTime.of(2026, 1, 15, 12, i)))
                    .param("id", ids.get(i)).update();
        }
        signIn();
        openConversations();
        assertThat(browser.byTestId("conversation-from").getAccessibleName()).isEqualTo("Started from");
        assertThat(browser.byTestId("conversation-to").getAccessibleName()).isEqualTo("Started to");
        assertConversationCount("1–50 of 230 conversations.");
        assertThat(conversationsShown()).hasSize(50).startsWith("Test upload 230", "Call 229").endsWith("Call 181");
        pressConversationPage("Page 5");
        assertConversationCount("201–230 of 230 conversations.");
        assertThat(conversationsShown()).hasSize(30).endsWith("Call 4", "Call 3", "Call 2", "Call 1");
        assertThat(browser.script("return document.activeElement.textContent")).as("the focus on the page's first call")
                .isEqualTo("Test upload 30");

        searchConversations("test upload");
        assertConversationCount("23 of 230 conversations match “test upload”.");
        assertThat(conversationsShown()).hasSize(23).startsWith("Test upload 230").endsWith("Test upload 10");
        searchConversations("call 1");
        assertConversationCount("1–50 of the 100 conversations that match “call 1” (of 230).");

        searchConversations("");
        browser.script("""
                const input = document.querySelector('[data-testid=conversation-from]');
                input.value = '2026-01-15';
                input.dispatchEvent(new Event('change'));
                const to = document.querySelector('[data-testid=conversation-to]');
                to.value = '2026-01-15';
                to.dispatchEvent(new Event('change'));""");
        String day = (String) browser.script("return new Date('2026-01-15T00:00').toLocaleDateString(undefined, "
                + "{day: 'numeric', month: 'short', year: 'numeric'})");
        assertConversationCount("3 of 230 conversations started from " + day + " to " + day + ".");
        assertThat(conversationsShown()).containsExactly("Call 3", "Call 2", "Call 1");

        searchConversations("upload");
        browser.until(d -> browser.byTestId("conversation-none-found").getText()
                .startsWith("No conversation matches “upload” and started from") ? true : null);
        browser.byTestId("conversation-none-found").findElement(By.tagName("button")).click();
        assertConversationCount("1–50 of 230 conversations.");
        // kept for the tab: back from a conversation, the list is on the page it was
        pressConversationPage("Page 2");
        assertConversationCount("51–100 of 230 conversations.");
        conversationRow("Call 179").findElement(By.tagName("a")).click();
        browser.byTestId("conversation-size");
        browser.driver().navigate().back();
        assertConversationCount("51–100 of 230 conversations.");
    }

    /**
     * Test uploads among real calls, ticked on two pages and in a search, are deleted at once with the API's own
     * DELETE, one after the other: the question names how many and which (and that some are not on screen), and the
     * list and its count then show what the service holds.
     */
    @Test
    void conversationsTickedAcrossPagesAndASearchAreDeletedAtOnce() {
        storeConversations(calls(120));
        signIn();
        openConversations();
        assertConversationCount("1–50 of 120 conversations.");
        tickConversation("Test upload 120");
        tickConversation("Test upload 110");
        assertSelection("2 selected");
        pressConversationPage("Page 2");
        assertConversationCount("51–100 of 120 conversations.");
        assertSelection("2 selected, 2 on other pages");
        tickConversation("Test upload 60");
        searchConversations("test upload 3");
        assertConversationCount("1 of 120 conversations match “test upload 3”.");
        assertSelection("3 selected, 3 not matching “test upload 3”");
        tickConversation("Test upload 30");
        searchConversations("");
        assertConversationCount("1–50 of 120 conversations.");
        assertSelection("4 selected, 2 on other pages");

        browser.byTestId("delete-selected").click();
        WebElement dialog = browser.byTestId("bulk-delete-dialog");
        assertThat(dialog.findElement(By.tagName("h2")).getText()).isEqualTo("Delete 4 conversations?");
        assertThat(namesAsked()).containsExactly("Test upload 120", "Test upload 110", "Test upload 60", "Test upload 30");
        assertThat(browser.byTestId("bulk-delete-not-shown").getText()).isEqualTo("Not on screen now: 2 on other pages.");
        assertFocusMovesTo("cancel-bulk-delete");
        assertThat(conversationNamesInTheAccount()).as("nothing deleted before the answer").hasSize(120);
        browser.byTestId("confirm-bulk-delete").click();

        assertConversationCount("1–50 of 116 conversations.");
        assertThat(conversationNamesInTheAccount()).hasSize(116)
                .doesNotContain("Test upload 120", "Test upload 110", "Test upload 60", "Test upload 30");
        assertSelection("");
        assertThat(conversationsShown()).startsWith("Call 119", "Call 118").doesNotContain("Test upload 110");
        assertThat(browser.byTestId("bulk-result").getText()).isEqualTo("Deleted 4 conversations.");
        assertThat(browser.driver().findElements(By.cssSelector("[data-testid='bulk-result'] .problem-box"))).isEmpty();

        // the whole of the last page: the list then shows the page before it, not an empty one
        pressConversationPage("Page 3");
        assertConversationCount("101–116 of 116 conversations.");
        browser.byTestId("conversation-select-all").click();
        assertSelection("16 selected");
        browser.byTestId("delete-selected").click();
        assertThat(namesAsked()).hasSize(6).endsWith("and 11 more");
        browser.byTestId("confirm-bulk-delete").click();
        assertConversationCount("51–100 of 100 conversations.");
        assertThat(conversationNamesInTheAccount()).hasSize(100);
        assertThat(conversationsShown()).hasSize(50);
        assertSelection("");
    }

    /**
     * Of three ticked conversations, one was deleted elsewhere meanwhile (gone, as asked) and the service refuses to
     * delete another: the dialog says how far it is, the one left is named with the service's reason and stays ticked,
     * so a second press deletes it once the service answers again.
     */
    @Test
    void aDeleteOfSeveralConversationsThatPartlyFailsNamesWhichAndWhyAndKeepsThemSelected() {
        List<String> ids = storeConversations(List.of("Weekly sync", "Test upload A", "Test upload B", "Test upload C"));
        signIn();
        openConversations();
        assertConversationCount("4 conversations.");
        for (String name : List.of("Test upload A", "Test upload B", "Test upload C")) {
            tickConversation(name);
        }
        assertSelection("3 selected");
        assertThat(api.send(org.springframework.http.HttpMethod.DELETE, "/v1/conversations/" + ids.get(1), null, null).status())
                .isEqualTo(200);
        browser.script("""
                window.originalFetch = window.fetch;
                window.fetch = (url, options) => options?.method === 'DELETE' && String(url).endsWith(arguments[0])
                  ? Promise.resolve(new Response(JSON.stringify({type: 'about:blank', title: 'Service Unavailable', status: 503,
                      detail: 'The database is busy; try again in a minute'}),
                      {status: 503, headers: {'Content-Type': 'application/problem+json'}}))
                  : window.originalFetch(url, options);""", ids.get(2));
        holdAnswersTo("DELETE");
        browser.byTestId("delete-selected").click();
        assertThat(namesAsked()).containsExactly("Test upload C", "Test upload B", "Test upload A");
        browser.byTestId("confirm-bulk-delete").click();
        for (int i = 1; i <= 3; i++) {
            String expected = "Deleting " + i + " of 3…";
            browser.until(d -> Boolean.TRUE.equals(browser.script("return window.release !== null")) ? true : null);
            assertThat(browser.byTestId("bulk-delete-progress").getText()).isEqualTo(expected);
            browser.script("const r = window.release; window.release = null; r()");
        }

        WebElement result = browser.byTestId("bulk-result");
        assertThat(result.getText()).startsWith("Deleted 2 of 3 conversations (1 of them had been deleted elsewhere already).")
                .contains("This one was not deleted and is still selected:");
        assertThat(browser.allByTestId("bulk-failure").stream().map(WebElement::getText).toList())
                .containsExactly("“Test upload B”: The database is busy; try again in a minute");
        assertFocusMovesTo("bulk-result");
        assertConversationCount("2 conversations.");
        assertThat(conversationsShown()).containsExactly("Test upload B", "Weekly sync");
        assertThat(conversationNamesInTheAccount()).containsExactly("Test upload B", "Weekly sync");
        assertSelection("1 selected");
        assertThat(conversationRow("Test upload B").findElement(By.cssSelector("input[type='checkbox']")).isSelected()).isTrue();

        browser.script("window.fetch = window.originalFetch");
        browser.byTestId("delete-selected").click();
        assertThat(browser.byTestId("bulk-delete-dialog").findElement(By.tagName("h2")).getText()).isEqualTo("Delete “Test upload B”?");
        browser.byTestId("confirm-bulk-delete").click();
        assertConversationCount("1 conversation.");
        assertThat(conversationNamesInTheAccount()).containsExactly("Weekly sync");
        assertSelection("");
    }

    /** Records the query of every GET /v1/conversations the page sends from now on (window.askedForConversations). */
    private void recordConversationListRequests() {
        browser.script("""
                window.askedForConversations = [];
                const originalFetch = window.fetch;
                window.fetch = (url, options) => {
                  const asked = new URL(String(url), location.href);
                  if (asked.pathname === '/v1/conversations' && (options?.method ?? 'GET') === 'GET') {
                    window.askedForConversations.push(asked.search.slice(1));
                  }
                  return originalFetch(url, options);
                };""");
    }

    @SuppressWarnings("unchecked")
    private List<String> conversationListRequests() {
        return (List<String>) browser.script("return window.askedForConversations.splice(0)");
    }

    /**
     * An account of 100,000 calls waited many seconds for its count and its search, as the page read the whole list
     * 200 at a time before counting or searching it. It now asks the service for the page on screen and its count:
     * one request for the first page, one (with the account's count beside it) for a search, one for a page's number.
     */
    @Test
    void theConversationListAsksTheServiceForAPageItsCountAndItsSearchNotForTheWholeList() {
        storeConversations(calls(260));
        signIn();
        recordConversationListRequests();
        openConversations();
        assertConversationCount("1–50 of 260 conversations.");
        assertThat(conversationListRequests()).containsExactly("limit=50&include=total");

        pressConversationPage("Page 6");
        assertConversationCount("251–260 of 260 conversations.");
        assertThat(conversationsShown()).hasSize(10).endsWith("Call 1");
        assertThat(conversationListRequests()).containsExactly("limit=50&include=total&offset=250");

        searchConversations("test upload");
        assertConversationCount("26 of 260 conversations match “test upload”.");
        assertThat(conversationListRequests()).contains("q=test+upload&limit=50&include=total", "limit=1&include=total")
                .allSatisfy(query -> assertThat(query).doesNotContain("limit=200"));
        // the start of an ID finds its conversation, as a part of a name does
        String id = api.get("/v1/conversations?limit=1&offset=7").body().at("/conversations/0/id").asString();
        searchConversations(id.substring(0, 8));
        assertConversationCount("1 of 260 conversations match “" + id.substring(0, 8) + "”.");
        assertThat(conversationsShown()).containsExactly("Call 253");
    }

    /**
     * An analytics figure's calls were listed 20 at a time behind "Show older conversations", with no count: they are
     * now paged by 50 with the count line, as the list of every conversation is.
     */
    @Test
    void anAnalyticsFiguresCallsArePagedAndCountedAsEveryConversationIs() {
        storeConversations(calls(60));
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        signIn();
        browser.go("#/conversations?from=" + today.minusDays(1) + "&to=" + today.plusDays(2));
        browser.byTestId("conversation-filter");
        assertConversationCount("1–50 of 60 conversations.");
        assertThat(conversationsShown()).hasSize(50).startsWith("Test upload 60");
        pressConversationPage("Page 2");
        assertConversationCount("51–60 of 60 conversations.");
        assertThat(conversationsShown()).hasSize(10).endsWith("Call 2", "Call 1");
        assertThat(browser.allByTestId("conversations-more")).isEmpty();
        assertThat(browser.allByTestId("conversation-search")).as("the figure's calls, nothing else").isEmpty();
    }

    /**
     * On a narrow screen each conversation is a card naming each value; a conversation with neither a job nor a stream
     * showed a "Status" label with nothing after it. A card now leaves out what has nothing to say.
     */
    @Test
    void aNarrowCardLeavesOutAStatusWithNothingToSay() {
        storeConversations(List.of("Imported call"));
        processAndWait("""
                {"name": "Call with Ann", "messages": [{"payload": {"content": "Hello."}}]}""");
        signIn();
        viewport(390, 844);
        try {
            openConversations();
            WebElement imported = conversationRow("Imported call");
            assertThat(imported.findElement(By.cssSelector("td[data-label='Status']")).isDisplayed())
                    .as("the empty status of a conversation without a job").isFalse();
            assertThat(imported.findElement(By.cssSelector("td[data-label='Sentences']")).isDisplayed()).isTrue();
            WebElement processed = conversationRow("Call with Ann");
            WebElement status = processed.findElement(By.cssSelector("td[data-label='Status']"));
            assertThat(status.isDisplayed()).isTrue();
            assertThat(status.getText()).isEqualTo("Completed");
        } finally {
            browser.size(1280, 900);
        }
    }

    /** The list of a few hundred calls with a selection, as the user sees it at 1280 × 800 and 390 × 844, for docs/ui.md. */
    @Test
    void screenshotsOfDeletingSeveralConversations() throws Exception {
        storeConversations(calls(180));
        Path out = Path.of("target", "ui-screenshots");
        Files.createDirectories(out);
        signIn();
        openConversations();
        assertConversationCount("1–50 of 180 conversations.");
        tickConversation("Test upload 180");
        tickConversation("Test upload 170");
        pressConversationPage("Page 3");
        assertConversationCount("101–150 of 180 conversations.");
        pressConversationPage("Page 1");
        assertConversationCount("1–50 of 180 conversations.");
        searchConversations("test upload");
        assertConversationCount("18 of 180 conversations match “test upload”.");
        tickConversation("Test upload 120");
        tickConversation("Test upload 110");
        assertSelection("4 selected");
        screenshotsOfSelectionAndQuestion(out, "conversations",
                "document.querySelector('h2').scrollIntoView({block: 'start'})", () -> { });
        assertThat(conversationNamesInTheAccount()).hasSize(180);
    }

    /**
     * A list with rows ticked, then its question before deleting them, at 1280 × 800 and 390 × 844
     * ({@code <name>-selected-<width>.png}, {@code <name>-confirm-<width>.png}), neither wider than the window; the
     * question is cancelled. {@code scrollTo} brings the list's head into view; {@code checkQuestion} runs on the
     * question before its screenshot.
     */
    private void screenshotsOfSelectionAndQuestion(Path out, String name, String scrollTo, Runnable checkQuestion)
            throws java.io.IOException {
        browser.script("document.activeElement.blur()");
        for (int[] size : new int[][] {{1280, 800}, {390, 844}}) {
            viewport(size[0], size[1]);
            new Actions(browser.driver()).moveToLocation(1, 1).perform();
            browser.script(scrollTo);
            Files.write(out.resolve(name + "-selected-" + size[0] + ".png"),
                    browser.driver().getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
            assertThat(browser.horizontalOverflow())
                    .as("list at " + size[0] + " px " + browser.elementsOutsideTheWindow()).isZero();
            browser.byTestId("delete-selected").click();
            browser.byTestId("confirm-bulk-delete");
            checkQuestion.run();
            Files.write(out.resolve(name + "-confirm-" + size[0] + ".png"),
                    browser.driver().getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
            assertThat(browser.horizontalOverflow()).as("question at " + size[0] + " px").isZero();
            browser.byTestId("cancel-bulk-delete").click();
        }
        browser.size(1280, 900);
    }

    // ---- the second round of the user audit's findings (21, 22, 23, 10 and the polish of 27), 2026-11-28 ----

    /**
     * Finding 10: the analytics column "Top phrases" credited a tracker's every phrase with each hit (the API counted
     * every phrase within the threshold, said or not), so a quality manager read "book a meeting (1)" for a call in
     * which nobody said it. Each hit now counts the phrase that matched it best: here the words said.
     */
    @Test
    void analyticsTopPhrasesCountThePhraseEachHitMatchedBest() {
        createTracker(PRICING);
        processAndWait("""
                {"messages": [{"payload": {"content": "What is the price of the premium plan?"}}]}""");
        signIn();
        browser.go("#/analytics");
        WebElement row = browser.byTestId("analytics-row");
        WebElement phrases = row.findElement(By.cssSelector("td.phrases"));
        assertThat(phrases.getAttribute("data-label")).isEqualTo("Top phrases");
        assertThat(phrases.getText()).isEqualTo("what is the price (1)");
        assertThat(browser.byTestId("analytics-phrases-hint").getText()).startsWith("Top phrases: ")
                .contains("the words said").contains("conversation’s page");
    }

    /**
     * Finding 23: a conversation count in analytics is a link of one digit, 10 × 23 px, under the 24 × 24 px of WCAG
     * 2.5.8 and hard to tap with a thumb.
     */
    @Test
    void analyticsConversationFiguresAreTargetsOfAtLeast24Pixels() {
        createTracker(PRICING);
        processAndWait("""
                {"messages": [{"payload": {"content": "What is the price of the premium plan?"}}]}""");
        signIn();
        for (int width : new int[] {1280, 390}) {
            viewport(width, 844);
            browser.go("#/analytics");
            WebElement link = browser.byTestId("analytics-conversations");
            assertThat(link.getText()).isEqualTo("1");
            assertThat(link.getRect().getWidth()).as("the link's width at %d px", width).isGreaterThanOrEqualTo(24);
            assertThat(link.getRect().getHeight()).as("the link's height at %d px", width).isGreaterThanOrEqualTo(24);
        }
        browser.size(1280, 900);
    }

    /**
     * Finding 21: on a phone the estimate's card filled the first screen of Teach, with about 60 px left blank in it
     * (room kept for the line on how the estimate moves), and the first sentence to label was below the fold. There the
     * suggestions come first, with no blank room under the line; at 1280 px the estimate stays above them.
     */
    @Test
    void onAPhoneTeachStartsWithTheSuggestionsAndTheEstimateHasNoBlankGap() {
        String id = pricingWithExamplesAndSuggestions("My cat sleeps all day.", "Good morning, everyone.",
                "Can you send me the contract?");
        signIn();
        viewport(390, 844);
        browser.go("#/trackers/" + id + "/teach");
        WebElement first = browser.byTestId("suggestion");
        browser.byTestId("quality-delta-none");
        assertThat(first.getRect().getY() + first.getRect().getHeight()).as("the first suggestion on the first screen")
                .isLessThanOrEqualTo(844);
        assertThat(browser.byTestId("teach-suggestions").getRect().getY())
                .isLessThan(browser.byTestId("teach-quality").getRect().getY());
        // the line's box is as tall as what it says: no room left blank under "nothing labelled yet"
        Number blank = (Number) browser.script("""
                const note = document.querySelector('[data-testid=quality-note]');
                const line = document.querySelector('[data-testid=quality-delta-none]');
                return note.getBoundingClientRect().height - line.getBoundingClientRect().height;""");
        assertThat(blank.doubleValue()).as("blank room in the line on how the estimate moved").isLessThan(4);
        windowShot("teach-first-screen-390");
        viewport(1280, 800);
        assertThat(browser.byTestId("teach-quality").getRect().getY())
                .isLessThan(browser.byTestId("teach-suggestions").getRect().getY());
        browser.size(1280, 900);
    }

    /**
     * Finding 27: the Teach page's keys ("Keys: Y match · N no match …") were shown on a 390 px phone, which has no
     * keys to press; on a wide screen they are shown.
     */
    @Test
    void theLabellingKeysAreShownOnAWideScreenOnly() {
        String id = pricingWithExamplesAndSuggestions("See you on Monday.");
        signIn();
        browser.go("#/trackers/" + id + "/teach");
        browser.byTestId("suggestion");
        assertThat(browser.byTestId("suggestions-keys").isDisplayed()).isTrue();
        viewport(390, 844);
        browser.until(d -> browser.allByTestId("suggestions-keys").stream().noneMatch(WebElement::isDisplayed) ? true : null);
        assertThat(browser.byTestId("suggestion").isDisplayed()).isTrue();
        browser.size(1280, 900);
    }

    /**
     * Finding 22: on a phone the conversation list came 840 px down, under the whole upload form, so back from a
     * conversation (its "← Conversations", or after deleting it) the list was out of sight. There the form is behind
     * "Upload a conversation"; on a wide screen it is open, without that button.
     */
    @Test
    void onAPhoneTheConversationListIsInSightAndTheUploadFormBehindAButton() {
        processAndWait("""
                {"name": "Call with Ann", "messages": [{"payload": {"content": "What is the price?"}}]}""");
        String doomed = processAndWait("""
                {"name": "Weekly sync", "messages": [{"payload": {"content": "Hello."}}]}""");
        signIn();
        viewport(390, 844);
        browser.go("#/conversations/" + doomed);
        browser.byTestId("conversation-delete").click();
        browser.byTestId("confirm-delete").click();
        browser.until(d -> browser.allByTestId("conversation-row").size() == 1 ? true : null);
        WebElement row = browser.byTestId("conversation-row");
        assertThat(row.getRect().getY() + row.getRect().getHeight()).as("the list's first row after the delete")
                .isLessThanOrEqualTo(844);
        assertThat(browser.allByTestId("upload-text")).noneMatch(WebElement::isDisplayed);
        windowShot("conversations-after-delete-390");

        WebElement open = browser.byTestId("upload-open");
        assertThat(open.getAttribute("aria-expanded")).isEqualTo("false");
        open.click();
        assertThat(open.getAttribute("aria-expanded")).isEqualTo("true");
        browser.byTestId("upload-text").sendKeys("Ann: Can I get a demo?");
        browser.byTestId("upload-submit").click();
        browser.byTestId("conversation-message");
        browser.driver().findElement(By.linkText("← Conversations")).click();
        row = browser.byTestId("conversation-row");
        assertThat(row.getRect().getY() + row.getRect().getHeight()).as("the list's first row back from a conversation")
                .isLessThanOrEqualTo(844);

        viewport(1280, 800);
        assertThat(browser.byTestId("upload-text").isDisplayed()).isTrue();
        assertThat(browser.allByTestId("upload-open")).noneMatch(WebElement::isDisplayed);
        browser.size(1280, 900);
    }

    /**
     * Finding 27: a conversation opened from the calls behind an analytics figure offered only "← Conversations"; it
     * offers "← Analytics" (with its period), as the list of those calls does.
     */
    @Test
    void aConversationOpenedFromAnAnalyticsFiguresCallsOffersTheWayBackToAnalytics() {
        createTracker(PRICING);
        processAndWait("""
                {"name": "Price call", "messages": [{"payload": {"content": "What is the price of the premium plan?"}}]}""");
        signIn();
        browser.go("#/analytics?days=7&interval=day");
        browser.byTestId("analytics-conversations").click();
        browser.byTestId("conversation-row").findElement(By.linkText("Price call")).click();
        browser.byTestId("conversation-message");
        WebElement back = browser.byTestId("came-from");
        assertThat(back.getText()).isEqualTo("← Analytics");
        assertThat(browser.driver().findElement(By.cssSelector("p.breadcrumb")).getText()).isEqualTo("← Analytics · Conversations");
        back.click();
        browser.byTestId("analytics-row");
        assertThat(browser.script("return location.hash")).isEqualTo("#/analytics?days=7&interval=day");
    }

    /**
     * Finding 27: after a save, a delete or a delete of several, the notice floated at the bottom of the window over
     * the list's rows and hid their dates. It is said in the page above the list, covering nothing, and heard at once.
     */
    @Test
    void whatASaveOrADeleteDidIsSaidAboveTheListWithoutCoveringItsRows() {
        createTopics(12);
        signIn();
        viewport(1280, 657);
        browser.byTestId("new-tracker").click();
        fillEditor("Cancellation", "cancel my plan\nstop the subscription\nend the contract\nclose my account\nterminate service");
        browser.byTestId("tracker-save").click();
        WebElement notice = browser.byTestId("page-notice");
        assertThat(notice.getText()).isEqualTo("Created “Cancellation”.");
        assertThat(browser.script("return document.getElementById('toast').textContent")).as("heard")
                .isEqualTo("Created “Cancellation”.");
        assertNoticeCoversNoRow();
        windowShot("notice-created-1280");

        tick("Topic 1");
        tick("Topic 2");
        browser.byTestId("delete-selected").click();
        browser.byTestId("confirm-bulk-delete").click();
        browser.until(d -> "Deleted 2 trackers.".equals(browser.byTestId("page-notice").getText()) ? true : null);
        assertNoticeCoversNoRow();
    }

    /**
     * An import or an export says what it did where a save does, above the list, and an earlier notice goes with the
     * next import: until 2026-11-29 "Deleted “pricing”." stayed above the list beside the problems of a file chosen
     * after it, as if the two went together, while the import's own success was a toast over the rows. An export of an
     * account without trackers saved an empty file, "Exported 0 trackers"; it now says there is nothing to export.
     */
    @Test
    void anImportOrExportSaysWhatItDidAboveTheListInPlaceOfAnEarlierNotice() throws Exception {
        signIn();
        browser.byTestId("tracker-export").click();
        String said = browser.until(d -> browser.byTestId("page-notice").getText());
        assertThat(said).isEqualTo(
                "There are no trackers to export yet: create one with “New tracker”, or import a file.");

        createTopics(12);
        browser.freshLoad("#/trackers");
        openRow("Topic 1");
        browser.byTestId("tracker-description").sendKeys("changed");
        browser.byTestId("tracker-save").click();
        browser.until(d -> "Saved “Topic 1”.".equals(browser.byTestId("page-notice").getText()) ? true : null);

        Path file = Files.createTempFile("trackers", ".json");
        Files.writeString(file, "[" + PRICING.replace("\"any discount\"", "\"any discount?\"") + "]");
        browser.driver().findElement(By.cssSelector("[data-testid='tracker-import']")).sendKeys(file.toString());
        browser.byTestId("import-problem");
        assertThat(browser.allByTestId("page-notice")).as("the notice of the save, gone with the next import").isEmpty();

        Files.writeString(file, "[" + PRICING + "]");
        browser.driver().findElement(By.cssSelector("[data-testid='tracker-import']")).sendKeys(file.toString());
        browser.until(d -> ("Imported 1 tracker from " + file.getFileName() + ".")
                .equals(browser.byTestId("page-notice").getText()) ? true : null);
        assertThat(browser.allByTestId("import-problem")).isEmpty();
        assertNoticeCoversNoRow();

        // a name the account has in other letter case makes a second tracker (names are case-sensitive): said
        Files.writeString(file, "[" + PRICING.replace("\"Pricing\"", "\"PRICING\"") + "]");
        browser.driver().findElement(By.cssSelector("[data-testid='tracker-import']")).sendKeys(file.toString());
        browser.until(d -> ("Imported 1 tracker from " + file.getFileName() + ". “PRICING” differs only in case from "
                + "“Pricing”, which the account had: names are case-sensitive, so they are two trackers.")
                .equals(browser.byTestId("page-notice").getText()) ? true : null);
    }

    /** No notice drawn over a row of the list: the floating one is hidden, and the one in the page is beside the rows. */
    private void assertNoticeCoversNoRow() {
        assertThat(browser.script("return getComputedStyle(document.getElementById('toast')).opacity")).isIn("0", 0L, 0.0);
        @SuppressWarnings("unchecked")
        List<String> covered = (List<String>) browser.script("""
                const notice = document.querySelector('[data-testid=page-notice]').getBoundingClientRect();
                return [...document.querySelectorAll('[data-testid=tracker-row]')].filter(row => {
                  const box = row.getBoundingClientRect();
                  return box.top < notice.bottom && box.bottom > notice.top;
                }).map(row => row.textContent);""");
        assertThat(covered).as("rows under the notice").isEmpty();
    }

    /**
     * Finding 27: the editor put "Conditions and tuning" between Phrases and the simpler Description and Categories,
     * and Teach, a main feature, was a small grey button beside Copy ID. The simple fields come first, and Teach is a
     * button of full size in the accent colour.
     */
    @Test
    void theEditorPutsTheSimpleFieldsFirstAndTeachInPlainSight() {
        String id = createTracker(PRICING);
        signIn();
        browser.go("#/trackers/" + id);
        browser.byTestId("tracker-vocabulary");
        @SuppressWarnings("unchecked")
        List<String> order = (List<String>) browser.script("""
                return [...document.querySelectorAll('form.editor > .field > label, form.editor > details.more > summary')]
                    .map(element => element.textContent);""");
        assertThat(order).containsExactly("Name", "Phrases", "Description (optional)", "Categories (optional)",
                "Conditions and tuning");
        WebElement teach = browser.byTestId("teach-link");
        WebElement save = browser.byTestId("tracker-save");
        assertThat(teach.getCssValue("font-size")).isEqualTo(save.getCssValue("font-size"));
        assertThat(teach.getRect().getHeight()).isGreaterThanOrEqualTo(save.getRect().getHeight());
        assertThat(teach.getCssValue("color")).isEqualTo(save.getCssValue("background-color"));
        assertThat(teach.getText()).startsWith("Teach");
    }

    /**
     * Finding 27: on the conversation page Delete… stood beside a short heading but wrapped under a long one, at the
     * left; the panel of hits per tracker was a third of the page (340 px at 1280), so its phrases wrapped onto three
     * or four lines. Delete… stays at the right, and the panel is as wide as the page.
     */
    @Test
    void theConversationPageKeepsDeleteAtTheRightAndItsCountsOnWideLines() {
        createTracker(PRICING);
        String id = processAndWait("""
                {"name": "Discovery call with Acme Corporation about the enterprise plan, its pricing and the discount for schools",
                 "messages": [{"payload": {"content": "What is the price? Our pricing plans start low. Any discount for schools?"}}]}""");
        signIn();
        for (int width : new int[] {1280, 390}) {
            viewport(width, 844);
            browser.go("#/conversations/" + id);
            WebElement delete = browser.byTestId("conversation-delete");
            WebElement head = browser.driver().findElement(By.cssSelector(".page-head"));
            assertThat(delete.getRect().getX() + delete.getRect().getWidth()).as("Delete… at the right at %d px", width)
                    .isCloseTo(head.getRect().getX() + head.getRect().getWidth(), org.assertj.core.data.Offset.offset(1));
            windowShot("conversation-long-name-" + width);
        }
        viewport(1280, 844);
        WebElement heading = browser.driver().findElement(By.cssSelector(".page-head h1"));
        WebElement delete = browser.byTestId("conversation-delete");
        assertThat(delete.getRect().getY()).as("Delete… beside the heading, not under it")
                .isLessThan(heading.getRect().getY() + heading.getRect().getHeight());
        WebElement phrases = browser.byTestId("tracker-count").findElement(By.cssSelector("td.phrases"));
        assertThat(phrases.getText()).contains("any discount").contains("what is the price");
        assertThat(browser.script("""
                const cell = arguments[0];
                const range = document.createRange();
                range.selectNodeContents(cell);
                return new Set([...range.getClientRects()].map(rect => Math.round(rect.top))).size;""", phrases))
                .as("lines the matched phrases take").isEqualTo(1L);
        browser.size(1280, 900);
    }

    /**
     * Finding 27: in Try it, opening "+N similar" on one chip stretched the chip beside it on the same line to the
     * same height, an empty box.
     */
    @Test
    void openingTheSimilarPhrasesOfAHitLeavesTheChipBesideItAsItWas() {
        createTracker(PRICING);
        createTracker(CANCELLATION);
        signIn();
        browser.byTestId("nav-try").click();
        browser.byTestId("try-text").sendKeys("Ann: What is the price, how much does it cost? We might cancel my plan.");
        browser.byTestId("try-run").click();
        browser.until(d -> browser.allByTestId("try-hit").size() == 2 ? true : null);
        List<WebElement> chips = browser.allByTestId("try-hit");
        WebElement withSimilar = chips.stream().filter(chip -> chip.getText().contains("similar")).findFirst().orElseThrow();
        WebElement other = chips.stream().filter(chip -> chip != withSimilar).findFirst().orElseThrow();
        int before = other.getRect().getHeight();
        withSimilar.findElement(By.cssSelector("details.also summary")).click();
        browser.until(d -> withSimilar.findElement(By.cssSelector("details.also")).getAttribute("open") != null ? true : null);
        assertThat(withSimilar.getRect().getHeight()).isGreaterThan(before);
        assertThat(other.getRect().getHeight()).as("the chip beside the one opened").isEqualTo(before);
    }

    /**
     * Finding 27: in analytics the first series' circle was drawn in the legend with half as much area again as the
     * others' squares (Chart.js gives a circle the square's half diagonal as its radius), so it read as the most
     * important; and at 390 px the bars by speaker had about 110 px of height, their slanted names taking the rest.
     */
    @Test
    void analyticsLegendMarkersAreOfOneSizeAndTheBarsBySpeakerKeepTheirRoomOnAPhone() {
        String[] names = {"Refund request for damaged goods delivered late", "Competitor mentioned during the negotiation",
            "Escalation to a supervisor or a manager", "Pricing question about the enterprise tier", "Greeting at the start",
            "Next steps agreed at the end of the call", "Cancellation of the subscription", "Budget concerns of the buyer"};
        StringBuilder bulk = new StringBuilder("[");
        StringBuilder messages = new StringBuilder("[");
        for (int i = 0; i < names.length; i++) {
            bulk.append(i > 0 ? "," : "").append("""
                    {"name": "%s", "vocabulary": ["word%d alpha", "word%d beta", "word%d gamma", "word%d delta", "word%d epsilon"]}"""
                    .formatted(names[i], i, i, i, i, i));
            messages.append(i > 0 ? "," : "").append("""
                    {"payload": {"content": "We said word%d alpha here."}, "from": {"name": "Ann", "role": "customer"}}""".formatted(i));
        }
        assertThat(api.post("/v1/manage/trackers/bulk", bulk.append(']').toString()).status()).isEqualTo(201);
        processAndWait("{\"messages\": " + messages.append(']') + "}");
        signIn();
        browser.go("#/analytics");
        browser.until(d -> Boolean.TRUE.equals(browser.script(
                "return !!window.Chart && document.querySelectorAll('canvas').length === 2 && !!Chart.getChart(document.querySelector('canvas'))")) ? true : null);
        // the painted pixels of each legend marker (the box left of its name), the circle's and the square's
        @SuppressWarnings("unchecked")
        List<Number> painted = (List<Number>) browser.script("""
                const chart = Chart.getChart(document.querySelector('canvas'));
                const ratio = chart.currentDevicePixelRatio;
                return chart.legend.legendHitBoxes.slice(0, 2).map(box => {
                  const data = chart.ctx.getImageData(Math.floor((box.left - 4) * ratio), Math.floor((box.top - 4) * ratio),
                      Math.ceil(20 * ratio), Math.ceil((box.height + 8) * ratio)).data;
                  let count = 0;
                  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) count++;
                  return count;
                });""");
        assertThat(browser.script("return Chart.getChart(document.querySelector('canvas')).data.datasets.map(d => d.pointStyle).slice(0, 2)"))
                .isEqualTo(List.of("circle", "rect"));
        assertThat(painted.get(0).doubleValue()).as("the circle's pixels against the square's %s", painted)
                .isLessThanOrEqualTo(painted.get(1).doubleValue() * 1.2);
        viewport(390, 844);
        browser.until(d -> ((Number) browser.script("return document.querySelectorAll('canvas')[1].getBoundingClientRect().width"))
                .doubleValue() < 390 ? true : null);
        @SuppressWarnings("unchecked")
        Map<String, Number> plot = (Map<String, Number>) browser.until(d -> browser.script("""
                const area = Chart.getChart(document.querySelectorAll('canvas')[1]).chartArea;
                return area.right - area.left < 330 ? {width: area.right - area.left, height: area.bottom - area.top} : null;"""));
        assertThat(plot.get("height").doubleValue()).as("the plot of hits by speaker at 390 px: %s", plot).isGreaterThanOrEqualTo(180);
        assertThat(plot.get("width").doubleValue()).as("the plot of hits by speaker at 390 px: %s", plot).isGreaterThanOrEqualTo(150);
        windowShot("analytics-speaker-390");
        browser.size(1280, 900);
    }

    /**
     * Large-account audit (2026-11-28): the trackers of an account of 450 differ at the end of their names
     * ("Refund request North America enterprise renewals 16", "… 116"), and the charts cut names at the end, so their
     * legend and the names beside the bars read alike. They are cut in the middle, keeping the last words.
     */
    @Test
    void chartsOfTrackersNamedAlikeTellThemApart() {
        signIn();
        answerAnalyticsWith(8, """
                return {id: 'id-' + i, name: 'Refund request North America enterprise renewals ' + (i * 100 + 16),
                  hits: 20 - i, conversations: 1, bySpeaker: {agent: 20 - i, customer: 0, unknown: 0}, topPhrases: [],
                  series: [{start: from, hits: 20 - i}]};""");
        browser.byTestId("nav-analytics").click();
        browser.byTestId("analytics-row");
        @SuppressWarnings("unchecked")
        Map<String, List<String>> names = (Map<String, List<String>>) browser.until(d -> browser.script("""
                const [overTime, bySpeaker] = [...document.querySelectorAll('canvas')].map(canvas => window.Chart?.getChart(canvas));
                return overTime && bySpeaker ? {legend: overTime.legend.legendItems.map(item => item.text),
                    bars: bySpeaker.scales.y.ticks.map(tick => tick.label)} : null;"""));
        assertThat(names.get("legend")).as("the legend").doesNotHaveDuplicates().hasSize(8)
                .contains("Refund request Nort… renewals 16", "Refund request Nor… renewals 116");
        assertThat(names.get("bars")).as("the names beside the bars").doesNotHaveDuplicates().hasSize(8)
                .contains("Refund request N… 16", "Refund request… 116");
    }

    /**
     * Large-account audit (2026-11-28): where the trackers of a topic differ by region, one sentence fires dozens of
     * them (45 in an account of 450), and its chips took 1,500 px of Try it and of each such message of a call. The
     * first six are named, the others behind "+N more trackers", which draws them with the focus on the first.
     */
    @Test
    void aSentenceThatFiresManyTrackersNamesSixAndTheOthersOnRequest() {
        createTrackersSharingAPhrase(10, "Refund", "i want a refund");
        signIn();
        browser.byTestId("nav-try").click();
        browser.byTestId("try-text").sendKeys("I want a refund.");
        browser.byTestId("try-run").click();
        WebElement more = browser.byTestId("try-hit-more");
        assertThat(browser.allByTestId("try-hit")).as("trackers named on the sentence").hasSize(6);
        assertThat(more.getText()).isEqualTo("+4 more trackers");
        more.sendKeys(Keys.ENTER);
        browser.until(d -> browser.allByTestId("try-hit").size() == 10 ? true : null);
        assertThat(browser.script("return document.activeElement === document.querySelectorAll('[data-testid=try-hit]')[6]"))
                .as("the focus on the first tracker the button showed").isEqualTo(true);
        assertThat(browser.allByTestId("try-hit-more")).isEmpty();
    }

    /**
     * {@code count} trackers named "{@code name} 1", "{@code name} 2" … that all hold {@code phrase} (each with four
     * phrases of its own), made in one bulk create: a sentence saying the phrase fires every one of them.
     */
    private void createTrackersSharingAPhrase(int count, String name, String phrase) {
        StringBuilder bulk = new StringBuilder("[");
        for (int i = 1; i <= count; i++) {
            bulk.append(i > 1 ? "," : "").append("""
                    {"name": "%s %d", "vocabulary": ["%s", "topic %d one", "topic %d two", "topic %d three",
                     "topic %d four"]}""".formatted(name, i, phrase, i, i, i, i));
        }
        assertThat(api.post("/v1/manage/trackers/bulk", bulk.append(']').toString()).status()).isEqualTo(201);
    }

    /**
     * Large-account audit (2026-11-28): 450 trackers named by topic, region and segment ("Refund request APAC
     * enterprise renewals 16"), and "refund apac" found none of them: the searches took what was typed as one piece of
     * text. They find each word, in any order, on the tracker list and in Try it's choice of a tracker alike.
     */
    @Test
    void aSearchOfSeveralWordsFindsTrackersHoldingEachOfThem() {
        assertThat(api.post("/v1/manage/trackers/bulk", """
                [{"name": "Refund request APAC enterprise renewals 16", "vocabulary": ["i want a refund", "money back", "refund it", "return it", "repay me"]},
                 {"name": "Refund request EMEA partner channel 17", "vocabulary": ["i want a refund", "money back", "refund it", "return it", "repay me"]},
                 {"name": "Pricing APAC partner channel 18", "vocabulary": ["what is the price", "how much", "price list", "cost per seat", "any discount"]}
                ]""").status()).isEqualTo(201);
        for (int i = 1; i <= 20; i++) {
            createTracker("""
                    {"name": "Topic %d", "vocabulary": ["topic %d one", "topic %d two", "topic %d three", "topic %d four", "topic %d five"]}"""
                    .formatted(i, i, i, i, i, i));
        }
        signIn();
        browser.byTestId("tracker-search").sendKeys("refund apac");
        browser.until(d -> browser.byTestId("tracker-count").getText().equals("1 of 23 trackers match “refund apac”.") ? true : null);
        assertThat(namesShown()).containsExactly("Refund request APAC enterprise renewals 16");
        clearSearch();
        browser.byTestId("tracker-search").sendKeys("channel  APAC");
        // two spaces typed between the words: the text on screen shows one
        browser.until(d -> browser.byTestId("tracker-count").getText().startsWith("1 of 23 trackers match “channel") ? true : null);
        assertThat(namesShown()).containsExactly("Pricing APAC partner channel 18");

        browser.byTestId("nav-try").click();
        browser.byTestId("try-tracker-search").sendKeys("apac refund");
        assertThat(browser.byTestId("try-tracker-found").getText()).startsWith("1 of 23 trackers match “apac refund”");
    }

    /**
     * Large-account audit (2026-11-28): the service sent every answer uncompressed, so the hits of a long call (16.9 MB
     * of JSON for a call of 3,000 messages in an account of 450 trackers) took 3.8 s of a 50 Mbit/s line, and the list
     * of 450 trackers 259 KB. The browser asks for gzip; the page's data and its modules now come so.
     */
    @Test
    void thePagesDataAndModulesComeCompressed() {
        createTopics(40);
        signIn();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> sizes = (List<Map<String, Object>>) browser.until(d -> {
            Object found = browser.script("""
                    const sizes = performance.getEntriesByType('resource')
                        .filter(e => /\\/v1\\/manage\\/trackers$|\\/ui\\/js\\/trackers\\.js$/.test(e.name))
                        .map(e => ({name: e.name, sent: e.encodedBodySize, read: e.decodedBodySize}));
                    return sizes.length === 2 ? sizes : null;""");
            return found;
        });
        assertThat(sizes).allSatisfy(size -> assertThat(((Number) size.get("sent")).doubleValue())
                .as("bytes sent for %s", size.get("name"))
                .isLessThan(((Number) size.get("read")).doubleValue() / 3));
    }

    /**
     * Large-account audit (2026-11-28): a call of 5,000 messages was drawn whole, a tab frozen for 9.5 s and a page
     * 2.4 million px long, with its few hits somewhere in it; its table of hits per tracker had a row for each of 450
     * trackers above the transcript. The transcript is drawn in pages of 100 messages, its hits can be shown alone, a
     * link to a sentence opens the page holding it, and the table shows the 25 busiest trackers, the rest on request.
     */
    @Test
    void aLongConversationIsDrawnInPagesItsHitsShownAloneAndItsBusiestTrackersFirst() {
        createTrackersSharingAPhrase(30, "Discount", "any discount");
        StringBuilder messages = new StringBuilder("{\"name\": \"Quarterly review\", \"messages\": [");
        for (int i = 1; i <= 250; i++) {
            String text = i == 10 || i == 120 || i == 230 ? "Is there any discount?" : "Line " + i + " of the weekly call.";
            messages.append(i > 1 ? "," : "").append("{\"payload\": {\"content\": \"").append(text).append("\"}}");
        }
        String id = processAndWait(messages.append("]}").toString());
        signIn();
        browser.go("#/conversations/" + id);
        browser.byTestId("conversation-message");

        assertThat(browser.allByTestId("conversation-message")).as("messages drawn at once").hasSize(100);
        assertThat(browser.byTestId("transcript-count").getText()).isEqualTo("1–100 of 250 messages.");
        assertThat(browser.allByTestId("tracker-count").stream().filter(WebElement::isDisplayed).count())
                .as("trackers in the table before Show all").isEqualTo(25);
        browser.byTestId("tracker-counts-show-all").click();
        assertThat(browser.allByTestId("tracker-count").stream().filter(WebElement::isDisplayed).count()).isEqualTo(30);
        assertThat(browser.script("return document.activeElement === document.querySelectorAll('[data-testid=tracker-count]')[25]"))
                .as("the focus on the first tracker Show all showed").isEqualTo(true);

        browser.byTestId("transcript-pages").findElement(By.cssSelector("[aria-label='Page 3']")).click();
        browser.until(d -> browser.byTestId("transcript-count").getText().equals("201–250 of 250 messages.") ? true : null);
        assertThat(browser.allByTestId("conversation-message")).hasSize(50);
        assertThat(activeTestId()).isEqualTo("transcript-count");

        browser.byTestId("transcript-only-hits").click();
        browser.until(d -> browser.byTestId("transcript-count").getText().equals("3 of 250 messages have hits.") ? true : null);
        assertThat(browser.allByTestId("conversation-message")).extracting(WebElement::getText)
                .allSatisfy(text -> assertThat(text).startsWith("Is there any discount?").contains("Discount ")
                        .endsWith("+24 more trackers"));

        String lastHit = null;
        for (JsonNode sentence : api.get("/v1/conversations/" + id + "/messages").body().get("messages")) {
            if (sentence.get("text").asString().contains("discount")) {
                lastHit = sentence.get("id").asString();
            }
        }
        browser.go("#/trackers");
        browser.go("#/conversations/" + id + "?sentence=" + lastHit);
        WebElement linked = browser.until(d -> d.findElements(By.cssSelector("[data-testid=conversation-sentence].linked"))
                .stream().findFirst().orElse(null));
        assertThat(linked.getText()).isEqualTo("Is there any discount?");
        assertThat(browser.byTestId("transcript-count").getText()).isEqualTo("201–250 of 250 messages.");
    }
}
