// playground-dom.js: the DOM of app.js's Playground: it builds the page or the
// embed from the playground's state (header, tabs, settings, charts, sharing
// tools) and shows the session's state, readouts and data loading in it.
// Playground extends PlaygroundDom; these methods read the state, session,
// results and data that Playground keeps.
import { EXPERIMENT_NAMES, controlValues } from '../experiments/experiments.js';
import { buildControls, formatValue } from './controls.js';
import { SingleRunView, InitView, BatchNormView } from './views.js';
import { ActivationsView } from './activations-view.js';
import { SearchRoundsView } from './search-view.js';
import { Optimizers2dView, OptimizersView, GradcheckView } from './views-optimizers.js';
import { downloadText, downloadPNG, slug } from './export.js';
import { sharePanel } from './share-panel.js';
import { el } from './dom.js';
import { BASE } from '../host.js';
import { DigitAids } from './digits.js';
import { aboutParams } from './teach.js';
import { explainSingle } from './failures.js';
import { pinLabel } from './pins.js';
import { renderCompact, fitCompact } from './compact.js';
import { resolveTheme } from './theme.js';

const VIEWS = {
  single: SingleRunView, init: InitView, activations: ActivationsView, batchnorm: BatchNormView, search: SearchRoundsView,
  optimizers2d: Optimizers2dView, optimizers: OptimizersView, gradcheck: GradcheckView,
};
const COMPARABLE = new Set(['single', 'init', 'batchnorm']);
const READOUT_MS = 250;

export class PlaygroundDom {
  // ---- DOM ----

  _render() {
    const { t } = this;
    const compact = this.mode !== 'page';
    // font="inherit" reaches the blog's font through the shadow root; a page (an iframe's too) has none to inherit.
    const inherit = this.mode === 'element' && this.state.page.font === 'inherit';
    this.root.className = `dlfs${compact ? ' compact' : ''}${inherit ? ' inherit-font' : ''}`;
    this.root.lang = this.lang;
    this.theme = resolveTheme(this.state.page.theme);
    this.root.dataset.theme = this.theme;
    if (this.mode !== 'element') {
      document.documentElement.lang = this.lang;
      document.title = this.t('title');
      document.body.dataset.theme = this.theme;
    }
    this.root.replaceChildren();
    this.ui = {};
    if (compact) {
      renderCompact(this);
      this._showAll();
      return;
    }

    this.root.append(this._header());
    this.root.append(this._tabs());

    const panelId = `${this.id}-panel`;
    const body = el('div', { id: panelId, ...(this.mode === 'page' ? { role: 'tabpanel', 'aria-labelledby': `${this.id}-tab-${this.state.preset}` } : {}) });
    this.root.append(body);
    body.append(el('p', { class: 'about', text: t(`about.${this.state.preset}`, aboutParams(this.state.settings)) }));
    body.append(el('p', { class: 'book-ref', text: t(`book.${this.state.preset}`) }));
    this.ui.hashNotice = el('div', { class: 'notice warn', role: 'alert' });
    if (this.problems.length) this.ui.hashNotice.textContent = t('hash.bad', { problems: this.problems.join('; ') });
    this.ui.dataErrors = el('div', { class: 'notice error', role: 'alert' });
    body.append(this.ui.hashNotice, this._dataBar(), this.ui.dataErrors);
    this.ui.dataBar.hidden = this.x.view === 'activations'; // it reads no MNIST

    const layout = el('div', { class: 'layout' });
    body.append(layout);
    layout.append(this._side(), this._main(), this.ui.aids);
    body.append(this._share());
    this._showAll();
  }

  // Build everything again (a new language or theme) and redraw what the run has shown.
  _rerender() {
    this._render();
    this._buildView();
    this.results.replay((e) => this.view.handle(e));
  }

  _showAll() {
    this._showDataErrors();
    this._showDataProgress();
    this._showState();
    this._showReadouts();
  }

