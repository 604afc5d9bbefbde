package dev.rill.examples.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EmailsTest {

  @Test
  void ordinaryAddressesAreValid() {
    for (String email : new String[] {"ada@example.com", "first.last+tag@mail.example.co.uk", "x_1%y@a-b.io"}) {
      assertTrue(Emails.isValid(email), email);
    }
  }

  @Test
  void addressesMissingAPartOrWithStrayCharactersAreNot() {
    for (String email : new String[] {"", "ada", "ada@", "@example.com", "ada@example", "ada@@example.com",
        "a da@example.com", "ada@-example.com", "ada@example.c", "ada@exa_mple.com", "ada@example.com "}) {
      assertFalse(Emails.isValid(email), email);
    }
  }

  @Test
  void anAddressLongerThanSmtpAllowsIsNot() {
    assertFalse(Emails.isValid("a".repeat(243) + "@example.com"));
    assertTrue(Emails.isValid("a".repeat(242) + "@example.com"));
  }

  @Test
  void addressesDifferingOnlyInCaseAreTheSame() {
    assertEquals(Emails.canonical("Ada@Example.COM"), Emails.canonical("ada@example.com"));
  }
}
