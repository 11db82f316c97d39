package io.ehbeam.tools;

import io.ehbeam.transforms.connect.HubOptions;
import io.ehbeam.transforms.connect.Hubs;
import io.ehbeam.transforms.connect.KafkaEndpoint;
import io.ehbeam.transforms.io.HubAdmin;
import io.ehbeam.transforms.relay.EventStamper;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * {@code ./run peek --topic=T [--max=N] [--last=true]}: prints records, one per line: partition,
 * offset, timestamp, key, headers, value. Reads without a consumer group, so it moves no offsets.
 */
public final class Peek {
  /** Options of peek. */
  public interface Options extends HubOptions {
    @Description("Topic to print. Default: --inputTopic.")
    String getTopic();

    void setTopic(String value);

    @Description("Most records to print.")
    @Default.Integer(10)
    int getMax();

    void setMax(int value);

    @Description("Print the last --max records of each partition instead of the first.")
    @Default.Boolean(false)
    boolean getLast();

    void setLast(boolean value);
  }

  private Peek() {}

  public static int run(String[] args) {
    Options options = Tools.options(args, Options.class);
    if (options.getTopic() != null) {
      options.setInputTopic(options.getTopic());
    }
    KafkaEndpoint endpoint = Hubs.resolve(options, null).input();
    print(endpoint, options.getMax(), options.getLast(), System.out);
    return 0;
  }

  /** Prints up to {@code max} records of the endpoint's topic; returns how many it printed. */
  public static int print(KafkaEndpoint endpoint, int max, boolean last, PrintStream out) {
    String topic = endpoint.requireTopic("--topic");
    Map<TopicPartition, long[]> ranges;
    try (HubAdmin admin = HubAdmin.connect(endpoint)) {
      admin.requireTopic(topic, "The");
      ranges = admin.offsetRange(topic);
    }
    int printed = 0;
    try (Consumer<byte[], byte[]> consumer = endpoint.newConsumer(null)) {
      List<TopicPartition> partitions = new ArrayList<>(ranges.keySet());
      consumer.assign(partitions);
      long remaining = 0;
      for (TopicPartition tp : partitions) {
        long[] range = ranges.get(tp);
        long start = last ? Math.max(range[0], range[1] - max) : range[0];
        consumer.seek(tp, start);
        remaining += range[1] - start;
      }
      long wanted = last ? remaining : Math.min(max, remaining);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (printed < wanted && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (printed >= wanted || r.offset() >= ranges.get(new TopicPartition(r.topic(), r.partition()))[1]) {
            continue;
          }
          out.println(describe(r));
          printed++;
        }
      }
    }
    return printed;
  }

  static String describe(ConsumerRecord<byte[], byte[]> r) {
    StringBuilder s = new StringBuilder();
    s.append("partition=").append(r.partition())
        .append(" offset=").append(r.offset())
        .append(" timestamp=").append(r.timestamp() < 0 ? "none" : EventStamper.format(r.timestamp()))
        .append(" key=").append(r.key() == null ? "null" : text(r.key()));
    boolean first = true;
    for (Header h : r.headers()) {
      s.append(first ? " headers={" : ", ").append(h.key()).append('=').append(h.value() == null ? "null" : text(h.value()));
      first = false;
    }
    if (!first) {
      s.append('}');
    }
    s.append(" value=").append(r.value() == null ? "null" : text(r.value()));
    return s.toString();
  }

  /** UTF-8 text as is; other bytes as base64, marked. */
  static String text(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return "base64:" + Base64.getEncoder().encodeToString(bytes);
    }
  }
}
