package dev.ticketing.payment;

import dev.ticketing.web.ProblemCode;
import dev.ticketing.messaging.web.ApiException;
import dev.ticketing.messaging.web.PathIds;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;

/**
 * What every route of this service checks in a request, in the order of DESIGN section 3: syntax
 * and ranges (400) before the caller's right to it (403, {@link dev.ticketing.messaging.web.Caller#sameUser}).
 */
public final class Requests {

    /** What a user may see and change of their own here, for the 403 detail. */
    public static final String OWN = "balance and payments";

    private static final int DEFAULT_SIZE = 20;
    private static final int MAX_SIZE = 100;

    private Requests() {
    }

    /** A path or query id: the rule of every service ({@link PathIds}). */
    public static long positiveId(String name, String value) {
        return PathIds.positive(name, value);
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(ProblemCode.FORBIDDEN, detail);
    }

    /** {@code page} from 0, {@code size} 1..100 (default 20); anything else is a 400. */
    public static Paging paging(String page, String size) {
        int p = page == null ? 0 : parse("page", page, 0, Integer.MAX_VALUE);
        int s = size == null ? DEFAULT_SIZE : parse("size", size, 1, MAX_SIZE);
        return new Paging(p, s);
    }

    private static int parse(String name, String value, int min, int max) {
        if (!value.matches("0|[1-9][0-9]{0,9}")) {
            throw ApiException.invalidRequest(name + " must be a whole number from " + min + " to " + max);
        }
        long n = Long.parseLong(value);
        if (n < min || n > max) {
            throw ApiException.invalidRequest(name + " must be a whole number from " + min + " to " + max);
        }
        return (int) n;
    }

    /** Documents the {@code page} query parameter that {@link #paging} reads. */
    @Target(ElementType.PARAMETER)
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @Parameter(description = "which page, from 0",
            schema = @Schema(type = "integer", format = "int32", minimum = "0", defaultValue = "0"))
    public @interface PageParameter {
    }

    /** Documents the {@code size} query parameter that {@link #paging} reads. */
    @Target(ElementType.PARAMETER)
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @Parameter(description = "entries per page", schema = @Schema(type = "integer", format = "int32", minimum = "1",
            maximum = "" + MAX_SIZE, defaultValue = "" + DEFAULT_SIZE))
    public @interface SizeParameter {
    }

    public record Paging(int page, int size) {
        public long offset() {
            return (long) page * size;
        }

        /** How many rows to ask for: one more than a page, to tell whether another page follows. */
        public int limit() {
            return size + 1;
        }

        /** The page out of rows read with {@link #limit()}; whether another follows. */
        public <T> Slice<T> slice(List<T> rows) {
            boolean hasNext = rows.size() > size;
            return new Slice<>(hasNext ? List.copyOf(rows.subList(0, size)) : rows, hasNext);
        }
    }

    public record Slice<T>(List<T> rows, boolean hasNext) {
    }
}
