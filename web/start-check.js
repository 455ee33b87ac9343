// start-check.js: a classic script, not a module, so it runs even where the
// page's modules cannot load, and says why instead of leaving "Loading…" for
// ever. The usual case: an <iframe sandbox="allow-scripts"> without
// allow-same-origin gives the page an opaque origin, so its module scripts
// and data are cross-origin requests that the playground's host answers
// without CORS headers, and the browser refuses them (only the console said so).
// Loaded `async`, so it never holds main.js back (a deferred script would:
// module scripts run in document order after deferred ones, and on a slow
// network this file could arrive after the page's whole first download).
// It usually runs before main.js's load error could fire; if not, main.js
// has not marked the page as started (data-dlfs-started on <html>) by the
// load event, which comes after the module scripts ran, and it says so then.
// (Not by readyState 'interactive': that comes before they run.)
(function () {
  var shown = false;
  var sandboxed = self.origin === 'null';
  function show(what) {
    var root = document.getElementById('playground');
    if (!root || shown) return;
    shown = true;
    var p = document.createElement('p');
    p.className = 'notice error';
    p.setAttribute('role', 'alert');
    p.textContent = sandboxed
      ? 'The playground cannot start in this frame: it is sandboxed without "allow-same-origin", so the browser refuses its scripts and data. Embed it with sandbox="allow-scripts allow-same-origin" (or serve the playground with CORS headers). / 이 프레임에서는 플레이그라운드를 시작할 수 없습니다. sandbox에 "allow-same-origin"이 없어 브라우저가 스크립트와 데이터를 막습니다. sandbox="allow-scripts allow-same-origin"으로 넣어 주세요.'
      : 'The playground could not start: ' + what + ' failed to load. / 플레이그라운드를 시작하지 못했습니다: ' + what + '을(를) 불러오지 못했습니다.';
    root.replaceChildren(p);
  }
  addEventListener('error', function (e) {
    var t = e.target;
    if (!t || !(t.tagName === 'SCRIPT' || (t.tagName === 'LINK' && t.rel === 'modulepreload'))) return;
    var what = (t.src || t.href || '').split('/').pop();
    if (document.getElementById('playground')) show(what);
    else document.addEventListener('DOMContentLoaded', function () { show(what); });
  }, true);
  function check() {
    if (!('dlfsStarted' in document.documentElement.dataset)) show('main.js');
  }
  if (document.readyState === 'complete') check();
  else addEventListener('load', check);
})();
