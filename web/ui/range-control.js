// range-control.js: a control for a range of exponents lo..hi (the search's
// lr = 10^U(lo, hi)): two sliders, lowest and highest, that cannot cross.
// controls.js builds it for kind 'range'; it reports [lo, hi] through onChange.
import { el } from './dom.js';

const clean = (v) => Number(v.toFixed(2));

// Fill row (a .ctl) and return w.show(value).
export function buildRange(row, { id, spec, out, onChange, t }) {
  const pair = el('div', { class: 'range-pair' });
  const inputs = ['lo', 'hi'].map((end) => {
    const input = el('input', { type: 'range', id: end === 'lo' ? id : `${id}-hi`, min: String(spec.min), max: String(spec.max), step: String(spec.step) });
    pair.append(el('label', { for: input.id, text: t(`range.${end}`) }), input);
    return input;
  });
  const text = ([lo, hi]) => `10^U(${String(lo).replace('-', '−')}, ${String(hi).replace('-', '−')})`;
  const show = (v) => {
    inputs[0].value = String(v[0]);
    inputs[1].value = String(v[1]);
    out.textContent = text(v);
    inputs.forEach((input, i) => input.setAttribute('aria-valuetext', String(v[i])));
  };
  inputs.forEach((input, i) => input.addEventListener('change', () => {
    let lo = clean(Number(inputs[0].value));
    let hi = clean(Number(inputs[1].value));
    // lo < hi always: the slider being moved pushes the other one along.
    if (lo >= hi) {
      if (i === 0) hi = clean(Math.min(spec.max, lo + spec.step));
      else lo = clean(Math.max(spec.min, hi - spec.step));
      if (lo >= hi) lo = clean(hi - spec.step);
    }
    show([lo, hi]);
    onChange([lo, hi]);
  }));
  row.append(pair);
  return show;
}
