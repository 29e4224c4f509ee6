// Building the page from data without innerHTML: every value becomes text, so nothing the API
// returns (names, reasons, configs) can run as markup.

/** el('a', {href: '#/x', class: 'y'}, 'text', child…); attributes starting with "on" are listeners. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElementNS(tag === 'svg' || attrs.svg ? 'http://www.w3.org/2000/svg' : 'http://www.w3.org/1999/xhtml', tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false || k === 'svg') continue;
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'value' && 'value' in node) node.value = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  append(node, children);
  return node;
}

/** An SVG element (el for the SVG namespace). */
export function svg(tag, attrs = {}, ...children) { return el(tag, { ...attrs, svg: true }, ...children); }

function append(node, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces the children of node. */
export function fill(node, ...children) { node.replaceChildren(); append(node, children); return node; }

export function badge(status) {
  return el('span', { class: `badge s-${status || 'none'}` }, String(status || '—').replace(/_/g, ' '));
}

export function when(ts) {
  if (!ts) return '—';
  const d = new Date(ts);
  return isNaN(d) ? String(ts) : d.toISOString().replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
}

export function json(value) { return el('pre', {}, JSON.stringify(value, null, 2)); }

export function errorBox(e) { return el('p', { class: 'error', role: 'alert' }, String(e)); }

export function table(headers, rows, attrs = {}) {
  return el('table', attrs,
    el('thead', {}, el('tr', {}, headers.map(h => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows.length ? rows : el('tr', {}, el('td', { colspan: headers.length }, 'Nothing here.'))));
}

export function short(id) { return id ? String(id).slice(-12) : '—'; }

export function actor(a) {
  if (!a) return '—';
  if (typeof a === 'string') return a;
  return `${a.kind === 'service_account' || a.kind === 'automation' ? 'service account' : a.kind || 'person'} ${a.id}`;
}
