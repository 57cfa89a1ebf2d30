// Preloaded into bcoin (node --require) by io.peerd.testing.BcoinNode. Before bcoin listens or
// dials, it asks OpenDNS for its public IP with a 2 s timeout each for IPv4 and IPv6. A node on
// 127.0.0.1 has no use for the answer, and tests must neither wait seconds for it nor depend on
// outside DNS. Nothing else in bcoin changes.
'use strict';

const Pool = require('bcoin/lib/net/pool');

Pool.prototype.discoverExternal = async function discoverExternal() {};
