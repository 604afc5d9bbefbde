package dev.rill.examples.user;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What the example accepts as an email address, and when two addresses are the same.
 *
 * <p>Deliberately a plausibility check, not RFC 5322: only sending mail proves an address works, and
 * the full grammar (quoted local parts, comments, IP literals) accepts strings no user means to type.
 * One {@code @}, a local part of the usual characters, a domain of at least two dot-separated labels.
 */
final class Emails {
  private static final int MAX_LENGTH = 254;
  private static final Pattern PLAUSIBLE = Pattern.compile(
      "[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}");

  private Emails() {}

  static boolean isValid(String email) {
    return email.length() <= MAX_LENGTH && PLAUSIBLE.matcher(email).matches();
  }

  /**
   * The form two addresses are compared in. Lower case for the whole address: the local part is case
   * sensitive in theory, but no mail provider treats it so, and two accounts differing only in case
   * are a support ticket waiting to happen.
   */
  static String canonical(String email) {
    return email.toLowerCase(Locale.ROOT);
  }
}
