// failures.js: failures named where they happen. A badge on the run or grid
// cell that diverged or did not learn, a short hint at the likely cause
// (initial weights or learning rate: teach.js), the status line that says
// so instead of "Done.", and a log-scale toggle for a loss that exploded.
import { el } from './dom.js';
import { fmt } from './format.js';
import { learned, failureCause } from './teach.js';

// A row of badges (diverged, dead network, ...) for a figure or a grid cell.
export function badgeBox(parent, { prepend = false } = {}) {
  const box = el('div', { class: 'badges', 'aria-live': 'polite' });
  if (prepend) parent.prepend(box); else parent.append(box);
  return {
    element: box,
    set(texts) {
      box.replaceChildren(...texts.map((text) => el('span', { class: 'badge', text })));
    },
  };
}

// A "log scale" checkbox in the caption of `chart`'s figure.
export function logToggle(chart, t) {
  const cap = chart.canvas.closest('figure')?.querySelector('figcaption');
  if (!cap) return;
  const box = el('input', { type: 'checkbox', 'data-action': 'log-scale' });
  box.addEventListener('change', () => chart.setLogScale(box.checked));
  cap.lastElementChild.before(el('span', { class: 'cap-tools' }, el('label', {}, box, t('logScale'))));
}

// Is the net dead (one class for nearly every image)? From the confusion
// matrix's columns: the share of the images in the most chosen one.
export function oneClassShare(matrix) {
  if (!matrix) return 0;
  const cols = Array(10).fill(0);
  let n = 0;
  for (const row of matrix) row.forEach((v, g) => { cols[g] += v; n += v; });
  return n ? Math.max(...cols) / n : 0;
}

// What the status line, the badges and the hint say about a finished single
// run: {status, badges, hint} (strings), or null if it went fine. `series`:
// the experiment's series names (overfit.js: loss, train, test).
export function explainSingle({ t, settings, series, results, diverged, confusion }) {
  const acc = (name) => results.series.get(name)?.values ?? [];
  const test = acc(series.test).length ? acc(series.test) : acc(series.train);
  if (diverged) {
    const at = results.summary.divergedAt ?? results.series.get(series.loss)?.values.length ?? 0;
    const c = failureCause(settings, { diverged: true });
    return { status: `${t('status.diverged')} ${t('status.stoppedAt', { at })}`, badges: [t('badge.diverged', { at })], hint: t(c.key, c.params), stoppedAt: at };
  }
  if (learned(test, Math.min(3, settings.epochs)) !== 'stuck') return null;
  const dead = oneClassShare(confusion) > 0.9;
  const c = failureCause(settings, { diverged: false });
  const hint = c.key === 'hint.dead' ? t('hint.dead') : `${dead ? `${t('hint.dead')} ` : ''}${t(c.key, c.params)}`;
  return { status: t('status.doneStuck', { acc: fmt(test[test.length - 1]) }), badges: [t(dead ? 'badge.dead' : 'badge.noLearn')], hint };
}
