// release.js: where a published release of the playground lives, for
// snippets that must work on someone else's blog: the npm package's dist/
// (scripts/build-site.sh) as an npm CDN serves it. VERSION is package.json's
// (a test keeps them equal).
export const VERSION = '0.1.0';
export const RELEASE_BASE = new URL(`https://cdn.jsdelivr.net/npm/dlfs-playground@${VERSION}/dist/`);

// A URL only this computer can reach (a snippet pointing there works nowhere else).
export function isLoopback(url) {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || host === '0.0.0.0' || /^127(\.\d{1,3}){3}$/.test(host);
}
