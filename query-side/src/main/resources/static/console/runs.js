// Runs, live: the run list kept current by the run stream (SSE read with fetch, resumed with
// Last-Event-ID after a drop), a chart of runs per hour by status, and one run's page.
import { api, query, sse } from './api.js';
import { el, svg, fill, badge, when, json, errorBox, table, short } from './dom.js';
import { ctx, say } from './app.js';

const STATUSES = ['scheduled', 'running', 'delegated', 'completed', 'failed', 'canceled'];
// chart colours: each at least 3:1 against white (WCAG 1.4.11, graphical objects)
const COLOURS = { scheduled: '#8a5a00', running: '#0b57b0', delegated: '#6b3fa0', completed: '#1d6b35', failed: '#a1161f', canceled: '#4a5360' };
const ENDED = ['completed', 'failed', 'canceled'];

/**
 * Follows a run stream until stopped: on a drop it reconnects with the last event id it processed
 * (the server then replays what was missed, once, in order), backing off up to 10 s; on "reset" it
 * lists again (onReset) and reconnects. Paused, it holds no connection; resuming reconnects the same
 * way. onState gets 'connecting' | 'live' | 'catching-up' | 'reconnecting' | 'paused' | 'failed'.
 * Answers {stop, pause, resume}.
 */
export function follow(path, { onRun, onState, onReset }) {
  let lastId = null;
  let delay = 500;
  let connection = null;
  let running = false;
  let stopped = false;
  let paused = false;
  async function run() {
    if (running) return;
    running = true;
    while (!stopped && !paused) {
      const resuming = lastId !== null;
      onState(resuming ? 'catching-up' : 'connecting', lastId);
      connection = new AbortController();
      const signal = connection.signal;
      let quiet = null;
      // live once the keep-alive came and, after a resume, the replayed changes stopped arriving for a moment
      const settle = () => {
        clearTimeout(quiet);
        quiet = setTimeout(() => { if (!signal.aborted) onState('live', lastId); }, resuming ? 800 : 0);
      };
      try {
        for await (const ev of sse(path, { lastEventId: lastId, signal })) {
          delay = 500;
          if (ev.comment !== undefined) { settle(); continue; }
          if (ev.event === 'run') {
            if (ev.id) lastId = ev.id;
            if (onRun(JSON.parse(ev.data)) === true) { stopped = true; break; }   // true: seen enough
            if (resuming) settle();
          } else if (ev.event === 'reset') {
            await onReset?.();
            break;
          }
        }
      } catch (e) {
        if (!signal.aborted && e.status && e.status < 500 && e.status !== 429) {
          clearTimeout(quiet);
          onState('failed', String(e));
          break;
        }
      }
      clearTimeout(quiet);
      if (stopped || paused) break;
      onState('reconnecting', lastId);
      await new Promise(r => setTimeout(r, delay));
      delay = Math.min(delay * 2, 10_000);
    }
    connection?.abort();
    running = false;
  }
  run();
  return {
    stop() { stopped = true; connection?.abort(); },
    pause() { paused = true; connection?.abort(); onState('paused', lastId); },
    resume() { paused = false; run(); },
  };
}

function describe(state, id) {
  return {
    connecting: 'Connecting to the run stream…',
    live: 'Live: changes appear as they happen.',
    'catching-up': `Reconnected: catching up on changes after event ${id}…`,
    reconnecting: `Connection lost: reconnecting${id ? ` (will resume after event ${id})` : ''}…`,
    paused: `Paused${id ? ` after event ${id}: resuming replays every change since` : ''}.`,
  }[state] || `Stream stopped: ${id}`;
}

