package io.ehbeam.pipelines.testing;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.xerial.snappy.Snappy;

/**
 * A file's bytes as text a secret search can trust. Beam serializes DoFns, sources and coders with
 * Snappy (its {@code SerializableUtils}); inside a compressed stream a string may become
 * back-references, so a plain search can miss a key that is there. Each Snappy stream found in
 * the file is therefore inflated and appended to the text.
 */
public final class SecretSearch {
  /** Xerial's Snappy stream header, as Beam's {@code SerializableUtils} writes it. */
  private static final byte[] SNAPPY_STREAM = {(byte) 0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0};

  private SecretSearch() {}

  /** The file's searchable text, or null when the file went away while a job runs. */
  public static String readable(Path file) throws IOException {
    try {
      return readable(Files.readAllBytes(file));
    } catch (NoSuchFileException gone) {
      return null;
    }
  }

  public static String readable(byte[] bytes) {
    StringBuilder text = new StringBuilder(new String(bytes, ISO_8859_1));
    for (int at = indexOf(bytes, 0); at >= 0; at = indexOf(bytes, at + 1)) {
      text.append('\n').append(new String(inflated(bytes, at), ISO_8859_1));
    }
    return text.toString();
  }

  /** How many Snappy streams the bytes hold (so a test can show the search reached one). */
  public static int snappyStreams(byte[] bytes) {
    int n = 0;
    for (int at = indexOf(bytes, 0); at >= 0; at = indexOf(bytes, at + 1)) {
      n++;
    }
    return n;
  }

  /**
   * Xerial's stream framing: the 8-byte magic, two ints (version, compatible version), then chunks of
   * [big-endian int length][Snappy block]. Chunks are inflated until the bytes stop being one.
   */
  private static byte[] inflated(byte[] bytes, int from) {
    var out = new java.io.ByteArrayOutputStream();
    var in = java.nio.ByteBuffer.wrap(bytes);
    int at = from + SNAPPY_STREAM.length + 8;
    while (at + 4 <= bytes.length) {
      int length = in.getInt(at);
      if (length <= 0 || at + 4 + length > bytes.length) {
        break;
      }
      byte[] block = java.util.Arrays.copyOfRange(bytes, at + 4, at + 4 + length);
      try {
        if (!Snappy.isValidCompressedBuffer(block)) {
          break;
        }
        out.writeBytes(Snappy.uncompress(block));
      } catch (IOException notABlock) {
        break;
      }
      at += 4 + length;
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] bytes, int from) {
    outer:
    for (int i = from; i <= bytes.length - SNAPPY_STREAM.length; i++) {
      for (int j = 0; j < SNAPPY_STREAM.length; j++) {
        if (bytes[i + j] != SNAPPY_STREAM[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
