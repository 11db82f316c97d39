package io.ehbeam.pipelines.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;

/** Runs a command in this JVM and keeps what it printed to stdout and stderr. */
public final class CapturedOutput {
  public final int exitCode;
  public final String out;
  public final String err;

  private CapturedOutput(int exitCode, String out, String err) {
    this.exitCode = exitCode;
    this.out = out;
    this.err = err;
  }

  public static synchronized CapturedOutput of(IntSupplier command) {
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code = command.getAsInt();
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
    CapturedOutput captured =
        new CapturedOutput(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    originalOut.print(captured.out);
    originalErr.print(captured.err);
    return captured;
  }

  public String all() {
    return out + err;
  }
}
