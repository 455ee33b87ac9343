// module-worker.js: start a module Web Worker from one of our scripts. From a
// page on another origin (the custom element on a blog; an iframe with
// sandbox="allow-scripts", whose origin is opaque: self.origin is 'null'
// while location.origin still names our host) the Worker constructor refuses
// our URL, so the worker starts from a blob: that imports it; our host must
// then send CORS headers, and the page's CSP allow blob: workers. The blob is
// a classic script calling import(): Chromium refuses module workers from a
// blob: in an opaque origin. Messages that arrive while the import loads are
// held and replayed to the module's listeners.
//
// In a sandboxed frame whose host does not allow that (no CORS, or a CSP
// without worker-src blob:; scripts/serve.mjs's has it), a worker that fails
// to start says which permission is missing instead of a bare "failed to load".
export const SANDBOXED = 'this frame is sandboxed without "allow-same-origin", so the playground cannot start its workers; embed it with sandbox="allow-scripts allow-same-origin" / sandbox에 "allow-same-origin"이 없어 워커를 시작할 수 없습니다';

export function startModuleWorker(url) {
  if (new URL(url).origin === self.origin) return new Worker(url, { type: 'module' });
  const src = `const held = [];
const hold = (e) => { e.stopImmediatePropagation(); held.push(e.data); };
self.addEventListener('message', hold);
import(${JSON.stringify(String(url))}).then(() => {
  self.removeEventListener('message', hold);
  for (const data of held) self.dispatchEvent(new MessageEvent('message', { data }));
}, (err) => setTimeout(() => { throw err; }));`;
  const sandboxed = self.origin === 'null';
  let worker;
  try {
    worker = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })));
  } catch (err) {
    throw sandboxed ? new Error(SANDBOXED) : err;
  }
  // Registered before the caller's listeners: they see the explanation.
  if (sandboxed) {
    worker.addEventListener('error', (e) => {
      if (e.message === SANDBOXED) return;
      e.stopImmediatePropagation();
      e.preventDefault();
      worker.dispatchEvent(new ErrorEvent('error', { message: SANDBOXED, cancelable: true }));
    });
  }
  return worker;
}
