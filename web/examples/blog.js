// blog.js: this example's light/dark switch, the way a blog's own theme
// would drive the embeds: ?theme=dark (or light) sets the blog's theme and
// the embeds' theme attribute / hash key before they start. Without it the
// blog and the embeds both follow the reader's prefers-color-scheme.
// (A classic script in <head>: it runs before the embeds' module script.)
const choice = new URLSearchParams(location.search).get('theme');
if (choice === 'dark' || choice === 'light') {
  document.documentElement.dataset.theme = choice;
  document.addEventListener('DOMContentLoaded', () => {
    for (const e of document.querySelectorAll('dlfs-playground')) e.setAttribute('theme', choice);
    for (const f of document.querySelectorAll('iframe.playground')) f.src = f.src.replace(/(#.*)?$/, (h) => `${h || '#'}&theme=${choice}`);
  });
}
