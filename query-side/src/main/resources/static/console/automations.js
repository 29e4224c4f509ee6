// Automations: the list with its CEL filter, one automation's page (definition, revisions and their
// diff, schedule and triggers, occurrences, runs, history with the as-of slider), and the approvals queue.
import { api, query } from './api.js';
import { el, fill, badge, when, json, errorBox, table, short, actor } from './dom.js';
import { ctx, go, say } from './app.js';

const base = () => `/workspaces/${ctx.ws}/automations`;
const PAGE = 20;

export async function automationsView(root, params) {
  const filter = params.get('filter') || '';
  const token = params.get('page_token') || '';
  const input = el('input', { id: 'filter', name: 'filter', value: filter, 'aria-describedby': 'filter-hint',
    placeholder: 'status == "active" && kind == "scheduled"' });
  const results = el('div', { id: 'automation-list' });
  const form = el('form', { role: 'search', onsubmit: ev => {
    ev.preventDefault();
    go(`#/automations${query({ filter: input.value.trim() })}`);
  } }, el('div', { class: 'form-row' },
    el('div', { class: 'grow' }, el('label', { for: 'filter' }, 'Filter (CEL)'), input),
    el('button', { type: 'submit', id: 'apply-filter' }, 'Apply')),
  el('p', { class: 'hint', id: 'filter-hint' },
    'A CEL expression over the automation fields, e.g. status == "pending_approval" or name.startsWith("Digest").'));
  fill(root, el('h1', {}, 'Automations'), form, results);
  try {
    const page = await api(`${base()}${query({ filter, page_size: PAGE, page_token: token })}`);
    const rows = page.automations.map(a => el('tr', {},
      el('td', {}, el('a', { href: `#/automations/${a.id}` }, a.name)),
      el('td', {}, a.kind), el('td', {}, badge(a.status)), el('td', {}, a.activation_state || '—'),
      el('td', {}, a.latest_published_version || '—'), el('td', {}, when(a.next_run_at)), el('td', {}, when(a.updated_at))));
    const pager = el('div', { class: 'pager' },
      token ? el('button', { type: 'button', class: 'secondary', onclick: () => history.back() }, '← Previous') : null,
      page.next_page_token ? el('button', { type: 'button', class: 'secondary', id: 'next-page',
        onclick: () => go(`#/automations${query({ filter, page_token: page.next_page_token })}`) }, 'Next page →') : null);
    fill(results, el('p', { class: 'hint' }, `${page.automations.length} shown${page.next_page_token ? ', more on the next page' : ''}.`),
      table(['Name', 'Kind', 'Status', 'Activation', 'Published', 'Next run', 'Updated'], rows), pager);
  } catch (e) {
    fill(results, errorBox(e));
  }
}

// ---------------------------------------------------------------------------------------------
// one automation

export async function automationView(root, id) {
  const a = await api(`${base()}/${id}`);
  const path = `${base()}/${id}`;
  const sections = {
    definition: el('section', { 'aria-labelledby': 'h-def' }),
    revisions: el('section', { 'aria-labelledby': 'h-rev' }),
    schedule: el('section', { 'aria-labelledby': 'h-sched' }),
    occurrences: el('section', { 'aria-labelledby': 'h-occ' }),
    runs: el('section', { 'aria-labelledby': 'h-runs' }),
    history: el('section', { 'aria-labelledby': 'h-hist' }),
  };
  fill(root,
    el('h1', {}, a.name, ' ', badge(a.status)),
    el('nav', { 'aria-label': 'On this page', class: 'actions' },
      Object.entries({ 'h-def': 'Definition', 'h-rev': 'Revisions', 'h-sched': 'Schedule', 'h-occ': 'Occurrences',
        'h-runs': 'Runs', 'h-hist': 'History' }).map(([target, text]) => el('a', { href: `#/automations/${id}`,
        onclick: ev => { ev.preventDefault(); document.getElementById(target)?.focus(); } }, text))),
    actions(a),
    ...Object.values(sections));
  definition(sections.definition, a);
  const loads = [revisions(sections.revisions, path, a), schedule(sections.schedule, path),
    occurrences(sections.occurrences, path), automationRuns(sections.runs, id), historySection(sections.history, path, a)];
  await Promise.allSettled(loads);
}

