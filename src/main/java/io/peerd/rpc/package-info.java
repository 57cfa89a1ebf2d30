/**
 * The JSON-RPC admin API's transport and dispatch, compatible with bitcoind v28: HTTP Basic
 * authentication with rpcuser/rpcpassword or a {@code .cookie} file ({@link io.peerd.rpc.RpcAuth}),
 * JSON-RPC 1.x and 2.0 single and batch requests with Core's reply shapes, HTTP statuses and error
 * codes ({@link io.peerd.rpc.RpcErrorCode}), and a bounded pool of workers that answers 503 when
 * its queue is full ({@link io.peerd.rpc.RpcServer}).
 *
 * <p>It owns no node state: the node registers {@link io.peerd.rpc.RpcMethod}s by name, and a
 * method reads its params with {@link io.peerd.rpc.RpcParams} and refuses a call by throwing
 * {@link io.peerd.rpc.RpcException}. Inside: {@code RpcHttpHandler} (HTTP checks, body cap),
 * {@code RpcDispatcher} (JSON-RPC semantics), {@code RpcRequest} and {@code ReplyShape}
 * (request and reply objects), {@code RpcExecutor} (the bounded pool). The dispatcher keeps the
 * calls running now ({@link io.peerd.rpc.RpcServer#activeCommands()}); {@link io.peerd.rpc.RpcJson}
 * is the JSON mapper the server and the {@code peerd-cli} client share.
 */
package io.peerd.rpc;
