/**
 * The byte transport under peers: listening, dialing and connected byte streams, behind the
 * {@link io.peerd.net.Transport} interface the node itself uses, so tests or a simulator can
 * replace TCP. {@link io.peerd.net.TcpTransport} is blocking JDK sockets, meant for virtual threads.
 */
package io.peerd.net;
