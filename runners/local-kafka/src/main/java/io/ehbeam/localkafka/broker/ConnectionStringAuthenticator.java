package io.ehbeam.localkafka.broker;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.plain.PlainAuthenticateCallback;

/**
 * Runs inside the local broker (Kafka 4.x classpath, never the pipelines'): SASL PLAIN as Event Hubs
 * checks it. The user is {@code $ConnectionString} and the password a whole connection string; it is
 * accepted when its {@code SharedAccessKeyName} and {@code SharedAccessKey} are the policy's,
 * whatever else it holds ({@code EntityPath}, {@code UseDevelopmentEmulator}, another host name),
 * as a namespace accepts every string of one of its policies.
 *
 * <p>The policy comes from the listener's JAAS options {@code keyName} and {@code key}.
 */
public final class ConnectionStringAuthenticator implements AuthenticateCallbackHandler {
  private String keyName;
  private byte[] key;

  @Override
  public void configure(Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> jaasConfigEntries) {
    for (AppConfigurationEntry entry : jaasConfigEntries) {
      Object name = entry.getOptions().get("keyName");
      Object value = entry.getOptions().get("key");
      if (name != null && value != null) {
        keyName = name.toString();
        key = value.toString().getBytes(StandardCharsets.UTF_8);
      }
    }
    if (keyName == null) {
      throw new IllegalStateException("The listener's JAAS entry has no keyName and key options");
    }
  }

  @Override
  public void handle(Callback[] callbacks) throws UnsupportedCallbackException {
    String user = null;
    for (Callback callback : callbacks) {
      if (callback instanceof NameCallback) {
        user = ((NameCallback) callback).getDefaultName();
      } else if (callback instanceof PlainAuthenticateCallback) {
        PlainAuthenticateCallback plain = (PlainAuthenticateCallback) callback;
        plain.authenticated("$ConnectionString".equals(user) && accepts(new String(plain.password())));
      } else {
        throw new UnsupportedCallbackException(callback);
      }
    }
  }

  private boolean accepts(String connectionString) {
    String givenName = null;
    String givenKey = null;
    for (String segment : connectionString.split(";")) {
      int eq = segment.indexOf('=');
      if (eq > 0) {
        String name = segment.substring(0, eq).trim().toLowerCase(Locale.ROOT);
        if (name.equals("sharedaccesskeyname")) {
          givenName = segment.substring(eq + 1).trim();
        } else if (name.equals("sharedaccesskey")) {
          givenKey = segment.substring(eq + 1).trim();
        }
      }
    }
    return keyName.equals(givenName) && givenKey != null
        && MessageDigest.isEqual(key, givenKey.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {}
}
