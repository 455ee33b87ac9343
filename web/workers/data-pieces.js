// data-pieces.js: how a data set travels to a worker (worker.js 'data'
// messages), shared by the Node/browser pool and the page's scheduler.

const PIECE_IMAGES = 10000; // per message: bounds the extra copy held in flight

// Yields [message, transfer] pairs handing data set `d` ({key, pixels, labels,
// features?}) to a worker under `name`, in transferred pieces.
export function* dataPieces(name, d) {
  const n = d.labels.length;
  const f = d.features ?? 784;
  for (let first = 0; first < n; first += PIECE_IMAGES) {
    const end = Math.min(n, first + PIECE_IMAGES);
    const pixels = d.pixels.slice(first * f, end * f);
    const labels = d.labels.slice(first, end);
    yield [{ type: 'data', name, key: d.key, first, capacity: n, features: f, pixels, labels }, [pixels.buffer, labels.buffer]];
  }
}
