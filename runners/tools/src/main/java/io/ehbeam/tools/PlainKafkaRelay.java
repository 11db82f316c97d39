package io.ehbeam.tools;

import io.ehbeam.transforms.connect.HubOptions;
import io.ehbeam.transforms.connect.Hubs;
import io.ehbeam.transforms.connect.KafkaEndpoint;
import io.ehbeam.transforms.io.HubAdmin;
import io.ehbeam.transforms.json.EventDocument.InvalidEventException;
import io.ehbeam.transforms.relay.EventStamper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The limit the relay is measured against: the best hand-written Kafka relay for the machine. It
 * does the same enrichment with the same code ({@link EventStamper}), on one thread per core (at
 * most one per partition), each with its own consumer and one producer shared by all (batches fill
 * faster), with the client settings the jobs use, tuned for throughput within what Event Hubs accepts
 * ({@link KafkaEndpoint#THROUGHPUT_PRODUCER}). It reads a topic from its beginning to the end offsets seen at start. No Beam, no runner.
 */
public final class PlainKafkaRelay {
  private PlainKafkaRelay() {}

  /** The client settings it runs with: the jobs' own ({@link KafkaEndpoint#THROUGHPUT_PRODUCER} and consumer). */
  public static List<String> settings() {
    List<String> settings = new ArrayList<>();
    KafkaEndpoint.THROUGHPUT_PRODUCER.forEach((k, v) -> settings.add("producer." + k + "=" + v));
    KafkaEndpoint.THROUGHPUT_CONSUMER.forEach((k, v) -> settings.add("consumer." + k + "=" + v));
    return settings;
  }

  /** Options of plain-relay. */
  public interface Options extends HubOptions {
    @Description("Threads, each with its own consumer of some partitions; 0: one per core, at most one per partition.")
    @Default.Integer(0)
    int getThreads();

    void setThreads(int value);
  }

  /** What a run moved and how fast; {@code elapsedNanos} from the first record polled to the last one acknowledged. */
  public record Result(long read, long written, long refused, long elapsedNanos, int threads) {
    public double eventsPerSecond() {
      return elapsedNanos == 0 ? 0 : written * 1e9 / elapsedNanos;
    }
  }

  /** {@code ./run plain-relay --inputTopic=in --outputTopic=out}: the baseline on its own. */
  public static int run(String[] args) {
    Options options = Tools.options(args, Options.class);
    Hubs hubs = Hubs.resolve(options, null);
    // As every pipeline: the input must exist, the output is created; a producer would otherwise
    // wait a minute per record for a topic that never appears.
    io.ehbeam.pipelines.common.Jobs.prepareTopics(options, hubs.input(), hubs.output());
    Result r = run(hubs.input(), hubs.output(), options.getThreads());
    System.out.printf("Relayed %,d of %,d records (%,d refused) on %d threads at %,.0f events/s.%n", r.written, r.read,
        r.refused, r.threads, r.eventsPerSecond());
    return 0;
  }

  /** With the endpoints' own settings; {@code threads} 0: one per core. */
  public static Result run(KafkaEndpoint input, KafkaEndpoint output, int threads) {
    String inputTopic = input.requireTopic("--inputTopic");
    String outputTopic = output.requireTopic("--outputTopic");
    Map<TopicPartition, long[]> ranges;
    try (HubAdmin admin = HubAdmin.connect(input)) {
      ranges = admin.offsetRange(inputTopic);
    }
    List<TopicPartition> partitions = new ArrayList<>(ranges.keySet());
    int n = Math.max(1, Math.min(partitions.size(), threads > 0 ? threads : Runtime.getRuntime().availableProcessors()));
    AtomicLong read = new AtomicLong();
    AtomicLong written = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicLong start = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try (Producer<byte[], byte[]> producer = output.newProducer()) {
      List<Future<?>> loops = new ArrayList<>();
      for (int t = 0; t < n; t++) {
        List<TopicPartition> mine = new ArrayList<>();
        for (int p = t; p < partitions.size(); p += n) {
          mine.add(partitions.get(p));
        }
        loops.add(pool.submit(() -> {
          relay(input, mine, ranges, producer, outputTopic, read, written, refused, start);
          return null;
        }));
      }
      for (Future<?> loop : loops) {
        loop.get();
      }
      producer.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("the relay loop failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return new Result(read.get(), written.get(), refused.get(), start.get() == 0 ? 0 : System.nanoTime() - start.get(), n);
  }

  /** One thread's loop over its partitions, to the end offsets seen at start. */
  private static void relay(KafkaEndpoint input, List<TopicPartition> partitions, Map<TopicPartition, long[]> ranges,
      Producer<byte[], byte[]> producer, String outputTopic, AtomicLong read, AtomicLong written, AtomicLong refused,
      AtomicLong start) {
    long expected = partitions.stream().mapToLong(tp -> ranges.get(tp)[1] - ranges.get(tp)[0]).sum();
    long mine = 0;
    try (Consumer<byte[], byte[]> consumer = input.newConsumer(null)) {
      consumer.assign(partitions);
      partitions.forEach(tp -> consumer.seek(tp, ranges.get(tp)[0]));
      while (mine < expected) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          start.compareAndSet(0, System.nanoTime());
          if (r.offset() >= ranges.get(new TopicPartition(r.topic(), r.partition()))[1]) {
            continue;
          }
          mine++;
          read.incrementAndGet();
          try {
            byte[] stamped = EventStamper.stamp(r.value(), r.timestamp(), System.currentTimeMillis(), null).value();
            producer.send(new ProducerRecord<>(outputTopic, r.key(), stamped));
            written.incrementAndGet();
          } catch (InvalidEventException e) {
            refused.incrementAndGet();
          }
        }
      }
    }
  }
}
