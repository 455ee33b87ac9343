// page-chrome.js: what only the full page (mode 'page') has around a
// playground: the header (title, language, copy link) and a tab per
// experiment. compact.js is the embeds' counterpart. `dom`: the playground's
// PlaygroundDom (dom.app: its Playground).
import { EXPERIMENT_NAMES } from '../experiments/experiments.js';
import { el } from './dom.js';

export function pageHeader(dom) {
  const { t } = dom.app;
  const lang = el('select', { id: `${dom.app.id}-lang` });
  for (const [code, name] of [['ko', '한국어'], ['en', 'English']]) lang.append(el('option', { value: code, text: name }));
  lang.value = dom.app.lang;
  lang.addEventListener('change', () => dom.app.setLang(lang.value));
  dom.ui.copy = el('button', { type: 'button', class: 'btn', text: t('copyLink'), onclick: () => dom.copyLink() });
  return el('header', { class: 'top' },
    el('div', {}, el('h1', { text: t('title') }), el('p', { class: 'subtitle', text: t('subtitle') })),
    el('div', { class: 'top-actions' }, el('label', { for: lang.id, class: 'sr-only', text: t('language') }), lang, dom.ui.copy));
}

// The tabs, with roving focus: arrow keys move between experiments (WAI-ARIA tabs pattern).
export function pageTabs(dom) {
  const { t } = dom.app;
  const list = el('div', { role: 'tablist', 'aria-label': t('presets') });
  const tabs = EXPERIMENT_NAMES.map((name) => {
    const selected = name === dom.app.state.preset;
    return el('button', {
      type: 'button', role: 'tab', id: `${dom.app.id}-tab-${name}`, 'aria-selected': String(selected),
      'aria-controls': `${dom.app.id}-panel`, tabindex: selected ? '0' : '-1', 'data-preset': name,
      text: t(`preset.${name}`), onclick: () => dom.app.switchExperiment(name),
    });
  });
  list.append(...tabs);
  list.addEventListener('keydown', (e) => {
    const i = tabs.indexOf(e.target);
    if (i < 0) return;
    const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const name = tabs[(to + tabs.length) % tabs.length].dataset.preset;
    dom.app.switchExperiment(name); // re-renders the tabs
    dom.root.querySelector(`[data-preset="${name}"]`)?.focus();
  });
  return list;
}
