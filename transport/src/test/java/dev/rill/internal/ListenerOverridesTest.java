package dev.rill.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ListenerOverridesTest {
  public static class Base {
    public void onDone() {}
  }

  static class Inherits extends Base {}

  static class Overrides extends Base {
    @Override
    public void onDone() {}
  }

  static class InheritsAnOverride extends Overrides {}

  private final ListenerOverrides onDone = new ListenerOverrides(Base.class, "onDone");

  @Test
  void aListenerThatKeepsTheBaseNoOpDoesNotOverride() {
    assertFalse(onDone.by(new Base()));
    assertFalse(onDone.by(new Inherits()));
    assertFalse(onDone.by(new Base() {}));
  }

  @Test
  void aListenerOrAnAncestorBelowTheBaseThatRedefinesTheMethodOverrides() {
    assertTrue(onDone.by(new Overrides()));
    assertTrue(onDone.by(new InheritsAnOverride()));
    assertTrue(onDone.by(new Base() {
      @Override
      public void onDone() {}
    }));
  }

  @Test
  void aMethodTheBaseDoesNotHaveIsRejectedAtConstruction() {
    assertThrows(IllegalArgumentException.class, () -> new ListenerOverrides(Base.class, "onMissing"));
  }
}
