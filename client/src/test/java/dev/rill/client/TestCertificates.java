package dev.rill.client;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A throwaway PKI made at test time with the JDK alone (no BouncyCastle, no keytool or openssl
 * process, no committed keys that expire): a CA and the certificates it signs, EC P-256 keys signed
 * with ECDSA-SHA256, valid from an hour ago for a day. The X.509 DER is written by hand: only the
 * fields and extensions TLS verification needs.
 */
final class TestCertificates {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] ECDSA_WITH_SHA256 = seq(oid("1.2.840.10045.4.3.2"));
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  private TestCertificates() {}

  /** A certificate and its private key, with their PEM forms (PKCS#8 for the key). */
  static final class Issued {
    final String commonName;
    final X509Certificate certificate;
    final PrivateKey key;

    Issued(String commonName, X509Certificate certificate, PrivateKey key) {
      this.commonName = commonName;
      this.certificate = certificate;
      this.key = key;
    }

    byte[] certificatePem() {
      try {
        return pem("CERTIFICATE", certificate.getEncoded());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    byte[] keyPem() {
      return pem("PRIVATE KEY", key.getEncoded());
    }
  }

  /** A self-signed CA. */
  static Issued ca(String commonName) {
    KeyPair keys = newKeyPair();
    return sign(commonName, keys, commonName, keys.getPrivate(),
        extension("2.5.29.19", true, seq(bool(true))), // basicConstraints: CA
        extension("2.5.29.15", true, der(0x03, new byte[] {1, 0x06}))); // keyUsage: keyCertSign, cRLSign
  }

  /** A server certificate signed by {@code ca}, valid for the DNS names and IP addresses in {@code names}. */
  static Issued server(Issued ca, String commonName, String... names) {
    List<byte[]> altNames = new ArrayList<>();
    for (String name : names) {
      byte[] ip = ipv4(name);
      altNames.add(ip != null ? der(0x87, ip) : der(0x82, name.getBytes(StandardCharsets.US_ASCII)));
    }
    return leaf(ca, commonName, SERVER_AUTH,
        extension("2.5.29.17", false, seq(altNames.toArray(new byte[0][])))); // subjectAltName
  }

  /** A client certificate signed by {@code ca}. */
  static Issued client(Issued ca, String commonName) {
    return leaf(ca, commonName, CLIENT_AUTH);
  }

  private static Issued leaf(Issued ca, String commonName, String extendedKeyUsage, byte[]... more) {
    List<byte[]> extensions = new ArrayList<>(List.of(
        extension("2.5.29.19", true, seq()), // basicConstraints: not a CA
        extension("2.5.29.15", true, der(0x03, new byte[] {7, (byte) 0x80})), // keyUsage: digitalSignature
        extension("2.5.29.37", false, seq(oid(extendedKeyUsage)))));
    extensions.addAll(List.of(more));
    return sign(commonName, newKeyPair(), ca.commonName, ca.key, extensions.toArray(new byte[0][]));
  }

  private static Issued sign(String subject, KeyPair keys, String issuer, PrivateKey issuerKey,
      byte[]... extensions) {
    try {
      Instant now = Instant.now();
      byte[] tbs = seq(
          der(0xa0, der(0x02, new byte[] {2})), // version v3
          der(0x02, new BigInteger(63, RANDOM).add(BigInteger.ONE).toByteArray()),
          ECDSA_WITH_SHA256,
          name(issuer),
          seq(utcTime(now.minus(Duration.ofHours(1))), utcTime(now.plus(Duration.ofDays(1)))),
          name(subject),
          keys.getPublic().getEncoded(),
          der(0xa3, seq(extensions)));
      Signature signature = Signature.getInstance("SHA256withECDSA");
      signature.initSign(issuerKey);
      signature.update(tbs);
      byte[] certificate = seq(tbs, ECDSA_WITH_SHA256, bitString(signature.sign()));
      X509Certificate parsed = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(certificate));
      return new Issued(subject, parsed, keys.getPrivate());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a test certificate for " + subject, e);
    }
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] ipv4(String name) {
    String[] parts = name.split("\\.");
    if (parts.length != 4 || !name.matches("[0-9.]+")) {
      return null;
    }
    byte[] ip = new byte[4];
    for (int i = 0; i < 4; i++) {
      ip[i] = (byte) Integer.parseInt(parts[i]);
    }
    return ip;
  }

  // DER: tag, definite length, content.

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
      int bytes = length < 0x100 ? 1 : length < 0x10000 ? 2 : 3;
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

  private static byte[] bool(boolean value) {
    return der(0x01, new byte[] {(byte) (value ? 0xff : 0)});
  }

  private static byte[] bitString(byte[] bits) {
    return der(0x03, new byte[] {0}, bits);
  }

  private static byte[] utcTime(Instant t) {
    String s = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC).format(t);
    return der(0x17, s.getBytes(StandardCharsets.US_ASCII));
  }

  /** A Name of one common name. */
  private static byte[] name(String commonName) {
    return seq(der(0x31, seq(oid("2.5.4.3"), der(0x0c, commonName.getBytes(StandardCharsets.UTF_8)))));
  }

  private static byte[] extension(String oid, boolean critical, byte[] value) {
    return critical ? seq(oid(oid), bool(true), der(0x04, value)) : seq(oid(oid), der(0x04, value));
  }
}
