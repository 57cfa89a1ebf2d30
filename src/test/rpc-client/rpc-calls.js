// Drives a peerd regtest node with the npm bitcoin-core client and prints what it got as one JSON
// object. Run by io.peerd.node.BitcoinCoreClientTest: node rpc-calls.js PORT USER PASSWORD ADDRESS
'use strict';

const Client = require('bitcoin-core');

const [port, username, password, address] = process.argv.slice(2);
// A Core version that has named parameters, so the client sends an object when given one.
const client = new Client({ host: `http://127.0.0.1:${port}`, username, password, version: '28.0.0', timeout: 30000 });

async function errorOf(call) {
  try {
    await call();
    return null;
  } catch (error) {
    return { code: error.code, message: error.message };
  }
}

async function main() {
  const generated = await client.generateToAddress(2, address);
  const out = {
    generated,
    blockcount: await client.getBlockCount(),
    networkinfo: await client.getNetworkInfo(),
    nettotals: await client.getNetTotals(),
    chaintips: await client.getChainTips(),
    difficulty: await client.getDifficulty(),
    uptime: await client.upTime(),
    ping: await client.ping(),
    rpcinfo: await client.getRpcInfo(),
    memoryinfo: await client.getMemoryInfo(),
    logging: await client.logging(),
    help: await client.help(),
    helpGetblock: await client.help('getblock'),
    headerHex: await client.getBlockHeader(generated[1], false),
    blockNamed: await client.command('getblock', { blockhash: generated[1], verbosity: 1 }),
    batch: await client.command([{ method: 'getblockcount' }, { method: 'getbestblockhash' }]),
    heightError: await errorOf(() => client.getBlockHash(1000)),
    notServedError: await errorOf(() => client.getMempoolInfo())
  };
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch(error => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
