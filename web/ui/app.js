// app.js: one playground: its state (experiment, settings, hidden controls,
// language), the DOM that shows it, and the session that trains it. The full
// page and the iframe page (main.js) and the custom element (embed.js) all
// mount this; they differ only in `mode`:
//   'page'    header, a tab per experiment, sharing tools; state in location.hash
//   'frame'   compact, one experiment; state in its own location.hash
//   'element' compact, one experiment; state from the element's attributes
// The DOM is playground-dom.js's PlaygroundDom, which the playground owns (this.dom).
import { translator, pickLang } from './i18n.js';
import { formatConfigValue } from '../engine/config.js';
import { EXPERIMENTS, LIVE_KEYS, defaultsFor, applyControl } from '../experiments/experiments.js';
import { readHash, writeHash } from './links.js';
import { formatValue } from './controls.js';
import { Results, namesOf } from './results.js';
import { Session } from '../workers/session.js';
import { onRedraw } from './charts.js';
import { dataSource } from '../data/data-cache.js';
import { pagePool } from '../workers/page-pool.js';
import { MANIFEST_URL, WORKER_URL, WASM_URL } from '../site/host.js';
import { PlaygroundDom } from './playground-dom.js';
import { LivePin, pinLabel, pinnedBaseline } from './pins.js';
import { hasBaseline, seriesNames } from '../experiments/presets.js';
import { PIN } from './views.js';
import { watchTheme, resolveTheme } from './theme.js';

export { readHash, readAttributes } from './links.js';

// If nothing is plotted this soon after the first shard is in (paused,
// off-screen), stream the other shards anyway. Counted from the first shard,
// not from the start: on a slow network the rest would compete with it.
const RELEASE_DATA_MS = 2000;

let uid = 0;

// A single net's progress: it has all its epochs, or diverged (its twin may train on).
const trained = (p) => !!p && (p.diverged || (p.epochs > 0 && p.epoch >= p.epochs));

export class Playground {
  // root: an element to fill; state: {preset, settings, hide, lang, page};
  // problems: what the link/attributes got wrong (shown once).
  constructor(root, { mode, state, problems = [] }) {
    this.root = root;
    this.mode = mode;
    this.id = `dlfs${++uid}`;
    this.state = state;
    this.problems = problems;
    this._useResults(new Results());
    this.pinned = null;
    this.pinnedSettings = null; // the settings run A started with (pins.js's pinnedBaseline)
    this.rounds = []; // the search's earlier rounds (search-view.js)
    this.pins = new Map(); // experiment -> its pinned run A, kept across tab switches
    this.pauseReasons = new Set();
    this.dataErrors = [];
    this.firstPlotted = false;
    this.dom = new PlaygroundDom(this);
    this.pool = pagePool({ workerUrl: WORKER_URL, wasmUrl: WASM_URL });
    this.data = dataSource(MANIFEST_URL);
    this.unsubscribe = [
      this.data.subscribe((e) => this._onData(e)),
      onRedraw(() => this._onRedraw()),
      // An auto theme follows the system's light/dark switch.
      watchTheme('auto', () => { if (resolveTheme(this.state.page.theme) !== this.dom.theme) this.dom.rerender(); }),
    ];
    this.data.start();
    // A data worker that failed before this playground subscribed (main.js
    // starts it early; a sandboxed frame refuses it at once) is shown too.
    if (this.data.fatal) this.dataErrors.push(this.data.fatal);
    this.pool.warm(1);
    this.data.need({ train: 1 }, { release: false }).then(() => {
      if (!this.destroyed) this.releaseTimer = setTimeout(() => this.data.release(), RELEASE_DATA_MS);
    }, () => {}); // a failed first shard is reported by _onData
    this._watchVisibility();
    if (mode !== 'element') {
      this.onHashChange = () => this._fromHash();
      window.addEventListener('hashchange', this.onHashChange);
    }
    this.dom.render();
    this.saveHash();
    this.restart(null);
  }

  get t() { return translator(this.lang); }

  // An element follows its own lang attribute, then the host page's language;
  // the playground's own pages follow the link, then the browser.
  get lang() {
    return pickLang(this.state.lang, this.mode === 'element' ? document.documentElement.lang : '', navigator.languages ?? []);
  }

