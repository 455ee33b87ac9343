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

  // One direction of one connection: chunks wait in order and a single timer
  // writes every chunk that is due, then waits for the next. (One timer per
  // chunk let them overtake each other: Node starts timers from the event
  // loop's cached clock and truncates their delays, so on a loaded machine a
  // small chunk read in the same turn as a big one could be written first.)
  function pipe(dst) {
    const queue = []; // {at, chunk} or {at, end: true}, in the order they were read
    let timer = null;
    let last = 0;
    const pump = () => {
      timer = null;
      while (queue.length && queue[0].at <= now()) {
        const item = queue.shift();
        if (dst.destroyed) return;
        if (item.end) dst.end(); else dst.write(item.chunk);
      }
      if (queue.length) timer = setTimeout(pump, Math.max(1, queue[0].at - now()));
    };
    const push = (item) => {
      item.at = Math.max(item.at, last); // never before what was read earlier
      last = item.at;
      queue.push(item);
      if (!timer) timer = setTimeout(pump, Math.max(0, item.at - now()));
    };
    return {
      // `chunk` crosses `link`: serialised at its rate behind whatever is
      // queued on it, then half a round trip of latency.
      send(link, chunk, notBefore = 0) {
        const t = Math.max(now(), notBefore, link === 'down' ? downFree : upFree);
        const done = t + chunk.length / (link === 'down' ? downBytesPerMs : upBytesPerMs);
        if (link === 'down') downFree = done; else upFree = done;
        push({ at: done + half, chunk });
      },
      end() { push({ at: now(), end: true }); },
      close() { clearTimeout(timer); queue.length = 0; },
    };
  }

  const server = createServer((client) => {
    const ready = now() + rttMs; // the TCP handshake
    const upstream = connect(Number(up.port), up.hostname);
    sockets.add(client).add(upstream);
    const toServer = pipe(upstream);
    const toClient = pipe(client);
    client.on('data', (c) => toServer.send('up', c, ready));
    upstream.on('data', (c) => toClient.send('down', c));
    // An end goes after the last chunk before it.
    client.on('end', () => toServer.end());
    upstream.on('end', () => toClient.end());
    for (const s of [client, upstream]) {
      s.on('error', () => { client.destroy(); upstream.destroy(); });
      s.on('close', () => {
        sockets.delete(s);
        (s === client ? toClient : toServer).close();
      });
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
