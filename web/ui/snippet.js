// snippet.js: the code a blog author pastes to embed the current state:
// the custom element (one module script from the playground's host) or, for
// hosts that allow only iframes, embed.html with the state in its hash.
import { formatConfigValue } from '../engine/config.js';

// A setting's attribute name: kebab case, except `hidden` (the hidden layers),
// which would collide with HTML's own hidden attribute and hide the element.
const RENAMED = { hidden: 'hidden-layers' };
export const attributeName = (key) => RENAMED[key] ?? key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
// ... and back.
export const settingKey = (name) => Object.keys(RENAMED).find((k) => RENAMED[k] === name) ?? name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
const attr = (v) => String(v).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

// base: the playground's URL (ending in /); settings: the ones worth writing;
// controls: the control keys the embed shows; hash: the same state as a link.
export function elementSnippet({ base, preset, settings, controls, lang, hash }) {
  const attrs = [`preset="${attr(preset)}"`];
  for (const [k, v] of Object.entries(settings)) attrs.push(`${attributeName(k)}="${attr(formatConfigValue(k, v))}"`);
  attrs.push(`controls="${attr(controls.join(','))}"`);
  if (lang) attrs.push(`lang="${lang}"`);
  // Fallback content: a reader whose browser cannot run embed.js (a host
  // without CORS, scripts blocked) still sees a link to the playground; once
  // the element runs, its shadow DOM hides it. embed.css holds the element's
  // room until embed.js arrives: the blog does not move.
  const href = new URL(hash ?? `#preset=${encodeURIComponent(preset)}`, base);
  const text = lang === 'ko' ? '『밑바닥부터 시작하는 딥러닝』 6장 플레이그라운드 열기' : 'Open the Deep Learning from Scratch chapter 6 playground';
  return `<link rel="stylesheet" href="${attr(new URL('embed.css', base))}">\n<script type="module" src="${attr(new URL('embed.js', base))}"></script>\n<dlfs-playground ${attrs.join(' ')}><a href="${attr(href)}">${text}</a></dlfs-playground>`;
}

// height: the embed's planned height (embed-size.js), so the frame fits
// before it loads; host: add the optional script that keeps it fitting
// (embed-host.js sizes the iframe to the height the embed posts).
export function iframeSnippet({ base, hash, title, height = 760, host = false }) {
  const frame = `<iframe src="${attr(new URL(`embed.html${hash}`, base))}" title="${attr(title)}" width="100%" height="${Math.round(height)}" loading="lazy"></iframe>`;
  return host ? `${frame}\n<script src="${attr(new URL('embed-host.js', base))}" defer></script>` : frame;
}
