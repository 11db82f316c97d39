package io.ehbeam.local;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * What every {@code ./run local-<service>} command shares: {@code start} (waits until ready; the
 * service outlives the command), {@code stop}, {@code status} (exit 3 when not running), each
 * printing the service's address on stdout for scripts and a line for people on stderr; plus the
 * service's own verbs.
 */
public final class LocalServiceCommand {
  /** A service on this machine, as its command shows it. */
  public interface Service {
    /** "the local Flink cluster", as it reads in a sentence. */
    String name();

    /** Where its state and logs are kept. */
    java.nio.file.Path home();

    boolean isRunning();

    /** Starts it unless it runs, and waits until it is ready. */
    void start(boolean stopWithThisJvm);

    void stop();

    /** What scripts need to reach it ("localhost:8081"), printed on stdout. */
    String address();

    /** How to use it, after "runs": "with 1 TaskManager(s); web UI ...". Empty for nothing. */
    String howToUse();

    /** What a stop keeps, after "is stopped": "; checkpoints and savepoints stay in ...". */
    String whatStopKeeps();
  }

  private final String command;
  private final Service service;
  private final Map<String, ToIntFunction<String[]>> verbs = new LinkedHashMap<>();
  private final Map<String, String> verbArguments = new LinkedHashMap<>();

  public LocalServiceCommand(String command, Service service) {
    this.command = command;
    this.service = service;
  }

  /** Adds a verb of the service's own; it gets every argument, the verb first, and returns the exit code. */
  public LocalServiceCommand with(String verb, String arguments, ToIntFunction<String[]> action) {
    verbs.put(verb, action);
    verbArguments.put(verb, arguments);
    return this;
  }

  /** @return the process exit code */
  public int run(String[] args) {
    String verb = args.length == 0 ? "status" : args[0];
    switch (verb) {
      case "start":
        boolean wasRunning = service.isRunning();
        if (!wasRunning) {
          System.err.println("Starting " + service.name() + " (state and logs in " + service.home() + ") ...");
        }
        service.start(false);
        printRunning(wasRunning ? " already runs" : " runs");
        return 0;
      case "stop":
        // Also when it does not answer: a hung process is stopped all the same.
        service.stop();
        System.err.println(capitalized() + " is stopped" + service.whatStopKeeps() + ".");
        return 0;
      case "status":
        if (service.isRunning()) {
          printRunning(" runs");
          return 0;
        }
        System.err.println(capitalized() + " is not running (./run " + command + " start).");
        return 3;
      default:
        ToIntFunction<String[]> action = verbs.get(verb);
        if (action != null) {
          return action.applyAsInt(args);
        }
        System.err.println("Usage: ./run " + command + " start|stop|status" + usageOfVerbs());
        return 2;
    }
  }

  /** Checks the service runs before a verb that needs it; prints why not. */
  public boolean requireRunning() {
    if (service.isRunning()) {
      return true;
    }
    System.err.println(capitalized() + " is not running (./run " + command + " start).");
    return false;
  }

  private void printRunning(String state) {
    String use = service.howToUse();
    System.err.println(capitalized() + state + " at " + service.address() + (use.isEmpty() ? "" : " " + use));
    System.out.println(service.address());
  }

  private String usageOfVerbs() {
    StringBuilder usage = new StringBuilder();
    verbArguments.forEach((verb, arguments) -> usage.append('|').append(verb).append(arguments.isEmpty() ? "" : " " + arguments));
    return usage.toString();
  }

  private String capitalized() {
    return Character.toUpperCase(service.name().charAt(0)) + service.name().substring(1);
  }
}
