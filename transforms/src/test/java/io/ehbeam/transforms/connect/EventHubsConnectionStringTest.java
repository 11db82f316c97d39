package io.ehbeam.transforms.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventHubsConnectionStringTest {
  static final String KEY = "c2VjcmV0LWtleS0xMjM0NTY3ODkwYWJjZGVm+/=";
  static final String GOOD =
      "Endpoint=sb://contoso-ns.servicebus.windows.net/;SharedAccessKeyName=send-listen;"
          + "SharedAccessKey=" + KEY + ";EntityPath=telemetry";

  @Test
  void parsesNamespaceKeyNameAndHub() {
    EventHubsConnectionString cs = EventHubsConnectionString.parse(GOOD, "--inputConnectionString");
    assertThat(cs.namespaceHost()).isEqualTo("contoso-ns.servicebus.windows.net");
    assertThat(cs.bootstrapServers()).isEqualTo("contoso-ns.servicebus.windows.net:9093");
    assertThat(cs.keyName()).isEqualTo("send-listen");
    assertThat(cs.entityPath()).isEqualTo("telemetry");
    assertThat(cs.secret()).isEqualTo(GOOD);
  }

  @Test
  void namespaceLevelStringHasNoHubAndToleratesCaseAndSpaces() {
    EventHubsConnectionString cs =
        EventHubsConnectionString.parse(
            " endpoint=sb://ns.servicebus.windows.net/ ; sharedAccessKeyName=root;SharedAccessKey=" + KEY + ";",
            "x");
    assertThat(cs.entityPath()).isNull();
    assertThat(cs.keyName()).isEqualTo("root");
  }

  @Test
  void toStringNeverShowsTheKey() {
    EventHubsConnectionString cs = EventHubsConnectionString.parse(GOOD, "x");
    assertThat(cs.toString()).contains("contoso-ns.servicebus.windows.net", "telemetry", "send-listen")
        .doesNotContain(KEY).doesNotContain("c2VjcmV0");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no endpoint        | SharedAccessKeyName=a;SharedAccessKey=" + KEY + "           | has no Endpoint",
        "no key name        | Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKey=" + KEY + " | has no SharedAccessKeyName",
        "no key             | Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=a   | has no SharedAccessKey",
        "empty key          | Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=a;SharedAccessKey= | has no SharedAccessKey",
        "https endpoint     | Endpoint=https://ns.servicebus.windows.net/;SharedAccessKeyName=a;SharedAccessKey=" + KEY + " | expected sb://",
        "not pairs          | c2VjcmV0LWtleS0xMjM0NTY3ODkwYWJjZGVm                                                  | not an Event Hubs connection string",
        "key twice          | Endpoint=sb://ns/;SharedAccessKeyName=a;SharedAccessKey=" + KEY + ";SharedAccessKey=" + KEY + " | names 'SharedAccessKey' twice",
        "sas token          | Endpoint=sb://ns/;SharedAccessKeyName=a;SharedAccessKey=" + KEY + ";SharedAccessSignature=sig | SharedAccessSignature",
        "empty entity path  | Endpoint=sb://ns/;SharedAccessKeyName=a;SharedAccessKey=" + KEY + ";EntityPath= | empty EntityPath",
      })
  void rejectsMalformedStringsNamingTheProblemWithoutTheKey(String name, String raw, String expected) {
    assertThatThrownBy(() -> EventHubsConnectionString.parse(raw, "--inputConnectionString"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--inputConnectionString")
        .hasMessageContaining(expected)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY).doesNotContain("c2VjcmV0"));
  }

  @Test
  void rejectsEmpty() {
    assertThatThrownBy(() -> EventHubsConnectionString.parse("  ", "--outputConnectionString"))
        .hasMessage("--outputConnectionString is empty");
  }

  /** Microsoft's Event Hubs emulator: Kafka on the Endpoint's host, port 9092 unless one is given, no TLS. */
  @Test
  void developmentEmulatorStringsReachKafkaOverPlainTcp() {
    EventHubsConnectionString emulator = EventHubsConnectionString.parse(
        "Endpoint=sb://localhost;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;",
        "x");
    assertThat(emulator.isDevelopmentEmulator()).isTrue();
    assertThat(emulator.bootstrapServers()).isEqualTo("localhost:9092");
    assertThat(KafkaEndpoint.eventHubs(emulator, "t", null).consumerSettings("g", "earliest"))
        .containsEntry("security.protocol", "SASL_PLAINTEXT");

    EventHubsConnectionString local = EventHubsConnectionString.parse(
        "Endpoint=sb://localhost:9093;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=k;UseDevelopmentEmulator=true", "x");
    assertThat(local.bootstrapServers()).isEqualTo("localhost:9093");
    assertThat(local.toString()).isEqualTo("EventHubsEmulator{localhost:9093, key=RootManageSharedAccessKey:****}");

    EventHubsConnectionString cloud = EventHubsConnectionString.parse(GOOD, "x");
    assertThat(cloud.isDevelopmentEmulator()).isFalse();
    assertThat(KafkaEndpoint.eventHubs(cloud, null, null).consumerSettings("g", "earliest"))
        .containsEntry("security.protocol", "SASL_SSL");

    assertThatThrownBy(() -> EventHubsConnectionString.parse(GOOD + ";UseDevelopmentEmulator=yes", "--inputConnectionString"))
        .hasMessage("--inputConnectionString has UseDevelopmentEmulator=yes; expected true or false");
  }

  @Test
  void aNamespaceOnlyCopyKeepsTheKeyButNamesNoHub() {
    EventHubsConnectionString cs = EventHubsConnectionString.parse(GOOD, "x");
    assertThat(cs.namespaceOnly().entityPath()).isNull();
    assertThat(cs.namespaceOnly().secret()).isEqualTo(cs.secret());
  }
}
