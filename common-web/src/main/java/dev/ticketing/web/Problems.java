package dev.ticketing.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

import java.net.URI;
import java.util.Locale;

/** Builds the problem documents of DESIGN section 3: type, title, status, detail and code. */
public final class Problems {

    private static final String TYPE_BASE = "https://ticketing.dev/problems/";

    private Problems() {
    }

    public static ProblemDetail of(ProblemCode code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(code.status(), detail);
        problem.setType(typeOf(code));
        problem.setTitle(titleOf(code.status()));
        problem.setProperty("code", code.name());
        return problem;
    }

    /** {@code https://ticketing.dev/problems/} and the code in kebab case. */
    public static URI typeOf(ProblemCode code) {
        return URI.create(TYPE_BASE + code.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }

    /** The HTTP reason phrase. */
    public static String titleOf(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return known == null ? "Error" : known.getReasonPhrase();
    }
}
