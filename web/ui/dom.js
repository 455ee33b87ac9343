// dom.js: el(), the one helper every module that builds DOM uses:
// el('button', {class: 'btn', text: 'Play', onclick: fn, 'aria-label': '…'}, ...children).
// Attributes go through setAttribute (never innerHTML: the CSP and safety).
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

// The notice shown in place of a playground that could not start (both languages:
// the language setting may be what failed to load).
export function startFailure(err) {
  return el('p', { class: 'notice error', role: 'alert', text: `The playground could not start / 플레이그라운드를 시작하지 못했습니다: ${err?.message ?? err}` });
}
