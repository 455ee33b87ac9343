// frame-height.js: the iframe embed (embed.html) tells the page around it how
// tall it is, so that the page can size the iframe to fit: no inner
// scrollbar, no empty space. The message, posted to the parent window on
// load and whenever the height changes:
//   { type: 'dlfs-playground:height', height: <CSS px, an integer> }
// web/embed-host.js is the listener a host page can include; the README
// shows the same listener in a few lines.
export const HEIGHT_MESSAGE = 'dlfs-playground:height';

export function postHeights() {
  if (window.parent === window || typeof ResizeObserver !== 'function') return;
  let last = -1;
  const send = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    // '*': the height is no secret, and the embed cannot know the blog's origin.
    window.parent.postMessage({ type: HEIGHT_MESSAGE, height }, '*');
  };
  new ResizeObserver(send).observe(document.documentElement);
  send();
}
