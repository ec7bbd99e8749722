package dev.retention.campaigns.domain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An upload of partner codes as {@code text/csv}: one code per line, an optional header line {@code code} first,
 * each line trimmed, blank lines ignored. A code is at most {@value #MAX_LENGTH} characters without control
 * characters. A refusal names the line, never the code: codes are a partner's secrets and end up nowhere but in
 * the pool and in one customer's message.
 *
 * @param codes            the distinct codes, in upload order
 * @param duplicateInUpload lines that repeated a code already on an earlier line
 */
public record PoolCodes(List<String> codes, int duplicateInUpload) {

    public static final int MAX_LENGTH = 200;

    public PoolCodes {
        codes = List.copyOf(codes);
    }

    /** A line that cannot be a code: its number (1-based) and what is wrong, without the line itself. */
    public static final class InvalidLine extends RuntimeException {

        private final int line;

        InvalidLine(int line, String problem) {
            super(problem);
            this.line = line;
        }

        public int line() {
            return line;
        }
    }

    /** @throws InvalidLine for the first line that is not a code */
    public static PoolCodes parse(String body) {
        Set<String> codes = new LinkedHashSet<>();
        int duplicates = 0;
        boolean first = true;
        String[] lines = body == null ? new String[0] : body.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String code = lines[i].strip();
            if (code.isEmpty()) {
                continue;
            }
            if (first && code.equalsIgnoreCase("code")) {
                first = false;
                continue; // the header
            }
            first = false;
            int line = i + 1;
            if (code.codePointCount(0, code.length()) > MAX_LENGTH) {
                throw new InvalidLine(line, "is longer than " + MAX_LENGTH + " characters");
            }
            if (code.codePoints().anyMatch(PoolCodes::control)) {
                throw new InvalidLine(line, "holds a control character");
            }
            if (!codes.add(code)) {
                duplicates++;
            }
        }
        return new PoolCodes(new ArrayList<>(codes), duplicates);
    }

    /** C0, DEL, C1, and the invisible format characters (zero-width space, bidi overrides) a copy can carry. */
    private static boolean control(int codePoint) {
        int type = Character.getType(codePoint);
        return Character.isISOControl(codePoint) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }
}
