package dev.ticketing.messaging.web;

import java.util.regex.Pattern;

/**
 * Ids in paths, one rule for every service: a positive decimal integer as the API writes one, 1 to 18 digits with no
 * sign, no leading zero, no space and no hexadecimal, so that one resource has one URL. Spring's own binding to a
 * {@code long} would also take "+7", " 7", "007" and "0x10" (as 16).
 */
public final class PathIds {

    private static final Pattern POSITIVE_DECIMAL = Pattern.compile("[1-9][0-9]{0,17}");

    private PathIds() {
    }

    /** Whether {@code text} is an id as the API writes one. */
    public static boolean isPositiveId(String text) {
        return text != null && POSITIVE_DECIMAL.matcher(text).matches();
    }

    /** The id {@code text} names, or 400 {@code INVALID_REQUEST}: "{@code name} must be a positive integer". */
    public static long positive(String name, String text) {
        if (!isPositiveId(text)) {
            throw ApiException.invalidRequest(name + " must be a positive integer");
        }
        return Long.parseLong(text);
    }
}
