// module-worker.js: start a module Web Worker from one of our scripts. From a
// page on another origin (the custom element on a blog; the iframe with
// sandbox="allow-scripts", whose origin is opaque: "null" in self.origin) the
// Worker constructor refuses our URL, so the worker starts from a blob: that
// imports it; our host must then send CORS headers, and the blog's CSP allow
// blob: workers. The blob is a classic script calling import(): Chromium
// refuses module workers from a blob: in an opaque origin. Messages that
// arrive while the import loads are held and replayed to the module's listeners.
export function startModuleWorker(url) {
  if (new URL(url).origin === self.origin) return new Worker(url, { type: 'module' });
  const src = `const held = [];
const hold = (e) => { e.stopImmediatePropagation(); held.push(e.data); };
self.addEventListener('message', hold);
import(${JSON.stringify(String(url))}).then(() => {
  self.removeEventListener('message', hold);
  for (const data of held) self.dispatchEvent(new MessageEvent('message', { data }));
}, (err) => setTimeout(() => { throw err; }));`;
  return new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })));
}
