#!/usr/bin/env node
// make-embed-css.mjs: writes web/embed.css, the heights the custom elements
// reserve before their script arrives, from web/ui/embed-size.js (the one
// source of the compact layout). Run it after changing embed-size.js; a test
// (browser-state.test.mjs) fails while web/embed.css is out of date.
import { writeFile } from 'node:fs/promises';
import { reservationCss } from '../web/ui/embed-size.js';

const out = new URL('../web/embed.css', import.meta.url);
await writeFile(out, reservationCss());
console.log(`make-embed-css: wrote ${out.pathname}`);
