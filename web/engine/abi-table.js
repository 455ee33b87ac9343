// abi-table.js: reads the C API's own description (csrc/abi.c: dlfs_abi_entry
// and dlfs_status_str) out of a dlfs.wasm instance and shapes it for JS.
// scripts/gen-abi.mjs writes the result to abi.js at build time; engine.js
// reads it again at load and refuses a .wasm whose table differs (a stale build).

function cString(u8, p) {
  let end = p;
  while (u8[end]) end++;
  return new TextDecoder().decode(u8.subarray(p, end));
}

// exports: a dlfs.wasm instance's exports (dlfs_abi_count, dlfs_abi_entry, dlfs_status_str, malloc, free).
export function readAbi(exports) {
  const x = exports;
  const out = x.malloc(16);
  if (!out) throw new Error('abi: out of memory');
  const abi = { configWords: 0, config: {}, status: {}, statusById: [], enums: {}, limits: {} };
  try {
    for (let i = 0, n = x.dlfs_abi_count(); i < n; i++) {
      if (x.dlfs_abi_entry(i, out, out + 4, out + 8, out + 12) !== 0) throw new Error(`abi: entry ${i} unreadable`);
      const u8 = new Uint8Array(x.memory.buffer);
      const i32 = new Int32Array(x.memory.buffer, out, 4);
      const [group, name, value, text] = [cString(u8, i32[0]), cString(u8, i32[1]), i32[2], cString(u8, i32[3])];
      if (group === 'config_words') abi.configWords = value;
      else if (group === 'config') {
        const [type, count] = text.split('*');
        abi.config[name] = { offset: value, type, count: Number(count ?? 1) };
      } else if (group === 'status') {
        const id = name.replace(/^DLFS_/, '');
        abi.status[id] = { code: value, key: text || null, message: cString(u8, x.dlfs_status_str(value)) };
        abi.statusById[value] = id;
      } else if (group.startsWith('enum.')) {
        const e = (abi.enums[group.slice(5)] ??= []);
        if (e[value] !== undefined) throw new Error(`abi: ${group} value ${value} twice`);
        e[value] = name;
      } else if (group === 'limit') abi.limits[name] = value;
      else throw new Error(`abi: unknown group ${group}`);
    }
  } finally {
    x.free(out);
  }
  // Values an enum skips (the curves: DECAY follows the eval slots) are null, as in abi.js's JSON.
  for (const k of Object.keys(abi.enums)) abi.enums[k] = Array.from(abi.enums[k], (v) => v ?? null);
  return abi;
}
