package dev.retention.campaigns.domain;

import java.security.SecureRandom;

/**
 * Voucher codes a customer can read out and nobody can guess: 12 characters from an alphabet without 0/O, 1/I/L
 * and U/V look-alikes, drawn from {@link SecureRandom} (29^12, about 58 bits), grouped by four: {@code K7QX-M2PD-9HWA}.
 * A prefix names the trigger for support staff; it carries no secret.
 */
public final class VoucherCodeGenerator {

    static final String ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ";
    private static final int LENGTH = 12;

    private final SecureRandom random;

    public VoucherCodeGenerator() {
        this(new SecureRandom());
    }

    VoucherCodeGenerator(SecureRandom random) {
        this.random = random;
    }

    public String next(String prefix) {
        StringBuilder code = new StringBuilder(prefix.length() + LENGTH + 3).append(prefix);
        for (int i = 0; i < LENGTH; i++) {
            if (i % 4 == 0) {
                code.append('-');
            }
            code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }
}
