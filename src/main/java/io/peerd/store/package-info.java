/**
 * Persistence for the chain: the header index, the best chain by height and raw blocks, in an
 * embedded RocksDB. Owns durability and atomicity (one batch, one atomic write) and refuses
 * data directories it did not create; knows nothing of consensus rules.
 */
package io.peerd.store;
