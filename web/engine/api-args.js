// api-args.js: how the JS API (engine.js) and the config validator
// (config.js) check and show the values they are given. Nothing is coerced:
// "10" is not 10, 2.9 iterations are not 2, 300.7 is not a pixel, and a
// value is shown as it was given (NaN, Infinity, 1n, "0.2"), never as JSON's
// null. Each checker returns null when the value is fine, else the problem
// with the value in it, for the caller to prefix with the argument's name.

/** A value as the user wrote it, for error messages. */
export function show(v) {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return String(v === undefined ? 'undefined' : typeof v);
  let s;
  try { s = JSON.stringify(v); } catch { s = undefined; }
  if (s === undefined) return Object.prototype.toString.call(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

export function intProblem(v, min, max) {
  return Number.isInteger(v) && v >= min && v <= max ? null : `must be an integer from ${min} to ${max} (got ${show(v)})`;
}

// The C engine stores settings as float32: a tiny non-zero value would
// silently become 0 there (lr 1e-50 "must be > 0"; dropout 1e-50 no dropout).
export function float32Problem(v) {
  return typeof v === 'number' && v !== 0 && Number.isFinite(v) && Math.fround(v) === 0
    ? `${show(v)} is too small for float32 and would become 0 (the smallest positive float32 is about 1.4e-45)`
    : null;
}

// A number for a float32 setting; ranges are C's to check (it names them).
export function numberProblem(v) {
  if (typeof v !== 'number') return `must be a number (got ${show(v)})`;
  return float32Problem(v);
}

// Bytes for a data set: a Uint8Array (or Uint8ClampedArray) as it is, or an
// array / typed array whose every value is an integer 0..max.
export function bytesProblem(a, max) {
  if (a instanceof Uint8Array || a instanceof Uint8ClampedArray) return null;
  if (!Array.isArray(a) && !(ArrayBuffer.isView(a) && !(a instanceof DataView))) {
    return `must be a Uint8Array or an array of integers (got ${show(a)})`;
  }
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (!Number.isInteger(x) || x < 0 || x > max) return `every value must be an integer from 0 to ${max} (got ${show(x)} at ${i})`;
  }
  return null;
}
