package dev.autoplane.standalone;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.http.MediaType;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web console (query-side {@code static/}) in a real headless Chromium against the real application: signing
 * in and out, approving and rejecting from the queue, a run followed live, the history slider, the list filter,
 * what a viewer is (not) offered, and axe-core's WCAG 2.1 AA rules on every view. One browser for the class; each
 * test saves a screenshot under {@code target/console-screenshots}.
 * <p>
 * Needs {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} (Debian's {@code chromium}, {@code
 * chromium-driver}; {@code .ci/run} installs them).
 */
class ConsoleBrowserTest extends ApiTest {

    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    static final Duration WAIT = Duration.ofSeconds(30);
    static ChromeDriver browser;

    @BeforeAll
    static void startBrowser() throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1000", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @AfterEach
    void screenshot(TestInfo test) throws IOException {
        Files.write(SCREENSHOTS.resolve(test.getTestMethod().orElseThrow().getName() + ".png"),
                browser.getScreenshotAs(OutputType.BYTES));
    }

    /** A screenshot now (the one after each test shows its end). */
    void snap(String name, String scrollTo) throws IOException {
        if (scrollTo != null) {
            js("document.getElementById(arguments[0]).scrollIntoView()", scrollTo);
        }
        Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    String base() {
        return "http://localhost:" + port + "/";
    }

    WebDriverWait waiting() {
        return new WebDriverWait(browser, WAIT);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    /** A fresh page load signed in with this token (whoever was signed in before is signed out). */
    void signIn(String token) {
        browser.get(base());
        js("sessionStorage.clear()");
        browser.navigate().refresh();
        WebElement field = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        field.sendKeys(token);
        browser.findElement(By.id("sign-in")).click();
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.tagName("h1")));
    }

