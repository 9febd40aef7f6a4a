package io.opentrackers.web;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium driven through chromedriver, both from the machine (Debian's {@code chromium} and
 * {@code chromium-driver}, which {@code .ci/run} installs; {@code CHROME_BIN} / {@code CHROMEDRIVER} name others).
 * Nothing is downloaded: without a browser the tests are skipped on a developer's machine and fail on CI
 * ({@code CI} set), where a missing browser is a broken build, not a reason to pass.
 */
final class Browser implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(15);
    /** A page of the UI loads in well under a second; a load still unfinished after this is a lost navigation. */
    static final Duration PAGE_LOAD = Duration.ofSeconds(30);

    private final ChromeDriver driver;
    private final String baseUrl;
    private int freshLoads;

    private Browser(ChromeDriver driver, String baseUrl) {
        this.driver = driver;
        this.baseUrl = baseUrl;
    }

    static Browser open(String baseUrl) {
        Path chrome = find("CHROME_BIN", "chromium", "chromium-browser", "google-chrome");
        Path chromedriver = find("CHROMEDRIVER", "chromedriver");
        if (chromedriver == null && System.getenv("CHROMEWEBDRIVER") != null) { // GitHub's runner images
            Path candidate = Path.of(System.getenv("CHROMEWEBDRIVER"), "chromedriver");
            chromedriver = Files.isExecutable(candidate) ? candidate : null;
        }
        if (chrome == null || chromedriver == null) {
            String missing = "The browser tests need Chromium and chromedriver (apt-get install chromium chromium-driver; "
                    + "or set CHROME_BIN and CHROMEDRIVER); found chromium=" + chrome + ", chromedriver=" + chromedriver;
            if (System.getenv("CI") != null) {
                fail(missing);
            }
            Assumptions.abort(missing);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chrome.toFile());
        // the flags Chromium needs as root in a container with a closed network (see the machine notes in README)
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--window-size=1280,900", "--lang=en-US");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new NavigationRetryingDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(PAGE_LOAD);
        return new Browser(driver, baseUrl);
    }

    /**
     * Chromium 150 (Debian's, 2026-11-28) now and then loses a navigation: {@code get} waited 300 s and failed while
     * the tab still showed the page before it ({@code about:blank}, its load complete; 1 in 50–170 loads that went
     * through {@code about:blank}, never the same page); asked again, the same address loaded in 0.1 s. So a load
     * that has not finished within {@link #PAGE_LOAD} is asked for once more, and said so; a second failure fails the
     * test.
     *
     * <p>It also returned too early: under load (four busy loops on the 2 cores, load 9–11) {@code get} came back while
     * the new document was still {@code interactive}, before its module script had run (AccessibilityIT's keyboard
     * test, 3 runs in 4, 2026-11-28). The app had not started: main still held the static "Loading…", not marked busy,
     * which passed for a drawn page, and the keys went to a page with nothing in it. So each load is followed by a
     * wait for what {@code get} promises under the normal page load strategy: the document asked for, loaded.
     */
    private static final class NavigationRetryingDriver extends ChromeDriver {

        NavigationRetryingDriver(ChromeDriverService service, ChromeOptions options) {
            super(service, options);
        }

        @Override
        public void get(String url) {
            try {
                super.get(url);
            } catch (TimeoutException lost) {
                System.out.println("The browser did not load " + url + " within " + PAGE_LOAD.toSeconds()
                        + " s (the tab shows " + getCurrentUrl() + "); asking again");
                super.get(url);
            }
            awaitLoaded(url);
        }

        /**
         * Waits until the tab shows the document of {@code url} (compared without the fragment, which the app may
         * rewrite) with its load complete: by then its module scripts have run.
         */
        private void awaitLoaded(String url) {
            String document = url.split("#", 2)[0];
            // a script sent while the old document is being replaced can fail (its context is gone); the next try
            // reaches the new one
            new WebDriverWait(this, PAGE_LOAD).ignoring(JavascriptException.class).until(driver -> Boolean.TRUE.equals(
                    executeScript("return location.href.split('#')[0] === arguments[0] && document.readyState === 'complete'",
                            document)));
        }
    }

    private static Path find(String variable, String... names) {
        String configured = System.getenv(variable);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        List<String> directories = new ArrayList<>(List.of(
                Objects.requireNonNullElse(System.getenv("PATH"), "").split(File.pathSeparator)));
        directories.add("/usr/bin");
        return Stream.of(names).flatMap(name -> directories.stream().map(dir -> Path.of(dir, name)))
                .filter(Files::isExecutable).findFirst().orElse(null);
    }

    ChromeDriver driver() {
        return driver;
    }

    void go(String hash) {
        driver.get(baseUrl + "/" + hash);
    }

    /**
     * Loads {@code /} with the hash as a new document (a bookmark, a reload), keeping the tab's session. Each load
     * asks for an address of its own ({@code /?load=N#…}, which the app ignores): only the hash would change
     * otherwise, which the browser takes as a move within the open page. Going through {@code about:blank} instead
     * lost 1 navigation in 50–170 in Chromium 150 (none in 300 this way).
     */
    void freshLoad(String hash) {
        driver.get(baseUrl + "/?load=" + (++freshLoads) + hash);
    }

    /**
     * The colour scheme the pages see as the user's ({@code prefers-color-scheme}: "dark" or "light"), through the
     * DevTools protocol's media emulation, which stays for the tab's later documents; {@code null} goes back to the
     * browser's own (light, headless).
     */
    void colourScheme(String scheme) {
        driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                List.of(Map.of("name", "prefers-color-scheme", "value", scheme == null ? "" : scheme))));
    }

    void size(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    WebElement byTestId(String testId) {
        return waitFor(By.cssSelector("[data-testid='" + testId + "']"));
    }

    List<WebElement> allByTestId(String testId) {
        return driver.findElements(By.cssSelector("[data-testid='" + testId + "']"));
    }

    WebElement waitFor(By by) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** Waits for a non-null answer; an element the page re-rendered meanwhile (stale) means "ask again". */
    <T> T until(java.util.function.Function<ChromeDriver, T> condition) {
        return until(WAIT, condition);
    }

    /** The same with a wait of its own: for the service's background work (a job), which a loaded machine slows. */
    <T> T until(Duration wait, java.util.function.Function<ChromeDriver, T> condition) {
        return new WebDriverWait(driver, wait).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> condition.apply(driver));
    }

    Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    void screenshot(Path file) throws java.io.IOException {
        Files.createDirectories(file.getParent());
        Dimension size = driver.manage().window().getSize();
        // the whole page, not only the viewport: grow the window until the document fits (content may reflow)
        for (int attempt = 0; attempt < 3; attempt++) {
            long missing = ((Number) script("return document.documentElement.scrollHeight - window.innerHeight")).longValue();
            if (missing <= 0) {
                break;
            }
            Dimension now = driver.manage().window().getSize();
            driver.manage().window().setSize(new Dimension(now.width, (int) Math.min(now.height + missing, 4000)));
        }
        script("window.scrollTo(0, 0)");
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        driver.manage().window().setSize(size);
    }

    /**
     * How many CSS pixels the page is wider than the window's content area (0 when nothing sticks out sideways). The
     * content area excludes a vertical scrollbar ({@code clientWidth}, not {@code innerWidth}): content that fits
     * under the scrollbar still makes the browser show a horizontal one.
     */
    long horizontalOverflow() {
        return ((Number) script("return Math.max(0, document.documentElement.scrollWidth"
                + " - document.documentElement.clientWidth)")).longValue();
    }

    /** The elements that stick out of the window's content area on the right, as tag.class (for failure messages). */
    List<String> elementsOutsideTheWindow() {
        @SuppressWarnings("unchecked")
        List<String> found = (List<String>) script("""
                const width = document.documentElement.clientWidth;
                return [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > width + 0.5)
                    .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
                        + ' ' + Math.round(e.getBoundingClientRect().right));""");
        return found;
    }

    /**
     * Errors the page wrote to the console since the last call: script errors, CSP violations, failed module
     * loads. The browser's own line for an HTTP error answer to a fetch ("Failed to load resource") is not one:
     * the pages expect 4xx answers (a refused save, a missing optional API) and show them.
     */
    List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(message -> !message.contains("Failed to load resource"))
                .toList();
    }

    @Override
    public void close() {
        driver.quit();
    }
}
