package dev.rill.examples.user;

import dev.rill.examples.user.v1.User;
import dev.rill.examples.user.v1.UserRole;
import java.util.function.Predicate;

/**
 * The {@code filter} of ListUsers: empty for every user, {@code role=<UserRole name>} or
 * {@code tag=<tag>}. A grammar this small keeps the example about streaming, not parsing; a real API
 * would follow AIP-160.
 */
final class UserFilter {
  private UserFilter() {}

  /** The predicate {@code filter} stands for; IllegalArgumentException, saying why, if it stands for none. */
  static Predicate<User> parse(String filter) {
    String f = filter.strip();
    if (f.isEmpty()) {
      return user -> true;
    }
    int eq = f.indexOf('=');
    String field = eq < 0 ? f : f.substring(0, eq).strip();
    String value = eq < 0 ? "" : f.substring(eq + 1).strip();
    if (field.equals("role")) {
      UserRole role = role(value);
      return user -> user.getRole() == role;
    }
    if (field.equals("tag") && !value.isEmpty()) {
      return user -> user.getTagsList().contains(value);
    }
    throw new IllegalArgumentException(
        "filter '" + filter + "': expected empty, role=<USER_ROLE_...> or tag=<tag>");
  }

  private static UserRole role(String name) {
    for (UserRole role : UserRole.values()) {
      if (role != UserRole.UNRECOGNIZED && role.name().equals(name)) {
        return role;
      }
    }
    throw new IllegalArgumentException("filter role '" + name + "': not a UserRole (e.g. USER_ROLE_ADMIN)");
  }
}
