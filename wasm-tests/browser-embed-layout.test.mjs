// The compact embeds' layout, every preset, in Chromium and Firefox: as a
// custom element and as an iframe (embed.html), in a 720 px blog column
// (760 px window) and a 350 px one (390 px phone), once the first points are
// drawn, every chart has room, nothing overlaps, nothing is clipped
// (embed-layout.mjs says what each means), and the embed is as tall as the
// room it held before it mounted (the element: its placeholder; the iframe:
// the height its snippet gives, embed-size.js's plan) - nothing on the blog
// moves. One page per browser and width; the presets take turns in it.
// Languages and themes alternate (element: Korean at 720, English at 390;
// iframe the other way; iframes dark). A screenshot of each goes to
// artifacts/layout-<browser>-<width>-<preset>[-<charts>][-font]-<element|iframe>.png.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browserSuite, serve, ARTIFACTS } from './browser-harness.mjs';
import { BROWSERS, startBrowser } from './browsers.mjs';
import { layoutProblems } from './embed-layout.mjs';
import { EXPERIMENT_NAMES } from '../web/experiments/experiments.js';
import { planForState } from '../web/ui/embed-size.js';
import { readHash } from '../web/ui/links.js';

// The playground's server sends CORS headers: the blog below is another origin.
const { server } = browserSuite({ headers: { 'Access-Control-Allow-Origin': '*' } });
let blog;
let blogDir;
// Made on first use: top-level before hooks do not wait for each other (the server's must come first).
const blogPage = async () => {
  if (blog) return;
  blogDir = await mkdtemp(join(tmpdir(), 'dlfs-layout-'));
  await writeFile(join(blogDir, 'index.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A blog</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="${server.origin}/embed.css">
<script type="module" src="${server.origin}/embed.js"></script>
<script src="${server.origin}/embed-host.js" defer></script>
<style>body { margin: 0; font: 17px/1.7 Georgia, serif; } main { max-width: 720px; margin: 0 auto; padding: 8px 20px; }
iframe { display: block; width: 100%; border: 0; }</style></head>
<body><main><p>Text above the embed.</p><div id="slot"></div><p>Text below it.</p></main></body></html>`);
  blog = await serve({ root: blogDir, headers: { 'Content-Security-Policy': '' } });
};
after(async () => {
  await blog?.close();
  if (blogDir) await rm(blogDir, { recursive: true, force: true });
});

// Window width -> the blog's column, and what a chart needs there (px).
const WIDTHS = [
  { window: 760, column: 720, minChart: 120, minCell: 72, cellAspect: 0.45 },
  { window: 390, column: 350, minChart: 120, minCell: 64, cellAspect: 0.45 },
];
const WAIT = 90000;

// Wait for the embed's first plotted points; on a timeout, say what it was doing.
async function firstPoints(frame, where) {
  const read = (w) => {
    const r = w === 'element' ? document.querySelector('dlfs-playground')?.shadowRoot?.querySelector('.dlfs') : document.querySelector('.dlfs');
    return r && { ...r.dataset, status: r.querySelector('.status')?.textContent };
  };
  try {
    await frame.waitFor((w) => {
      const r = w === 'element' ? document.querySelector('dlfs-playground')?.shadowRoot?.querySelector('.dlfs') : document.querySelector('.dlfs');
      return Number(r?.dataset.points) > 0;
    }, where, WAIT);
  } catch (err) {
    throw new Error(`${err.message.split('\n')[0]}; the embed: ${JSON.stringify(await frame.evaluate(read, where).catch(() => null))}`);
  }
  // Two frames for the charts drawn with those points to settle.
  await frame.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

const slotHeight = (page, selector) => page.evaluate((s) => Math.round(document.querySelector(s).getBoundingClientRect().height * 10) / 10, selector);

let shotMs = 0; // time spent on screenshots, printed with each mount
async function shoot(page, name) {
  const t0 = performance.now();
  const el = await page.raw.$('#slot');
  await el.screenshot({ path: join(ARTIFACTS, `layout-${page.kind}-${name}.png`) });
  shotMs += performance.now() - t0;
}

// What is mounted: every preset as a blog gets it, then the charts= choices
// that differ from a preset's default (a single run with its histograms too;
// the search with its best trials), one with font="inherit" (the blog's serif).
// `attrs`: the element's attributes; the iframe's hash has the same keys
// (font= is the element's alone). Two presets are made quicker to their
// first point without changing their layout (embed-size.js plans neither
// from these settings): the gradient check runs a 784-20-20-10 net (the same
// ten tensors, so the same table, in a fraction of the 784-100-100-10 check's
// time) and the search's trials train 10 epochs, not 50 (its first point is
// its first finished trial).
const QUICK = { 'gradient-check': { 'hidden-layers': '20,20' }, search: { epochs: '10' } };
const MOUNTS = [
  ...EXPERIMENT_NAMES.map((preset) => ({ preset, attrs: QUICK[preset] ?? {} })),
  { preset: 'overfit', attrs: { charts: 'loss,accuracy,histograms', font: 'inherit' } },
  { preset: 'search', attrs: { ...QUICK.search, charts: 'scatter,best,table' } },
];
const hashKeys = (attrs) => Object.entries(attrs).filter(([k]) => k !== 'font').map(([k, v]) => `&${k === 'hidden-layers' ? 'hidden' : k}=${v}`).join('');
const mountName = ({ preset, attrs }) => [preset, ...Object.entries(attrs).map(([k, v]) => `${k}=${v}`)].join(' ');
const fileName = ({ preset, attrs }) => [preset, attrs.charts?.replaceAll(',', '-'), attrs.font && 'font'].filter(Boolean).join('-');

// One mount as a custom element: {reserved, final, problems}. The element
// holds the height it reserved from the moment it is in the page.
async function element(page, m, w, lang) {
  const { preset, attrs } = m;
  await page.evaluate(({ preset, lang, attrs }) => {
    const e = document.createElement('dlfs-playground');
    e.setAttribute('preset', preset);
    e.setAttribute('lang', lang);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    document.getElementById('slot').replaceChildren(e);
  }, { preset, lang, attrs });
  const reserved = await slotHeight(page, 'dlfs-playground');
  await firstPoints(page, 'element');
  const final = await slotHeight(page, 'dlfs-playground');
  const problems = await page.evaluate(layoutProblems, { where: 'element', ...w, narrow: w.column < 520 });
  await shoot(page, `${w.column}-${fileName(m)}-element`);
  return { reserved, final, problems };
}

// The same preset in an iframe, as tall as its snippet says (the plan for
// this width): embed-host.js then applies the height the embed posts.
// (One embed at a time: an optimizers element and iframe side by side, each
// with its own full MNIST and workers, lost the page in headless Chromium.)
async function iframe(page, m, w, lang) {
  const { preset } = m;
  const hash = `#preset=${preset}&lang=${lang}&theme=dark${hashKeys(m.attrs)}`;
  const reserved = planForState(readHash(hash).state, w.column > 519).height;
  await page.evaluate(({ src, reserved }) => {
    const f = document.createElement('iframe');
    f.src = src;
    f.title = 'playground';
    f.height = String(reserved);
    document.getElementById('slot').replaceChildren(f);
  }, { src: `${server.origin}/embed.html${hash}`, reserved });
  // (The embed rewrites its hash with every setting; the frame it replaced was another preset's.)
  const frame = await page.frame((u) => u.includes('/embed.html') && u.includes(`preset=${preset}&`));
  await firstPoints(frame, 'frame');
  // The embed posts its height as it lays out; the host applies it.
  await page.waitFor(() => document.querySelector('#slot iframe').style.height !== '', null, WAIT);
  const final = await slotHeight(page, '#slot iframe');
  const problems = await frame.evaluate(layoutProblems, { where: 'frame', ...w, narrow: w.column < 520 });
  const scroll = await frame.evaluate(() => [document.documentElement.scrollHeight, window.innerHeight, document.documentElement.scrollWidth, window.innerWidth]);
  if (scroll[0] > scroll[1] || scroll[2] > scroll[3]) problems.push(`the frame's document scrolls (${scroll})`);
  await shoot(page, `${w.column}-${fileName(m)}-iframe`);
  return { reserved, final, problems };
}

for (const name of BROWSERS) {
  describe(name, () => {
    let browser;
    before(async () => {
      await blogPage();
      browser = await startBrowser(name);
    });
    after(async () => { await browser?.close(); });

    for (const w of WIDTHS) {
      test(`${name}, ${w.column} px column: every preset's compact element and iframe lay out with room for each chart, no overlap, nothing clipped, no shift`, async () => {
        const page = await browser.newPage({ origins: [blog.origin, server.origin], viewport: { width: w.window, height: 1100 } }); // the tallest embed in view
        const failures = [];
        try {
          await page.goto(`${blog.origin}/`);
          await page.waitFor(() => !!customElements.get('dlfs-playground')).catch(() => { throw new Error(`embed.js did not define the element: ${JSON.stringify(page.seen.errors)}`); });
          assert.equal(await page.evaluate(() => document.getElementById('slot').getBoundingClientRect().width), w.column);
          const langs = w.column > 519 ? ['ko', 'en'] : ['en', 'ko'];
          for (const m of MOUNTS) {
            for (const [kind, mount, lang] of [['element', element, langs[0]], ['iframe', iframe, langs[1]]]) {
              const t0 = performance.now();
              shotMs = 0;
              const r = await mount(page, m, w, lang);
              console.log(`# ${name} ${w.column} px ${mountName(m)} ${kind} (${lang}): reserved ${r.reserved} px, final ${r.final} px, ${r.problems.length} problems (${Math.round(performance.now() - t0)} ms, screenshot ${Math.round(shotMs)})`);
              if (Math.abs(r.final - r.reserved) > 2) r.problems.push(`height ${r.final} px after mounting, ${r.reserved} px reserved before`);
              for (const p of r.problems) failures.push(`${mountName(m)} ${kind} (${lang}): ${p}`);
            }
          }
          await page.evaluate(() => document.getElementById('slot').replaceChildren());
          assert.deepEqual(failures, [], `layout problems:\n${failures.join('\n')}`);
          assert.deepEqual(page.seen.foreign, [], 'no request may leave the two origins');
          // (Removing an embed aborts its downloads: that is the test's doing, not the embed's.
          // Firefox names a shard cut off by its worker's termination NS_BASE_STREAM_CLOSED.)
          const errors = page.seen.errors.filter((e) => !/^request failed: .*\((net::ERR_ABORTED|NS_BINDING_ABORTED|NS_BASE_STREAM_CLOSED|Browsing context already closed\.)\)$/.test(e));
          assert.deepEqual(errors, [], 'no console errors or failed requests');
        } finally {
          await page.close();
        }
      });
    }
  });
}
