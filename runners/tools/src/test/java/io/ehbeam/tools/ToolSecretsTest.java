package io.ehbeam.tools;

import io.ehbeam.pipelines.testing.SecretsEverywhere;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every tool that talks to a hub, with the right key and a wrong one: no key in what it prints. */
class ToolSecretsTest extends SecretsEverywhere {
  @Override
  protected Map<String, List<String>> commands(String suffix) {
    Map<String, List<String>> c = new LinkedHashMap<>();
    c.put("plain-relay", List.of("--inputTopic=" + devices, "--outputTopic=secrets-plain-" + suffix, "--stopAtEnd=true"));
    c.put("topics", List.of());
    c.put("peek", List.of("--topic=" + devices, "--max=3"));
    return c;
  }

  @Override
  protected int run(String[] args) {
    return Tools.run(args);
  }

  @Override
  protected int filesWritten() {
    return 0;
  }
}
