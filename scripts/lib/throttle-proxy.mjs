// throttle-proxy.mjs: a TCP proxy that makes a local server look like it is
// at the end of a slow network, for the page benchmark. Because it sits in
// front of the server (not in the browser's devtools), everything is
// throttled alike: the page, its workers, their fetches.
//   - every new connection pays a handshake of one round trip before its
//     first byte goes up;
//   - bytes each way arrive half a round trip after they are sent;
//   - the downlink is one shared link of `kbps` kbit/s (the uplink one of
//     `uplinkKbps`): the connections with bytes waiting take turns on it, a
//     packet (MSS bytes) each, as TCP flows share a bottleneck and as
//     Chromium's own network throttling shares its bandwidth among requests.
//     (It used to send whole chunks first come, first served: an 800-byte
//     script then waited behind every big response asked for before it.)
// startThrottleProxy({ target: 'http://127.0.0.1:PORT', rttMs: 150, kbps: 1600 })
//   -> { origin, port, close() }
import { createServer, connect } from 'node:net';

const MSS = 1460; // bytes per turn on a link

export async function startThrottleProxy({ target, rttMs = 150, kbps = 1600, uplinkKbps = 750 }) {
  const up = new URL(target);
  const half = rttMs / 2;
  const sockets = new Set();
  const now = () => performance.now();

  // One direction of one connection: what arrives from the link waits in
  // order and a single timer writes every piece that is due, then waits for
  // the next. (One timer per piece let them overtake each other: Node starts
  // timers from the event loop's cached clock and truncates their delays, so
  // on a loaded machine a small piece could be written before a big one.)
  function output(dst) {
    const queue = []; // {at, chunk} or {at, end: true}, in order
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
    return {
      push(item) {
        item.at = Math.max(item.at, last); // never before what came earlier
        last = item.at;
        queue.push(item);
        if (!timer) timer = setTimeout(pump, Math.max(0, item.at - now()));
      },
      close() { clearTimeout(timer); queue.length = 0; },
    };
  }

  // A link shared by the pipes (directions of connections) that send over it.
  // Time on it is virtual: a packet starts when the link is free and its
  // bytes are there, whenever the event loop gets round to it.
  function link(kbitsPerSec) {
    const bytesPerMs = (kbitsPerSec * 1000) / 8 / 1000;
    const turns = []; // pipes with bytes waiting, in turn order
    let free = 0; // when the link is next idle (performance.now() ms)
    let timer = null;
    const eligible = (p) => Math.max(p.readyAt, p.pending[0].arrivedAt);
    const run = () => {
      timer = null;
      const t = now();
      while (free <= t) {
        const i = turns.findIndex((p) => eligible(p) <= t);
        if (i < 0) break;
        const [p] = turns.splice(i, 1);
        const head = p.pending[0];
        const n = Math.min(MSS, head.chunk.length - head.offset);
        const start = Math.max(free, eligible(p));
        free = start + n / bytesPerMs;
        p.out.push({ at: free + half, chunk: head.chunk.subarray(head.offset, head.offset + n) });
        head.offset += n;
        if (head.offset === head.chunk.length) p.pending.shift();
        if (p.pending.length) turns.push(p);
        else if (p.ending) p.out.push({ at: free + half, end: true });
      }
      if (turns.length) {
        const next = Math.max(free, Math.min(...turns.map(eligible)));
        timer = setTimeout(run, Math.max(1, next - t));
      }
    };
    const kick = () => { if (!timer) timer = setTimeout(run, 0); };
    return {
      // A direction of a connection: bytes written to dst through this link, not before readyAt.
      pipe(dst, readyAt = 0) {
        const p = { out: output(dst), pending: [], readyAt, ending: false };
        return {
          send(chunk) {
            if (!p.pending.length) turns.push(p);
            p.pending.push({ chunk, offset: 0, arrivedAt: now() });
            kick();
          },
          // The end goes after the last byte sent before it.
          end() {
            if (p.pending.length) p.ending = true;
            else p.out.push({ at: now() + half, end: true });
          },
          close() {
            p.out.close();
            p.pending.length = 0;
            const i = turns.indexOf(p);
            if (i >= 0) turns.splice(i, 1);
          },
        };
      },
      close() { clearTimeout(timer); },
    };
  }

  const downlink = link(kbps);
  const uplink = link(uplinkKbps);
  const server = createServer((client) => {
    const ready = now() + rttMs; // the TCP handshake
    const upstream = connect(Number(up.port), up.hostname);
    sockets.add(client).add(upstream);
    const toServer = uplink.pipe(upstream, ready);
    const toClient = downlink.pipe(client);
    client.on('data', (c) => toServer.send(c));
    upstream.on('data', (c) => toClient.send(c));
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
    close: () => new Promise((r) => {
      for (const s of sockets) s.destroy();
      downlink.close();
      uplink.close();
      server.close(r);
    }),
  };
}
