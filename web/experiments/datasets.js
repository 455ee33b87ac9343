// datasets.js: the data sets experiments read, as specs (what to take from
// MNIST) and as the bytes a worker is sent.
import { ConfigError } from '../engine/config.js';

// A data set a preset needs: the first `count` images of a split, or the given
// indices of it. `key` identifies the content, so a worker that holds it already
// is not sent it again; `setting` names the key to blame when MNIST is too small.
export function firstOf(split, count, setting) {
  return { split, first: 0, count, key: `${split}[0:${count}]`, setting };
}

// How many images of its split a data set spec reaches into.
export const specEnd = (s) => (s.indices ? s.indices.reduce((m, i) => Math.max(m, i + 1), 0) : s.first + s.count);

// The bytes of each data set, from MNIST as loadMnist returns it (views, except
// for index lists). Throws a ConfigError naming the setting that asks too much.
export function sliceDatasets(specs, mnist, features = 784) {
  const out = {};
  for (const [name, s] of Object.entries(specs)) {
    const src = mnist[s.split];
    const need = specEnd(s);
    if (need > src.count) throw new ConfigError(s.setting, `needs ${need} ${s.split} images, MNIST has ${src.count}`);
    let pixels, labels;
    if (s.indices) {
      pixels = new Uint8Array(s.indices.length * features);
      labels = new Uint8Array(s.indices.length);
      s.indices.forEach((i, r) => {
        pixels.set(src.pixels.subarray(i * features, (i + 1) * features), r * features);
        labels[r] = src.labels[i];
      });
    } else {
      pixels = src.pixels.subarray(s.first * features, (s.first + s.count) * features);
      labels = src.labels.subarray(s.first, s.first + s.count);
    }
    out[name] = { key: s.key, pixels, labels, features };
  }
  return out;
}

