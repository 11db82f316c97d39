package io.ehbeam.transforms.io;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress lines (per minute by default) from inside a running pipeline, on any runner: each worker JVM counts
 * what its steps handled and logs, once a minute, how many in that minute and since it started.
 * Beam metrics give the totals at the end; this shows a long-running job is moving.
 */
public final class Progress {
  private static final Logger LOG = LoggerFactory.getLogger(Progress.class);
  private static volatile long periodSeconds = 60;
  private static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();
  private static final Map<String, Long> LAST = new ConcurrentHashMap<>();
  private static volatile ScheduledExecutorService reporter;

  private Progress() {}

  /** Report every {@code seconds} instead of every minute (load generators, replays); call before the first add. */
  public static void everySeconds(long seconds) {
    periodSeconds = seconds;
  }

  /**
   * Counts one element handled by {@code what} (e.g. "read", "written"). The first one of each is
   * logged with its time ("Progress: first read at 2026-12-02T20:10:01.123Z"): when data began to
   * flow, after start-up, which the benchmark's steady rates start from.
   */
  public static void add(String what) {
    LongAdder adder = COUNTS.get(what);
    if (adder == null) {
      adder = COUNTS.computeIfAbsent(what, k -> {
        LOG.info("Progress: first {} at {}", k, Instant.now());
        return new LongAdder();
      });
      ensureReporter();
    }
    adder.increment();
  }

  private static synchronized void ensureReporter() {
    if (reporter != null) {
      return;
    }
    reporter =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ehbeam-progress");
              t.setDaemon(true);
              return t;
            });
    reporter.scheduleAtFixedRate(Progress::report, periodSeconds, periodSeconds, TimeUnit.SECONDS);
  }

  private static void report() {
    StringBuilder line = new StringBuilder();
    for (Map.Entry<String, LongAdder> e : new java.util.TreeMap<>(COUNTS).entrySet()) {
      long total = e.getValue().sum();
      long before = LAST.getOrDefault(e.getKey(), 0L);
      LAST.put(e.getKey(), total);
      line.append(String.format(" %s %,d in the last %d s (%,d/s), %,d in all;",
          e.getKey(), total - before, periodSeconds, (total - before) / periodSeconds, total));
    }
    if (line.length() > 0) {
      LOG.info("Progress:{}", line);
    }
  }
}
