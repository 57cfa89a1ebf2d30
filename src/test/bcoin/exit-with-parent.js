// Preloaded into bcoin (node --require) by io.peerd.testing.BcoinNode. The JVM keeps bcoin's
// stdin pipe open for as long as it lives, so end of stdin means the JVM is gone, even after a
// kill -9 that skips its shutdown hooks: bcoin must not outlive it and hold ports.
'use strict';

process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
