// throttle-proxy.mjs: a TCP proxy that makes a local server look like it is
// at the end of a slow network, for the page benchmark. Because it sits in
// front of the server (not in the browser's devtools), everything is
// throttled alike: the page, its workers, their fetches.
//   - every new connection pays a handshake of one round trip before its
//     first byte goes up;
//   - bytes each way arrive half a round trip after they are sent;
//   - the downlink is one shared link of `kbps` kbit/s: chunks from all
//     connections queue on it first come, first served (a real link
//     interleaves them more; the time for the whole set is the same).
// startThrottleProxy({ target: 'http://127.0.0.1:PORT', rttMs: 150, kbps: 1600 })
//   -> { origin, port, close() }
import { createServer, connect } from 'node:net';

export async function startThrottleProxy({ target, rttMs = 150, kbps = 1600, uplinkKbps = 750 }) {
  const up = new URL(target);
  const half = rttMs / 2;
  const downBytesPerMs = (kbps * 1000) / 8 / 1000;
  const upBytesPerMs = (uplinkKbps * 1000) / 8 / 1000;
  let downFree = 0; // when the shared downlink is next idle (ms, performance.now())
  let upFree = 0;
  const sockets = new Set();
  const now = () => performance.now();

  // Deliver `chunk` to `dst` after it has crossed a link (serialised at its
  // rate behind whatever is queued, then half a round trip of latency),
  // keeping each direction of a connection in order.
  function send(link, dst, chunk, state, notBefore = 0) {
    const t = Math.max(now(), notBefore, link === 'down' ? downFree : upFree);
    const done = t + chunk.length / (link === 'down' ? downBytesPerMs : upBytesPerMs);
    if (link === 'down') downFree = done; else upFree = done;
    const at = Math.max(done + half, state.last);
    state.last = at;
    setTimeout(() => { if (!dst.destroyed) dst.write(chunk); }, Math.max(0, at - now()));
  }

  const server = createServer((client) => {
    const ready = now() + rttMs; // the TCP handshake
    const upstream = connect(Number(up.port), up.hostname);
    sockets.add(client).add(upstream);
    const toServer = { last: 0 };
    const toClient = { last: 0 };
    client.on('data', (c) => send('up', upstream, c, toServer, ready));
    upstream.on('data', (c) => send('down', client, c, toClient));
    // End after the last chunk is written (a margin: timers of equal deadline need not keep their order).
    const end = (dst, state) => () => setTimeout(() => dst.end(), Math.max(0, state.last - now()) + 20);
    client.on('end', end(upstream, toServer));
    upstream.on('end', end(client, toClient));
    for (const s of [client, upstream]) {
      s.on('error', () => { client.destroy(); upstream.destroy(); });
      s.on('close', () => sockets.delete(s));
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((r) => { for (const s of sockets) s.destroy(); server.close(r); }),
  };
}
