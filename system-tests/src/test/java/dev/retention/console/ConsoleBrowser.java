package dev.retention.console;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's chromium, headless, driven by Debian's chromium-driver (both paths given, so Selenium's manager downloads
 * nothing): sign-in, forms, screenshots of whole pages into {@code target/console-screenshots}, and the accessibility
 * basics every page is held to: every input labelled, every control reachable by the keyboard, text contrast.
 */
final class ConsoleBrowser implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target/console-screenshots");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ChromeDriver driver;
    private final String base;

    ConsoleBrowser(String base, String language) {
        this.base = base;
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        // As the machine's probe starts it: no background connections (the network is closed), a fresh profile.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--window-size=1280,1000", "--lang=" + language);
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", language));
        // The page's console: a refused script or style (the Content-Security-Policy), a failed load, an invalid pattern.
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    ChromeDriver driver() {
        return driver;
    }

    void signIn(String role, String name) {
        open("/sign-in");
        driver.findElement(By.cssSelector("input[name=role][value='" + role + "']")).click();
        WebElement nameField = driver.findElement(By.id("name"));
        nameField.clear();
        nameField.sendKeys(name);
        driver.findElement(By.cssSelector("main button[type=submit]")).click();
        new WebDriverWait(driver, WAIT).until(d -> !d.getCurrentUrl().contains("/sign-in"));
    }

    void signOut() {
        if (present("header .who button")) {
            driver.findElement(By.cssSelector("header .who button")).click();
            new WebDriverWait(driver, WAIT).until(d -> d.getCurrentUrl().contains("/sign-in"));
        }
    }

    void open(String path) {
        driver.get(base + path);
        awaitHtmx();
    }

    WebElement find(String css) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    boolean present(String css) {
        return !driver.findElements(By.cssSelector(css)).isEmpty();
    }

    String text(String css) {
        return find(css).getText();
    }

    void fill(String css, String value) {
        WebElement field = find(css);
        field.clear();
        field.sendKeys(value);
    }

    /** Sets an input's value as a user's picker would (date and time inputs take their typing in the locale's order). */
    void set(String css, String value) {
        ((JavascriptExecutor) driver).executeScript("arguments[0].value = arguments[1];", find(css), value);
    }

    void click(String css) {
        find(css).click();
    }

    /** Clicks and accepts the confirmation the action asks for (htmx's hx-confirm). */
    void clickAndConfirm(String css) {
        find(css).click();
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.alertIsPresent()).accept();
    }

    void awaitText(String css, String text) {
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
    }

    void awaitUrl(String part) {
        new WebDriverWait(driver, WAIT).until(d -> d.getCurrentUrl().contains(part));
        awaitHtmx();
    }

    /** Waits until htmx has no request in flight (it marks the element it works on with htmx-request). */
    void awaitHtmx() {
        new WebDriverWait(driver, WAIT).until(d -> ((JavascriptExecutor) d).executeScript(
                "return document.readyState === 'complete' && document.querySelectorAll('.htmx-request').length === 0"));
    }

    String currentPath() {
        return driver.getCurrentUrl().substring(base.length());
    }

    /** The whole page as a PNG in target/console-screenshots, for a reviewer to look at. */
    void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        ((JavascriptExecutor) driver).executeScript("window.scrollTo(0, 0)");
        Number height = (Number) ((JavascriptExecutor) driver).executeScript(
                "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)");
        driver.manage().window().setSize(new Dimension(1280, Math.min(Math.max(height.intValue() + 40, 800), 8000)));
        Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        driver.manage().window().setSize(new Dimension(1280, 1000));
    }

    /** Whether an element is shown: rendered, and not inside a closed {@code <details>} (its summary is shown). */
    private static final String SHOWN = """
            const shown = e => {
              if (e.offsetParent === null || !e.checkVisibility()) return false;
              const closed = e.closest('details:not([open])');
              return !closed || (e.tagName === 'SUMMARY' && e.parentElement === closed);
            };
            """;

    /** Every visible input, select and text area has a label: a label for it, one around it, or an ARIA label. */
    void assertEveryInputLabelled() {
        @SuppressWarnings("unchecked")
        List<String> unlabelled = (List<String>) ((JavascriptExecutor) driver).executeScript(SHOWN + """
                return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                  .filter(shown)
                  .filter(e => !(e.id && document.querySelector('label[for="' + CSS.escape(e.id) + '"]'))
                            && !e.closest('label') && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
                  .map(e => e.outerHTML.substring(0, 120));""");
        assertThat(unlabelled).as("inputs without a label on " + currentPath()).isEmpty();
    }

    /** Tabbing from the top reaches every visible link, button and field, in document order. */
    void assertEveryControlReachableByKeyboard() {
        JavascriptExecutor js = driver;
        Number count = (Number) js.executeScript(SHOWN + """
                const controls = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')]
                  .filter(e => shown(e) && !e.disabled && e.tabIndex >= 0);
                // A radio group is one tab stop (arrow keys move within it): reaching any of its radios reaches it.
                const keys = [];
                controls.forEach(e => {
                  const key = e.type === 'radio' ? 'radio:' + e.name : 'control:' + keys.length;
                  if (!keys.includes(key)) keys.push(key);
                  e.setAttribute('data-keyboard-check', keys.indexOf(key));
                });
                document.activeElement && document.activeElement.blur();
                window.scrollTo(0, 0);
                return keys.length;""");
        Set<String> reached = new HashSet<>();
        Actions keys = new Actions(driver);
        js.executeScript("document.body.focus()");
        // Chromium may stop on more than the controls (a scrollable region is a stop too): tab on until all are reached.
        for (int i = 0; i < 3 * count.intValue() + 10 && reached.size() < count.intValue(); i++) {
            keys.sendKeys(Keys.TAB).perform();
            Object index = js.executeScript("return document.activeElement && document.activeElement.getAttribute('data-keyboard-check')");
            if (index != null) {
                reached.add(index.toString());
            }
        }
        @SuppressWarnings("unchecked")
        List<String> missed = (List<String>) js.executeScript("""
                return [...document.querySelectorAll('[data-keyboard-check]')]
                  .filter(e => !arguments[0].includes(e.getAttribute('data-keyboard-check')))
                  .map(e => e.outerHTML.substring(0, 120));""", List.copyOf(reached));
        assertThat(missed).as("controls the keyboard does not reach on " + currentPath()).isEmpty();
    }

    /**
     * Text contrast against the background it sits on, as WCAG 2 computes it: at least 4.5:1, or 3:1 for large text
     * (24 px, or 18.66 px bold).
     */
    void assertTextContrast() {
        @SuppressWarnings("unchecked")
        List<String> poor = (List<String>) ((JavascriptExecutor) driver).executeScript(SHOWN + """
                const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
                const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
                                              return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
                const background = e => { for (let n = e; n; n = n.parentElement) { const c = rgb(getComputedStyle(n).backgroundColor);
                                              if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3); } return [255, 255, 255]; };
                const out = [];
                for (const e of document.querySelectorAll('body *')) {
                  if (!shown(e) || e.closest('svg')) continue;
                  const text = [...e.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent.trim()).join('');
                  if (!text) continue;
                  const s = getComputedStyle(e), fg = rgb(s.color).slice(0, 3), bg = background(e);
                  const [l1, l2] = [lum(fg), lum(bg)].sort((a, b) => b - a);
                  const ratio = (l1 + 0.05) / (l2 + 0.05), size = parseFloat(s.fontSize), bold = parseInt(s.fontWeight) >= 700;
                  const needed = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
                  if (ratio < needed) out.push(ratio.toFixed(2) + ' ' + e.tagName + ' "' + text.substring(0, 40) + '"');
                }
                return out;""");
        assertThat(poor).as("text below the contrast WCAG asks for on " + currentPath()).isEmpty();
    }

    /**
     * Nothing went wrong in the page: no error on the browser's console (CSP violations are reported there). A service's
     * refusal (4xx) that the page shows at its form is logged by the browser too, and is what the tests provoke.
     */
    void assertNoErrorsInTheBrowsersConsole() {
        List<String> errors = driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue())
                .map(entry -> entry.getMessage())
                .filter(message -> !message.matches(".*Failed to load resource: the server responded with a status of 4\\d\\d.*"))
                .toList();
        assertThat(errors).as("the browser's console on " + currentPath()).isEmpty();
    }

    void assertAccessible() {
        assertNoErrorsInTheBrowsersConsole();
        assertEveryInputLabelled();
        assertEveryControlReachableByKeyboard();
        assertTextContrast();
    }

    @Override
    public void close() {
        driver.quit();
    }
}
