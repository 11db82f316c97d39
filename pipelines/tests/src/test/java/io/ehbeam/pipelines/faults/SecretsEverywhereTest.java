package io.ehbeam.pipelines.faults;

import io.ehbeam.pipelines.Main;
import io.ehbeam.pipelines.common.ProjectFiles;
import io.ehbeam.pipelines.testing.SecretsEverywhere;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every job, with the right key and a wrong one: no key in output or files. */
class SecretsEverywhereTest extends SecretsEverywhere {
  @Override
  protected Map<String, List<String>> commands(String suffix) {
    Map<String, List<String>> c = new LinkedHashMap<>();
    c.put("relay", List.of("--inputTopic=" + devices, "--outputTopic=secrets-relayed-" + suffix, "--stopAtEnd=true"));
    c.put("produce-temperatures", List.of("--outputTopic=secrets-temperatures-" + suffix,
        "--input=" + ProjectFiles.datafile("temperatures/sample/flat/temperatures.jsonl")));
    c.put("simulate-devices", List.of("--outputTopic=secrets-simulated-" + suffix, "--count=50"));
    c.put("aggregate", List.of("--inputTopic=" + devices, "--preset=devices", "--outputTopic=secrets-aggregates-" + suffix,
        "--stopAtEnd=true", "--console=false", "--outputDirectory=" + files.resolve("aggregate-" + suffix), "--format=json,parquet"));
    c.put("archive", List.of("--inputTopic=" + devices, "--schema=device", "--stopAtEnd=true",
        "--outputDirectory=" + files.resolve("archive-" + suffix), "--format=json,parquet,avro"));
    return c;
  }

  @Override
  protected int run(String[] args) {
    return Main.run(args);
  }

  @Override
  protected int filesWritten() {
    return 4;
  }
}
