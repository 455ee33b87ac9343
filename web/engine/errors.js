// errors.js: the engine's one error class. A non-OK status from C becomes an
// EngineError in engine.js's check(); a JS argument refused before C sees it
// becomes one in need(). Its id and key come from the ABI (abi.js), never from
// the message's text.
import { ABI } from './abi.js';

const S = ABI.status;

export class EngineError extends Error {
  // key: the argument a JS-side check refused; otherwise the config key C's status names.
  constructor(status, message, key) {
    super(message);
    this.name = 'EngineError';
    this.status = status;
    this.id = ABI.statusById[status] ?? 'UNKNOWN'; // dlfs.h's name without DLFS_, e.g. 'E_LR'
    this.key = key ?? ABI.status[this.id]?.key ?? undefined; // the key the error is about, when there is one
    this.code = status === S.E_DIVERGED.code ? 'diverged' : status === S.E_CURVE_FULL.code ? 'full' : 'error';
  }
}

// A bad argument of a JS API call, named, with what was given.
export function need(key, problem, where = key) {
  if (problem) throw new EngineError(S.E_ARG.code, `${where}: ${problem}`, key);
}