export async function runsView(root, params) {
  const status = params.get('status') || '';
  const automation = params.get('automation_id') || '';
  const since = new Date(Date.now() - 24 * 3600_000);
  const runs = new Map();
  const names = new Map();
  const live = el('p', { id: 'stream-state', class: 'live', role: 'status' }, 'Connecting…');
  const body = el('div', { id: 'runs-table' });
  let feed = null;
  const toggle = el('button', { type: 'button', class: 'secondary', id: 'stream-toggle', 'aria-pressed': 'false', onclick: () => {
    const pause = toggle.getAttribute('aria-pressed') === 'false';
    toggle.setAttribute('aria-pressed', String(pause));
    toggle.textContent = pause ? 'Resume live updates' : 'Pause live updates';
    if (pause) feed.pause(); else feed.resume();
  } }, 'Pause live updates');
  const chart = el('figure', { class: 'chart', id: 'runs-chart' });
  const statusSelect = el('select', { id: 'status-filter', name: 'status' },
    el('option', { value: '' }, 'any'), STATUSES.map(s => el('option', { value: s, selected: s === status }, s)));
  statusSelect.addEventListener('change', () => { location.hash = `#/runs${query({ status: statusSelect.value, automation_id: automation })}`; });
  fill(root, el('h1', {}, 'Runs'),
    el('div', { class: 'form-row' }, el('div', {}, el('label', { for: 'status-filter' }, 'Status'), statusSelect)),
    el('div', { class: 'actions' }, live, toggle), chart, el('h2', {}, 'Latest runs'), body);

  async function list() {
    const page = await api(`/workspaces/${ctx.ws}/runs${query({ status, automation_id: automation, since: since.toISOString(), page_size: 500 })}`);
    runs.clear();
    for (const r of page.runs) runs.set(r.id, r);
    await nameAutomations();
    render();
  }
  async function nameAutomations() {
    const shown = [...runs.values()].sort((a, b) => (a.id < b.id ? 1 : -1)).slice(0, 100);   // the rows the table shows
    const missing = [...new Set(shown.map(r => r.automation_id))].filter(id => !names.has(id));
    await Promise.allSettled(missing.map(async id => names.set(id, (await api(`/workspaces/${ctx.ws}/automations/${id}`)).name)));
  }
  let scheduled = false;
  function render() {   // at most once a frame, however fast changes arrive
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      const sorted = [...runs.values()].sort((a, b) => (a.id < b.id ? 1 : -1));
      fill(body, table(['Run', 'Automation', 'Status', 'Trigger', 'Attempt', 'Scheduled', 'Started', 'Ended'],
        sorted.slice(0, 100).map(r => el('tr', { 'data-run': r.id },
          el('td', {}, el('a', { href: `#/runs/${r.id}` }, short(r.id))),
          el('td', {}, el('a', { href: `#/automations/${r.automation_id}` }, names.get(r.automation_id) || short(r.automation_id))),
          el('td', { class: 'run-status' }, badge(r.status)), el('td', {}, r.trigger_type || '—'),
          el('td', { class: 'num' }, `${r.attempt}/${r.max_attempts}`), el('td', {}, when(r.scheduled_at)),
          el('td', {}, when(r.started_at)), el('td', {}, when(r.ended_at))))));
      fill(chart, perHour(sorted, since));
    });
  }
  await list();
  feed = follow(`/workspaces/${ctx.ws}/runs/stream${query({ status, automation_id: automation })}`, {
    onRun: async run => {
      const known = names.has(run.automation_id);
      runs.set(run.id, run);
      if (!known) await nameAutomations();
      render();
    },
    onState: (state, id) => {
      live.textContent = describe(state, id);
      live.dataset.state = state;
      if (state === 'catching-up') live.dataset.resumedAfter = id;
    },
    onReset: list,
  });
  return () => feed.stop();
}

/** Stacked bars: runs per hour (by scheduled time) over the last 24 hours, by status; with a table for screen readers. */
function perHour(runs, since) {
  const start = Math.floor(since.getTime() / 3600_000) * 3600_000;
  const hours = Array.from({ length: 25 }, (_, i) => ({ at: start + i * 3600_000, counts: Object.fromEntries(STATUSES.map(s => [s, 0])) }));
  for (const r of runs) {
    const i = Math.floor((Date.parse(r.scheduled_at || r.started_at) - start) / 3600_000);
    if (i >= 0 && i < hours.length && hours[i].counts[r.status] !== undefined) hours[i].counts[r.status]++;
  }
  const top = Math.max(1, ...hours.map(h => STATUSES.reduce((n, s) => n + h.counts[s], 0)));
  const W = 900, H = 180, bw = W / hours.length;
  const bars = [];
  hours.forEach((h, i) => {
    let y = H;
    for (const s of STATUSES) {
      const n = h.counts[s];
      if (!n) continue;
      const height = (n / top) * (H - 10);
      y -= height;
      bars.push(svg('rect', { x: i * bw + 2, y, width: bw - 4, height, fill: COLOURS[s] },
        svg('title', {}, `${new Date(h.at).toISOString().slice(11, 16)} UTC: ${n} ${s}`)));
    }
  });
  const labels = hours.filter((_, i) => i % 3 === 0).map(h => svg('text', { x: ((h.at - start) / 3600_000) * bw + 2, y: H + 16,
    'font-size': 12, fill: '#1b1f24' }, new Date(h.at).toISOString().slice(11, 16)));
  const total = runs.length;
  const summary = `${total} run${total === 1 ? '' : 's'} in the last 24 hours: ` +
    STATUSES.map(s => `${runs.filter(r => r.status === s).length} ${s}`).join(', ');
  return [
    el('figcaption', {}, el('strong', {}, 'Runs per hour by status (UTC, last 24 h)'), ' — ', el('span', { id: 'chart-summary' }, summary)),
    svg('svg', { viewBox: `0 0 ${W} ${H + 22}`, role: 'img', 'aria-label': summary },
      svg('line', { x1: 0, y1: H, x2: W, y2: H, stroke: '#4a5360' }), bars, labels),
    el('div', { class: 'legend' }, STATUSES.map(s => { const l = el('span', {}, s); l.style.setProperty('--c', COLOURS[s]); return l; })),
  ];
}

