package io.opentrackers.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.TestApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * Every page of the management UI, in every state a user reaches (empty and filled, with a problem shown, with a
 * question open), checked by axe-core, Deque's accessibility engine, against the WCAG 2.0 and 2.1 A and AA rules and
 * its best practices (headings in order, content in landmarks), at 1280 and 390 px wide, in the light colour scheme
 * and in the dark one (the user's {@code prefers-color-scheme}, emulated); and the keyboard: the first
 * Tab of every page reaches the skip link, and everything the keyboard reaches is on screen when it has the focus.
 *
 * <p>axe comes from the npm package {@code axe-core} the build installs in {@code src/test/node} (pinned by its
 * package-lock.json; the WebJar on Maven Central stops at 4.6.3, of 2023). It is run with WebDriver's executeScript,
 * which the page's Content-Security-Policy does not govern (the browser runs it as the DevTools protocol's own
 * script, not as one of the page's): {@link #axeRunsUnderThePagesContentSecurityPolicy} checks that the policy is
 * there and the engine ran anyway.
 */
class AccessibilityIT extends ManagementUiTestSupport {

    private static final Path AXE = Path.of("src", "test", "node", "node_modules", "axe-core", "axe.min.js");

    /** The rule sets run: WCAG 2.0 and 2.1, levels A and AA, and axe's best practices. */
    private static final List<String> RULE_TAGS = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice");

    private static final String ANN_AND_BOB = """
            {"name": "Call with Ann", "messages": [
              {"payload": {"content": "Hello. What is the price of the premium plan?"}, "from": {"name": "Ann", "userId": "ann"}},
              {"payload": {"content": "Our pricing plans start at ten dollars a seat."}, "from": {"name": "Bob", "userId": "bob"}},
              {"payload": {"content": "If it is too expensive we will cancel my plan."}, "from": {"name": "Ann", "userId": "ann"}}]}""";

    private String axeSource;

    /** "page at width: rule (impact) target: summary", one per element and rule axe finds at fault. */
    private final List<String> violations = new ArrayList<>();

    @Test
    void everyPageAtBothWidthsHasNoAccessibilityViolation() {
        for (int width : new int[] {1280, 390}) {
            api = TestApi.newAccount(url());
            browser.size(width, 900);
            checkEveryPage(width);
        }
        browser.size(1280, 900);
        assertThat(violations).as("accessibility violations found by axe-core %s", RULE_TAGS).isEmpty();
    }

    private void checkEveryPage(int width) {
        String at = " at " + width;
        freshLoad("#/trackers");
        browser.script("sessionStorage.clear()");
        freshLoad("#/trackers");
        browser.byTestId("login-app-id");
        check("sign-in" + at);
        browser.byTestId("login-app-id").sendKeys(api.appId());
        browser.byTestId("login-app-secret").sendKeys("wrong secret", Keys.ENTER);
        browser.byTestId("login-error");
        check("sign-in, wrong secret" + at);

        signIn();
        browser.waitFor(By.cssSelector("main .tracker-list .empty"));
        check("tracker list, empty" + at);

        String pricing = createTracker(PRICING);
        api.post("/v1/manage/trackers/" + pricing + "/examples", """
                [{"text": "How much is the enterprise tier?", "match": true},
                 {"text": "What does it cost per seat?", "match": true},
                 {"text": "See you on Monday.", "match": false}]""");
        createTracker("""
                {"name": "Cancellation", "categories": ["retention"], "vocabulary": ["cancel my plan",
                 "stop the subscription", "end the contract", "close my account", "terminate service"]}""");
        String conversation = processAndWait(ANN_AND_BOB);
        processAndWait("""
                {"messages": [{"payload": {"content": "%s"}}]}""".formatted(SEVERAL_SENTENCES));

        freshLoad("#/trackers");
        row("Pricing");
        check("tracker list" + at);
        row("Pricing").findElement(By.cssSelector(".row-select")).click();
        browser.byTestId("selection-count");
        check("tracker list, one ticked" + at);
        browser.byTestId("clear-selection").click();

        browser.byTestId("new-tracker").click();
        browser.byTestId("tracker-name");
        check("tracker editor, new" + at);
        browser.byTestId("tracker-save").click();
        browser.byTestId("tracker-error");
        check("tracker editor, new, saved empty" + at);

        browser.go("#/trackers/" + pricing);
        browser.byTestId("tracker-vocabulary").sendKeys(Keys.END, "\nwhat now?");
        browser.driver().findElement(By.cssSelector("details.more summary")).click();
        browser.byTestId("tracker-save").click();
        browser.byTestId("tracker-error");
        check("tracker editor, invalid phrase" + at);
        browser.byTestId("tracker-delete").click();
        browser.byTestId("confirm-delete");
        check("tracker editor, delete question" + at);
        browser.byTestId("cancel-delete").click();
        browser.byTestId("nav-try").click();
        browser.byTestId("leave-confirm");
        check("tracker editor, leave question" + at);
        browser.byTestId("leave-confirm").click();

        browser.byTestId("try-text").sendKeys("Ann: Hello there.\nBob: What is the price of the premium plan?\n"
                + "Ann: We might cancel my plan.");
        browser.byTestId("try-run").click();
        browser.waitFor(By.cssSelector("[data-testid='try-result'] mark"));
        check("try it, with hits" + at);

        browser.go("#/trackers/" + pricing + "/teach");
        browser.byTestId("suggestion");
        browser.byTestId("example");
        browser.byTestId("quality-figures");
        check("teach, suggestions and examples" + at);

        browser.go("#/conversations");
        browser.byTestId("conversation-row");
        check("conversations" + at);
        // on a phone the upload form is behind a button
        browser.allByTestId("upload-open").stream().filter(WebElement::isDisplayed).forEach(WebElement::click);
        browser.byTestId("upload-submit").click();
        browser.byTestId("upload-problem");
        check("conversations, upload refused" + at);

        browser.go("#/conversations/" + conversation);
        browser.byTestId("conversation-hit");
        check("conversation with hits" + at);

        browser.go("#/analytics");
        browser.waitFor(By.cssSelector("[data-testid='analytics-result'] > *"));
        check("analytics" + at);
        browser.byTestId("analytics-conversations").click();
        browser.byTestId("conversation-filter");
        browser.byTestId("conversation-row");
        check("analytics, the calls behind a figure" + at);

        browser.go("#/no/such/page");
        browser.byTestId("not-found");
        check("page not found" + at);
        browser.go("#/conversations/no-such-conversation");
        browser.byTestId("page-problem");
        check("conversation not found" + at);
    }

    /**
     * The keyboard, on each page loaded afresh (a bookmark, a reload): its first Tab reaches the skip link, which is
     * then on screen and leads into the page's content; and every element that Tab reaches afterwards is on screen
     * when it has the focus (nothing focusable is hidden off screen or clipped to nothing).
     */
    @Test
    void theFirstTabReachesTheSkipLinkAndEveryFocusIsOnScreen() {
        String pricing = createTracker(PRICING);
        String conversation = processAndWait(ANN_AND_BOB);
        Map<String, String> pages = pages(pricing, conversation);
        pages.put("new tracker", "#/trackers/new");
        pages.put("page not found", "#/no/such/page");
        List<String> problems = new ArrayList<>();
        for (int width : new int[] {1280, 390}) {
            browser.size(width, 900);
            for (Map.Entry<String, String> page : pages.entrySet()) {
                signedInAsThePageNeeds(page.getKey(), page.getValue());
                freshLoad(page.getValue());
                waitUntilDrawn();
                String name = page.getKey() + " at " + width;
                if (page.getKey().equals("sign-in")) {
                    // the page's one task: its first field has the focus, and the skip link (with no menu to skip
                    // while signed out) is the one thing before it
                    if (!describeFocus().startsWith("input [login-app-id]")) {
                        problems.add(name + ": the focus starts on " + describeFocus() + ", not in App ID");
                    }
                    new Actions(browser.driver()).keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT).perform();
                } else {
                    press(Keys.TAB);
                }
                String first = describeFocus();
                if (!first.startsWith("a.skip-link ")) {
                    problems.add(name + ": the first Tab reached " + first + ", not the skip link");
                    continue;
                }
                if (!focusIsOnScreen()) {
                    problems.add(name + ": the skip link has the focus but is not on screen");
                }
                if (page.getKey().equals("trackers")) {
                    // what a keyboard user sees first: target/ui-screenshots/skip-link-WIDTH.png
                    screenshotOfTheWindow("skip-link-" + width);
                }
                // the address, not the title: with Chromium 150 the title read once the page was drawn was now and
                // then still the route's ("Tracker – …", then "Pricing – …", the address unchanged; 2 runs in 6),
                // which is no move of the skip link's; what this catches is an href="#main" the router takes as a page
                String before = (String) browser.script("return location.hash");
                press(Keys.ENTER);
                String after = (String) browser.script("return location.hash");
                if (!after.equals(before)) {
                    problems.add(name + ": the skip link left the page: " + before + " became " + after);
                }
                press(Keys.TAB);
                if (!Boolean.TRUE.equals(browser.script(
                        "return document.getElementById('main').contains(document.activeElement)"))) {
                    problems.add(name + ": Tab after the skip link reached " + describeFocus() + ", outside the content");
                }
                problems.addAll(focusOffScreen(name));
            }
        }
        browser.size(1280, 900);
        assertThat(problems).isEmpty();
    }

    /**
     * Enter on the skip link in the first moments of a load, before app.js has run (a slow network), is followed by
     * the browser itself to {@code #main}, which the app would draw as "Page not found": the app, once it runs, puts
     * the page the user was on back, with the focus in it. app.js is held back by the DevTools protocol until the
     * keys are pressed, then loaded as the document would have. An address that is {@code #main} from the start (a
     * bookmark of it) opens the trackers.
     */
    @Test
    void theSkipLinkFollowedBeforeTheAppRunsLeavesThePageAsItWas() {
        String pricing = createTracker(PRICING);
        signIn();
        var driver = browser.driver();
        driver.executeCdpCommand("Network.enable", Map.of());
        driver.executeCdpCommand("Network.setCacheDisabled", Map.of("cacheDisabled", true));
        driver.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of("*/ui/js/app.js*")));
        try {
            freshLoad("#/trackers/" + pricing);
            assertThat(browser.script("return performance.getEntriesByType('mark').length")).isEqualTo(0L);
            press(Keys.TAB);
            press(Keys.ENTER);
            assertThat(browser.script("return location.hash")).as("the browser followed the link itself")
                    .isEqualTo("#main");
        } finally {
            driver.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of()));
        }
        // the document keeps its failed fetch of app.js (a module map remembers failures): the same file, asked again
        browser.script("import('/ui/js/app.js?late')");
        waitUntilDrawn();
        browser.until(d -> "#/trackers/".concat(pricing).equals(browser.script("return location.hash")) ? true : null);
        browser.until(d -> browser.script("return document.querySelector('main h1')?.textContent"));
        assertThat(browser.allByTestId("not-found")).isEmpty();
        assertThat(browser.script("return document.title")).isEqualTo("Pricing – OpenTrackers");
        assertThat(browser.script("return document.getElementById('main').contains(document.activeElement)"))
                .as("the focus is in the content, where the skip link leads").isEqualTo(true);

        freshLoad("#main");
        waitUntilDrawn();
        assertThat(browser.script("return location.hash")).isEqualTo("#/trackers");
        assertThat(browser.allByTestId("not-found")).isEmpty();
        assertThat(browser.script("return document.querySelector('main h1').textContent")).isEqualTo("Trackers");
    }

    /** The policy is on the page, and axe ran all the same: the check above is no check of nothing. */
    @Test
    void axeRunsUnderThePagesContentSecurityPolicy() throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url() + "/")).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        assertThat(response.headers().firstValue("Content-Security-Policy")).get().asString()
                .contains("script-src 'self'").doesNotContain("unsafe-eval").doesNotContain("unsafe-inline");
        freshLoad("#/trackers");
        browser.byTestId("login-app-id");
        injectAxe();
        // an image without a text alternative, put on the page to be found: the engine really runs
        browser.script("document.getElementById('main').append(Object.assign(document.createElement('img'), {src: '/ui/none.png'}))");
        assertThat(axeViolations()).anySatisfy(line -> assertThat(line).startsWith("image-alt (critical) "));
    }

    // ---- the dark colour scheme ----

    /**
     * A user whose system is set to dark gets dark pages: the page's background, the cards and the boxes to type in
     * are dark and the text light, the browser's own controls (scrollbars, selects, checkboxes) are told to follow, and
     * no box stays white (a light box in a dark page is a flash, and text meant for a light ground can be lost on
     * it). Without the setting, the same pages are light. The charts of Analytics, drawn on a canvas where no style
     * sheet reaches, take the dark scheme's text colour, and follow a change of the setting while they are shown.
     */
    @Test
    void theDarkColourSchemeIsFollowedWhereTheUserHasIt() {
        String pricing = createTracker(PRICING);
        String conversation = processAndWait(ANN_AND_BOB);
        Map<String, String> pages = pages(pricing, conversation);
        List<String> problems = new ArrayList<>();
        try {
            for (Map.Entry<String, String> page : pages.entrySet()) {
                signedInAsThePageNeeds(page.getKey(), page.getValue());
                for (String scheme : new String[] {"light", "dark"}) {
                    browser.colourScheme(scheme);
                    freshLoad(page.getValue());
                    waitUntilDrawn();
                    String name = page.getKey() + ", " + scheme;
                    double ground = luminance("getComputedStyle(document.documentElement).backgroundColor");
                    double ink = luminance("getComputedStyle(document.querySelector('main h1')).color");
                    // the first on screen of the page's cards, lists and boxes to type in
                    double box = luminance("getComputedStyle([...document.querySelectorAll('main .card, main .tracker-list,"
                            + " main .conversation-list, main textarea, main input[type=search], main input[type=text]')]"
                            + ".find(e => e.getClientRects().length)).backgroundColor");
                    boolean dark = scheme.equals("dark");
                    if (dark != ground < 0.05) {
                        problems.add(name + ": the page's background has luminance " + ground);
                    }
                    if (dark != box < 0.05) {
                        problems.add(name + ": the first card or box has luminance " + box);
                    }
                    if (dark != ink > 0.5) {
                        problems.add(name + ": the heading's text has luminance " + ink);
                    }
                    if (!"light dark".equals(browser.script("return getComputedStyle(document.documentElement).colorScheme"))) {
                        problems.add(name + ": the browser's own controls are not told to follow the scheme");
                    }
                    // the focus outline is seen on every ground it is drawn on: 3:1 (WCAG 1.4.11); the light
                    // scheme's amber was 2.2:1 on a card until 2026-11-29
                    double focus = luminance("getComputedStyle(document.documentElement).getPropertyValue('--focus')");
                    for (String under : List.of("--page", "--paper", "--top")) {
                        double other = luminance("getComputedStyle(document.documentElement).getPropertyValue('"
                                + under + "')");
                        double ratio = (Math.max(focus, other) + 0.05) / (Math.min(focus, other) + 0.05);
                        if (ratio < 3) {
                            problems.add(name + ": the focus outline has contrast " + ratio + " on " + under);
                        }
                    }
                    if (dark) {
                        problems.addAll(lightBoxes().stream().map(light -> name + ": a light box: " + light).toList());
                    }
                }
            }
            // the charts: their text light in the dark, dark in the light, and repainted when the setting changes
            browser.byTestId("analytics-row");
            browser.until(d -> browser.script("return !!window.Chart && !!Chart.getChart(document.querySelector('main canvas'))"));
            double darkInk = luminance("Chart.defaults.color");
            browser.colourScheme("light");
            // the page hears of the change at its next frame
            double lightInk;
            long until = System.nanoTime() + Browser.WAIT.toNanos();
            do {
                lightInk = luminance("Chart.defaults.color");
            } while (lightInk > 0.2 && System.nanoTime() < until);
            if (!(darkInk > 0.4 && lightInk < 0.2)) {
                problems.add("analytics: the charts' text has luminance " + darkInk + " in the dark scheme and "
                        + lightInk + " in the light one");
            }
        } finally {
            browser.colourScheme(null);
        }
        assertThat(problems).isEmpty();
    }

    /**
     * The app's pages by name, sign-in first (the address it is opened at before a session), each with the given
     * tracker and conversation where it shows one.
     */
    private static Map<String, String> pages(String tracker, String conversation) {
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("sign-in", "#/trackers");
        pages.put("trackers", "#/trackers");
        pages.put("tracker editor", "#/trackers/" + tracker);
        pages.put("teach", "#/trackers/" + tracker + "/teach");
        pages.put("try it", "#/try");
        pages.put("conversations", "#/conversations");
        pages.put("conversation", "#/conversations/" + conversation);
        pages.put("analytics", "#/analytics");
        return pages;
    }

    /** Signed out for the sign-in page, which {@link #pages} lists first, and in again for the trackers, next. */
    private void signedInAsThePageNeeds(String page, String address) {
        if (page.equals("sign-in")) {
            freshLoad(address);
            browser.script("sessionStorage.clear()");
        } else if (page.equals("trackers")) {
            signIn();
        }
    }

    /** The relative luminance (WCAG 2) of the CSS colour {@code expression} evaluates to, from 0 (black) to 1 (white). */
    private double luminance(String expression) {
        return ((Number) browser.script("return (" + LUMINANCE + ")(" + expression + ")")).doubleValue();
    }

    private static final String LUMINANCE = """
            colour => {
              // as the browser computes it, rgb(…) or rgba(…) (a variable's value is as written: "#b4bccb")
              const probe = document.createElement('i');
              probe.style.color = colour;
              document.body.append(probe);
              const computed = getComputedStyle(probe).color;
              probe.remove();
              const [r, g, b] = computed.match(/[\\d.]+/g).slice(0, 3).map(Number).map(v => v / 255)
                .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
              return 0.2126 * r + 0.7152 * g + 0.0722 * b;
            }""";

    /**
     * The elements on screen drawn on a light ground (luminance over 0.6, opaque), as "tag.class text": none should be
     * in the dark scheme but the menu's current page (a light tab on the dark bar, as on the light page).
     */
    private List<String> lightBoxes() {
        @SuppressWarnings("unchecked")
        List<String> found = (List<String>) browser.script("""
                const luminance = %s;
                return [...document.querySelectorAll('body, body *')]
                  .filter(e => e.getClientRects().length && !e.matches('.top nav a[aria-current="page"], .toast, .toast *'))
                  .filter(e => {
                    const ground = getComputedStyle(e).backgroundColor;
                    const alpha = ground.startsWith('rgba') ? Number(ground.match(/[\\d.]+/g)[3]) : 1;
                    return alpha > 0.5 && luminance(ground) > 0.6;
                  })
                  .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ' '
                    + (e.textContent ?? '').trim().slice(0, 30));""".formatted(LUMINANCE));
        return found;
    }

    // ---- axe ----

    /**
     * Runs axe on the page as it is now, in the light colour scheme and in the dark one, and adds what it finds, named
     * after the page (", dark" for the dark scheme), to the violations. What axe could not decide (a contrast over a
     * gradient, say) is printed, for a person to look at: "needs review".
     */
    private void check(String page) {
        waitUntilDrawn();
        // a toast fading in or out is drawn half transparent: its contrast is checked once it is fully there or gone
        browser.until(d -> Boolean.TRUE.equals(browser.script("""
                const toast = document.getElementById('toast');
                const opacity = getComputedStyle(toast).opacity;
                return opacity === '0' || opacity === '1';""")) ? true : null);
        try {
            for (String scheme : new String[] {"light", "dark"}) {
                browser.colourScheme(scheme);
                String name = scheme.equals("dark") ? page + ", dark" : page;
                List<String> found = axeViolations();
                found.stream().filter(line -> !line.startsWith("needs review: ")).forEach(line -> violations.add(name + ": " + line));
                found.stream().filter(line -> line.startsWith("needs review: ")).forEach(line -> System.out.println(name + ", " + line));
            }
        } finally {
            browser.colourScheme(null);
        }
    }

    /** One line per element and rule at fault, then one "needs review: rule×count, …" line if axe left any undecided. */
    private List<String> axeViolations() {
        injectAxe();
        @SuppressWarnings("unchecked")
        List<String> found = (List<String>) browser.driver().executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations', 'incomplete']})
                  .then(results => done(results.violations.flatMap(rule => rule.nodes.map(node =>
                    `${rule.id} (${node.impact ?? rule.impact}) ${node.target.join(' ')}: ${rule.help}. `
                    + (node.failureSummary ?? '').replace(/\\s+/g, ' ')))
                    .concat(results.incomplete.length ? ['needs review: ' + results.incomplete
                      .map(rule => `${rule.id}×${rule.nodes.length} (${rule.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')})`)
                      .join('; ')] : [])))
                  .catch(error => done(['axe failed: ' + error]));""", RULE_TAGS);
        return found;
    }

    private void injectAxe() {
        if (Boolean.TRUE.equals(browser.script("return typeof window.axe === 'object'"))) {
            return;
        }
        try {
            if (axeSource == null) {
                axeSource = Files.readString(AXE);
            }
        } catch (IOException e) {
            throw new IllegalStateException(AXE + " is installed by the build's npm ci (src/test/node/ensure-installed.mjs)", e);
        }
        browser.script(axeSource);
    }

    // ---- the keyboard ----

    /** Loads the address as a new document (a bookmark, a reload), keeping the tab's session. */
    private void freshLoad(String hash) {
        browser.freshLoad(hash);
    }

    /**
     * The page asked for is drawn (not "Loading…"): app.js marks a page {@code ready:} once it has drawn it, and main
     * busy while a page is on its way. Not busy alone is no proof: the document's own "Loading…", before app.js has
     * run, is not marked busy either.
     */
    private void waitUntilDrawn() {
        browser.until(d -> Boolean.TRUE.equals(browser.script(
                "return performance.getEntriesByType('mark').some(mark => mark.name.startsWith('ready:'))"
                        + " && !document.getElementById('main').hasAttribute('aria-busy')"
                        + " && document.querySelector('main .page-loading') === null")) ? true : null);
    }

    private void press(CharSequence keys) {
        new Actions(browser.driver()).sendKeys(keys).perform();
    }

    /** "tag.class text" of the element with the focus. */
    private String describeFocus() {
        return (String) browser.script("""
                const e = document.activeElement;
                if (!e || e === document.body) return 'the page itself';
                return e.tagName.toLowerCase() + (e.classList.length ? '.' + [...e.classList].join('.') : '')
                    + ' ' + (e.dataset.testid ? '[' + e.dataset.testid + '] ' : '')
                    + (e.getAttribute('aria-label') ?? e.textContent ?? '').trim().slice(0, 40);""");
    }

    private static final String FOCUS_ON_SCREEN = """
            const r = document.activeElement.getBoundingClientRect();
            return r.width >= 2 && r.height >= 2 && r.right > 0 && r.bottom > 0
                && r.left < window.innerWidth && r.top < window.innerHeight;""";

    private boolean focusIsOnScreen() {
        return Boolean.TRUE.equals(browser.script(FOCUS_ON_SCREEN));
    }

    private void screenshotOfTheWindow(String name) {
        try {
            Path file = Path.of("target", "ui-screenshots", name + ".png");
            Files.createDirectories(file.getParent());
            Files.write(file, browser.driver().getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Tabs through the page from where the focus is to the end: each element reached that is not on screen. */
    private List<String> focusOffScreen(String page) {
        List<String> problems = new ArrayList<>();
        List<Object> seen = new ArrayList<>();
        for (int step = 0; step < 200; step++) {
            Object focused = browser.script("return document.activeElement");
            if (focused == null || seen.contains(focused)
                    || Boolean.TRUE.equals(browser.script("return document.activeElement === document.body"))) {
                break;
            }
            seen.add(focused);
            if (!focusIsOnScreen()) {
                problems.add(page + ": " + describeFocus() + " has the focus but is not on screen");
            }
            press(Keys.TAB);
        }
        return problems;
    }
}
