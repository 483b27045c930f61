// 概览: this term's sessions with participation and pass rates, and every
// 第七条(五)/(六) warning at the top, in words. Its exports (statistics as
// CSV, Excel and PDF; the people, masked, as CSV and Excel) are of the term
// selected: the server filters them (term=2025-1, term=all).

import { api, isAdmin, seesEveryCollege } from '../api.js';
import { clear, h, link, notice, table } from '../dom.js';
import { termLabel, termOf, today } from '../terms.js';

const participationWords = { ok: '达标', low: '低于 30%', no_published_count: '未公布人数', not_held: '未举行' };

// A session row is a warning only when the rule judged it: a session not yet
// held has no verdict.
export const warnRow = (s) => (s.participation === 'low' || s.participation === 'no_published_count' ? 'warn-row' : '');

// Sessions not yet held that have no published count yet: reminders, not flags.
export function reminderList(reminders) {
  if (reminders.length === 0) return null;
  return h('section', { class: 'reminders', 'aria-label': '提醒' },
    h('h2', {}, `提醒（${reminders.length} 条）`),
    h('ul', {}, reminders.map((f) => h('li', { class: 'reminder', dataset: { kind: f.kind } },
      h('span', { class: 'message' }, f.message.replace(/^提醒：/, '')), ' ',
      h('span', { class: 'sessions' }, f.sessions.map((s) => [link(`/sessions/${s.session_id}`, `场次 #${s.session_id}`), ' ']))))));
}

export function flagList(flags, { heading = true } = {}) {
  if (flags.length === 0) {
    return h('section', { class: 'flags ok', 'aria-label': '预警' }, heading ? h('h2', {}, '预警') : null,
      h('p', {}, '✓ 没有第七条(五)、(六)的预警。'));
  }
  return h('section', { class: 'flags', 'aria-label': '预警' },
    heading ? h('h2', {}, `预警（${flags.length} 条）`) : null,
    h('ul', {}, flags.map((f) => h('li', { class: `flag ${f.kind}`, dataset: { kind: f.kind } },
      h('span', { class: 'rule' }, f.rule), ' ',
      h('span', { class: 'message' }, f.message.replace(/^第七条\([五六]\)：/, '')), ' ',
      h('span', { class: 'sessions' }, f.sessions.map((s) => [link(`/sessions/${s.session_id}`, `场次 #${s.session_id}`), ' ']))))));
}

export function sessionColumns() {
  return [
    { title: '场次', value: (s) => link(`/sessions/${s.id}`, `#${s.id}`) },
    { title: '日期', value: (s) => `${s.exam_date} ${s.start_time}` },
    { title: '二级学院', value: (s) => link(`/colleges/${s.college.id}`, s.college.name) },
    { title: '证书', value: (s) => link(`/certificates/${s.certificate.id}`, s.certificate.name) },
    { title: '等级', value: (s) => link(`/pilots/${s.pilot_id}`, s.level) },
    { title: '考点', value: (s) => s.site },
    { title: '公布', class: 'num', value: (s) => (s.published ?? '未公布') },
    { title: '报名', class: 'num', value: (s) => s.registered },
    { title: '参考', class: 'num', value: (s) => s.sat },
    { title: '参考率', class: 'num', value: (s) => h('span', { class: `rate ${s.participation}` }, s.participation_rate, ' ', h('small', {}, participationWords[s.participation] ?? '')) },
    { title: '通过', class: 'num', value: (s) => s.passed },
    { title: '通过率', class: 'num', value: (s) => [s.pass_rate, s.results_final ? '' : h('small', { class: 'muted' }, ' 未确认')] },
  ];
}

function groupTable(title, rows, hrefOf) {
  return h('section', {}, h('h2', {}, title), table([
    { title: '名称', value: (g) => link(hrefOf(g), g.name) },
    { title: '场次', class: 'num', value: (g) => g.sessions },
    { title: '公布', class: 'num', value: (g) => g.published + (g.sessions_without_published ? `（${g.sessions_without_published} 场未公布）` : '') },
    { title: '参考', class: 'num', value: (g) => g.sat },
    { title: '参考率', class: 'num', value: (g) => g.participation_rate },
    { title: '通过', class: 'num', value: (g) => g.passed },
    { title: '通过率', class: 'num', value: (g) => g.pass_rate },
  ], rows));
}

