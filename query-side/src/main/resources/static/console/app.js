// The console's shell: sign-in, the workspace and its role, and the hash router (#/automations…).
import { api, session, whenUnauthorized } from './api.js';
import { el, fill, errorBox } from './dom.js';
import { automationsView, automationView, approvalsView } from './automations.js';
import { runsView, runView } from './runs.js';
import { auditView } from './audit.js';

// what each workspace role may do (docs/identity.md); the server checks every call again
const VIEWER = ['automation.read', 'run.read'];
const EDITOR = [...VIEWER, 'automation.write', 'run.write'];
const PERMISSIONS = {
  viewer: VIEWER, editor: EDITOR, approver: [...EDITOR, 'automation.approve'],
  auditor: [...VIEWER, 'audit.read'],
  admin: [...EDITOR, 'automation.approve', 'automation.manage', 'audit.read', 'workspace.admin'],
};

/** What the views know of the signed-in person: workspace, role, user id, permissions. */
export const ctx = {
  ws: null, role: null, user: null, workspaces: [],
  can(permission) { return (PERMISSIONS[this.role] || []).includes(permission); },
};

const view = () => document.getElementById('view');
let cleanup = null;

export function say(text) { document.getElementById('status').textContent = text; }

function signInForm(message) {
  document.getElementById('nav').hidden = true;
  document.getElementById('who').hidden = true;
  const input = el('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', required: true,
    'aria-describedby': 'token-hint' });
  const form = el('form', { class: 'signin', onsubmit: async ev => {
    ev.preventDefault();
    session.signIn(input.value.trim());
    await start();
  } },
  el('h1', {}, 'Sign in to Autoplane'),
  message ? errorBox(message) : null,
  el('div', { class: 'form-row' }, el('div', { class: 'grow' },
    el('label', { for: 'token' }, 'Personal access token or OIDC token'),
    input,
    el('p', { class: 'hint', id: 'token-hint' },
      'Kept in this tab only (sessionStorage) and sent as a bearer token; you act with your own permissions. ',
      'Create one with POST /api/v1/tokens.'))),
  el('button', { type: 'submit', id: 'sign-in' }, 'Sign in'));
  fill(view(), form);
  input.focus();
}

async function start() {
  if (!session.token) return signInForm();
  say('Signing in…');
  try {
    const { workspaces } = await api('/workspaces');
    if (!workspaces.length) throw new Error('this token belongs to no workspace');
    ctx.workspaces = workspaces;
    const chosen = workspaces.find(w => w.id === sessionStorage.getItem('autoplane.ws')) || workspaces[0];
    useWorkspace(chosen);
    try {   // who am I: a person's own token list names them (an OIDC sign-in without tokens stays anonymous here)
      const { tokens } = await api('/tokens');
      ctx.user = tokens.length ? tokens[0].user_id : null;
    } catch { ctx.user = null; }
    useWorkspace(chosen);
    const select = document.getElementById('ws-select');
    fill(select, workspaces.map(w => el('option', { value: w.id, selected: w.id === ctx.ws }, w.name)));
    select.onchange = () => { useWorkspace(workspaces.find(w => w.id === select.value)); route(); };
    document.getElementById('who').hidden = false;
    document.getElementById('nav').hidden = false;
    say('');
    route();
  } catch (e) {
    session.signOut();
    say('');
    signInForm(`Sign-in failed: ${e.message}`);
  }
}

function useWorkspace(w) {
  ctx.ws = w.id;
  ctx.role = w.role;
  sessionStorage.setItem('autoplane.ws', w.id);
  document.getElementById('role').textContent = `${ctx.user ? ctx.user + ' · ' : ''}${w.role}`;
  for (const a of document.querySelectorAll('#nav [data-needs]')) a.hidden = !ctx.can(a.dataset.needs);
}

async function route() {
  if (!session.token) return signInForm();
  if (!ctx.ws) return;   // still signing in: start() routes when it knows the workspace
  if (cleanup) { cleanup(); cleanup = null; }
  const [path, q] = (location.hash.slice(1) || '/automations').split('?');
  const params = new URLSearchParams(q || '');
  const parts = path.split('/').filter(Boolean);
  for (const a of document.querySelectorAll('#nav a')) {
    a.toggleAttribute('aria-current', false);
    if (a.getAttribute('href') === `#/${parts[0]}`) a.setAttribute('aria-current', 'page');
  }
  const target = view();
  fill(target, el('p', {}, 'Loading…'));
  try {
    const [section, id] = parts;
    if (section === 'automations' && id) cleanup = await automationView(target, id, params);
    else if (section === 'approvals') cleanup = await approvalsView(target, params);
    else if (section === 'runs' && id) cleanup = await runView(target, id);
    else if (section === 'runs') cleanup = await runsView(target, params);
    else if (section === 'audit') cleanup = await auditView(target, params);
    else cleanup = await automationsView(target, params);
    document.title = `${target.querySelector('h1')?.textContent || 'Console'} · Autoplane`;
  } catch (e) {
    fill(target, errorBox(e));
  }
}

/** Navigate to a new hash (a history entry), or re-render the current one. */
export function go(hash) {
  if (location.hash === hash) route(); else location.hash = hash;
}

window.addEventListener('hashchange', () => { route(); view().focus({ preventScroll: true }); });
whenUnauthorized(() => { session.signOut(); signInForm('Your token is no longer accepted; sign in again.'); });
document.getElementById('sign-out').addEventListener('click', () => {
  if (cleanup) { cleanup(); cleanup = null; }
  session.signOut();
  sessionStorage.removeItem('autoplane.ws');
  ctx.user = ctx.role = ctx.ws = null;
  history.replaceState(null, '', '#/automations');
  signInForm();
});
start();
