/**
 * Where a node finds its first peers on a real network: the DNS seeds Bitcoin Core lists for each
 * network, looked up through a {@link io.peerd.discovery.NameResolver} (which tests replace, so
 * nothing leaves the loopback range), on threads of their own so no actor waits on DNS. What the
 * seeds answer goes to the address manager; the server decides when to ask.
 */
package io.peerd.discovery;