function termLabelOf(key) {
  return key === 'all' ? '全部学期' : termLabel(key);
}

export async function render(main) {
  const stats = await api('/statistics');
  const terms = new Map();
  for (const s of stats.sessions) {
    const t = termOf(s.exam_date);
    terms.set(t.key, t.label);
  }
  const current = termOf(today());
  const keys = [...terms.keys()].sort().reverse();
  const params = new URLSearchParams(location.search);
  let chosen = params.get('term') ?? (terms.has(current.key) ? current.key : keys[0] ?? current.key);
  if (chosen !== 'all' && !terms.has(chosen)) terms.set(chosen, termLabel(chosen));

  const select = h('select', { id: 'term', 'aria-label': '学期' },
    h('option', { value: 'all' }, '全部学期'),
    [...terms.entries()].sort().reverse().map(([k, label]) => h('option', { value: k, selected: k === chosen }, label)));
  if (chosen === 'all') select.value = 'all';
  // The exports are the server's, of the term chosen (term=all: every term).
  const exportsOf = [
    ['statistics', 'csv', 'CSV'], ['statistics', 'xlsx', 'Excel'], ['statistics', 'pdf', 'PDF 报告'],
    ['people', 'csv', '名单 CSV'], ['people', 'xlsx', '名单 Excel'],
  ].map(([what, format, label]) => ({ what, format, a: h('a', { class: 'button', dataset: { export: `${what}-${format}` } }, label) }));
  const body = h('div');
  const draw = () => {
    chosen = select.value;
    for (const { what, format, a } of exportsOf) {
      const query = new URLSearchParams({ format, term: chosen });
      a.href = `/api/v1/${what === 'people' ? 'exports/people' : 'statistics'}?${query}`;
      a.download = `${what}-${chosen}.${format}`;
      a.title = `${termLabelOf(chosen)}${what === 'people' ? '的考生名单（考勤与成绩，身份证号已隐藏）' : '的统计'}`;
    }
    const sessions = stats.sessions.filter((s) => chosen === 'all' || termOf(s.exam_date).key === chosen);
    const ids = new Set(sessions.map((s) => s.id));
    const flags = stats.flags.filter((f) => f.sessions.some((s) => ids.has(s.session_id)));
    const reminders = (stats.reminders ?? []).filter((f) => f.sessions.some((s) => ids.has(s.session_id)));
    const sat = sessions.reduce((n, s) => n + s.sat, 0);
    const passed = sessions.reduce((n, s) => n + s.passed, 0);
    clear(body,
      flagList(flags),
      reminderList(reminders),
      h('section', {}, h('h2', {}, `场次（${sessions.length}）`),
        h('p', { class: 'muted' }, `参考 ${sat} 人，通过 ${passed} 人。参考率 = 参加考试人数 ÷ 公布考试人数；通过率 = 通过人数 ÷ 已有成绩的参加考试人数（待定的成绩不计入）。`),
        table(sessionColumns(), sessions, {
          empty: '本学期没有考试场次',
          rowClass: warnRow,
        })),
      h('div', { class: 'columns' },
        groupTable('二级学院', stats.colleges, (g) => `/colleges/${g.id}`),
        groupTable('证书', stats.certificates, (g) => `/certificates/${g.id}`)),
      groupTable('试点（学院 × 证书 × 等级）', stats.pilots, (g) => `/pilots/${g.id}`));
  };
  select.addEventListener('change', () => {
    const url = new URL(location.href);
    url.searchParams.set('term', select.value);
    history.replaceState(null, '', url);
    draw();
  });
  clear(main,
    h('div', { class: 'page-head' },
      h('h1', {}, seesEveryCollege() ? '考试统计 · 全校' : `考试统计 · ${stats.colleges[0]?.name ?? '本学院'}`),
      h('div', { class: 'tools' }, select,
        h('span', { class: 'exports' }, '导出：', exportsOf.map((e) => e.a)),
        h('button', { type: 'button', class: 'button', onclick: () => window.print() }, '打印'))),
    stats.sessions.length === 0 ? notice('info', '还没有考试场次。', isAdmin() ? [' ', link('/admin/import', '导入名单')] : '') : null,
    body);
  draw();
}
