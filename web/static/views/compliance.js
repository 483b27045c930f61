// 合规: the compliance board. One row per pilot, site and college, one column
// per article of the regulation the server checks; each cell says 正常, 预警,
// 违规, or the state of the case that follows it. A click on a cell shows the
// evidence behind it (the sessions, weeks, majors or agreement the flag
// names) and its case. The verdicts are the server's (GET /compliance); this
// page only lays them out. Exports: the board as Excel and as a PDF for the
// 院长办公会.

import { api } from '../api.js';
import { clear, h, link } from '../dom.js';

const kindWords = { pilot: '试点', site: '考点', college: '二级学院' };

function standing(row) {
  const words = [];
  if (row.withdrawn) words.push(row.kind === 'site' ? '已取消考点' : '已取消试点');
  else if (!row.active) words.push('已结束');
  if (row.kind === 'pilot' && row.registered === false) words.push('未登记');
  if (row.over_approved) words.push(`报名 ${row.registrations} 人，超过批准人数 ${row.approved_count} 人`);
  return words.map((w) => h('span', { class: 'badge' }, w));
}

function caseLink(c) {
  return c ? link(`/cases/${c.id}`, `案件 #${c.id}（${c.state}）`) : null;
}

function evidence(flag) {
  return h('li', { class: `flag ${flag.severity}`, dataset: { rule: flag.rule, key: flag.key } },
    h('span', { class: 'rule' }, flag.rule), ' ',
    h('span', { class: 'message' }, flag.message.replace(/^第[一二三四五六七八九十]+条\([一二三四五六七八九十]+\)：/, '')), ' ',
    flag.sessions.length ? h('span', { class: 'sessions' }, flag.sessions.map((id) => [link(`/sessions/${id}`, `场次 #${id}`), ' '])) : null,
    flag.weeks.length ? h('span', { class: 'weeks' }, `（周：${flag.weeks.map((w) => `${w} 起`).join('、')}）`) : null,
    ' ', caseLink(flag.case));
}

export async function render(main) {
  const board = await api('/compliance');
  const detail = h('section', { class: 'evidence', 'aria-live': 'polite' });
  const show = (row, cell) => {
    const flags = cell.flags.map((i) => board.flags[i]);
    clear(detail,
      h('h2', {}, `${row.name} · ${cell.article}`),
      flags.length === 0 && !cell.case ? h('p', {}, '✓ 正常：没有违规或预警。') : null,
      flags.length ? h('ul', {}, flags.map(evidence)) : null,
      cell.case ? h('p', {}, '案件：', caseLink(cell.case)) : null);
    detail.scrollIntoView({ block: 'nearest' });
  };
  const head = h('thead', {}, h('tr', {},
    h('th', { scope: 'col' }, '类别'), h('th', { scope: 'col' }, '名称'),
    board.articles.map((a) => h('th', { scope: 'col', class: 'article' }, a))));
  const body = h('tbody', {}, board.rows.map((row) => h('tr', { dataset: { kind: row.kind, id: row.id } },
    h('td', {}, kindWords[row.kind]),
    h('th', { scope: 'row' }, row.name, ' ', standing(row)),
    row.cells.map((cell) => h('td', { class: `cell ${cell.state}${cell.case ? ' has-case' : ''}`, dataset: { article: cell.article } },
      cell.state === 'n/a'
        ? h('span', { class: 'muted' }, '—')
        : h('button', { type: 'button', class: 'cellbutton', onclick: () => show(row, cell) }, cell.words))))));
  const flags = board.flags.filter((f) => f.severity === 'flag');
  const warnings = board.flags.filter((f) => f.severity === 'warning');
  const exportLink = (format, label) => h('a', {
    class: 'button', href: `/api/v1/compliance?format=${format}`, download: `compliance-${board.today}.${format}`,
    dataset: { export: format },
  }, label);
  clear(main,
    h('h1', {}, '合规'),
    h('p', { class: 'muted' }, `截至 ${board.today}（北京时间）：违规 ${flags.length} 项，预警 ${warnings.length} 项。`,
      '点击单元格查看依据。'),
    h('p', { class: 'actions' }, exportLink('xlsx', 'Excel'), ' ', exportLink('pdf', 'PDF（院长办公会）')),
    board.rows.length === 0
      ? h('p', { class: 'muted' }, '还没有试点、考点或二级学院。')
      : h('div', { class: 'scroll' }, h('table', { class: 'grid board' }, head, body)),
    detail,
    h('section', { class: 'flags', 'aria-label': '违规与预警' },
      h('h2', {}, `违规与预警（${board.flags.length} 项）`),
      board.flags.length ? h('ul', {}, board.flags.map(evidence)) : h('p', {}, '✓ 没有违规或预警。')));
}
