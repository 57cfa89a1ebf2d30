package io.peerd.rpc;

/**
 * The error codes Bitcoin Core puts in a JSON-RPC error object ({@code src/rpc/protocol.h}),
 * under Core's names so clients and scripts written against bitcoind read peerd's errors alike.
 */
public final class RpcErrorCode {
  // Standard JSON-RPC 2.0 codes.
  public static final int RPC_INVALID_REQUEST = -32600;
  public static final int RPC_METHOD_NOT_FOUND = -32601;
  public static final int RPC_INVALID_PARAMS = -32602;
  public static final int RPC_INTERNAL_ERROR = -32603;
  public static final int RPC_PARSE_ERROR = -32700;

  // General application codes.
  public static final int RPC_MISC_ERROR = -1;
  public static final int RPC_TYPE_ERROR = -3;
  public static final int RPC_INVALID_ADDRESS_OR_KEY = -5;
  public static final int RPC_INVALID_PARAMETER = -8;
  public static final int RPC_DATABASE_ERROR = -20;
  public static final int RPC_DESERIALIZATION_ERROR = -22;
  public static final int RPC_VERIFY_ERROR = -25;
  public static final int RPC_IN_WARMUP = -28;
  public static final int RPC_METHOD_DEPRECATED = -32;

  // P2P client codes. Core gives -9 two names; both are kept.
  public static final int RPC_CLIENT_NOT_CONNECTED = -9;
  public static final int RPC_CLIENT_P2P_DISABLED = -9;
  public static final int RPC_CLIENT_IN_INITIAL_DOWNLOAD = -10;
  public static final int RPC_CLIENT_NODE_ALREADY_ADDED = -23;
  public static final int RPC_CLIENT_NODE_NOT_ADDED = -24;
  public static final int RPC_CLIENT_NODE_NOT_CONNECTED = -29;
  public static final int RPC_CLIENT_INVALID_IP_OR_SUBNET = -30;

  private RpcErrorCode() {}
}