  get x() { return EXPERIMENTS[this.state.preset]; }

  destroy() {
    this.destroyed = true;
    this._stopPin();
    this.session?.cancel();
    this.dom.destroy();
    this.unsubscribeResults();
    for (const u of this.unsubscribe) u();
    this.observer?.disconnect();
    document.removeEventListener('visibilitychange', this.onVisibility);
    if (this.onHashChange) window.removeEventListener('hashchange', this.onHashChange);
    clearTimeout(this.releaseTimer);
  }

  // ---- state ----

  hash() { return writeHash(this.state); }

  // Write the state where it lives (the page's hash) and into the links that carry it.
  saveHash() {
    this.dom.updateShare();
    if (this.mode === 'element') return;
    const hash = this.hash();
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }

  _fromHash() {
    if (location.hash === this.hash()) return;
    const { state, problems } = readHash(location.hash);
    const presetChanged = state.preset !== this.state.preset;
    this.state = state;
    this.problems = problems;
    if (presetChanged) { this._stopPin(); this.pinned = null; this.pinnedSettings = null; this.rounds = []; }
    this.dom.render();
    this.saveHash();
    this.restart(null);
  }

  // ---- visibility: training pauses off-screen and in a hidden tab ----

  _watchVisibility() {
    this.onVisibility = () => this._pauseFor('tab', document.visibilityState === 'hidden');
    document.addEventListener('visibilitychange', this.onVisibility);
    this.onVisibility();
    this.observer = new IntersectionObserver((entries) => {
      const e = entries[entries.length - 1];
      this._pauseFor('offscreen', !e.isIntersecting);
    });
    this.observer.observe(this.root);
  }

  _pauseFor(reason, on) {
    if (on) this.pauseReasons.add(reason);
    else this.pauseReasons.delete(reason);
    for (const s of new Set([this.session, this.livePin?.session])) {
      if (on) s?.pause(reason);
      else s?.resume(reason);
    }
    this.dom.showState();
  }

  // ---- the run ----

  // Start the experiment afresh; `why` (a setting's label) is announced.
  restart(why) {
    if (this.livePin?.running && this.livePin.session === this.session) {
      // Run A goes on beside B, into its own results; B starts in fresh ones.
      this._useResults(new Results());
    } else {
      if (this.session !== this.livePin?.session) this.session?.cancel();
      this.results.clear();
    }
    this.markers = []; // live changes of this run
    this.firstPlotted = false;
    this.speed = null;
    this.progress = null;
    this.dom.buildView();
    this.results.declare(namesOf(seriesNames(this.x.preset, this.state.settings)));
    const workers = this.state.page.workers ?? Math.max(1, Math.min(navigator.hardwareConcurrency || 2, 8));
    const session = new Session({
      name: this.state.preset,
      settings: this.state.settings,
      pool: this.pool,
      data: this.data,
      results: this.results,
      workers,
      onState: ({ state }) => {
        if (this.livePin?.session === session && ['done', 'error'].includes(state)) this._pinEnded();
        if (this.session !== session) return;
        if (state === 'done') performance.mark('dlfs:done', { detail: this.state.preset });
        if (state === 'done') this.dom.aids?.tick(true); // the finished net's last word
        this.dom.showState();
        this.dom.showReadouts();
      },
      onProgress: (p) => {
        if (this.livePin?.session === session) this._pinProgress(p);
        if (this.session === session) { this.progress = p; this.dom.readoutsSoon(); this.dom.aids?.tick(); }
      },
      onPredict: (m) => { if (this.session === session) this.dom.aids?.handle(m); },
      onSpeed: (s) => { if (this.session === session) { this.speed = s; this.dom.readoutsSoon(); } },
    });
    for (const r of this.pauseReasons) session.pause(r);
    this.session = session;
    this.startSettings = this.state.settings; // session.settings follows live changes; its twin does not
    this._holdPinTwin();
    performance.mark('dlfs:start', { detail: this.state.preset });
    if (why) this.dom.notice(this.t('restart.because', { name: why }), 'warn');
    this.dom.showState();
    this.dom.showReadouts();
    session.start();
  }

