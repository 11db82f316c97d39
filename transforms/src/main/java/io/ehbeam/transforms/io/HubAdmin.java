package io.ehbeam.transforms.io;

import io.ehbeam.transforms.connect.KafkaEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Topic administration through Kafka's AdminClient, for one endpoint: existence checks, creation with
 * a partition count, per-partition message counts. Every failure becomes a {@link HubException} with
 * one clear line that names the endpoint (never its secret) and what to check.
 */
public final class HubAdmin implements AutoCloseable {
  /** How long a command waits for the hub before saying it does not answer. */
  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final KafkaEndpoint endpoint;
  private final Admin admin;

  private HubAdmin(KafkaEndpoint endpoint, Admin admin) {
    this.endpoint = endpoint;
    this.admin = admin;
  }

  public static HubAdmin connect(KafkaEndpoint endpoint) {
    try {
      return new HubAdmin(endpoint, endpoint.newAdmin());
    } catch (KafkaException e) {
      throw HubException.of(endpoint, "cannot connect", e);
    }
  }

  /** All topic names (internal ones left out). */
  public Set<String> topicNames() {
    return await("list topics", admin.listTopics().names());
  }

  /** Partition count per topic, for the given topics; fails naming a topic that does not exist. */
  public Map<String, Integer> partitions(Collection<String> topics) {
    Map<String, TopicDescription> descriptions =
        await("describe topics " + topics, admin.describeTopics(topics).allTopicNames());
    Map<String, Integer> result = new TreeMap<>();
    descriptions.forEach((name, d) -> result.put(name, d.partitions().size()));
    return result;
  }

  /** Fails with a clear message when {@code topic} does not exist. */
  public int requireTopic(String topic, String role) {
    try {
      return partitions(List.of(topic)).get(topic);
    } catch (HubException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw new HubException(
            role + " topic '" + topic + "' does not exist on " + endpoint.bootstrapServers()
                + " (./run topics lists what exists)", null);
      }
      throw e;
    }
  }

  /** Creates {@code topic} with {@code partitions} unless it exists; returns its partition count. */
  public int ensureTopic(String topic, int partitions) {
    return ensureTopic(topic, partitions, Map.of());
  }

  /** The same, creating it with topic-level settings (e.g. {@code message.timestamp.type}). */
  public int ensureTopic(String topic, int partitions, Map<String, String> topicConfig) {
    if (topicNames().contains(topic)) {
      return partitions(List.of(topic)).get(topic);
    }
    try {
      admin
          .createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty()).configs(topicConfig)))
          .all()
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw HubException.of(endpoint, "cannot create topic '" + topic + "'", e.getCause());
      }
    } catch (TimeoutException e) {
      throw HubException.of(endpoint, "cannot create topic '" + topic + "'", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw HubException.of(endpoint, "interrupted", e);
    }
    return awaitTopic(topic);
  }

  /**
   * Waits until every partition of the topic has a leader: after the topic is created, or after its
   * broker restarted (a broker answers before it has loaded its partitions). Returns the partitions.
   */
  public int awaitLeaders(String topic) {
    return awaitTopic(topic);
  }

  /**
   * A topic just created may take a moment to be described and to have a leader per partition
   * (metadata propagates): wait for both. A first write to a partition without its leader yet can
   * leave an idempotent producer retrying out-of-order sequence numbers until it times out (seen
   * here: 120 s of OUT_OF_ORDER_SEQUENCE_NUMBER after NOT_LEADER_OR_FOLLOWER on a new topic).
   */
  private int awaitTopic(String topic) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      try {
        TopicDescription d = await("describe topic " + topic, admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
        if (d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
          return d.partitions().size();
        }
        if (System.nanoTime() > deadline) {
          throw HubException.of(endpoint, "topic '" + topic + "' has partitions without a leader",
              new org.apache.kafka.common.errors.LeaderNotAvailableException(topic));
        }
      } catch (HubException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(100); // metadata propagation has no event to wait on through the admin API
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw HubException.of(endpoint, "interrupted", e);
      }
    }
  }

  /** Deletes topics (tests, resets and the benchmark's own topics). */
  public void deleteTopics(Collection<String> topics) {
    await("delete topics " + topics, admin.deleteTopics(topics).all());
  }

  /** First and next offsets per partition of {@code topic}: their difference is the record count. */
  public Map<TopicPartition, long[]> offsetRange(String topic) {
    int count = partitions(List.of(topic)).get(topic);
    List<TopicPartition> tps = new ArrayList<>();
    for (int p = 0; p < count; p++) {
      tps.add(new TopicPartition(topic, p));
    }
    try (Consumer<byte[], byte[]> consumer = endpoint.newConsumer(null)) {
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(tps, TIMEOUT);
      Map<TopicPartition, Long> end = consumer.endOffsets(tps, TIMEOUT);
      Map<TopicPartition, long[]> result = new TreeMap<>(
          (a, b) -> a.topic().equals(b.topic()) ? Integer.compare(a.partition(), b.partition()) : a.topic().compareTo(b.topic()));
      for (TopicPartition tp : tps) {
        result.put(tp, new long[] {begin.get(tp), end.get(tp)});
      }
      return result;
    } catch (KafkaException e) {
      throw HubException.of(endpoint, "cannot read offsets of '" + topic + "'", e);
    }
  }

  /** Number of records in {@code topic} (end minus beginning offsets, summed over partitions). */
  public long recordCount(String topic) {
    long total = 0;
    for (long[] range : offsetRange(topic).values()) {
      total += range[1] - range[0];
    }
    return total;
  }

  private <T> T await(String what, org.apache.kafka.common.KafkaFuture<T> future) {
    try {
      return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw HubException.of(endpoint, "cannot " + what, e.getCause());
    } catch (TimeoutException e) {
      throw HubException.of(endpoint, "cannot " + what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw HubException.of(endpoint, "interrupted", e);
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }

  /** A failure to talk to a hub, described in one line for the user. */
  public static final class HubException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HubException(String message, Throwable cause) {
      super(message, cause);
    }

    public static HubException of(KafkaEndpoint endpoint, String what, Throwable cause) {
      return new HubException(
          what + " on " + endpoint.bootstrapServers() + ": " + explain(endpoint, cause), cause);
    }

    /** What went wrong and what to check, from the client's exception. */
    public static String explain(KafkaEndpoint endpoint, Throwable cause) {
      Throwable root = cause;
      while (root.getCause() != null && root.getCause() != root) {
        if (root instanceof AuthenticationException) {
          break;
        }
        root = root.getCause();
      }
      if (root instanceof SslAuthenticationException
          || String.valueOf(root.getMessage()).contains("PKIX")) {
        return "TLS handshake failed (" + firstLine(root) + "); is the broker's certificate trusted?"
            + " For a private CA set --kafkaProperty=ssl.truststore.location=...";
      }
      if (root instanceof AuthenticationException) {
        return "authentication failed (" + firstLine(root) + "); check the connection string's"
            + " SharedAccessKeyName and SharedAccessKey";
      }
      if (root instanceof TimeoutException || root instanceof org.apache.kafka.common.errors.TimeoutException) {
        return "no answer within " + TIMEOUT.toSeconds() + " s; is the broker running and reachable"
            + (endpoint.isSecured() ? "" : " (./run local-kafka start)") + "?";
      }
      if (root instanceof UnknownTopicOrPartitionException) {
        return "topic does not exist";
      }
      return firstLine(root);
    }

    private static String firstLine(Throwable t) {
      String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      int nl = m.indexOf('\n');
      return nl < 0 ? m : m.substring(0, nl);
    }
  }
}
