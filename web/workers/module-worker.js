// module-worker.js: start a module Web Worker from one of our scripts. From a
// page on another origin (the custom element on a blog) the Worker
// constructor refuses our URL, so the worker starts from a blob: that imports
// it; our host must then send CORS headers, and the blog's CSP allow blob: workers.
//
// In an iframe sandboxed without allow-same-origin the page's origin is
// opaque (self.origin is 'null', while location.origin still names our host):
// no worker of ours can start there under our CSP, so say which permission is
// missing instead of failing later with a bare "failed to load".
export const SANDBOXED = 'this frame is sandboxed without "allow-same-origin", so the playground cannot start its workers; embed it with sandbox="allow-scripts allow-same-origin" / sandbox에 "allow-same-origin"이 없어 워커를 시작할 수 없습니다';

export function startModuleWorker(url) {
  if (self.origin === 'null') throw new Error(SANDBOXED);
  if (new URL(url).origin === self.origin) return new Worker(url, { type: 'module' });
  const src = `import ${JSON.stringify(String(url))};`;
  return new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })), { type: 'module' });
}
