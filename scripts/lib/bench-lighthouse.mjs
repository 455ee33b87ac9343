// bench-lighthouse.mjs: Lighthouse (npm lighthouse@12.2.3, its default mobile
// emulation with simulated throttling) on a URL, in Debian's Chromium (never
// a downloaded browser), for scripts/bench-page.mjs. Returns the category
// scores 0-100 and the failing audits that cost the most; `keep` (a path)
// keeps the whole JSON report, whose 'long-tasks', 'bootup-time',
// 'mainthread-work-breakdown' and 'unused-javascript' audits say where the
// main thread's time went.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../node_modules/lighthouse/cli/index.js', import.meta.url));

export async function lighthouseScores(url, { keep } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'dlfs-lighthouse-'));
  try {
    const out = join(dir, 'report.json');
    await new Promise((resolve, reject) => {
      execFile(process.execPath, [BIN, url, '--quiet', '--output=json', `--output-path=${out}`,
        '--only-categories=performance,accessibility,best-practices',
        '--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync',
      ], { env: { ...process.env, CHROME_PATH: '/usr/bin/chromium' }, maxBuffer: 64 << 20, timeout: 300000 },
      (err, stdout, stderr) => (err ? reject(new Error(`lighthouse failed: ${stderr || err.message}`)) : resolve()));
    });
    const text = await readFile(out, 'utf8');
    if (keep) await writeFile(keep, text);
    const report = JSON.parse(text);
    const scores = Object.fromEntries(Object.entries(report.categories).map(([k, c]) => [k, Math.round(c.score * 100)]));
    const failing = Object.values(report.audits)
      .filter((a) => a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== 'informative' && a.scoreDisplayMode !== 'notApplicable')
      .map((a) => a.id);
    const metrics = ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index']
      .map((id) => `${id.replace(/-/g, ' ')} ${report.audits[id]?.displayValue ?? '?'}`).join(', ');
    return { ...scores, version: report.lighthouseVersion, notes: `${metrics}${failing.length ? `; below 0.9: ${failing.join(', ')}` : ''}` };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
