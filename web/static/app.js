// The dashboard's shell: who is logged in, the navigation, and which view
// draws the page for the current path. Views live in views/*.js; each
// exports render(main, params) and may return a function that stops it
// (timers) when the page changes.

import { api, ApiError, isAdmin, me, setSession } from './api.js';
import { clear, h, notice } from './dom.js';
import * as overview from './views/overview.js';
import * as session from './views/session.js';
import * as groups from './views/groups.js';
import * as admin from './views/admin.js';
import * as compliance from './views/compliance.js';
import * as basedata from './views/basedata.js';
import * as login from './views/login.js';
import * as reports from './views/reports.js';
import * as cases from './views/cases.js';

const routes = [
  [/^\/$/, overview.render],
  [/^\/login$/, login.render],
  [/^\/sessions\/(\d+)$/, session.render],
  [/^\/compliance$/, compliance.render],
  [/^\/pilots\/(\d+)$/, (main, id) => groups.render(main, 'pilot', id)],
  [/^\/colleges\/(\d+)$/, (main, id) => groups.render(main, 'college', id)],
  [/^\/certificates\/(\d+)$/, (main, id) => groups.render(main, 'certificate', id)],
  [/^\/data\/?$/, basedata.render],
  [/^\/reports$/, reports.render],
  [/^\/cases$/, cases.render],
  [/^\/cases\/(\d+)$/, cases.renderCase],
  [/^\/admin\/?$/, (main) => admin.render(main, 'import')],
  [/^\/admin\/(import|kiosks|users|audit)$/, admin.render],
];

const ROLE_NAMES = { admin: '继续教育学院', college: '二级学院', academic: '教务处', hr: '人事处' };

const main = document.getElementById('main');
let stopView = null;

export function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  show();
}

function drawChrome() {
  const bar = document.getElementById('topbar');
  if (!me) {
    bar.hidden = true;
    return;
  }
  bar.hidden = false;
  const items = me.role === 'hr' ? [] : [['/', '概览'], ['/compliance', '合规'], ['/reports', '周报'], ['/cases', '案件']];
  if (isAdmin()) {
    items.push(['/admin/import', '导入名单'], ['/admin/kiosks', '考场终端'], ['/admin/users', '用户'], ['/admin/audit', '审计日志']);
  }
  if (me.role !== 'college') items.push(['/data', '基础数据']);
  const here = location.pathname;
  clear(document.getElementById('nav'), items.map(([href, text]) =>
    h('a', { href, 'data-nav': '', 'aria-current': here === href ? 'page' : undefined }, text)));
  document.getElementById('who').textContent =
    `${me.username}（${ROLE_NAMES[me.role] ?? '二级学院'}）`;
}

async function show() {
  if (stopView) {
    stopView();
    stopView = null;
  }
  const path = location.pathname;
  if (!me && path !== '/login') {
    try {
      setSession(await api('/me'));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        navigate(`/login?next=${encodeURIComponent(path + location.search)}`, { replace: true });
        return;
      }
      clear(main, notice('error', e.message));
      return;
    }
  }
  // 人事处 keeps teachers only: its home is the data page.
  if (me?.role === 'hr' && path === '/') {
    navigate('/data', { replace: true });
    return;
  }
  drawChrome();
  for (const [pattern, view] of routes) {
    const m = pattern.exec(path);
    if (!m) continue;
    clear(main, h('p', { class: 'muted' }, '正在加载…'));
    try {
      const stop = await view(main, ...m.slice(1));
      if (typeof stop === 'function') stopView = stop;
    } catch (e) {
      clear(main, notice('error', e.message ?? String(e)));
    }
    main.focus({ preventScroll: true });
    return;
  }
  clear(main, h('h1', {}, '没有这个页面'), h('p', {}, h('a', { href: '/', 'data-nav': '' }, '返回概览')));
}

document.addEventListener('click', (event) => {
  const a = event.target.closest('a[data-nav]');
  if (!a || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  navigate(a.getAttribute('href'));
});
window.addEventListener('popstate', show);
window.addEventListener('kd-unauthorised', () => {
  setSession(null);
  navigate(`/login?next=${encodeURIComponent(location.pathname)}`, { replace: true });
});
document.getElementById('logout').addEventListener('click', async () => {
  try {
    await api('/logout', { method: 'POST' });
  } catch {
    // the session is gone either way
  }
  setSession(null);
  navigate('/login', { replace: true });
});

show();
