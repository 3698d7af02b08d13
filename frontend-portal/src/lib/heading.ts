// The page heading action: names the browser tab after the page and, after a client-side navigation,
// moves focus to the heading so screen-reader users hear that the page changed.
import { router } from './router.svelte';

export function pageHeading(node: HTMLElement) {
  const setTitle = () => {
    const text = node.textContent?.replace(/\s+/g, ' ').trim();
    document.title = text ? `${text} · SecureLink` : 'SecureLink';
  };
  setTitle();
  // The heading's text changes with the language and with loaded data.
  const observer = new MutationObserver(setTitle);
  observer.observe(node, { childList: true, characterData: true, subtree: true });
  if (router.consumeFocus()) node.focus();
  return { destroy: () => observer.disconnect() };
}
