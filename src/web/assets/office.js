// The back office's keyboard: j/k move through the inbox's rows, o or Enter opens one, / goes to
// the search box. The inbox works without it: every row is a link, the filters a GET form.
(() => {
  const rows = Array.from(document.querySelectorAll('[data-row]'));
  const search = document.getElementById('f-q');
  let at = -1;
  const typing = (el) => el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  const move = (to) => {
    if (rows.length === 0) return;
    if (at >= 0) rows[at].classList.remove('current');
    at = Math.max(0, Math.min(rows.length - 1, to));
    const row = rows[at];
    row.classList.add('current');
    const link = row.querySelector('a');
    if (link) link.focus();
  };
  // a row whose link gets focus (Tab, a click) becomes the current one
  rows.forEach((row, i) => {
    row.addEventListener('focusin', () => {
      if (at === i) return;
      if (at >= 0) rows[at].classList.remove('current');
      at = i;
      row.classList.add('current');
    });
  });
  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    if (e.key === 'j') move(at + 1);
    else if (e.key === 'k') move(at < 0 ? 0 : at - 1);
    else if (e.key === 'o' || (e.key === 'Enter' && at >= 0 && document.activeElement === document.body)) {
      const link = at >= 0 ? rows[at].querySelector('a') : null;
      if (link) window.location.assign(link.href);
    } else if (e.key === '/' && search) search.focus();
    else return;
    e.preventDefault();
  });
})();
