/**
 * The actor runtime every stateful component runs on: one thread per actor that alone owns the
 * actor's state and reads one FIFO mailbox, non-blocking sends with a stated bound, progress
 * counters for the watchdog, and cancellable timers. Nothing here knows about Bitcoin.
 */
package io.peerd.actor;
