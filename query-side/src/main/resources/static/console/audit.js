// The workspace's audit log (docs/audit.md): filters, keyset pages, and the NDJSON export of the same filters.
import { api, download, query } from './api.js';
import { el, fill, when, errorBox, table, short, actor } from './dom.js';
import { ctx, go, say } from './app.js';

const FILTERS = [
  ['aggregate_id', 'Aggregate id', 'text'], ['event_type', 'Event type', 'text'], ['actor', 'Actor', 'text'],
  ['since', 'Since (UTC)', 'datetime-local'], ['until', 'Until (UTC)', 'datetime-local'],
];

const toIso = v => (v && !v.endsWith('Z') ? `${v}${v.length === 16 ? ':00' : ''}Z` : v);

export async function auditView(root, params) {
  const values = Object.fromEntries(FILTERS.map(([k]) => [k, params.get(k) || '']));
  const inputs = FILTERS.map(([k, label, type]) => el('div', {}, el('label', { for: `audit-${k}` }, label),
    el('input', { id: `audit-${k}`, name: k, type, step: type === 'datetime-local' ? 1 : undefined,
      value: type === 'datetime-local' ? values[k].replace(/Z$/, '') : values[k] })));
  const filters = () => Object.fromEntries(FILTERS.map(([k, , type]) => {
    const v = root.querySelector(`#audit-${k}`).value.trim();
    return [k, type === 'datetime-local' ? toIso(v) : v];
  }));
  const results = el('div', { id: 'audit-results' });
  const out = el('div', { role: 'status' });
  const exportButton = el('button', { type: 'button', class: 'secondary', id: 'audit-export', onclick: async () => {
    try {
      say('Exporting…');
      const blob = await download(`/workspaces/${ctx.ws}/audit/events${query(filters())}`, 'application/x-ndjson');
      const url = URL.createObjectURL(blob);
      const link = el('a', { href: url, download: `audit-${ctx.ws}-${new Date().toISOString().replace(/[:.]/g, '')}.ndjson` }, 'Save export');
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      say(`Exported ${blob.size} bytes of NDJSON.`);
    } catch (e) { fill(out, errorBox(e)); say(''); }
  } }, 'Export NDJSON');
  fill(root, el('h1', {}, 'Audit log'),
    el('form', { onsubmit: ev => { ev.preventDefault(); go(`#/audit${query(filters())}`); } },
      el('div', { class: 'form-row' }, inputs, el('button', { type: 'submit', id: 'audit-apply' }, 'Filter'), exportButton)),
    out, results);
  try {
    const page = await api(`/workspaces/${ctx.ws}/audit/events${query({ ...values, page_token: params.get('page_token'), page_size: 50 })}`);
    fill(results, table(['#', 'Time', 'Event', 'Aggregate', 'Actor', 'Reason', 'Request id'], page.events.map(e => el('tr', {},
      el('td', { class: 'num' }, e.position), el('td', {}, when(e.timestamp)), el('td', {}, e.event_type.replace(/Event$/, '')),
      el('td', {}, `${e.aggregate_type || ''} `, el('span', { class: 'mono' }, short(e.aggregate_id))),
      el('td', {}, e.metadata?.actor_id ? actor({ kind: e.metadata.actor_kind, id: e.metadata.actor_id }) : 'system'),
      el('td', {}, e.metadata?.reason || ''), el('td', { class: 'mono' }, e.metadata?.request_id || '')))),
    page.next_page_token ? el('div', { class: 'pager' }, el('button', { type: 'button', class: 'secondary',
      onclick: () => go(`#/audit${query({ ...values, page_token: page.next_page_token })}`) }, 'Next page →')) : null);
  } catch (e) { fill(results, errorBox(e)); }
}