export async function runView(root, id) {
  const path = `/workspaces/${ctx.ws}/runs/${id}`;
  let run = await api(path);
  const changes = [];
  const live = el('p', { id: 'stream-state', class: 'live', role: 'status' });
  const details = el('div', { id: 'run-details' });
  const log = el('ol', { id: 'run-changes' });
  const out = el('div', { role: 'status' });
  fill(root, el('h1', {}, 'Run ', el('span', { class: 'mono' }, short(id))), live, details,
    el('h2', {}, 'Changes seen here'), log, out);
  let automationName = null;
  try { automationName = (await api(`/workspaces/${ctx.ws}/automations/${run.automation_id}`)).name; } catch { /* not visible */ }
  function render() {
    const cancel = ctx.can('run.write') && !ENDED.includes(run.status)
      ? el('button', { type: 'button', class: 'danger', id: 'cancel-run', onclick: async () => {
        try { run = await api(`${path}/cancel`, { method: 'POST' }); say('Run canceled.'); render(); } catch (e) { fill(out, errorBox(e)); }
      } }, 'Cancel run') : null;
    fill(details,
      el('p', {}, 'Status ', el('span', { id: 'run-status' }, badge(run.status)), ' · attempt ',
        el('span', { id: 'run-attempt' }, `${run.attempt} of ${run.max_attempts}`), ' ', cancel),
      el('dl', { class: 'kv' },
        el('dt', {}, 'automation'), el('dd', {}, el('a', { href: `#/automations/${run.automation_id}` }, automationName || run.automation_id)),
        ['revision', 'trigger_type', 'trigger_id', 'fire_id', 'agent_name', 'scheduled_at', 'started_at', 'ended_at',
          'next_attempt_at', 'lease_expires_at', 'delivery_error', 'delivery_error_at']
          .filter(f => run[f] !== undefined && run[f] !== null)
          .map(f => [el('dt', {}, f.replace(/_/g, ' ')), el('dd', {}, f.endsWith('_at') ? when(run[f]) : String(run[f]))])),
      el('h2', {}, 'Inputs'), json(run.inputs || {}),
      el('h2', {}, 'Outputs'), json(run.outputs || {}),
      run.error ? [el('h2', {}, 'Error'), json(run.error)] : null);
    fill(log, changes.map(c => el('li', {}, `${when(c.at)}: `, badge(c.status), ` attempt ${c.attempt}`,
      c.error ? ` — ${typeof c.error === 'string' ? c.error : JSON.stringify(c.error)}` : '')));
  }
  render();
  if (ENDED.includes(run.status)) { live.textContent = 'This run has ended.'; return null; }
  const feed = follow(`${path}/stream`, {
    onRun: r => {
      run = r;
      const lastChange = changes[changes.length - 1];
      if (!lastChange || lastChange.status !== r.status || lastChange.attempt !== r.attempt) {
        changes.push({ at: new Date().toISOString(), status: r.status, attempt: r.attempt, error: r.error });
      }
      render();
      if (!ENDED.includes(r.status)) return false;
      live.textContent = 'This run has ended.';
      live.dataset.state = 'ended';
      return true;
    },
    onState: (state, detail) => { if (!ENDED.includes(run.status)) { live.textContent = describe(state, detail); live.dataset.state = state; } },
  });
  return () => feed.stop();
}
