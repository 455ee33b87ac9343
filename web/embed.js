// embed.js: <dlfs-playground> for blogs. One module script from the
// playground's host defines it:
//   <script type="module" src="https://HOST/embed.js"></script>
//   <dlfs-playground preset="overfit" weight-decay="0.1" controls="dropout,weightDecay" lang="ko"></dlfs-playground>
// Each element renders into its own Shadow DOM (our styles stay in, the
// blog's stay out) and loads the playground only when it comes near the
// viewport. Until then it holds the very height the playground will have
// (embed-size.js), so nothing on the blog moves when it arrives. All elements
// on a page share one MNIST download and one set of workers (app.js's modules
// are loaded once). Attributes: preset, controls, lang, charts, theme,
// font="inherit", workers and any setting (see links.js's readAttributes).
import { startFailure } from './ui/dom.js';
import { readAttributes } from './ui/links.js';
import { planForState } from './ui/embed-size.js';
import { resolveTheme } from './ui/theme.js';
import { STYLES_URL } from './site/host.js';

const NEAR_VIEWPORT = '400px';

class DlfsPlayground extends HTMLElement {
  connectedCallback() {
    if (!this.shadowRoot) this.build();
    if (this.playground) return;
    this.observer = new IntersectionObserver((entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      this.observer.disconnect();
      this.mount();
    }, { rootMargin: NEAR_VIEWPORT });
    this.observer.observe(this);
  }

  build() {
    const shadow = this.attachShadow({ mode: 'open' });
    // A block from the first frame, before styles.css arrives (a constructed
    // sheet: no inline style for a CSP to refuse; the blog's own rules for
    // the element still win over :host). Its root holds its margins in (the
    // placeholder's would otherwise stick out of it until styles.css comes).
    if ('adoptedStyleSheets' in shadow) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(':host { display: block; } :host > div { display: flow-root; }');
      shadow.adoptedStyleSheets = [sheet];
    }
    const css = document.createElement('link');
    css.rel = 'stylesheet';
    css.href = STYLES_URL.href;
    const root = document.createElement('div');
    root.className = 'dlfs compact';
    const { state } = readAttributes(this);
    root.dataset.theme = resolveTheme(state.page.theme);
    if (state.page.font === 'inherit') root.classList.add('inherit-font');
    root.style.height = `${planForState(state).height}px`;
    const wait = document.createElement('p');
    wait.className = 'placeholder';
    wait.textContent = (this.getAttribute('lang') ?? document.documentElement.lang).startsWith('ko')
      ? '화면에 나타나면 플레이그라운드를 불러옵니다.'
      : 'The playground loads when it scrolls into view.';
    root.append(wait);
    shadow.append(css, root);
    this.root = root;
  }

  async mount() {
    try {
      const { Playground, readAttributes } = await import('./ui/app.js');
      if (!this.isConnected || this.playground) return;
      const { state, problems } = readAttributes(this);
      this.playground = new Playground(this.root, { mode: 'element', state, problems });
    } catch (err) {
      this.root.replaceChildren(startFailure(err));
    }
  }

  disconnectedCallback() {
    this.observer?.disconnect();
    this.playground?.destroy();
    this.playground = null;
  }
}

if (!customElements.get('dlfs-playground')) customElements.define('dlfs-playground', DlfsPlayground);
