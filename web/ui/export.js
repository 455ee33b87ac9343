// export.js: downloads for the export buttons: the curves as CSV or JSON
// (results.js formats them) and any figure as PNG. Small multiples are drawn
// onto one canvas so a figure is one image, as on screen.

function download(filename, blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  a.click();
  // The click has started the download synchronously; the URL can go after this task.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function downloadText(filename, text, type) {
  download(filename, new Blob([text], { type }));
}

// A file-name-safe stem from a title (keeps Korean letters).
export function slug(text) {
  return String(text).toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'chart';
}

// One PNG of `charts` (each with .canvas), laid out `columns` wide on white
// (a transparent PNG is unreadable in most image viewers' dark mode).
export function downloadPNG(filename, charts, columns = 1) {
  for (const c of charts) c.flush?.(); // points still waiting for their redraw
  const canvases = charts.map((c) => c.canvas);
  const w = Math.max(...canvases.map((c) => c.width));
  const h = Math.max(...canvases.map((c) => c.height));
  const cols = Math.min(columns, canvases.length);
  const rows = Math.ceil(canvases.length / cols);
  const out = document.createElement('canvas');
  out.width = w * cols;
  out.height = h * rows;
  const ctx = out.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, out.width, out.height);
  canvases.forEach((c, i) => ctx.drawImage(c, (i % cols) * w, Math.floor(i / cols) * h));
  out.toBlob((blob) => blob && download(filename, blob), 'image/png');
}