function heading(id, text) { return el('h2', { id, tabindex: '-1' }, text); }

function actions(a) {
  const box = el('div', { class: 'actions', id: 'automation-actions' });
  const out = el('p', { role: 'status', class: 'hint' });
  const reason = el('input', { id: 'action-reason', name: 'reason', maxlength: 500 });
  const act = (label, verb, attrs = {}) => el('button', { type: 'button', ...attrs, onclick: async () => {
    try {
      say(`${label}…`);
      const answer = await api(`${base()}/${a.id}/${verb}`, { method: 'POST', body: verb === 'trigger' ? {} : undefined,
        reason: reason.value.trim() });
      say(`${label}: done.`);
      if (verb === 'trigger') go(`#/runs/${answer.run.id}`); else go(`#/automations/${a.id}`);
    } catch (e) { fill(out, errorBox(e)); say(''); }
  } }, label);
  if (ctx.can('automation.write')) {
    if (a.status === 'draft') box.append(act('Submit for approval', 'submit', { id: 'submit' }));
    if (a.status === 'active') box.append(act('Pause', 'pause', { class: 'secondary' }));
    if (a.status === 'paused') box.append(act('Resume', 'resume', { class: 'secondary' }));
  }
  if (ctx.can('automation.approve') && a.status === 'pending_approval') {
    box.append(el('a', { class: 'button', href: '#/approvals' }, 'Review in the approvals queue'));
  }
  if (ctx.can('run.write') && a.status === 'active') box.append(act('Run now', 'trigger', { id: 'run-now' }));
  if (box.querySelector('button')) {   // the reason goes with the action (X-Reason) and shows in the history
    box.prepend(el('label', { for: 'action-reason' }, 'Reason (optional)'), reason);
  }
  return el('div', {}, box, out);
}

function definition(section, a) {
  const fields = ['id', 'kind', 'description', 'revision', 'latest_published_version', 'activation_state', 'enabled',
    'agent_name', 'overlap_policy', 'scopes', 'team_id', 'created_by', 'created_at', 'updated_at', 'last_run_at',
    'next_run_at', 'last_error', 'rejection_reason', 'reviewed_by', 'reviewed_at'];
  const dl = el('dl', { class: 'kv' });
  for (const f of fields) {
    const v = a[f];
    if (v === undefined || v === null || (Array.isArray(v) && !v.length)) continue;
    dl.append(el('dt', {}, f.replace(/_/g, ' ')), el('dd', {},
      f.endsWith('_at') ? when(v) : f.endsWith('_by') ? actor(v) : Array.isArray(v) ? v.join(', ') : String(v)));
  }
  fill(section, heading('h-def', 'Definition'), dl,
    ...['config', 'prompt', 'code', 'english_code', 'default_inputs', 'retry', 'fire_limit', 'misfire']
      .filter(f => a[f] && !(typeof a[f] === 'object' && !Object.keys(a[f]).length))
      .map(f => [el('h3', {}, f.replace(/_/g, ' ')), typeof a[f] === 'string' ? el('pre', {}, a[f]) : json(a[f])]));
}

