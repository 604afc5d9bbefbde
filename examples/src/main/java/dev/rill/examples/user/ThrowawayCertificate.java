package dev.rill.examples.user;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1}, made in memory when the demo
 * starts, so that {@code ./rill demo --tls} needs no keys on disk. The client trusts exactly this
 * certificate; nothing else would.
 *
 * <p>Why by hand: the JDK can sign but has no public API to build a certificate. Netty's
 * {@code SelfSignedCertificate} is deprecated, and without BouncyCastle on the classpath (measured with
 * Netty 4.2.18) it forks the JDK's {@code keytool}, leaves files in the temporary directory and makes a
 * certificate without subjectAltName, which hostname verification rejects. BouncyCastle would be a new
 * dependency for one demo flag. An X.509 certificate is a small DER structure, written below with the
 * fields TLS clients check: subject, validity, an EC P-256 key, the names in subjectAltName and the
 * serverAuth usage.
 */
final class ThrowawayCertificate {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] ECDSA_WITH_SHA256 = seq(oid("1.2.840.10045.4.3.2"));

  private final byte[] certificatePem;
  private final byte[] privateKeyPem;

  private ThrowawayCertificate(byte[] certificatePem, byte[] privateKeyPem) {
    this.certificatePem = certificatePem;
    this.privateKeyPem = privateKeyPem;
  }

  /** A new key pair and certificate, valid from an hour ago (clock skew) for a day. */
  static ThrowawayCertificate create() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      KeyPair keys = generator.generateKeyPair();
      Instant now = Instant.now();
      byte[] name = seq(der(0x31, seq(oid("2.5.4.3"), der(0x0c, ascii("localhost"))))); // CN=localhost
      byte[] tbs = seq(
          der(0xa0, der(0x02, new byte[] {2})), // version 3
          der(0x02, new BigInteger(63, RANDOM).add(BigInteger.ONE).toByteArray()), // serial
          ECDSA_WITH_SHA256,
          name, // issuer: itself
          seq(utcTime(now.minus(Duration.ofHours(1))), utcTime(now.plus(Duration.ofDays(1)))),
          name,
          keys.getPublic().getEncoded(), // SubjectPublicKeyInfo, already DER
          der(0xa3, seq(
              extension("2.5.29.15", true, der(0x03, new byte[] {7, (byte) 0x80})), // keyUsage: digitalSignature
              extension("2.5.29.37", false, seq(oid("1.3.6.1.5.5.7.3.1"))), // extKeyUsage: serverAuth
              extension("2.5.29.17", false, seq( // subjectAltName
                  der(0x82, ascii("localhost")), // dNSName
                  der(0x87, new byte[] {127, 0, 0, 1})))))); // iPAddress
      Signature signature = Signature.getInstance("SHA256withECDSA");
      signature.initSign(keys.getPrivate());
      signature.update(tbs);
      byte[] certificate = seq(tbs, ECDSA_WITH_SHA256, der(0x03, new byte[] {0}, signature.sign()));
      return new ThrowawayCertificate(pem("CERTIFICATE", certificate), pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a self-signed certificate: " + e.getMessage(), e);
    }
  }

  /** The certificate, PEM: the server's chain and the client's only trust root. */
  byte[] certificatePem() {
    return certificatePem.clone();
  }

  /** The private key, PKCS#8 PEM. */
  byte[] privateKeyPem() {
    return privateKeyPem.clone();
  }

  private static byte[] pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return ascii("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  // DER: a tag, the definite length, the content.

  private static byte[] der(int tag, byte[]... parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      content.writeBytes(p);
    }
    int length = content.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    if (length < 0x80) {
      out.write(length);
    } else {
      int bytes = length < 0x100 ? 1 : 2; // a certificate this size stays below 64 KiB
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(length >>> (8 * i));
      }
    }
    out.writeBytes(content.toByteArray());
    return out.toByteArray();
  }

  private static byte[] seq(byte[]... parts) {
    return der(0x30, parts);
  }

  private static byte[] oid(String dotted) {
    String[] arcs = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(40 * Integer.parseInt(arcs[0]) + Integer.parseInt(arcs[1]));
    for (int i = 2; i < arcs.length; i++) {
      long arc = Long.parseLong(arcs[i]);
      int groups = 1;
      while (arc >>> (7 * groups) != 0) {
        groups++;
      }
      for (int g = groups - 1; g >= 0; g--) {
        out.write((int) ((arc >>> (7 * g)) & 0x7f) | (g > 0 ? 0x80 : 0));
      }
    }
    return der(0x06, out.toByteArray());
  }

  private static byte[] utcTime(Instant t) {
    return der(0x17, ascii(DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC).format(t)));
  }

  private static byte[] extension(String oid, boolean critical, byte[] value) {
    return critical
        ? seq(oid(oid), der(0x01, new byte[] {(byte) 0xff}), der(0x04, value))
        : seq(oid(oid), der(0x04, value));
  }
}