  _header() {
    const { t } = this;
    const lang = el('select', { id: `${this.id}-lang` });
    for (const [code, name] of [['ko', '한국어'], ['en', 'English']]) lang.append(el('option', { value: code, text: name }));
    lang.value = this.lang;
    lang.addEventListener('change', () => {
      this.state = { ...this.state, lang: lang.value };
      this._saveHash();
      this._rerender();
    });
    this.ui.copy = el('button', { type: 'button', class: 'btn', text: t('copyLink'), onclick: () => this._copyLink() });
    return el('header', { class: 'top' },
      el('div', {}, el('h1', { text: t('title') }), el('p', { class: 'subtitle', text: t('subtitle') })),
      el('div', { class: 'top-actions' }, el('label', { for: lang.id, class: 'sr-only', text: t('language') }), lang, this.ui.copy));
  }

  // Tabs with roving focus: arrow keys move between experiments (WAI-ARIA tabs pattern).
  _tabs() {
    const { t } = this;
    const list = el('div', { role: 'tablist', 'aria-label': t('presets') });
    const tabs = EXPERIMENT_NAMES.map((name) => {
      const selected = name === this.state.preset;
      return el('button', {
        type: 'button', role: 'tab', id: `${this.id}-tab-${name}`, 'aria-selected': String(selected),
        'aria-controls': `${this.id}-panel`, tabindex: selected ? '0' : '-1', 'data-preset': name,
        text: t(`preset.${name}`), onclick: () => this._switchExperiment(name),
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
      this._switchExperiment(name); // re-renders the tabs
      this.root.querySelector(`[data-preset="${name}"]`)?.focus();
    });
    return list;
  }

  _dataBar() {
    this.ui.dataBar = el('div', { class: 'data' });
    this.ui.dataProgress = el('progress', { max: '1', value: '0', 'aria-label': 'MNIST' });
    this.ui.dataText = el('span', { 'aria-live': 'polite' });
    this.ui.dataBar.append(this.ui.dataProgress, this.ui.dataText);
    return this.ui.dataBar;
  }

  _side() {
    const { t } = this;
    const side = el('section', { class: 'panel side', 'aria-label': t('settings') });
    const [play, step, reset] = this._transport();
    side.append(el('div', { class: 'transport' }, play, step, reset));
    // The activations experiment feeds random numbers through untrained layers:
    // no MNIST and no training speed to report there.
    const readouts = this._readouts();
    if (this.x.view === 'activations') readouts.hidden = true;
    side.append(readouts);
    this.ui.status = el('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
    this.ui.notice = el('div', { class: 'notice', 'aria-live': 'polite' });
    this.ui.hint = el('div', { class: 'hint', role: 'note' });
    side.append(this.ui.status, this.ui.hint, this.ui.notice);
    // Every control is built; hidden ones (the link's _hide flags) are just not shown.
    // Collapsed on a phone, where the charts come first (styles.css).
    this.ui.controlsTitle = el('summary', { text: t('settings') });
    this.ui.controls = this._controls(this.x.controls);
    const narrow = typeof matchMedia === 'function' && matchMedia('(max-width: 760px)').matches;
    side.append(el('details', { class: 'settings-box', ...(narrow ? {} : { open: '' }) }, this.ui.controlsTitle, this.ui.controls));
    this._showHidden();
    return side;
  }

  // Play/pause, step, reset (ui.play, ui.step, ui.reset).
  _transport() {
    const { t } = this;
    this.ui.play = el('button', { type: 'button', class: 'btn primary', 'data-action': 'play', onclick: () => this._togglePlay() });
    this.ui.step = el('button', { type: 'button', class: 'btn', 'data-action': 'step', title: t('step.title'), text: t('step'), onclick: () => this.session?.step() });
    this.ui.reset = el('button', { type: 'button', class: 'btn', 'data-action': 'reset', title: t('reset.title'), text: t('reset'), onclick: () => this._restart(null) });
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
    buildControls(box, { keys, values: controlValues(this.state.preset, this.state.settings), onChange: (k, v) => this._onControl(k, v), t: this.t });
    return box;
  }

  _showHidden() {
    for (const row of this.ui.controls.children) row.hidden = this.state.hide.has(row.dataset.key);
    this.ui.controlsTitle.parentElement.hidden = this.x.controls.every((k) => this.state.hide.has(k));
  }

  _main() {
    const { t } = this;
    const main = el('section', { class: 'main', 'aria-label': t(`preset.${this.state.preset}`) });
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
    const { t } = this;
    const tools = el('div', { class: 'row tools' });
    tools.append(
      el('button', { type: 'button', class: 'btn', text: t('exportCsv'), onclick: () => downloadText(`dlfs-${this.state.preset}.csv`, this.results.toCSV(), 'text/csv') }),
      el('button', {
        type: 'button', class: 'btn', text: t('exportJson'),
        onclick: () => downloadText(`dlfs-${this.state.preset}.json`, `${JSON.stringify(this.results.toJSON(this.x.preset, this.session.settings), null, 1)}\n`, 'application/json'),
      }),
    );
    if (COMPARABLE.has(this.x.view)) {
      this.ui.pin = el('button', { type: 'button', class: 'btn', 'data-action': 'pin', onclick: () => this._togglePin() });
      this.ui.compareNote = el('p', { class: 'legend-note' });
      tools.append(this.ui.pin);
      this._showCompare();
    }
    return { tools, note: this.ui.compareNote };
  }

  _buildView() {
    this.view?.destroy();
    const View = VIEWS[this.x.view];
    this.view = new View(this.ui.charts, {
      t: this.t,
      settings: this.state.settings,
      pinned: this.pinned,
      rounds: this.rounds,
      onNarrow: (ranges, round) => this._narrow(ranges, round),
      charts: this.ui.chartIds ?? null,
      theme: this.theme,
      compact: this.mode !== 'page',
    });
    this.view.onPng = (entry) => downloadPNG(`${slug(entry.title)}.png`, entry.charts, entry.columns);
    this.root.dataset.points = '0';
    for (const m of this.markers ?? []) this._markView(m);
    this._buildAids();
    if (this.mode !== 'page') fitCompact(this);
  }

  _togglePin() {
    if (this.pinned) {
      this._stopPin();
      this.pinned = null;
      this.pinnedDesc = '';
    } else {
      this.pinned = this.results.snapshot();
      const live = !['done', 'error'].includes(this.session.state);
      this.pinnedDesc = pinLabel(this.x.view, this.session.settings, this.progress, this.t, live);
      if (live) this._followPin();
    }
    this._buildView();
    this.results.replay((e) => this.view.handle(e));
    this._showCompare();
  }

  _showCompare() {
    if (!this.ui.pin) return;
    const { t } = this;
    this.ui.pin.textContent = this.pinned ? t('clearA') : t('pinA');
    this.ui.pin.setAttribute('aria-pressed', String(!!this.pinned));
    this.ui.compareNote.textContent = this.pinned ? t('compare.pinned', { desc: this.pinnedDesc }) : t('compare.none');
  }

  _share() {
    this.share = sharePanel({
      t: this.t,
      id: this.id,
      state: this.state,
      onHide: (key, hidden) => {
        const hide = new Set(this.state.hide);
        if (hidden) hide.add(key); else hide.delete(key);
        this.state = { ...this.state, hide };
        this._showHidden();
        this._saveHash();
      },
    });
    this.share.update(this.state, this.lang);
    return this.share.element;
  }

  // The links that carry the state: the embed's "open the full playground" and the share panel.
  _updateShare() {
    if (this.ui.fullLink) this.ui.fullLink.href = new URL(`index.html${this._hash()}`, BASE).href;
    if (this.mode === 'page') this.share?.update(this.state, this.lang);
  }

  async _copyLink() {
    const url = this.mode === 'page' ? location.href : new URL(`index.html${this._hash()}`, BASE).href;
    try {
      await navigator.clipboard.writeText(url);
      this.ui.copy.textContent = this.t('copied');
    } catch {
      this.ui.copy.textContent = this.t('copyFailed');
    }
    setTimeout(() => { if (this.ui.copy) this.ui.copy.textContent = this.t('copyLink'); }, 2500);
  }

  _notice(text, kind) {
    this.ui.notice.textContent = text;
    this.ui.notice.className = `notice ${kind === 'warn' ? 'warn' : ''}`;
  }

  _showDataErrors() {
    this.ui.dataErrors.textContent = this.dataErrors
      .map((e) => this.t('data.failed', { name: e.shard, problem: e.problem ?? e.message })).join(' ');
  }

  _showDataProgress() {
    const p = this.data.progress;
    if (!this.ui.dataBar || !p.shardsTotal) return;
    const complete = p.shardsDone >= p.shardsTotal;
    this.ui.dataProgress.value = p.totalBytes ? Math.min(1, p.loadedBytes / p.totalBytes) : p.shardsDone / p.shardsTotal;
    this.ui.dataText.textContent = complete
      ? this.t('data.done', { loaded: p.shardsDone - this.data.failed.size, total: p.shardsTotal })
      : this.t('data.progress', { done: p.shardsDone, total: p.shardsTotal, mb: (p.loadedBytes / 1e6).toFixed(1) });
    this.ui.dataBar.classList.toggle('complete', complete);
  }

  _showState() {
    const s = this.session;
    if (!s || !this.ui.status) return;
    const { t } = this;
    const state = s.state;
    this.root.dataset.state = state;
    let text;
    if (state === 'waiting') text = t('status.waitingData', { shards: s.detail.join(', ') });
    else if (state === 'paused') text = this.pauseReasons.has('user') ? t('status.paused') : t('status.pausedHidden');
    else if (state === 'running') text = t('status.training');
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
    if (err?.name === 'ShardError') return this.t('data.needsFailed', { name: err.shard });
    return this.t('error.engine', { message: err?.message ?? String(err) });
  }

  // Progress arrives with every chunk of every worker; the text changes at
  // most a few times a second (each change is a layout and a paint).
  _readoutsSoon() {
    this.readoutTimer ??= setTimeout(() => {
      this.readoutTimer = null;
      this._showReadouts();
    }, READOUT_MS);
  }

  _showReadouts() {
    if (!this.ui.speed) return;
    const { t } = this;
    const workers = this.speed?.workers ?? this.session?.workers ?? 1;
    this.ui.speed.textContent = this.speed && this.session?.state === 'running'
      ? t('speed.value', { rate: Math.round(this.speed.samplesPerSec).toLocaleString(this.lang), workers })
      : t('speed.idle', { workers });
    const p = this.progress;
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
    if (this.x.view !== 'single' || !this.ui.aids) return;
    this.aids = new DigitAids(this.ui.aids, {
      t: this.t,
      images: () => this.data.mnist().test,
      ask: (request, what) => this.session?.predict(request, what),
      onShown: ({ digits, confusion }) => {
        this.root.dataset.digits = String(digits);
        this.root.dataset.confusion = String(confusion);
        if (this.session?.state === 'done') this._showState(); // a dead net is named from the confusion matrix
      },
    });
    if (this.session?.state === 'done') this.aids.tick(true); // rebuilt (language, pin) after the run
  }

  // The status line of a finished run: what went wrong, where, and why (failures.js).
  _explainDone() {
    const { t } = this;
    const s = this.session;
    if (this.ui.hint) this.ui.hint.textContent = '';
    if (this.x.view === 'batchnorm' && this.view?.stuck) {
      const n = this.view.stuck();
      this.root.dataset.stuck = `${n.plain},${n.bn}`;
      return n.plain + n.bn ? t('status.gridStuck', { plain: n.plain, bn: n.bn, n: this.state.settings.scales.length }) : t('status.done');
    }
    if (this.x.view !== 'single') return t('status.done');
    const e = explainSingle({ t, settings: s.settings, results: this.results, diverged: !!s.detail?.diverged, confusion: this.aids?.lastMatrix });
    this.view?.badges?.set(e?.badges ?? []);
    if (this.ui.hint) this.ui.hint.textContent = e?.hint ?? '';
    this.root.dataset.failure = e ? (s.detail?.diverged ? 'diverged' : e.badges[0]) : '';
    return e?.status ?? t('status.done');
  }

  // A live change on the view's curves: "λ → 0.1" at the iteration it took effect.
  _markView(m) {
    const name = m.key === 'weightDecay' ? 'λ' : this.t(`ctl.${m.key}`);
    this.view?.mark?.({ ...m, label: this.t('live.marker', { name, value: formatValue(m.key, m.value, this.t) }) });
    this.root.dataset.markers = String(this.markers?.length ?? 0);
  }
}
