package io.peerd.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peerd.rpc.RpcErrorCode;
import io.peerd.rpc.RpcException;
import io.peerd.rpc.RpcMethod;
import io.peerd.rpc.RpcParams;
import io.peerd.rpc.RpcServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Core's control RPC methods: help, uptime, getrpcinfo, logging and getmemoryinfo. They read the
 * process (uptime, heap), logback and the RPC server's running calls; none waits for an actor.
 */
final class ControlRpc {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final Supplier<Set<String>> registered;
  private final Supplier<List<RpcServer.ActiveCommand>> activeCommands;
  private final LongSupplier uptimeSeconds;
  private final LogCategories logging = new LogCategories();

  /**
   * @param registered every method the server has, for help's list
   * @param activeCommands the calls running now
   * @param uptimeSeconds how long the process has run (Core's uptime is the process's)
   */
  ControlRpc(Supplier<Set<String>> registered, Supplier<List<RpcServer.ActiveCommand>> activeCommands,
      LongSupplier uptimeSeconds) {
    this.registered = registered;
    this.activeCommands = activeCommands;
    this.uptimeSeconds = uptimeSeconds;
  }

  Map<String, RpcMethod> methods() {
    Map<String, RpcMethod> methods = new LinkedHashMap<>();
    methods.put("help", this::help);
    methods.put("uptime", p -> uptimeSeconds.getAsLong());
    methods.put("getrpcinfo", p -> rpcInfo());
    methods.put("logging", this::logging);
    methods.put("getmemoryinfo", this::memoryInfo);
    return methods;
  }

  /** Core answers an unknown command with a result, not an error. */
  private Object help(JsonNode params) {
    RpcParams.rejectUnknown(params, "command");
    String command = RpcParams.optionalString(params, 0, "command", "");
    if (command.isEmpty()) {
      return RpcHelp.overview(registered.get());
    }
    return RpcHelp.of(command).filter(text -> registered.get().contains(command))
        .orElse("help: unknown command: " + command);
  }

  private Object rpcInfo() {
    ObjectNode result = JSON.objectNode();
    ArrayNode active = result.putArray("active_commands");
    activeCommands.get().forEach(c -> active.addObject().put("method", c.method()).put("duration", c.durationMicros()));
    result.put("logpath", logging.logPath());
    return result;
  }

  private Object logging(JsonNode params) {
    RpcParams.rejectUnknown(params, "include", "exclude");
    List<String> include = categories(params, 0, "include");
    List<String> exclude = categories(params, 1, "exclude");
    logging.set(include, exclude);
    return logging.states();
  }

  /** An array of category names; an unknown one is Core's error, before anything changes. */
  private List<String> categories(JsonNode params, int position, String name) {
    JsonNode value = RpcParams.optionalArray(params, position, name);
    List<String> names = new ArrayList<>();
    for (JsonNode element : value) {
      if (!element.isTextual()) {
        throw new RpcException(RpcErrorCode.RPC_TYPE_ERROR, "logging categories are strings: " + element);
      }
      if (!logging.known(element.textValue())) {
        throw new RpcException(RpcErrorCode.RPC_INVALID_PARAMETER, "unknown logging category " + element.textValue());
      }
      names.add(element.textValue());
    }
    return names;
  }

  /** Core's "locked" pool figures, filled with the JVM heap's (see {@link RpcHelp}). */
  private Object memoryInfo(JsonNode params) {
    RpcParams.rejectUnknown(params, "mode");
    String mode = RpcParams.optionalString(params, 0, "mode", "stats");
    if (mode.equals("mallocinfo")) {
      throw new RpcException(RpcErrorCode.RPC_INVALID_PARAMETER, "mallocinfo mode not available");
    }
    if (!mode.equals("stats")) {
      throw new RpcException(RpcErrorCode.RPC_INVALID_PARAMETER, "unknown mode " + mode);
    }
    Runtime runtime = Runtime.getRuntime();
    long committed = runtime.totalMemory();
    long free = runtime.freeMemory();
    ObjectNode result = JSON.objectNode();
    result.putObject("locked")
        .put("used", committed - free)
        .put("free", free)
        .put("total", committed)
        .put("locked", 0)
        .put("chunks_used", 0)
        .put("chunks_free", 0);
    return result;
  }
}
