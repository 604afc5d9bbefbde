package dev.rill.internal;

/** Rill's version, read from the jar manifest, or "dev" when running from classes. */
public final class RillVersion {
  public static final String VERSION = read();

  private RillVersion() {}

  private static String read() {
    String v = RillVersion.class.getPackage().getImplementationVersion();
    return v != null ? v : "dev";
  }
}
