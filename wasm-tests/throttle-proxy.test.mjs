// throttle-proxy.test.mjs: the page benchmark's throttling proxy
// (scripts/lib/throttle-proxy.mjs) must deliver every byte, in order, on
// every connection, however late its timers fire, and share its link among
// connections (a FIFO link held a small script behind every big response). It once scheduled one timer
// per chunk, its delay computed from performance.now(), while Node starts
// timers from the event loop's cached clock and truncates delays to whole
// milliseconds: on a loaded machine a small chunk read in the same turn as a
// big one could be written first, and the browser got a response with its
// pieces swapped (net::ERR_INVALID_HTTP_RESPONSE, or a corrupt shard and a
// page that never plotted: 2 of 4 throttled bench runs). Here a clock that
// jumps 3 ms between reads stands in for the load (that version failed this
// test every time); nothing is timed.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect } from 'node:net';
import { startThrottleProxy } from '../scripts/lib/throttle-proxy.mjs';

// What a server sends on each connection: mixed sizes, big ones that the
// proxy reads in 64 KB pieces with a small rest read in the same turn (as a
// shard's last bytes), tiny ones (as a response's head).
function pieces(seed) {
  const out = [];
  let x = seed;
  for (let i = 0; i < 40; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    const size = i % 4 === 0 ? 1 + (x % 40) : 65536 + (x % 300);
    out.push(Buffer.alloc(size, (i * 7 + seed) % 251));
  }
  return out;
}

async function upstream() {
  const server = createServer((socket) => {
    socket.once('data', (hello) => {
      const seed = Number(String(hello));
      for (const p of pieces(seed)) socket.write(p);
      socket.end();
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

function fetchThrough(port, seed) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    const s = connect(port, '127.0.0.1', () => s.write(String(seed)));
    s.on('data', (c) => chunks.push(c));
    s.on('end', () => resolve(Buffer.concat(chunks)));
    s.on('error', reject);
  });
}

test('bytes arrive complete and in order on every connection, with a clock that jumps between reads', async () => {
  const server = await upstream();
  const realNow = performance.now.bind(performance);
  let skew = 0;
  // Every read of the clock is 3 ms later than the last: what a busy CPU
  // does between two chunks handled in one event-loop turn.
  performance.now = () => realNow() + (skew += 3);
  const proxy = await startThrottleProxy({ target: `http://127.0.0.1:${server.address().port}`, rttMs: 100, kbps: 200000, uplinkKbps: 200000 });
  try {
    const seeds = [1, 2, 3, 4, 5, 6];
    const got = await Promise.all(seeds.map((seed) => fetchThrough(proxy.port, seed)));
    for (const [i, seed] of seeds.entries()) {
      const want = Buffer.concat(pieces(seed));
      assert.equal(got[i].length, want.length, `connection ${seed}: byte count`);
      assert.ok(got[i].equals(want), `connection ${seed}: bytes out of order`);
    }
  } finally {
    performance.now = realNow;
    await proxy.close();
    await new Promise((r) => server.close(r));
  }
});

test('the link is shared: a small response asked for during a big one finishes first', async () => {
  const big = Buffer.alloc(1_500_000, 7);
  const server = createServer((socket) => {
    socket.once('data', (what) => {
      socket.end(String(what) === 'big' ? big : Buffer.alloc(800, 1));
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  // 1.5 MB at 8 Mbit/s takes 1.5 s on the link; 800 bytes, a packet.
  const proxy = await startThrottleProxy({ target: `http://127.0.0.1:${server.address().port}`, rttMs: 20, kbps: 8000, uplinkKbps: 8000 });
  try {
    const order = [];
    const bigDone = fetchThrough(proxy.port, 'big').then((b) => { order.push('big'); return b; });
    await new Promise((r) => setTimeout(r, 100)); // the big one is on the link
    const smallDone = fetchThrough(proxy.port, 'small').then((b) => { order.push('small'); return b; });
    const [b, s] = await Promise.all([bigDone, smallDone]);
    assert.equal(b.length, big.length);
    assert.equal(s.length, 800);
    assert.deepEqual(order, ['small', 'big']);
  } finally {
    await proxy.close();
    await new Promise((r) => server.close(r));
  }
});
