package dev.ticketing.concert.catalogue;

/**
 * Strict parsing of ids in paths: decimal digits only. Spring's own conversion to long would also
 * take "+7", " 7" and hexadecimal "0x10" or "#10" (as 16), so one seat map would have many URLs.
 */
final class PathIds {

    private PathIds() {
    }

    static long parse(String text, String name) {
        if (text == null || text.isEmpty() || text.length() > 19 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(name + " must be a positive integer");
        }
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException tooLarge) {
            value = 0;
        }
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be a positive integer");
        }
        return value;
    }
}
