// module-worker.js: start a module Web Worker from one of our scripts. From a
// page on another origin (the custom element on a blog) the Worker
// constructor refuses our URL, so the worker starts from a blob: that imports
// it; our host must then send CORS headers, and the blog's CSP allow blob: workers.
export function startModuleWorker(url) {
  if (new URL(url).origin === location.origin) return new Worker(url, { type: 'module' });
  const src = `import ${JSON.stringify(String(url))};`;
  return new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })), { type: 'module' });
}