/** A JSON Patch (RFC 6902) from the revision diff endpoint, as a table of field changes. */
export function patchTable(patch, before) {
  return table(['Field', 'Change', 'Before', 'After'], patch.map(op => {
    const field = op.path.replace(/^\//, '').replace(/~1/g, '/').replace(/~0/g, '~');
    const old = before ? before[field] : undefined;
    return el('tr', {}, el('td', {}, field), el('td', { class: `op-${op.op}` }, op.op),
      el('td', {}, old === undefined ? '—' : el('pre', {}, JSON.stringify(old, null, 2))),
      el('td', {}, op.op === 'remove' ? '—' : el('pre', {}, JSON.stringify(op.value, null, 2))));
  }), { class: 'diff' });
}

async function revisions(section, path, a) {
  fill(section, heading('h-rev', 'Revisions'), el('p', {}, 'Loading…'));
  try {
    const { revisions: list } = await api(`${path}/revisions?page_size=200`);
    const options = sel => list.map(r => el('option', { value: r.revision, selected: r.revision === sel }, `${r.revision} (${r.stage.toLowerCase()})`));
    const from = el('select', { id: 'diff-from' }, options(list[1]?.revision || list[0]?.revision));
    const to = el('select', { id: 'diff-to' }, options(list[0]?.revision));
    const out = el('div', { id: 'diff-out', 'aria-live': 'polite' });
    const compare = async ev => {
      ev?.preventDefault();
      try {
        const d = await api(`${path}/revisions/${from.value}/diff/${to.value}`);
        const before = list.find(r => r.revision === d.from);
        fill(out, el('p', {}, `From ${d.from} to ${d.to}: ${d.patch.length} field${d.patch.length === 1 ? '' : 's'} changed.`),
          patchTable(d.patch, before));
      } catch (e) { fill(out, errorBox(e)); }
    };
    fill(section, heading('h-rev', 'Revisions'),
      table(['Revision', 'Stage', 'Name', 'Created by', 'Created'], list.map(r => el('tr', {},
        el('td', {}, r.revision), el('td', {}, r.stage.toLowerCase()), el('td', {}, r.name),
        el('td', {}, actor(r.created_by)), el('td', {}, when(r.created_at))))),
      list.length > 1 ? el('form', { class: 'form-row', onsubmit: compare },
        el('div', {}, el('label', { for: 'diff-from' }, 'From'), from),
        el('div', {}, el('label', { for: 'diff-to' }, 'To'), to),
        el('button', { type: 'submit', id: 'diff-compare' }, 'Compare')) : null,
      out);
  } catch (e) { fill(section, heading('h-rev', 'Revisions'), errorBox(e)); }
}

/** The UTC offset of an instant in a time zone, e.g. "GMT-5". */
function offset(instant, zone) {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'shortOffset' })
      .formatToParts(new Date(instant)).find(p => p.type === 'timeZoneName')?.value;
  } catch { return null; }
}

