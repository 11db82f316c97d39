package io.ehbeam.tools;

import io.ehbeam.transforms.connect.HubOptions;
import io.ehbeam.transforms.connect.Hubs;
import io.ehbeam.transforms.connect.KafkaEndpoint;
import io.ehbeam.transforms.io.HubAdmin;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/** {@code ./run topics}: every topic of the input side, with partitions and messages per partition. */
public final class Topics {
  /** Options: the shared connection options (the input side is listed). */
  public interface Options extends HubOptions {}

  private Topics() {}

  public static int run(String[] args) {
    Options options = Tools.options(args, Options.class);
    KafkaEndpoint endpoint = Hubs.resolve(options, null).input();
    try (HubAdmin admin = HubAdmin.connect(endpoint)) {
      TreeSet<String> names = new TreeSet<>(admin.topicNames());
      System.err.println("Topics on " + endpoint.bootstrapServers() + ":");
      System.out.printf("%-40s %10s %12s  %s%n", "TOPIC", "PARTITIONS", "MESSAGES", "PER PARTITION");
      for (String topic : names) {
        Map<TopicPartition, long[]> ranges = admin.offsetRange(topic);
        long total = 0;
        StringBuilder per = new StringBuilder();
        for (Map.Entry<TopicPartition, long[]> e : ranges.entrySet()) {
          long count = e.getValue()[1] - e.getValue()[0];
          total += count;
          per.append(per.length() == 0 ? "" : " ").append(e.getKey().partition()).append(':').append(count);
        }
        System.out.printf("%-40s %10d %12d  %s%n", topic, ranges.size(), total, per);
      }
    }
    return 0;
  }
}
