// embed-host.js: optional, for the page that holds playground iframes
// (embed.html). Each such iframe posts its height,
//   { type: 'dlfs-playground:height', height: <CSS px> }
// and this sizes that very iframe to it: no inner scrollbar. Include it once:
//   <script src="https://HOST/embed-host.js" defer></script>
// A message resizes only the iframe that sent it, within sane bounds.
(() => {
  if (window.dlfsEmbedHost) return;
  window.dlfsEmbedHost = true;
  const MIN = 120;
  const MAX = 4000;
  window.addEventListener('message', (event) => {
    const m = event.data;
    if (!m || m.type !== 'dlfs-playground:height' || !Number.isFinite(m.height)) return;
    for (const frame of document.getElementsByTagName('iframe')) {
      if (frame.contentWindow !== event.source) continue;
      // A border-box iframe (a common blog reset) counts its border and padding in its height.
      const cs = getComputedStyle(frame);
      const extra = cs.boxSizing === 'border-box'
        ? ['borderTopWidth', 'borderBottomWidth', 'paddingTop', 'paddingBottom'].reduce((sum, k) => sum + parseFloat(cs[k]), 0) : 0;
      frame.style.height = `${Math.round(Math.min(MAX, Math.max(MIN, m.height)) + extra)}px`;
    }
  });
})();
