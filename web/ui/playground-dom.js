// playground-dom.js: the DOM of app.js's Playground: it builds the page or the
// embed from the playground's state (header and tabs: page-chrome.js; settings, charts, sharing
// tools) and shows the session's state, readouts and data loading in it.
// A Playground owns one PlaygroundDom (composition): the DOM reads the state,
// session, results and data from its `app` and calls the app's actions
// (restart, onControl, switchExperiment, ...); the app calls render, buildView
// and the show* methods when they change.
import { controlValues } from '../experiments/experiments.js';
import { seriesNames } from '../experiments/presets.js';
import { buildControls, formatValue } from './controls.js';
import { SingleRunView, InitView, BatchNormView } from './views.js';
import { ActivationsView } from './activations-view.js';
import { SearchRoundsView } from './search-view.js';
import { Optimizers2dView, OptimizersView, GradcheckView } from './views-optimizers.js';
import { downloadText, downloadPNG, slug } from './export.js';
import { sharePanel } from './share-panel.js';
import { el } from './dom.js';
import { BASE } from '../site/host.js';
import { DigitAids } from './digits.js';
import { fmtInt } from './format.js';
import { aboutParams } from './teach.js';
import { explainSingle } from './failures.js';
import { renderCompact, fitCompact } from './compact.js';
import { pageHeader, pageTabs } from './page-chrome.js';
import { resolveTheme } from './theme.js';

const VIEWS = {
  single: SingleRunView, init: InitView, activations: ActivationsView, batchnorm: BatchNormView, search: SearchRoundsView,
  optimizers2d: Optimizers2dView, optimizers: OptimizersView, gradcheck: GradcheckView,
};
const COMPARABLE = new Set(['single', 'init', 'batchnorm']);
// Views that train nothing and read no MNIST (random input, a 2-D function):
// computed at once, so no MNIST bar, no play/step and no speed on the page.
const UNTRAINED = new Set(['activations', 'optimizers2d']);
const READOUT_MS = 250;

export class PlaygroundDom {
  constructor(app) {
    this.app = app;
    this.root = app.root;
  }

  destroy() {
    this.view?.destroy();
    this.unwatchScreen?.();
    clearTimeout(this.readoutTimer);
  }

  // ---- DOM ----

  render() {
    const { t } = this.app;
    const compact = this.app.mode !== 'page';
    // font="inherit" reaches the blog's font through the shadow root; a page (an iframe's too) has none to inherit.
    const inherit = this.app.mode === 'element' && this.app.state.page.font === 'inherit';
    this.root.className = `dlfs${compact ? ' compact' : ''}${inherit ? ' inherit-font' : ''}`;
    this.root.lang = this.app.lang;
    this.theme = resolveTheme(this.app.state.page.theme);
    this.root.dataset.theme = this.theme;
    if (this.app.mode !== 'element') {
      document.documentElement.lang = this.app.lang;
      document.title = this.app.t('title');
      // The document's too: its own scrollbars and controls follow it (styles.css).
      document.documentElement.dataset.theme = this.theme;
      document.body.dataset.theme = this.theme;
    }
    this.root.replaceChildren();
    this.ui = {};
    if (compact) {
      renderCompact(this);
      this._showAll();
      return;
    }

    this.root.append(pageHeader(this), pageTabs(this));

    const panelId = `${this.app.id}-panel`;
    const body = el('div', { id: panelId, ...(this.app.mode === 'page' ? { role: 'tabpanel', 'aria-labelledby': `${this.app.id}-tab-${this.app.state.preset}` } : {}) });
    this.root.append(body);
    body.append(el('p', { class: 'about', text: t(`about.${this.app.state.preset}`, aboutParams(this.app.state.settings)) }));
    body.append(el('p', { class: 'book-ref', text: t(`book.${this.app.state.preset}`) }));
    this.ui.hashNotice = el('div', { class: 'notice warn', role: 'alert' });
    if (this.app.problems.length) this.ui.hashNotice.textContent = t('hash.bad', { problems: this.app.problems.join('; ') });
    this.ui.dataErrors = el('div', { class: 'notice error', role: 'alert' });
    body.append(this.ui.hashNotice, this._dataBar(), this.ui.dataErrors);
    this.ui.dataBar.hidden = UNTRAINED.has(this.app.x.view); // it reads no MNIST

    const layout = el('div', { class: 'layout' });
    body.append(layout);
    layout.append(this._side(), this._main(), this.ui.aids);
    body.append(this._share());
    this._showAll();
  }

  // Build everything again (a new language or theme) and redraw what the run has shown.
  rerender() {
    this.render();
    this.buildView();
    this.app.results.replay((e) => this.view.handle(e));
  }

  _showAll() {
    this.showDataErrors();
    this.showDataProgress();
    this.showState();
    this.showReadouts();
  }

