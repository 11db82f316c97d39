package io.ehbeam.transforms.connect;

import java.io.IOException;
import java.io.Serializable;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.apache.kafka.common.config.provider.DirectoryConfigProvider;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;
import org.apache.kafka.common.config.provider.FileConfigProvider;

/**
 * Where a secret is, never the secret: a Kafka config provider reference that each Kafka client
 * resolves in its own process when it is created. This is what travels with a job (its graph,
 * Flink's checkpoints and savepoints, Spark's checkpoint folder); the key stays where the user put it.
 *
 * <ul>
 *   <li>{@code ${env:NAME}}: an environment variable of every worker (a Kubernetes Secret as env,
 *       Spark's {@code spark.executorEnv.NAME});
 *   <li>{@code ${file:/path/file.properties:key}}: a key of a properties file on every worker;
 *   <li>{@code ${dir:/path:key}}: the file {@code key} in a folder (a Kubernetes Secret mounted as
 *       a volume);
 *   <li>{@code ${process:id}}: a value given on the command line, kept in the launching JVM only.
 *       It reaches the workers of runners that run inside that JVM (DirectRunner, Flink [local],
 *       Spark local[N]); a worker elsewhere cannot resolve it and says so.
 * </ul>
 *
 * <p>Kafka's own {@link EnvVarConfigProvider}, {@link FileConfigProvider} and {@link
 * DirectoryConfigProvider} do the resolving, inside the clients ({@link #kafkaProviderSettings}).
 * {@link #resolve} does it once more before a client is made, to fail with a clear line where Kafka
 * would leave the placeholder in place and the broker would refuse a password that is not one.
 */
public final class SecretReference implements Serializable {
  private static final long serialVersionUID = 1L;

  /** {@code ${provider:key}} or {@code ${provider:path:key}}, as Kafka's ConfigTransformer reads them. */
  static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file|dir|process):(?:([^}]*?):)?([^}:]*?)}");

  private final String provider;
  private final String path;
  private final String key;

  private SecretReference(String provider, String path, String key) {
    this.provider = provider;
    this.path = path;
    this.key = key;
  }

  /** An environment variable of every process that makes a client. */
  public static SecretReference env(String name) {
    return new SecretReference("env", null, name);
  }

  /** True when {@code value} is exactly one reference, e.g. {@code ${env:NAME}}. */
  public static boolean isReference(String value) {
    return value != null && REFERENCE.matcher(value.trim()).matches();
  }

  /**
   * A reference for what the user gave: the reference itself when {@code value} is one, else the
   * literal value, kept in this JVM ({@link InProcessSecrets}) and named by a {@code ${process:..}}.
   *
   * @param origin how to name the value in errors, e.g. "--inputConnectionString"
   */
  public static SecretReference of(String value, String origin) {
    if (isReference(value)) {
      Matcher m = REFERENCE.matcher(value.trim());
      m.matches();
      return new SecretReference(m.group(1), m.group(2), m.group(3));
    }
    return new SecretReference("process", null, InProcessSecrets.keep(value, origin));
  }

  /** Every reference inside {@code value} (a JAAS line may hold one in the middle). */
  static List<SecretReference> allIn(String value) {
    List<SecretReference> found = new ArrayList<>();
    Matcher m = REFERENCE.matcher(value);
    while (m.find()) {
      found.add(new SecretReference(m.group(1), m.group(2), m.group(3)));
    }
    return found;
  }

  /** What goes into a Kafka setting in place of the secret. */
  public String placeholder() {
    return "${" + provider + ":" + (path == null ? "" : path + ":") + key + "}";
  }

  /**
   * The secret, read in this process with Kafka's provider for it.
   *
   * @throws IllegalStateException naming the reference and this host when the secret is missing
   *     here, or would not survive as a quoted JAAS password (a line break, a quote)
   */
  public String resolve() {
    String value;
    try (ConfigProvider reader = providerFor(provider)) {
      reader.configure(Map.of());
      ConfigData data = reader.get(path, Set.of(key));
      value = data.data().get(key);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(missing() + " (" + e.getMessage() + ")", e);
    }
    if (value == null || value.isEmpty()) {
      throw new IllegalStateException(missing());
    }
    if (!value.equals(value.strip()) || value.contains("\"") || value.contains("\n")) {
      throw new IllegalStateException(placeholder() + " on " + host() + " starts or ends with blanks or a line break, or"
          + " holds a quote; Kafka puts it verbatim into a quoted password: store it without"
          + " (e.g. kubectl create secret generic ... --from-literal, printf without a newline)");
    }
    return value;
  }

  private String missing() {
    switch (provider) {
      case "env":
        return "Environment variable " + key + " is not set on " + host() + ", where a Kafka client"
            + " needs it: set it on every machine that runs the job's workers";
      case "file":
        return "No key '" + key + "' in " + path + " on " + host() + ", where a Kafka client needs it";
      case "dir":
        return "No file " + key + " in " + path + " on " + host() + ", where a Kafka client needs it";
      default:
        return "A secret given on the command line (" + InProcessSecrets.originOf(key) + ") lives only in the"
            + " process that launched the job, and this worker (" + host() + ") runs in another: on a cluster, give"
            + " it as ${env:NAME}, ${file:path:key} or ${dir:path:key} present on every worker";
    }
  }

  private static ConfigProvider providerFor(String provider) {
    switch (provider) {
      case "env":
        return new EnvVarConfigProvider();
      case "file":
        return new FileConfigProvider();
      case "dir":
        return new DirectoryConfigProvider();
      default:
        return new InProcessSecrets();
    }
  }

  /**
   * Settings that let a Kafka client resolve every kind of reference itself. Kafka reads them at
   * client creation; its {@code org.apache.kafka.automatic.config.providers} system property, when
   * set, must allow these classes.
   */
  static Map<String, String> kafkaProviderSettings() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("config.providers", "env,file,dir,process");
    settings.put("config.providers.env.class", EnvVarConfigProvider.class.getName());
    settings.put("config.providers.file.class", FileConfigProvider.class.getName());
    settings.put("config.providers.dir.class", DirectoryConfigProvider.class.getName());
    settings.put("config.providers.process.class", InProcessSecrets.class.getName());
    return settings;
  }

  private static String host() {
    try {
      return "host " + InetAddress.getLocalHost().getHostName() + " (pid " + ProcessHandle.current().pid() + ")";
    } catch (IOException e) {
      return "this host (pid " + ProcessHandle.current().pid() + ")";
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretReference && placeholder().equals(((SecretReference) o).placeholder());
  }

  @Override
  public int hashCode() {
    return Objects.hash(provider, path, key);
  }

  @Override
  public String toString() {
    return placeholder();
  }
}