  togglePlay() {
    const s = this.session;
    if (s.state === 'done' || s.state === 'error') {
      this.pauseReasons.delete('user');
      this.restart(null);
    } else this._pauseFor('user', !this.pauseReasons.has('user'));
  }

  onControl(key, value) {
    const old = this.state.settings;
    const next = applyControl(this.state.preset, old, key, value);
    this.state = { ...this.state, settings: next };
    this.saveHash();
    const s = this.session;
    const running = s && !['done', 'error'].includes(s.state) && !s.previewing;
    // With run A pinned, every change starts a fresh run B to compare against it.
    const live = this.x.live && !this.pinned && LIVE_KEYS.includes(key) && running && (key !== 'dropout' || (old.dropout > 0 && value > 0));
    if (live) {
      s.live({ [key]: value });
      // The run goes on with new settings: keep its object in step for export.
      s.settings = next;
      // Regularisation switched on in a run that had none: its no-regularisation
      // twin would have to train from iteration 0 (same seed and batches), so
      // none appears; the notice says how to get one.
      const twinless = hasBaseline(next) && !hasBaseline(this.startSettings);
      // A twin that is drawn keeps the learning rate it started with (pool.js
      // sends it no live settings): applying the change to it at the same
      // iteration would need the two nets in lockstep, so the notice says so.
      const twinLr = key === 'lr' && hasBaseline(this.startSettings) && value !== this.startSettings.lr;
      const v = (x) => formatValue(key, x, this.t);
      const applied = this.t('live.applied', { name: this.t(`ctl.${key}`), value: v(value) });
      const more = twinless ? this.t('live.noBaseline', { reset: this.t('reset') })
        : twinLr ? this.t('live.baselineLr', { old: v(this.startSettings.lr), value: v(value), reset: this.t('reset') }) : '';
      this.dom.notice(more ? `${applied} ${more}` : applied, 'info');
      // Marked on the curves where it took effect (the next chunk starts after the last point shown).
      const at = { iteration: this.progress?.iteration ?? 0, epoch: Math.max(0, (this.progress?.epoch ?? 1) - 1), key, value };
      this.markers.push(at);
      this.dom.markView(at);
      this.root.dataset.live = `${key}=${formatConfigValue(key, value)}`;
    } else this.restart(this.t(`ctl.${key}`));
  }

  // The search's step 4: keep this round, search again in the best trials' range.
  narrow(ranges, round) {
    this.rounds = [...(this.rounds ?? []), round];
    this.state = { ...this.state, settings: { ...this.state.settings, ...ranges } };
    this.saveHash();
    this.dom.render();
    this.restart(null);
  }

  switchExperiment(name) {
    if (name === this.state.preset) return;
    this.rounds = [];
    // Each tab keeps its own pinned run A while the reader looks at another.
    this._stopPin();
    this.pins.set(this.state.preset, { pinned: this.pinned, desc: this.pinnedDesc, settings: this.pinnedSettings });
    const back = this.pins.get(name);
    const { lang, page } = this.state;
    this.state = { preset: name, settings: defaultsFor(name), hide: new Set(), lang, page };
    this.problems = [];
    this.pinned = back?.pinned ?? null;
    this.pinnedDesc = back?.desc ?? '';
    this.pinnedSettings = back?.settings ?? null;
    this.saveHash();
    this.dom.render();
    this.restart(null);
  }

  setLang(lang) {
    this.state = { ...this.state, lang };
    this.saveHash();
    this.dom.rerender();
  }

  // Show or hide a control (the link's _hide flags; the share panel edits them).
  setHidden(key, hidden) {
    const hide = new Set(this.state.hide);
    if (hidden) hide.add(key); else hide.delete(key);
    this.state = { ...this.state, hide };
    this.dom.showHidden();
    this.saveHash();
  }

