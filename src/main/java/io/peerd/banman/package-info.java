/**
 * Who may not connect, and who may do more: bans by subnet with an expiry (RPC setban), addresses
 * discouraged for misbehaving (a lesser penalty: no ban, last in line), both persisted to one
 * file in the data directory; and the whitelist's permissions by subnet ({@code --whitelist}).
 * Plain classes, owned by the server's thread; nothing here dials or accepts.
 */
package io.peerd.banman;
