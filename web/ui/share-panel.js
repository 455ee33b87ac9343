// share-panel.js: the full page's "Share and embed" panel: which controls a
// shared link or an embed shows (the link's <control>_hide flags), and the
// code for the current state: the custom element, the iframe, the CLI command.
// Served from a loopback address, it says the snippets would work on this
// computer only and offers the release's URL (release.js) instead.
import { el } from './dom.js';
import { EXPERIMENTS, linkSettings, cliCommand } from '../experiments/experiments.js';
import { writeHash } from './links.js';
import { elementSnippet, iframeSnippet } from './snippet.js';
import { planForState } from './embed-size.js';
import { RELEASE_BASE, isLoopback } from './release.js';
import { BASE } from '../site/host.js';


// onHide(key, hidden) when a box is ticked; update(state, lang) refreshes the code.
export function sharePanel({ t, id, state, onHide }) {
  const snippet = (label, rows) => el('textarea', { class: 'snippet', readonly: '', rows: String(rows), 'aria-label': label });
  const element = snippet(t('snippet.element'), 3);
  const frame = snippet(t('snippet.iframe'), 3);
  const cli = snippet('CLI', 2);
  let current = null; // [state, lang] last shown
  const loopback = isLoopback(BASE);
  const useRelease = el('input', { type: 'checkbox', id: `${id}-release`, 'data-release': '' });
  useRelease.checked = loopback;
  useRelease.addEventListener('change', () => update(...current));
  const where = el('div', { class: 'row release' }, useRelease,
    el('label', { for: useRelease.id, text: t('snippet.useRelease', { url: RELEASE_BASE.href }) }));
  const warning = loopback ? el('p', { class: 'notice warn', role: 'note', text: t('snippet.loopback', { base: BASE.href }) }) : null;
  const hides = el('fieldset', { class: 'row hides' }, el('legend', { text: t('snippet.help') }));
  for (const key of EXPERIMENTS[state.preset].controls) {
    const boxId = `${id}-hide-${key}`;
    const box = el('input', { type: 'checkbox', id: boxId, 'data-hide': key });
    box.checked = state.hide.has(key);
    box.addEventListener('change', () => onHide(key, box.checked));
    hides.append(el('span', {}, box, el('label', { for: boxId, text: ` ${t('hide')}: ${t(`ctl.${key}`)}` })));
  }
  const panel = el('details', { class: 'panel extras' },
    el('summary', { text: t('share') }),
    warning,
    where,
    hides,
    el('h3', { text: t('snippet.element') }), element,
    el('h3', { text: t('snippet.iframe') }), frame,
    el('h3', { text: 'CLI' }), cli);

  // The code is written when the panel is open, or as it opens (a click on
  // its summary runs before the panel shows): closed, as it is while the page
  // loads and on every setting change, it costs nothing.
  let stale = false;
  panel.querySelector('summary').addEventListener('click', () => { if (!panel.open && stale) write(...current); });
  panel.addEventListener('toggle', () => { if (panel.open && stale) write(...current); });

  function update(s, lang) {
    current = [s, lang];
    stale = true;
    if (panel.open) write(s, lang);
  }

  function write(s, lang) {
    stale = false;
    const { preset, settings, hide } = s;
    const base = useRelease.checked ? RELEASE_BASE : BASE;
    element.value = elementSnippet({
      base, preset, settings: linkSettings(preset, settings),
      controls: EXPERIMENTS[preset].controls.filter((k) => !hide.has(k)), lang, hash: writeHash({ ...s, lang: s.lang ?? lang }),
    });
    frame.value = iframeSnippet({
      base, hash: writeHash({ ...s, lang: s.lang ?? lang }), title: t(`preset.${preset}`),
      height: planForState(s, true).height, host: true, // planned for a wide screen; embed-host.js refits it on a narrow one
    });
    cli.value = cliCommand(preset, settings);
  }
  return { element: panel, update };
}
