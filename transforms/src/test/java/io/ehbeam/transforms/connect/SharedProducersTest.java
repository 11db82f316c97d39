package io.ehbeam.transforms.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** Real producers (they connect lazily; nothing is sent), counted as they are made. */
class SharedProducersTest {
  private final AtomicInteger made = new AtomicInteger();

  private Supplier<Producer<byte[], byte[]>> maker(Map<String, Object> config) {
    return () -> {
      made.incrementAndGet();
      return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    };
  }

  private static Map<String, Object> config(String clientId) {
    return Map.of("bootstrap.servers", "localhost:1", "client.id", clientId, "max.block.ms", 10);
  }

  @Test
  void holdersOfOneConfigurationShareOneProducerUntilItIsIdle() throws Exception {
    SharedProducers shared = new SharedProducers(Duration.ofMillis(200));
    Producer<byte[], byte[]> first = shared.lendFrom(config("a"), maker(config("a")));
    Producer<byte[], byte[]> second = shared.lendFrom(config("a"), maker(config("a")));
    Producer<byte[], byte[]> other = shared.lendFrom(config("b"), maker(config("b")));
    assertThat(made).hasValue(2);
    assertThat(shared.open()).isEqualTo(2);

    first.close();
    first.close(); // a second close gives nothing back twice
    // Still open for the other holder: a send waits for metadata (none without a broker) instead of
    // failing as on a closed producer.
    assertThatThrownBy(() -> second.send(new ProducerRecord<>("t", new byte[1])).get())
        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
    second.close();
    Producer<byte[], byte[]> again = shared.lendFrom(config("a"), maker(config("a")));
    assertThat(made).as("lent again before it went idle: the same producer").hasValue(2);
    again.close();
    other.close();

    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (shared.open() > 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(shared.open()).as("closed once idle").isZero();
    shared.lendFrom(config("a"), maker(config("a"))).close();
    assertThat(made).hasValue(3);
  }

  @Test
  void transactionalProducersAreNeverShared() {
    SharedProducers shared = new SharedProducers(Duration.ofMillis(200));
    Map<String, Object> transactional = Map.of("bootstrap.servers", "localhost:1", "transactional.id", "t-1");
    Supplier<Producer<byte[], byte[]>> make = () -> {
      made.incrementAndGet();
      return new KafkaProducer<>(transactional, new ByteArraySerializer(), new ByteArraySerializer());
    };
    try (Producer<byte[], byte[]> a = shared.lendFrom(transactional, make);
        Producer<byte[], byte[]> b = shared.lendFrom(transactional, make)) {
      assertThat(made).hasValue(2);
      assertThat(shared.open()).isZero();
    }
  }
}
