package dev.ticketing.gateway;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The purchase page the gateway serves itself: its files, their headers, and no token or service involved. */
class SitePageTest extends GatewayTestBase {

    @Test
    void servesThePageAtTheRootWithItsHeaders() {
        EntityExchangeResult<String> page = client.get().uri("/").exchange()
                .expectStatus().isOk()
                .expectHeader().contentType("text/html;charset=UTF-8")
                .expectHeader().cacheControl(org.springframework.http.CacheControl.noCache())
                .expectHeader().exists(HttpHeaders.LAST_MODIFIED)
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader().valueEquals("Referrer-Policy", "no-referrer")
                .expectBody(String.class).returnResult();
        assertThat(page.getResponseBody()).contains("<script type=\"module\" src=\"/site/app.js\"></script>");
        String policy = page.getResponseHeaders().getFirst("Content-Security-Policy");
        assertThat(policy).contains("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval");

        client.get().uri("/index.html").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).isEqualTo(page.getResponseBody());
        client.head().uri("/").exchange()
                .expectStatus().isOk()
                .expectHeader().contentType("text/html;charset=UTF-8")
                .expectHeader().contentLength(page.getResponseBody().getBytes(StandardCharsets.UTF_8).length)
                .expectBody().isEmpty();

        assertNoServiceCalled();
    }

    @Test
    void servesScriptsStylesAndIconWithTheirTypes() {
        for (String[] file : new String[][]{
                {"/site/app.js", "text/javascript;charset=UTF-8"},
                {"/site/api.js", "text/javascript;charset=UTF-8"},
                {"/site/messages.js", "text/javascript;charset=UTF-8"},
                {"/site/style.css", "text/css;charset=UTF-8"},
                {"/site/icon.svg", "image/svg+xml;charset=UTF-8"}}) {
            client.get().uri(file[0]).exchange()
                    .expectStatus().isOk()
                    .expectHeader().contentType(file[1])
                    .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-cache")
                    .expectHeader().exists("Content-Security-Policy");
            client.head().uri(file[0]).exchange()
                    .expectStatus().isOk()
                    .expectHeader().contentType(file[1])
                    .expectBody().isEmpty();
        }

        assertNoServiceCalled();
    }

    @Test
    void answersNotModifiedWhenTheBrowserRevalidates() {
        for (String path : new String[]{"/", "/site/app.js"}) {
            String lastModified = client.get().uri(path).exchange()
                    .expectStatus().isOk()
                    .returnResult(String.class).getResponseHeaders().getFirst(HttpHeaders.LAST_MODIFIED);

            client.get().uri(path).header(HttpHeaders.IF_MODIFIED_SINCE, lastModified).exchange()
                    .expectStatus().isNotModified()
                    .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-cache");
        }
    }

    @Test
    void answersProblemsForWhatIsNotThere() {
        assertProblem(client.get().uri("/site/missing.js").exchange(), HttpStatus.NOT_FOUND, "NOT_FOUND");
        assertProblem(client.get().uri("/favicon.ico").exchange(), HttpStatus.NOT_FOUND, "NOT_FOUND");
        assertProblem(client.post().uri("/").exchange(), HttpStatus.NOT_FOUND, "NOT_FOUND");
        assertProblem(client.delete().uri("/site/app.js").exchange(), HttpStatus.NOT_FOUND, "NOT_FOUND");

        assertNoServiceCalled();
    }

    /** The page puts every error code of DESIGN section 3 into plain words of its own. */
    @Test
    void explainsEveryErrorCodeOfTheDesign() throws IOException {
        String design = Files.readString(Path.of("..", "docs", "design.md"));
        String errors = design.substring(design.indexOf("Error codes (status, code):"), design.indexOf("Rate limits ("));
        Set<String> codes = new TreeSet<>();
        Matcher code = Pattern.compile("`([A-Z][A-Z_]+)`").matcher(errors);
        while (code.find()) {
            codes.add(code.group(1));
        }
        assertThat(codes).as("codes found in the design").hasSizeGreaterThan(20).contains("INSUFFICIENT_BALANCE");

        String messages = client.get().uri("/site/messages.js").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        for (String known : codes) {
            assertThat(messages).as("plain words for %s", known).containsPattern("\\n\\s+" + known + ": ");
        }
    }
}
