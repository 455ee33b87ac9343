// own.js: look up a name that came from outside (a link, an attribute, a
// --set, a JS config object) among a table's OWN keys. `key in table` and
// `table[key]` also find what every object inherits (toString, constructor,
// valueOf, __proto__), which would turn "toString=1" into a crash or a
// silently ignored setting instead of "unknown setting".

/** True if `table` has `key` as its own property. */
export const hasOwn = (table, key) => table != null && Object.hasOwn(table, key);

/** table[key] if `key` is table's own property, else undefined. */
export const own = (table, key) => (hasOwn(table, key) ? table[key] : undefined);
