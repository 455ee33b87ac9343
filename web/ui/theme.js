// theme.js: light or dark. An embed follows theme="light|dark|auto" (the
// custom element's attribute, or `theme=` in the hash); auto, the default,
// follows the reader's prefers-color-scheme and changes with it. styles.css
// colours the page from the resolved theme (.dlfs[data-theme]); the charts,
// drawn on canvases, take their ink from here.

export const THEMES = ['auto', 'light', 'dark'];

const darkQuery = () => (typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null);

// 'light' | 'dark' for a choice (undefined counts as auto).
export function resolveTheme(choice) {
  if (choice === 'light' || choice === 'dark') return choice;
  return darkQuery()?.matches ? 'dark' : 'light';
}

// Call onChange(theme) when an auto theme flips with the system; returns the unsubscriber.
export function watchTheme(choice, onChange) {
  const q = darkQuery();
  if (!q || choice === 'light' || choice === 'dark') return () => {};
  const listener = () => onChange(resolveTheme(choice));
  q.addEventListener('change', listener);
  return () => q.removeEventListener('change', listener);
}

// The series colours (matplotlib's tab10, the book's figures' colours) and,
// for a dark background, the same hues lighter so they keep their contrast.
export const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
const DARK_COLORS = ['#5aaef0', '#ff6b6b', '#5cd65c', '#ffa64d', '#c39bf0', '#c9947f', '#f5a3dc', '#4fdcec'];

// What a chart draws with besides its series: text, titles, grid lines.
export const INK = {
  light: { theme: 'light', text: '#57606a', title: '#1b1f24', grid: 'rgba(27, 31, 36, 0.12)' },
  dark: { theme: 'dark', text: '#b1bac4', title: '#e6edf3', grid: 'rgba(230, 237, 243, 0.16)' },
};

// A series colour in `theme` (colours outside the palette are kept).
export function seriesColor(color, theme) {
  // An alpha suffix (#rrggbbaa, a dimmed series) is kept on the dark palette's colour.
  const i = COLORS.indexOf(color.slice(0, 7));
  return theme === 'dark' && i >= 0 ? DARK_COLORS[i] + color.slice(7) : color;
}