  _dataBar() {
    this.ui.dataBar = el('div', { class: 'data' });
    this.ui.dataProgress = el('progress', { max: '1', value: '0', 'aria-label': 'MNIST' });
    this.ui.dataText = el('span', { 'aria-live': 'polite' });
    this.ui.dataBar.append(this.ui.dataProgress, this.ui.dataText);
    return this.ui.dataBar;
  }

  _side() {
    const { t } = this.app;
    const side = el('section', { class: 'panel side', 'aria-label': t('settings') });
    const [play, step, reset] = this._transport();
    // Reset alone where nothing trains (it computes again; New seed changes the input).
    // The gradient check can pause, but has no epoch to step through.
    play.hidden = UNTRAINED.has(this.app.x.view);
    step.hidden = play.hidden || this.app.x.view === 'gradcheck';
    side.append(el('div', { class: 'transport' }, play, step, reset));
    // No training speed to report where nothing trains.
    const readouts = this._readouts();
    if (UNTRAINED.has(this.app.x.view)) readouts.hidden = true;
    side.append(readouts);
    this.ui.status = el('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
    this.ui.notice = el('div', { class: 'notice', 'aria-live': 'polite' });
    this.ui.hint = el('div', { class: 'hint', role: 'note' });
    side.append(this.ui.status, this.ui.hint, this.ui.notice);
    // Every control is built; hidden ones (the link's _hide flags) are just not shown.
    // Collapsed on a phone, where the charts come first (styles.css).
    this.ui.controlsTitle = el('summary', { text: t('settings') });
    this.ui.controls = this._controls(this.app.x.controls);
    const narrow = typeof matchMedia === 'function' && matchMedia('(max-width: 760px)').matches;
    side.append(el('details', { class: 'settings-box', ...(narrow ? {} : { open: '' }) }, this.ui.controlsTitle, this.ui.controls));
    this.showHidden();
    return side;
  }

  // Play/pause, step, reset (ui.play, ui.step, ui.reset).
  _transport() {
    const { t } = this.app;
    this.ui.play = el('button', { type: 'button', class: 'btn primary', 'data-action': 'play', onclick: () => this.app.togglePlay() });
    this.ui.step = el('button', { type: 'button', class: 'btn', 'data-action': 'step', title: t('step.title'), text: t('step'), onclick: () => this.app.session?.step() });
    this.ui.reset = el('button', { type: 'button', class: 'btn', 'data-action': 'reset', title: t('reset.title'), text: t('reset'), onclick: () => this.app.restart(null) });
    return [this.ui.play, this.ui.step, this.ui.reset];
  }

  // Samples per second with the workers, and the run's progress.
  _readouts() {
    this.ui.speed = el('span', { class: 'speed' });
    this.ui.progress = el('span', { class: 'progress-text' });
    return el('div', { class: 'readouts' }, this.ui.speed, this.ui.progress);
  }

  // The controls of `keys`, in a .controls container.
  _controls(keys) {
    const box = el('div', { class: 'controls' });
    buildControls(box, { keys, values: controlValues(this.app.state.preset, this.app.state.settings), onChange: (k, v) => this.app.onControl(k, v), t: this.app.t, preset: this.app.state.preset });
    return box;
  }

  showHidden() {
    for (const row of this.ui.controls.children) row.hidden = this.app.state.hide.has(row.dataset.key);
    this.ui.controlsTitle.parentElement.hidden = this.app.x.controls.every((k) => this.app.state.hide.has(k));
  }

  _main() {
    const { t } = this.app;
    const main = el('section', { class: 'main', 'aria-label': t(`preset.${this.app.state.preset}`) });
    this.ui.charts = el('div');
    // Under the charts; on a phone after the settings panel, so play/pause stays near the charts.
    this.ui.aids = el('div', { class: 'aids-wrap' });
    main.append(this.ui.charts);
    const { tools, note } = this._tools();
    main.append(tools);
    if (note) main.append(note);
    return main;
  }

  // Export buttons, and Pin as A where the view can compare (ui.pin, ui.compareNote).
  _tools() {
    const { t } = this.app;
    const tools = el('div', { class: 'row tools' });
    tools.append(
      el('button', { type: 'button', class: 'btn', text: t('exportCsv'), onclick: () => downloadText(`dlfs-${this.app.state.preset}.csv`, this.app.results.toCSV(), 'text/csv') }),
      el('button', {
        type: 'button', class: 'btn', text: t('exportJson'),
        onclick: () => downloadText(`dlfs-${this.app.state.preset}.json`, `${JSON.stringify(this.app.results.toJSON(this.app.x.preset, this.app.session.settings), null, 1)}\n`, 'application/json'),
      }),
    );
    if (COMPARABLE.has(this.app.x.view)) {
      this.ui.pin = el('button', { type: 'button', class: 'btn', 'data-action': 'pin', onclick: () => this.app.togglePin() });
      this.ui.compareNote = el('p', { class: 'legend-note' });
      tools.append(this.ui.pin);
      this.showCompare();
    }
    return { tools, note: this.ui.compareNote };
  }

  buildView() {
    this.view?.destroy();
    const View = VIEWS[this.app.x.view];
    this.view = new View(this.ui.charts, {
      t: this.app.t,
      settings: this.app.state.settings,
      series: seriesNames(this.app.x.preset, this.app.state.settings),
      pinned: this.app.pinned,
      pinnedSettings: this.app.pinnedSettings,
      rounds: this.app.rounds,
      onNarrow: (ranges, round) => this.app.narrow(ranges, round),
      charts: this.ui.chartIds ?? null,
      theme: this.theme,
      compact: this.app.mode !== 'page',
    });
    this.view.onPng = (entry) => downloadPNG(`${slug(entry.title)}.png`, entry.charts, entry.columns);
    this.root.dataset.points = '0';
    for (const m of this.app.markers ?? []) this.markView(m);
    this._buildAids();
    if (this.app.mode !== 'page') fitCompact(this);
  }

  // Run A was pinned or cleared: the view again, with or without its curves.
  showPinned() {
    this.buildView();
    this.app.results.replay((e) => this.view.handle(e));
    this.showCompare();
  }

  showCompare() {
    if (!this.ui.pin) return;
    const { t } = this.app;
    this.ui.pin.textContent = this.app.pinned ? t('clearA') : t('pinA');
    this.ui.pin.setAttribute('aria-pressed', String(!!this.app.pinned));
    this.ui.compareNote.textContent = this.app.pinned ? t('compare.pinned', { desc: this.app.pinnedDesc }) : t('compare.none');
  }

  _share() {
    this.share = sharePanel({
      t: this.app.t,
      id: this.app.id,
      state: this.app.state,
      onHide: (key, hidden) => this.app.setHidden(key, hidden),
    });
    this.share.update(this.app.state, this.app.lang);
    return this.share.element;
  }

  // The links that carry the state: the embed's "open the full playground" and the share panel.
  updateShare() {
    if (this.ui.fullLink) this.ui.fullLink.href = new URL(`index.html${this.app.hash()}`, BASE).href;
    if (this.app.mode === 'page') this.share?.update(this.app.state, this.app.lang);
  }

  async copyLink() {
    const url = this.app.mode === 'page' ? location.href : new URL(`index.html${this.app.hash()}`, BASE).href;
    try {
      await navigator.clipboard.writeText(url);
      this.ui.copy.textContent = this.app.t('copied');
    } catch {
      this.ui.copy.textContent = this.app.t('copyFailed');
    }
    setTimeout(() => { if (this.ui.copy) this.ui.copy.textContent = this.app.t('copyLink'); }, 2500);
  }

  notice(text, kind) {
    this.ui.notice.textContent = text;
    this.ui.notice.className = `notice ${kind === 'warn' ? 'warn' : ''}`;
  }

  showDataErrors() {
    this.ui.dataErrors.textContent = this.app.dataErrors
      .map((e) => this.app.t('data.failed', { name: e.shard, problem: e.problem ?? e.message })).join(' ');
  }

  showDataProgress() {
    const p = this.app.data.progress;
    if (!this.ui.dataBar || !p.shardsTotal) return;
    const complete = p.shardsDone >= p.shardsTotal;
    this.ui.dataProgress.value = p.totalBytes ? Math.min(1, p.loadedBytes / p.totalBytes) : p.shardsDone / p.shardsTotal;
    this.ui.dataText.textContent = complete
      ? this.app.t('data.done', { loaded: p.shardsDone - this.app.data.failed.size, total: p.shardsTotal })
      : this.app.t('data.progress', { done: p.shardsDone, total: p.shardsTotal, mb: (p.loadedBytes / 1e6).toFixed(1) });
    this.ui.dataBar.classList.toggle('complete', complete);
  }

  showState() {
    const s = this.app.session;
    if (!s || !this.ui.status) return;
    const { t } = this.app;
    const state = s.state;
    this.root.dataset.state = state;
    let text;
    if (state === 'waiting') text = t('status.waitingData', { shards: s.detail.join(', ') });
    else if (state === 'paused') text = this.app.pauseReasons.has('user') ? t('status.paused') : t('status.pausedHidden');
    else if (state === 'running') text = this.app.x.view === 'gradcheck' ? t('status.checking') : t('status.training');
    else if (state === 'done') text = this._explainDone();
    else if (state === 'error') text = this._errorText(s.detail);
    else text = t('status.loadingEngine');
    this.ui.status.textContent = text;
    this.ui.status.classList.toggle('error-text', state === 'error');
    if (state !== 'done') { if (this.ui.hint) this.ui.hint.textContent = ''; this.view?.badges?.set([]); }
    const playing = state === 'running' || state === 'waiting';
    this.ui.play.textContent = playing ? t('pause') : t('play');
    this.ui.play.title = t('play.title');
    this.ui.step.disabled = state !== 'paused';
  }

  _errorText(err) {
    if (err?.name === 'ShardError') return this.app.t('data.needsFailed', { name: err.shard });
    return this.app.t('error.engine', { message: err?.message ?? String(err) });
  }

  // Progress arrives with every chunk of every worker; the text changes at
  // most a few times a second (each change is a layout and a paint).
  readoutsSoon() {
    this.readoutTimer ??= setTimeout(() => {
      this.readoutTimer = null;
      this.showReadouts();
    }, READOUT_MS);
  }

  // Now, not at the next tick (a change of state shows the latest figures at once).
  showReadouts() {
    clearTimeout(this.readoutTimer);
    this.readoutTimer = null;
    if (!this.ui.speed) return;
    const { t } = this.app;
    const workers = this.app.speed?.workers ?? this.app.session?.workers ?? 1;
    this.ui.speed.textContent = this.app.speed && this.app.session?.state === 'running'
      ? t('speed.value', { rate: fmtInt(Math.round(this.app.speed.samplesPerSec), this.app.lang), workers })
      : t('speed.idle', { workers });
    const p = this.app.progress;
    if (!p) this.ui.progress.textContent = '';
    else if (p.diverged) this.ui.progress.textContent = t('progress.diverged', { epoch: p.epoch, epochs: p.epochs, iteration: p.iteration });
    else if (p.iteration !== undefined) this.ui.progress.textContent = t('progress.value', { epoch: p.epoch, epochs: p.epochs, iteration: p.iteration });
    else this.ui.progress.textContent = t('progress.jobs', { done: p.runsDone, total: p.runs });
    this.root.dataset.iteration = String(p?.iteration ?? p?.runsDone ?? 0);
    this.root.dataset.runs = String(p?.runs ?? 0);
    this.root.dataset.runsDone = String(p?.runsDone ?? 0);
  }

  // Test digits, confusion matrix and drawing pad under a single net's charts (digits.js).
  _buildAids() {
    this.aids?.destroy();
    this.aids = null;
    delete this.root.dataset.digits;
    delete this.root.dataset.confusion;
    if (this.app.x.view !== 'single' || !this.ui.aids) return;
    this.aids = new DigitAids(this.ui.aids, {
      t: this.app.t,
      images: () => this.app.data.mnist().test,
      ask: (request, what) => this.app.session?.predict(request, what),
      onShown: ({ digits, confusion }) => {
        this.root.dataset.digits = String(digits);
        this.root.dataset.confusion = String(confusion);
        if (this.app.session?.state === 'done') this.showState(); // a dead net is named from the confusion matrix
      },
    });
    if (this.app.session?.state === 'done') this.aids.tick(true); // rebuilt (language, pin) after the run
  }

  // The status line of a finished run: what went wrong, where, and why (failures.js).
  _explainDone() {
    const { t } = this.app;
    const s = this.app.session;
    if (this.ui.hint) this.ui.hint.textContent = '';
    if (this.app.x.view === 'batchnorm' && this.view?.stuck) {
      const n = this.view.stuck();
      this.root.dataset.stuck = `${n.plain},${n.bn}`;
      return n.plain + n.bn ? t('status.gridStuck', { plain: n.plain, bn: n.bn, n: this.app.state.settings.scales.length }) : t('status.done');
    }
    if (this.app.x.view !== 'single') return t('status.done');
    const e = explainSingle({ t, settings: s.settings, series: seriesNames(this.app.x.preset, s.settings), results: this.app.results, diverged: !!s.detail?.diverged, confusion: this.aids?.lastMatrix });
    this.view?.badges?.set(e?.badges ?? []);
    if (this.ui.hint) this.ui.hint.textContent = e?.hint ?? '';
    this.root.dataset.failure = e ? (s.detail?.diverged ? 'diverged' : e.badges[0]) : '';
    return e?.status ?? t('status.done');
  }

  // A live change on the view's curves: "λ → 0.1" at the iteration it took effect.
  markView(m) {
    const name = m.key === 'weightDecay' ? 'λ' : this.app.t(`ctl.${m.key}`);
    this.view?.mark?.({ ...m, label: this.app.t('live.marker', { name, value: formatValue(m.key, m.value, this.app.t) }) });
    this.root.dataset.markers = String(this.app.markers?.length ?? 0);
  }
}
