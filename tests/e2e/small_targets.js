// Links and buttons smaller than 44 × 44 px on a phone, except links inside running text
// (WCAG 2.5.8's exception). Evaluated by tests/e2e/site_pages.py; returns descriptions.
() => {
  const small = [];
  const seen = new Set();
  const selector = 'a[href], button, summary, select, input:not([type=hidden]), [role=button], [tabindex]:not([tabindex="-1"])';
  for (let el of document.querySelectorAll(selector)) {
    if (el.matches('input[type=checkbox], input[type=radio]') && el.closest('label')) el = el.closest('label');
    if (seen.has(el)) continue;
    seen.add(el);
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (r.width === 0 || r.height === 0 || r.right <= 0 || style.visibility === 'hidden') continue;
    if (el.closest('.visually-hidden') || el.closest('details:not([open]) > :not(summary)')) continue;
    if (r.width >= 43.5 && r.height >= 43.5) continue;
    if (style.display === 'inline') {
      let block = el.parentElement;
      while (block && getComputedStyle(block).display === 'inline') block = block.parentElement;
      const around = block ? block.textContent.replace(/\s+/g, ' ').trim().length : 0;
      if (around > el.textContent.trim().length + 12) continue;  // a link in a sentence
    }
    const label = (el.getAttribute('aria-label') || el.textContent || el.name || el.tagName).trim().slice(0, 40);
    small.push(`${el.tagName.toLowerCase()} "${label}" ${Math.round(r.width)}×${Math.round(r.height)}`);
  }
  return small;
}