  // Pin the run as A (its curves stay, dashed, under the next run's), or clear
  // the pin. A run pinned while it trains keeps training (LivePin).
  togglePin() {
    if (this.pinned) {
      this._stopPin();
      this.pinned = null;
      this.pinnedDesc = '';
      this.pinnedSettings = null;
    } else {
      this.pinned = this.results.snapshot();
      this.pinnedSettings = this.startSettings;
      const running = !['done', 'error'].includes(this.session.state);
      this.pinnedDesc = pinLabel(this.x.view, this.session.settings, this.progress, this.t, running && !trained(this.progress));
      if (running) this._followPin();
    }
    this.dom.showPinned();
  }

  // ---- run A, pinned while it trains (pins.js) ----

  _useResults(results) {
    this.unsubscribeResults?.();
    this.results = results;
    this.unsubscribeResults = results.subscribe((e) => this.dom?.view?.handle(e));
  }

  // A's points keep arriving: drawn into A's series (a series A did not have yet rebuilds the view).
  _followPin() {
    this.livePin = new LivePin({
      session: this.session,
      results: this.results,
      pinned: this.pinned,
      onPoints: (e) => {
        const { view } = this.dom;
        if (!view) return;
        if (view.routes.has(PIN + e.name)) view.handle({ ...e, name: PIN + e.name });
        else if (view.routes.has(e.name) && !view.pinSkips.has(e.name)) this.dom.showPinned();
      },
    });
  }

  // Run A's twin trains only while it is drawn: beside a B whose twin is the
  // same net, or which is that net itself, B's curves stand for it and it
  // waits on its worker (it goes on if a later B is another net: pins.js).
  _holdPinTwin() {
    const pin = this.livePin;
    if (!pin) return;
    const drawn = pin.session === this.session || pinnedBaseline(this.pinnedSettings, this.state.settings) === 'own';
    pin.session.holdBaseline(!drawn);
  }

  // A's own net has all its epochs (or diverged): its label loses "still
  // training" though its twin (held, or drawn and slower) may not have finished.
  _pinProgress(p) {
    const pin = this.livePin;
    pin.progress = p;
    if (pin.ownDone || !trained(p)) return;
    pin.ownDone = true;
    this.pinnedDesc = pinLabel(this.x.view, pin.session.settings, null, this.t);
    this.dom.showCompare();
  }

  // A finished (or failed): its label loses "still training".
  _pinEnded() {
    const pin = this.livePin;
    this.livePin = null;
    pin.stop(this.session);
    this.pinnedDesc = pinLabel(this.x.view, pin.session.settings, pin.session.state === 'done' ? null : pin.progress, this.t);
    this.dom.showCompare();
  }

  // Let A go (unpinned, another tab): it keeps the points it has, and says where it stopped.
  _stopPin() {
    const pin = this.livePin;
    if (!pin) return;
    this.livePin = null;
    pin.stop(this.session);
    if (this.pinned) this.pinnedDesc = pinLabel(this.x.view, pin.session.settings, pin.progress, this.t);
  }

  // ---- data ----

  _onData(e) {
    if (e.type === 'error' || e.type === 'fatal') {
      this.dataErrors.push(e.error);
      this.dom.showDataErrors();
    }
    this.dom.showDataProgress();
  }

  _onRedraw() {
    if (!this.dom.view) return;
    let n = 0;
    for (const c of this.dom.view.charts) n += c.drawnPoints;
    if (String(n) !== this.root.dataset.points) this.root.dataset.points = String(n);
    if (this.dom.view.filled) this.root.dataset.filled = String(this.dom.view.filled());
    if (this.dom.view.searchState) { const q = this.dom.view.searchState(); this.root.dataset.search = `${q.round}:${q.trials}:${q.all}`; }
    // Points per series ("name=count;..."), for readers of the page's state (the browser tests).
    const counts = [...this.results.series].map(([name, sr]) => `${name}=${sr.values.length}`).join(';');
    if (counts !== this.root.dataset.series) this.root.dataset.series = counts;
    // Run A's too, drawn or not (a twin nothing draws should not be training).
    const pinned = [...(this.pinned ?? [])].map(([name, sr]) => `${name}=${sr.values.length}`).join(';');
    if (pinned !== (this.root.dataset.pinned ?? '')) this.root.dataset.pinned = pinned;
    if (n > 0 && !this.firstPlotted) {
      this.firstPlotted = true;
      performance.mark('dlfs:first-point');
      this.data.release();
    }
  }
}
