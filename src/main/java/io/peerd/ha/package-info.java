/**
 * Highly available block production on Apache Ratis (seed 004): the members of a Raft group agree
 * on one log of blocks. Only the leader of the current term proposes, checked at each proposal;
 * every member applies committed blocks in log order to its chain ({@link io.peerd.ha.BlockLog}),
 * storing the applied log position in the same atomic write as the block; an entry whose parent is
 * not the tip (a deposed leader's proposal) is refused identically everywhere. Raft's threads are
 * Ratis's own; they reach the chain only through its actor's mailbox.
 */
package io.peerd.ha;
