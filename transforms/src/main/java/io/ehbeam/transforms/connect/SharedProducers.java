package io.ehbeam.transforms.connect;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * One Kafka producer per JVM and client configuration, lent to every step that writes with it.
 * Kafka's producer is thread-safe and made to be shared; and Beam's SparkRunner sets a DoFn up and
 * tears it down for every task, so a producer made in {@code @Setup} lived one micro-batch, and
 * connecting took most of a small batch's time. A lent producer's {@code close()} flushes and gives
 * it back; the producer itself closes once nobody has held it for {@link #IDLE}.
 *
 * <p>Transactional producers are never shared: a transaction belongs to one writer.
 */
final class SharedProducers {
  static final Duration IDLE = Duration.ofSeconds(60);

  private static final SharedProducers JVM = new SharedProducers(IDLE);

  private final Duration idle;
  private final Map<Map<String, Object>, Entry> byConfig = new HashMap<>();
  private final ScheduledExecutorService closer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "ehbeam-shared-producer-closer");
    t.setDaemon(true);
    return t;
  });

  SharedProducers(Duration idle) {
    this.idle = idle;
  }

  /** The JVM's shared producer for {@code config}, made by {@code make} if there is none. */
  static Producer<byte[], byte[]> lend(Map<String, Object> config, Supplier<Producer<byte[], byte[]>> make) {
    return JVM.lendFrom(config, make);
  }

  static boolean isTransactional(Map<String, Object> config) {
    return config.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG) != null;
  }

  @SuppressWarnings("unchecked")
  synchronized Producer<byte[], byte[]> lendFrom(Map<String, Object> config, Supplier<Producer<byte[], byte[]>> make) {
    if (isTransactional(config)) {
      return make.get();
    }
    Map<String, Object> key = java.util.Collections.unmodifiableMap(new HashMap<>(config));
    Entry entry = byConfig.get(key);
    if (entry == null) {
      entry = new Entry(key, make.get());
      byConfig.put(key, entry);
    }
    entry.lent++;
    if (entry.closing != null) {
      entry.closing.cancel(false);
      entry.closing = null;
    }
    return (Producer<byte[], byte[]>) Proxy.newProxyInstance(Producer.class.getClassLoader(),
        new Class<?>[] {Producer.class}, new Loan(entry));
  }

  /** How many producers are open (for tests). */
  synchronized int open() {
    return byConfig.size();
  }

  private synchronized void giveBack(Entry entry) {
    entry.lent--;
    if (entry.lent == 0) {
      entry.closing = closer.schedule(() -> closeIfIdle(entry), idle.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private synchronized void closeIfIdle(Entry entry) {
    if (entry.lent == 0 && byConfig.get(entry.key) == entry) {
      byConfig.remove(entry.key);
      entry.producer.close(Duration.ofSeconds(30));
    }
  }

  private static final class Entry {
    final Map<String, Object> key;
    final Producer<byte[], byte[]> producer;
    int lent;
    ScheduledFuture<?> closing;

    Entry(Map<String, Object> key, Producer<byte[], byte[]> producer) {
      this.key = key;
      this.producer = producer;
    }
  }

  /** One holder's use of a shared producer: everything but close goes to it. */
  private final class Loan implements InvocationHandler {
    private final Entry entry;
    private boolean returned;

    Loan(Entry entry) {
      this.entry = entry;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getName().equals("close")) {
        synchronized (this) {
          if (!returned) {
            returned = true;
            try {
              entry.producer.flush(); // what a closing producer promises: everything sent is delivered
            } finally {
              giveBack(entry);
            }
          }
        }
        return null;
      }
      if (method.getDeclaringClass() == Object.class) {
        switch (method.getName()) {
          case "equals":
            return proxy == args[0];
          case "hashCode":
            return System.identityHashCode(proxy);
          default:
            return "shared " + entry.producer;
        }
      }
      try {
        return method.invoke(entry.producer, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }
}