/** Next run times in their zone; where the zone's UTC offset changes from the previous run, a daylight-saving mark. */
export function nextRuns(times, zone) {
  if (!times || !times.length) return el('p', { class: 'hint' }, 'No upcoming runs.');
  zone = zone || 'UTC';
  let previous = null;
  return el('ol', { class: 'next-runs' }, times.map(t => {
    const off = offset(t, zone);
    const local = new Intl.DateTimeFormat('en-GB', { timeZone: zone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(t));
    const changed = previous && off && off !== previous;
    const item = el('li', {}, `${local} ${zone} (${off}) — ${when(t)}`,
      changed ? el('span', { class: 'dst' }, ` ⚠ daylight-saving change: ${previous} → ${off}`) : null);
    previous = off;
    return item;
  }));
}

async function schedule(section, path) {
  fill(section, heading('h-sched', 'Schedule and triggers'));
  try {
    const s = await api(`${path}/schedule`);
    section.append(el('h3', {}, 'Schedule'), el('p', {}, s.summary || s.cron || s.interval || s.at || '', ' ',
      s.enabled === false ? badge('paused') : ''), nextRuns(s.next_run_times, s.timezone));
  } catch (e) {
    section.append(el('h3', {}, 'Schedule'), el('p', { class: 'hint' }, e.status === 404 ? 'No schedule.' : String(e)));
  }
  try {
    const { triggers } = await api(`${path}/triggers`);
    section.append(el('h3', {}, 'Triggers'), triggers.length ? el('div', {}, triggers.map(t => el('div', { class: 'card' },
      el('p', {}, el('strong', {}, t.type), ' ', t.enabled ? '' : badge('paused'), ' ',
        el('code', {}, JSON.stringify(t.config)), t.event ? ` event ${t.event}` : ''),
      t.next_run_times ? nextRuns(t.next_run_times, t.config?.timezone) : null))) : el('p', { class: 'hint' }, 'No triggers.'));
  } catch (e) { section.append(errorBox(e)); }
}

async function occurrences(section, path) {
  fill(section, heading('h-occ', 'Occurrences'));
  if (!ctx.can('run.read')) return section.append(el('p', { class: 'hint' }, 'Needs run.read.'));
  try {
    const { occurrences: list } = await api(`${path}/occurrences?page_size=25`);
    section.append(table(['Scheduled', 'Outcome', 'Run', 'Reason'], list.map(o => el('tr', {},
      el('td', {}, when(o.scheduled_at)), el('td', {}, o.outcome),
      el('td', {}, o.run_id ? el('a', { href: `#/runs/${o.run_id}` }, short(o.run_id)) : '—'), el('td', {}, o.reason || '')))));
  } catch (e) { section.append(errorBox(e)); }
}

async function automationRuns(section, id) {
  fill(section, heading('h-runs', 'Runs'));
  if (!ctx.can('run.read')) return section.append(el('p', { class: 'hint' }, 'Needs run.read.'));
  try {
    const { runs } = await api(`/workspaces/${ctx.ws}/automations/${id}/runs?page_size=25`);
    section.append(table(['Run', 'Status', 'Trigger', 'Attempt', 'Scheduled', 'Ended'], runs.map(r => el('tr', {},
      el('td', {}, el('a', { href: `#/runs/${r.id}` }, short(r.id))), el('td', {}, badge(r.status)), el('td', {}, r.trigger_type || '—'),
      el('td', {}, `${r.attempt}/${r.max_attempts}`), el('td', {}, when(r.scheduled_at)), el('td', {}, when(r.ended_at))))));
  } catch (e) { section.append(errorBox(e)); }
}

// ---------------------------------------------------------------------------------------------
// history: the events as a timeline, and the automation as of any instant

const SHOWN = ['name', 'status', 'revision', 'latest_published_version', 'activation_state', 'description', 'enabled',
  'kind', 'version', 'updated_at'];

async function historySection(section, path, current) {
  fill(section, heading('h-hist', 'History'));
  let events;
  try {
    ({ events } = await api(`${path}/history?page_size=1000`));
  } catch (e) { return section.append(errorBox(e)); }
  if (!events.length) return section.append(el('p', {}, 'No events.'));
  const times = events.map(e => Date.parse(e.timestamp));
  const min = times[0];
  const max = Math.max(Date.now(), times[times.length - 1]);
  const slider = el('input', { type: 'range', id: 'as-of', min, max, step: 1, value: max,
    'aria-describedby': 'as-of-hint' });
  const label = el('output', { for: 'as-of', id: 'as-of-label', class: 'mono' });
  const state = el('div', { id: 'as-of-state', 'aria-live': 'polite' });
  const items = events.map((e, i) => el('li', { 'data-seq': e.sequence_number },
    el('strong', {}, e.event_type.replace(/Event$/, '')), ` #${e.sequence_number} · ${when(e.timestamp)} · `,
    actor({ kind: e.metadata.actor_kind, id: e.metadata.actor_id || 'system' }),
    e.metadata.agent_name ? ` for agent ${e.metadata.agent_name}` : '',
    e.metadata.reason ? el('span', {}, ' · reason: ', el('q', {}, e.metadata.reason)) : '',
    e.metadata.request_id ? el('span', { class: 'hint' }, ` · request ${e.metadata.request_id}`) : '',
    ' ', el('button', { type: 'button', class: 'secondary', 'aria-label': `Show as of event ${e.sequence_number}`,
      onclick: () => move(times[i]) }, 'as of here')));
  const timeline = el('ol', { class: 'timeline', id: 'timeline' }, items);

  let pending = null;
  let shown = null;
  async function show(instant) {
    const iso = new Date(instant).toISOString();
    if (shown === iso) return;
    shown = iso;
    items.forEach((li, i) => { li.classList.toggle('future', times[i] > instant); li.classList.remove('current'); });
    const last = times.filter(t => t <= instant).length - 1;
    if (last >= 0) items[last].classList.add('current');
    try {
      const then = instant >= max ? current : await api(`${path}${query({ as_of: iso })}`);
      if (shown !== iso) return;
      fill(state, el('p', {}, instant >= max ? 'Now:' : `As of ${when(iso)}:`),
        el('dl', { class: 'kv' }, SHOWN.filter(f => then[f] !== undefined && then[f] !== null).map(f => [el('dt', {}, f.replace(/_/g, ' ')),
          el('dd', { 'data-field': f }, f.endsWith('_at') ? when(then[f]) : String(then[f]))])));
    } catch (e) {
      if (shown === iso) fill(state, e.status === 404 ? el('p', {}, `As of ${when(iso)}: did not exist yet.`) : errorBox(e));
    }
  }
  function move(instant) {
    slider.value = instant;
    update();
  }
  function update() {
    const instant = Number(slider.value);
    label.textContent = instant >= max ? 'now' : new Date(instant).toISOString();
    slider.setAttribute('aria-valuetext', label.textContent);
    clearTimeout(pending);
    pending = setTimeout(() => show(instant), 150);
  }
  slider.addEventListener('input', update);
  slider.addEventListener('keydown', ev => {   // keys move between events; Page keys by an hour
    const v = Number(slider.value);
    let to = null;
    if (ev.key === 'ArrowLeft' || ev.key === 'ArrowDown') to = [...times].reverse().find(t => t < v) ?? min;
    else if (ev.key === 'ArrowRight' || ev.key === 'ArrowUp') to = times.find(t => t > v) ?? max;
    else if (ev.key === 'Home') to = min;
    else if (ev.key === 'End') to = max;
    else if (ev.key === 'PageUp') to = Math.min(max, v + 3600_000);
    else if (ev.key === 'PageDown') to = Math.max(min, v - 3600_000);
    if (to !== null) { ev.preventDefault(); move(to); }
  });
  section.append(
    el('div', { class: 'scrub' }, el('label', { for: 'as-of' }, 'As of'), slider, label),
    el('p', { class: 'hint', id: 'as-of-hint' },
      'Drag to any instant, or use the arrow keys to step from event to event (Home: the first, End: now, Page Up/Down: an hour).'),
    state, el('h3', {}, `Events (${events.length})`), timeline);
  update();
}

// ---------------------------------------------------------------------------------------------
// approvals

export async function approvalsView(root, params) {
  const narrow = params.get('filter') || '';
  const token = params.get('page_token') || '';
  const filter = narrow ? `status == "pending_approval" && (${narrow})` : 'status == "pending_approval"';
  const input = el('input', { id: 'approvals-filter', name: 'filter', value: narrow, placeholder: 'name == "Weekly digest"' });
  const form = el('form', { role: 'search', onsubmit: ev => { ev.preventDefault(); go(`#/approvals${query({ filter: input.value.trim() })}`); } },
    el('div', { class: 'form-row' }, el('div', { class: 'grow' }, el('label', { for: 'approvals-filter' }, 'Narrow the queue (CEL)'), input),
      el('button', { type: 'submit', id: 'approvals-apply' }, 'Apply')));
  const list = el('div', { id: 'approvals' }, el('p', {}, 'Loading…'));
  fill(root, el('h1', {}, 'Approvals'),
    el('p', { class: 'hint' }, 'Pending proposals. Approving is pinned to the revision shown: if the proposal changed meanwhile, ',
      'the server refuses (409) and you review again.'), form, list);
  try {
    const page = await api(`${base()}${query({ filter, page_size: 10, page_token: token })}`);
    const cards = await Promise.all(page.automations.map(a => proposal(a).catch(e => el('div', { class: 'card' }, a.name, errorBox(e)))));
    fill(list, cards.length ? cards : el('p', {}, 'Nothing is waiting for approval.'),
      el('div', { class: 'pager' },
        token ? el('button', { type: 'button', class: 'secondary', onclick: () => history.back() }, '← Previous') : null,
        page.next_page_token ? el('button', { type: 'button', class: 'secondary',
          onclick: () => go(`#/approvals${query({ filter: narrow, page_token: page.next_page_token })}`) }, 'Next page →') : null));
  } catch (e) { fill(list, errorBox(e)); }
}

async function proposal(a) {
  const path = `${base()}/${a.id}`;
  const card = el('article', { class: 'card proposal', 'data-automation': a.id, 'aria-labelledby': `p-${a.id}` });
  const { events } = await api(`${path}/history?page_size=1000`);
  const submitted = [...events].reverse().find(e => e.event_type === 'AutomationSubmittedEvent') || events[events.length - 1];
  const m = submitted?.metadata || {};
  const by = { kind: m.actor_kind, id: m.actor_id };
  const own = by.kind === 'user' && ctx.user && by.id === ctx.user;
  let diff;
  try {
    diff = a.latest_published_version
      ? patchTable((await api(`${path}/revisions/${a.latest_published_version}/diff/${a.revision}`)).patch,
        await api(`${path}/revisions/${a.latest_published_version}`))
      : el('div', {}, el('p', { class: 'hint' }, 'Nothing is published yet: the whole proposed definition is new.'),
        patchTable(Object.entries(await api(`${path}/revisions/${a.revision}`))
          .filter(([k, v]) => !['automation_id', 'revision', 'stage', 'created_by', 'created_at'].includes(k) && v !== null
            && !(typeof v === 'object' && !Object.keys(v).length))
          .map(([k, v]) => ({ op: 'add', path: `/${k}`, value: v }))));
  } catch (e) { diff = errorBox(e); }
  const reason = el('input', { id: `reason-${a.id}`, name: 'reason', required: true });
  const out = el('div', { role: 'status' });
  const decide = async (verb, body) => {
    try {
      const answer = await api(`${path}/${verb}`, { method: 'POST', body });
      fill(out, el('p', {}, `${a.name} is now `, badge(answer.status), '.'));
      card.querySelectorAll('button, input').forEach(b => { b.disabled = true; });
      card.querySelector('h2 .badge').replaceWith(badge(answer.status));
      say(`${a.name}: ${verb === 'approve' ? 'approved' : 'rejected'}.`);
    } catch (e) { fill(out, errorBox(e)); }
  };
  card.append(
    el('h2', { id: `p-${a.id}` }, el('a', { href: `#/automations/${a.id}` }, a.name), ' ', badge(a.status)),
    el('dl', { class: 'kv' },
      el('dt', {}, 'Proposed by'), el('dd', { class: 'proposer' }, actor(by), m.agent_name ? ` on behalf of agent ${m.agent_name}` : ''),
      el('dt', {}, 'When'), el('dd', {}, when(submitted?.timestamp)),
      el('dt', {}, 'Note'), el('dd', { class: 'note' }, m.reason || '—'),
      el('dt', {}, 'Revision'), el('dd', {}, `${a.revision} (published: ${a.latest_published_version || 'none'})`)),
    el('h3', {}, `Changes against ${a.latest_published_version ? `published ${a.latest_published_version}` : 'nothing published'}`),
    diff,
    ctx.can('automation.approve') ? (own
      ? el('p', { class: 'hint' }, 'You proposed this: someone else has to approve it.')
      : el('div', {},
        el('div', { class: 'actions' }, el('button', { type: 'button', class: 'approve', onclick: () => decide('approve', { revision: a.revision }) },
          `Approve revision ${a.revision}`)),
        el('form', { class: 'form-row', onsubmit: ev => { ev.preventDefault(); decide('reject', { reason: reason.value }); } },
          el('div', { class: 'grow' }, el('label', { for: `reason-${a.id}` }, 'Reason for rejecting'), reason),
          el('button', { type: 'submit', class: 'danger reject' }, 'Reject')))) : null,
    out);
  return card;
}
