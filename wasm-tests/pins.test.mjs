// pins.js's pinnedBaseline: which no-regularisation twin is drawn beside a
// pinned run A (browser-teach.test.mjs shows the result on the page).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pinnedBaseline } from '../web/ui/pins.js';
import { defaultsFor } from '../web/experiments/experiments.js';

const sandbox = defaultsFor('sandbox');
const a = { ...sandbox, weightDecay: 0.1 };

test('A without a twin: nothing to draw for it', () => {
  assert.equal(pinnedBaseline(null, a), 'none');
  assert.equal(pinnedBaseline(sandbox, a), 'none', 'λ = 0, no dropout');
  assert.equal(pinnedBaseline({ ...a, baseline: false }, a), 'none', 'twin switched off');
});

test('the same net without regularisation: one twin, whatever the regularisers are', () => {
  assert.equal(pinnedBaseline(a, a), 'shared');
  assert.equal(pinnedBaseline(a, { ...a, weightDecay: 1 }), 'shared');
  assert.equal(pinnedBaseline(a, { ...a, weightDecay: 0, dropout: 0.3, dropoutMode: 'inverted' }), 'shared');
});

test('B is the twin itself when it has no regularisation and all else is equal', () => {
  assert.equal(pinnedBaseline(a, { ...a, weightDecay: 0 }), 'b');
});

test('another seed, training set, net or learning rate: A\'s twin is its own', () => {
  for (const change of [{ seed: 2 }, { trainSize: 300 }, { lr: 0.01 }, { hidden: [100, 100, 100] }, { epochs: 10 }]) {
    assert.equal(pinnedBaseline(a, { ...a, ...change }), 'own', JSON.stringify(change));
  }
  // B regularised but drawing no twin of its own: A's is drawn.
  assert.equal(pinnedBaseline(a, { ...a, baseline: false }), 'own');
});
