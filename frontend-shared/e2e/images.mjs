// Image checks for the browser tests of both SPAs.

/**
 * The image's natural width once it has finished loading (0 when it failed). An <img> is in the
 * page before its bytes have arrived, so reading `complete` straight after `waitFor` races the
 * network; this waits for the load or error event first.
 */
export async function loadedWidth(img) {
  await img.waitFor();
  return img.evaluate(
    (el) =>
      new Promise((done) => {
        const settle = () => done(el.complete ? el.naturalWidth : 0);
        if (el.complete) return settle();
        el.addEventListener('load', settle, { once: true });
        el.addEventListener('error', settle, { once: true });
      }),
  );
}