    /** Shows a view (a hash route) and waits for its heading. */
    void show(String hash, String heading) {
        browser.get(base() + hash);
        browser.navigate().refresh();   // the same hash again would not re-render
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), heading));
    }

    /** Waits until no part of the view says it is loading. */
    void loaded() {
        waiting().until(ExpectedConditions.not(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Loading…")));
    }

    void waitForText(By by, String text) {
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> automation(String id) {
        return body(get(adminToken, "/workspaces/" + WS + "/automations/" + id).exchange().expectStatus().isOk());
    }

    /** A draft of the admin's, submitted for approval with a note. */
    String proposal(String name) {
        String id = (String) createDraft(name).get("id");
        patch(adminToken, "/workspaces/" + WS + "/automations/" + id, Map.of("description", "posts the digest"))
                .expectStatus().isOk();
        http.post().uri("/api/v1/workspaces/" + WS + "/automations/" + id + "/submit")
                .header("Authorization", "Bearer " + adminToken).header("X-Reason", "ready for the team")
                .exchange().expectStatus().isOk();
        return id;
    }

    @Test
    void signsInWithATokenKeptInTheTabAndSignsOut() {
        browser.get(base());
        js("sessionStorage.clear()");
        browser.navigate().refresh();
        // with the keyboard only: the token field has the focus, Enter submits
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        browser.switchTo().activeElement().sendKeys(adminToken, Keys.ENTER);
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
        waitForText(By.tagName("h1"), "Automations");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Automations");
        assertThat(browser.findElement(By.id("role")).getText()).contains("admin");
        assertThat(js("return sessionStorage.getItem('autoplane.token')")).isEqualTo(adminToken);
        assertThat(js("return localStorage.length")).isEqualTo(0L);
        assertThat(browser.getCurrentUrl()).doesNotContain(adminToken);

        browser.findElement(By.id("sign-out")).click();
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        assertThat(js("return sessionStorage.getItem('autoplane.token')")).isNull();
        assertThat(browser.findElement(By.id("nav")).isDisplayed()).isFalse();

        browser.findElement(By.id("token")).sendKeys("ap_pat_not-a-real-token");
        browser.findElement(By.id("sign-in")).click();
        waitForText(By.cssSelector("[role=alert]"), "Sign-in failed");
        assertThat(js("return sessionStorage.getItem('autoplane.token')")).isNull();
    }

    /**
     * An active automation (published 1.0) whose own credential, acting as a visible agent, proposes a new
     * description and prompt: pending approval, revision 1.1. Answers its id.
     */
    String proposalByAnAgent(String name, String agent) {
        Map<String, String> machine = createMachine(adminToken, WS, Map.of("name", name, "status", "active",
                "description", "posts the digest", "scopes", List.of("automation.read", "automation.write")));
        post(adminToken, "/workspaces/" + WS + "/agents", Map.of("name", agent, "installation_id", machine.get("id")))
                .expectStatus().isCreated();
        http.patch().uri("/api/v1/workspaces/" + WS + "/automations/" + machine.get("id"))
                .header("Authorization", "Bearer " + accessToken(machine.get("id"), machine.get("secret")))
                .header("X-Agent-Name", agent).header("X-Reason", "tighter wording")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("description", "posts the weekly digest", "prompt", "Summarise the week"))
                .exchange().expectStatus().isOk();
        return machine.get("id");
    }

    @Test
    void anApproverApprovesAProposalFromTheQueueAndRejectsAnother() throws IOException {
        String name = uniqueName("queued digest");
        String agent = uniqueName("release bot");
        String id = proposalByAnAgent(name, agent);
        assertThat(automation(id)).containsEntry("status", "pending_approval").containsEntry("revision", "1.1");
        String other = proposal(name + " b");
        signIn(member("console-approver", "approver"));
        show("#/approvals", "Approvals");
        WebElement filter = browser.findElement(By.id("approvals-filter"));
        filter.sendKeys("name.startsWith(\"" + name + "\")");
        browser.findElement(By.id("approvals-apply")).click();
        By card = By.cssSelector("article[data-automation='" + id + "']");
        WebElement proposal = waiting().until(ExpectedConditions.visibilityOfElementLocated(card));
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("article[data-automation='" + other + "']")));
        assertThat(proposal.findElement(By.className("proposer")).getText())
                .isEqualTo("service account " + id + " on behalf of agent " + agent);
        assertThat(proposal.findElement(By.className("note")).getText()).isEqualTo("tighter wording");
        String diff = proposal.findElement(By.className("diff")).getText();
        assertThat(diff).contains("description replace").contains("posts the digest").contains("posts the weekly digest")
                .contains("prompt add").contains("Summarise the week").doesNotContain("name ");
        snap("approvals", "view");

        proposal.findElement(By.className("approve")).click();
        waitForText(card, "is now active");
        assertThat(automation(id)).containsEntry("status", "active").containsEntry("latest_published_version", "2.0");

        WebElement second = browser.findElement(By.cssSelector("article[data-automation='" + other + "']"));
        assertThat(second.findElement(By.className("proposer")).getText()).isEqualTo("user admin");
        assertThat(second.findElement(By.className("note")).getText()).isEqualTo("ready for the team");
        second.findElement(By.name("reason")).sendKeys("needs a channel");
        second.findElement(By.className("reject")).click();
        waitForText(By.cssSelector("article[data-automation='" + other + "']"), "is now rejected");
        assertThat(automation(other)).containsEntry("status", "rejected").containsEntry("rejection_reason", "needs a channel");
    }

    @Test
    void aTriggeredRunMovesThroughItsStatusesLive() throws IOException {
        String id = (String) createAutomation(Map.of("name", uniqueName("live run"), "kind", "scheduled", "status", "active"))
                .get("id");
        signIn(adminToken);
        show("#/runs", "Runs");
        waiting().until(ExpectedConditions.attributeToBe(By.id("stream-state"), "data-state", "live"));
        js("window.stillTheSamePage = true");

        String run = fire(id);
        By status = By.cssSelector("tr[data-run='" + run + "'] .run-status");
        waitForText(status, "scheduled");
        post(adminToken, "/workspaces/" + WS + "/runs/lease", Map.of("automation_id", id)).expectStatus().isOk();
        waitForText(status, "running");
        post(adminToken, "/workspaces/" + WS + "/runs/" + run + "/complete", Map.of("outputs", Map.of("posted", true)))
                .expectStatus().isOk();
        waitForText(status, "completed");
        assertThat(js("return window.stillTheSamePage")).as("changes arrived without a reload").isEqualTo(true);
        assertThat(browser.findElement(By.id("chart-summary")).getText()).containsPattern("[1-9]\\d* completed");
        snap("runs-live", null);

        // a run's page: its outputs; and a second run canceled from its page
        browser.findElement(By.cssSelector("tr[data-run='" + run + "'] a")).click();
        waitForText(By.id("run-details"), "\"posted\": true");
        String second = fire(id);
        show("#/runs/" + second, "Run");
        waitForText(By.id("run-status"), "scheduled");
        browser.findElement(By.id("cancel-run")).click();
        waitForText(By.id("run-status"), "canceled");
        assertThat(body(get(adminToken, "/workspaces/" + WS + "/runs/" + second).exchange().expectStatus().isOk()))
                .containsEntry("status", "canceled");
    }

    @Test
    void resumingTheRunStreamReplaysWhatHappenedMeanwhileFromTheLastEventId() {
        String id = (String) createAutomation(Map.of("name", uniqueName("resumed"), "kind", "scheduled", "status", "active"))
                .get("id");
        signIn(adminToken);
        show("#/runs", "Runs");
        By state = By.id("stream-state");
        waiting().until(ExpectedConditions.attributeToBe(state, "data-state", "live"));
        String first = fire(id);
        waitForText(By.cssSelector("tr[data-run='" + first + "'] .run-status"), "scheduled");   // an event id to resume from
        js("window.stillTheSamePage = true");

        browser.findElement(By.id("stream-toggle")).click();   // pause: the stream is closed
        waiting().until(ExpectedConditions.attributeToBe(state, "data-state", "paused"));
        String missed = fire(id);
        browser.findElement(By.id("stream-toggle")).click();   // resume: reconnects with Last-Event-ID, no new listing

        waitForText(By.cssSelector("tr[data-run='" + missed + "'] .run-status"), "scheduled");
        waiting().until(ExpectedConditions.attributeToBe(state, "data-state", "live"));
        assertThat(browser.findElement(state).getAttribute("data-resumed-after")).matches("\\d+");
        assertThat(js("return window.stillTheSamePage")).isEqualTo(true);
    }

    @SuppressWarnings("unchecked")
    String fire(String automationId) {
        Map<String, Object> answer = body(post(adminToken, "/workspaces/" + WS + "/automations/" + automationId + "/trigger",
                Map.of()).expectStatus().isAccepted());
        return (String) ((Map<String, Object>) answer.get("run")).get("id");
    }

    @Test
    void theHistorySliderShowsTheAutomationAsItWasAtAPastInstant() throws IOException {
        String first = uniqueName("first name");
        String id = (String) createDraft(first).get("id");
        http.patch().uri("/api/v1/workspaces/" + WS + "/automations/" + id).header("Authorization", "Bearer " + adminToken)
                .header("X-Reason", "clearer name").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", first + " renamed")).exchange().expectStatus().isOk();
        signIn(adminToken);
        show("#/automations/" + id, first + " renamed");
        By name = By.cssSelector("#as-of-state [data-field=name]");
        waitForText(name, first + " renamed");
        assertThat(browser.findElement(By.id("timeline")).getText()).contains("reason: clearer name").contains("request ");

        WebElement slider = browser.findElement(By.id("as-of"));
        slider.sendKeys(Keys.HOME);   // the instant of the first event
        waiting().until(ExpectedConditions.textToBe(name, first));
        assertThat(browser.findElement(By.id("as-of-state")).getText()).startsWith("As of ");
        // the first event (and any of the same instant) is the current one; the rename is still to come
        assertThat(browser.findElement(By.cssSelector("#timeline li.current")).getText()).doesNotContain("clearer name");
        assertThat(browser.findElements(By.cssSelector("#timeline li.future")))
                .anySatisfy(li -> assertThat(li.getText()).contains("reason: clearer name"));
        snap("history", "h-hist");
        slider.sendKeys(Keys.END);
        waiting().until(ExpectedConditions.textToBe(name, first + " renamed"));

        // the two revisions' field-level diff
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("diff-from"))).selectByValue("0.1");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("diff-to"))).selectByValue("0.2");
        browser.findElement(By.id("diff-compare")).click();
        waitForText(By.id("diff-out"), "1 field changed");
        assertThat(browser.findElement(By.id("diff-out")).getText()).contains("name replace").contains(first + " renamed");

        // an action with a reason: it goes to the history
        browser.findElement(By.id("action-reason")).sendKeys("ready for review");
        browser.findElement(By.id("submit")).click();
        waitForText(By.id("timeline"), "reason: ready for review");
        assertThat(automation(id)).containsEntry("status", "pending_approval");
    }

    @Test
    void nextRunTimesMarkTheDaylightSavingChange() {
        // daily at 09:00 in New York from two days before the zone's next offset change: the five next runs span it
        java.time.ZoneId zone = java.time.ZoneId.of("America/New_York");
        java.time.Instant change = zone.getRules().nextTransition(java.time.Instant.now()).getInstant();
        if (change.isBefore(java.time.Instant.now().plus(Duration.ofDays(3)))) {   // start_time must lie ahead
            change = zone.getRules().nextTransition(change).getInstant();
        }
        String start = change.atZone(zone).toLocalDate().minusDays(2).atStartOfDay(zone).toInstant().toString();
        String id = (String) createAutomation(Map.of("name", uniqueName("across dst"), "kind", "scheduled", "status", "active"))
                .get("id");
        http.put().uri("/api/v1/workspaces/" + WS + "/automations/" + id + "/schedule").header("Authorization", "Bearer " + adminToken)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("cron", "0 9 * * *", "timezone", "America/New_York", "start_time", start))
                .exchange().expectStatus().is2xxSuccessful();
        signIn(adminToken);
        show("#/automations/" + id, "across dst");
        By runs = By.cssSelector(".next-runs li");
        waiting().until(ExpectedConditions.numberOfElementsToBe(runs, 5));
        List<WebElement> items = browser.findElements(runs);
        assertThat(items).allSatisfy(li -> assertThat(li.getText()).contains("09:00 America/New_York"));
        assertThat(items.stream().filter(li -> li.getText().contains("daylight-saving change")).count()).isEqualTo(1);
        assertThat(items.get(0).getText()).doesNotContain("daylight-saving change");
    }

    @Test
    void anAuditorFiltersTheAuditLogAndExportsIt() {
        String id = (String) createDraft(uniqueName("audited")).get("id");
        // the audit log is a projection: wait until it holds the automation's two events
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> ((List<?>) body(get(adminToken,
                "/workspaces/" + WS + "/audit/events?aggregate_id=" + id).exchange().expectStatus().isOk()).get("events")).size() == 2);
        signIn(member("console-auditor", "auditor"));
        assertThat(browser.findElement(By.cssSelector("#nav a[href='#/audit']")).isDisplayed()).isTrue();
        show("#/audit", "Audit log");
        browser.findElement(By.id("audit-aggregate_id")).sendKeys(id);
        browser.findElement(By.id("audit-apply")).click();
        waiting().until(ExpectedConditions.urlContains("aggregate_id=" + id));
        waitForText(By.id("audit-results"), "AutomationCreated");
        List<WebElement> rows = browser.findElements(By.cssSelector("#audit-results tbody tr"));
        assertThat(rows).hasSize(2).allSatisfy(row -> assertThat(row.getText()).contains("user admin"));
        browser.findElement(By.id("audit-export")).click();
        waitForText(By.id("status"), "of NDJSON");
        assertThat(browser.findElement(By.id("status")).getText()).matches("Exported [1-9]\\d* bytes of NDJSON\\.");
    }

    @Test
    void theListFiltersWithCel() {
        String name = uniqueName("filtered");
        String id = (String) createDraft(name).get("id");
        createDraft(uniqueName("not filtered"));
        signIn(adminToken);
        show("#/automations", "Automations");
        WebElement filter = browser.findElement(By.id("filter"));
        filter.sendKeys("name == \"" + name + "\"");
        browser.findElement(By.id("apply-filter")).click();
        waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#automation-list tbody tr a"), 1));
        WebElement link = browser.findElement(By.cssSelector("#automation-list tbody tr a"));
        assertThat(link.getText()).isEqualTo(name);
        assertThat(link.getAttribute("href")).endsWith("#/automations/" + id);

        filter = browser.findElement(By.id("filter"));
        filter.clear();
        filter.sendKeys("no_such_field == 1");
        browser.findElement(By.id("apply-filter")).click();
        waitForText(By.cssSelector("#automation-list [role=alert]"), "filter");
    }

    @Test
    void aViewerIsNotOfferedWrites() {
        String id = (String) createAutomation(Map.of("name", uniqueName("viewed"), "kind", "scheduled", "status", "active"))
                .get("id");
        String run = fire(id);
        signIn(member("console-viewer", "viewer"));
        assertThat(browser.findElement(By.cssSelector("#nav a[href='#/approvals']")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.cssSelector("#nav a[href='#/audit']")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.cssSelector("#nav a[href='#/runs']")).isDisplayed()).isTrue();
        show("#/automations/" + id, "viewed");
        waitForText(By.id("h-hist"), "History");
        assertThat(browser.findElement(By.id("automation-actions")).findElements(By.tagName("button"))).isEmpty();
        show("#/runs/" + run, "Run");
        waitForText(By.id("run-status"), "scheduled");
        assertThat(browser.findElements(By.id("cancel-run"))).isEmpty();
        show("#/approvals", "Approvals");
        loaded();
        assertThat(browser.findElements(By.cssSelector("#approvals button.approve, #approvals button.reject"))).isEmpty();
    }

    @Test
    void everyViewPassesAxeWcag21AA() throws IOException {
        String id = proposal(uniqueName("accessible"));
        String axe;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/resources/webjars/axe-core/4.6.3/axe.min.js")) {
            assertThat(in).as("the axe-core WebJar").isNotNull();
            axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        browser.get(base());
        js("sessionStorage.clear()");
        browser.navigate().refresh();
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        List<String> problems = new ArrayList<>(check(axe, "sign-in"));
        signIn(adminToken);
        for (String[] view : new String[][]{{"#/automations", "Automations"}, {"#/automations/" + id, "accessible"},
                {"#/approvals", "Approvals"}, {"#/runs", "Runs"}, {"#/audit", "Audit log"}}) {
            show(view[0], view[1]);
            loaded();
            problems.addAll(check(axe, view[0]));
        }
        assertThat(problems).as("serious or critical axe-core violations").isEmpty();
    }

    /** axe-core's WCAG 2.0/2.1 A and AA rules on the current page: the serious and critical violations. */
    @SuppressWarnings("unchecked")
    List<String> check(String axe, String view) {
        js(axe);
        Map<String, Object> result = (Map<String, Object>) ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
                        + ".then(r => done({violations: r.violations.map(v => ({id: v.id, impact: v.impact,"
                        + " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')}))}), e => done({error: String(e)}));");
        assertThat(result).doesNotContainKey("error");
        List<String> found = new ArrayList<>();
        for (Map<String, Object> v : (List<Map<String, Object>>) result.get("violations")) {
            if ("serious".equals(v.get("impact")) || "critical".equals(v.get("impact"))) {
                found.add(view + ": " + v.get("id") + " (" + v.get("impact") + ") at " + v.get("nodes"));
            }
        }
        return found;
    }

    @Test
    void theFirstPageIsSmallAndServedWithoutATokenWhileTheApiNeedsOne() throws IOException {
        browser.get(base());
        js("sessionStorage.clear()");
        browser.executeCdpCommand("Network.enable", Map.of());
        browser.executeCdpCommand("Network.setCacheDisabled", Map.of("cacheDisabled", true));   // a first visit
        try {
            browser.navigate().refresh();
        } finally {
            browser.executeCdpCommand("Network.setCacheDisabled", Map.of("cacheDisabled", false));
        }
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        Number transferred = (Number) js("const nav = performance.getEntriesByType('navigation')[0];"
                + "return nav.transferSize + performance.getEntriesByType('resource')"
                + ".reduce((n, r) => n + r.transferSize, 0);");
        Number decoded = (Number) js("const nav = performance.getEntriesByType('navigation')[0];"
                + "return nav.decodedBodySize + performance.getEntriesByType('resource')"
                + ".reduce((n, r) => n + r.decodedBodySize, 0);");
        String report = "first page (sign-in, all its files): " + transferred + " bytes transferred, " + decoded
                + " bytes decoded";
        System.out.println(report);
        Files.writeString(SCREENSHOTS.resolve("first-page-size.txt"), report + "\n");
        assertThat(transferred.longValue()).isPositive().isLessThan(200_000);

        http.get().uri("/").exchange().expectStatus().isOk().expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML);
        http.get().uri("/console/app.js").exchange().expectStatus().isOk();
        http.get().uri("/api/v1/workspaces").exchange().expectStatus().isUnauthorized();
        String docs = http.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody();
        assertThat(docs).doesNotContain("\"/\":").doesNotContain("/console/").doesNotContain("index.html");
    }
}
