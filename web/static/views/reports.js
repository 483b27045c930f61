// 周报 (第七条(二)): a college submits its pilots' weekly reports (text and
// one PDF / DOCX / XLSX attachment of at most 10 MB) and sees its own
// history; the office sees the pilots × weeks grid (the server's week
// states, never recomputed here) and keeps the exemption calendar.

import { api, isAdmin } from '../api.js';
import { beijing, clear, h, notice, table } from '../dom.js';

const MAX_ATTACHMENT = 10 * 1024 * 1024;

const stateWords = {
  on_time: '按时', late: '逾期', missing: '未交', open: '待交', exempt: '免报', not_owed: '—',
};

// A file as {name, data (base64)} for the JSON body.
export function fileAsJson(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve({ name: file.name, data: String(reader.result).replace(/^data:[^,]*,/, '') });
    reader.onerror = () => reject(new Error(`无法读取文件 ${file.name}`));
    reader.readAsDataURL(file);
  });
}

// The attachment chosen, null for none, or undefined with the reason shown.
export async function chosenAttachment(input, result) {
  const file = input.files[0];
  if (!file) return null;
  if (file.size > MAX_ATTACHMENT) {
    clear(result, notice('error', `附件过大（${(file.size / 1048576).toFixed(1)} MB），上限 10 MB。`));
    return undefined;
  }
  return fileAsJson(file);
}

function attachmentLink(r) {
  if (!r.attachment) return '—';
  return h('a', { href: `/api/v1/reports/${r.id}/attachment`, download: r.attachment.name },
    `${r.attachment.name}（${Math.max(1, Math.round(r.attachment.bytes / 1024))} KB）`);
}

function timeliness(r) {
  if (!r.first) return h('span', { class: 'muted' }, '补充');
  return r.on_time ? h('span', { class: 'state on_time' }, '按时') : h('span', { class: 'state late' }, '逾期');
}

function historyTable(reports) {
  return table([
    { title: '周', value: (r) => r.week },
    { title: '试点', value: (r) => r.pilot },
    { title: '提交时间', value: (r) => beijing(r.submitted_at) },
    { title: '提交人', value: (r) => r.submitted_by },
    { title: '按时', value: timeliness },
    { title: '内容', value: (r) => h('span', { class: 'report-body' }, r.body) },
    { title: '附件', value: attachmentLink },
  ], [...reports].reverse(), { empty: '这段时间没有周报' });
}

export async function render(main) {
  const range = new URLSearchParams(location.search);
  const query = new URLSearchParams();
  if (range.get('from')) query.set('from', range.get('from'));
  if (range.get('to')) query.set('to', range.get('to'));
  const data = await api(`/reports${query.toString() ? `?${query}` : ''}`);
  if (isAdmin()) renderOffice(main, data);
  else renderCollege(main, data);
}

function renderCollege(main, data) {
  const result = h('div', { id: 'report-result', 'aria-live': 'polite' });
  const pilot = h('select', { id: 'report-pilot', required: true },
    data.pilots.map((p) => h('option', { value: p.id }, p.name)));
  const week = h('input', { type: 'date', id: 'report-week', required: true, value: data.this_week });
  const body = h('textarea', { id: 'report-body', rows: 6, required: true, maxlength: 20000 });
  const file = h('input', { type: 'file', id: 'report-file', accept: '.pdf,.docx,.xlsx' });
  const submit = h('button', { type: 'submit', class: 'primary' }, '提交周报');
  const form = h('form', { class: 'card', id: 'report-form' },
    h('label', { for: 'report-pilot' }, '试点'), pilot,
    h('label', { for: 'report-week' }, '所属周（该周任一天）'), week,
    h('label', { for: 'report-body' }, '本周工作'), body,
    h('label', { for: 'report-file' }, '附件（可选：PDF、Word .docx 或 Excel .xlsx，不超过 10 MB）'), file,
    h('p', { class: 'muted' }, '每周的周报须在下周一 24:00 前提交；之后提交的记为逾期。同一周可多次提交，以第一次提交的时间判断是否按时。'),
    submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const attachment = await chosenAttachment(file, result);
    if (attachment === undefined) return;
    submit.disabled = true;
    clear(result, h('p', { class: 'muted' }, '正在提交…'));
    try {
      const out = await api(`/pilots/${pilot.value}/reports`, {
        method: 'POST', json: { week: week.value, body: body.value, attachment: attachment ?? undefined },
      });
      const when = out.first ? (out.on_time ? '按时' : '逾期') : '补充（以第一次提交判断是否按时）';
      clear(result, notice('ok', `已提交 ${out.week} 这一周的周报：${when}。`));
      body.value = '';
      file.value = '';
      const again = await api('/reports');
      clear(historyBox, historyTable(again.reports));
    } catch (e) {
      clear(result, notice('error', e.message));
    } finally {
      submit.disabled = false;
    }
  });
  const historyBox = h('div', { id: 'report-history' }, historyTable(data.reports));
  clear(main, h('h1', {}, '周报'),
    data.pilots.length ? form : notice('info', '本学院没有在办的试点，无需提交周报。'),
    result, h('h2', {}, '本学院的周报'), historyBox);
}

function renderOffice(main, data) {
  const from = h('input', { type: 'date', id: 'grid-from', value: data.weeks[0] });
  const to = h('input', { type: 'date', id: 'grid-to', value: data.weeks[data.weeks.length - 1] });
  const show = h('button', { type: 'submit' }, '查看');
  const rangeForm = h('form', { class: 'field-row' }, h('label', { for: 'grid-from' }, '从'), from,
    h('label', { for: 'grid-to' }, '到'), to, show);
  rangeForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    history.pushState(null, '', `/reports?from=${from.value}&to=${to.value}`);
    await render(main);
  });
  const grid = h('table', { class: 'grid report-grid', id: 'report-grid' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '试点'),
      data.weeks.map((w) => h('th', { scope: 'col', title: w }, w.slice(5))))),
    h('tbody', {}, data.pilots.length === 0
      ? h('tr', {}, h('td', { colspan: data.weeks.length + 1, class: 'muted' }, '没有在办的试点'))
      : data.pilots.map((p) => h('tr', { dataset: { pilot: p.id } }, h('th', { scope: 'row' }, p.name),
        p.states.map((s, i) => h('td', { class: `state ${s}`, title: `${data.weeks[i]} ${stateWords[s] ?? s}` },
          stateWords[s] ?? s))))));
  clear(main, h('h1', {}, '周报'), rangeForm,
    h('p', { class: 'muted' }, '按时：下周一 24:00 前提交；逾期：之后才提交（按第七条(二)计为未交）；未交：已过期限仍未提交；待交：期限未到；免报：寒暑假、节假日。'),
    grid, h('h2', {}, '周报记录'), historyTable(data.reports),
    h('h2', {}, '免报日历（寒暑假、节假日）'), calendar(main, data));
}

function calendar(main, data) {
  const result = h('div', { id: 'exemption-result', 'aria-live': 'polite' });
  const week = h('input', { type: 'date', id: 'exemption-week', required: true });
  const reason = h('input', { type: 'text', id: 'exemption-reason', required: true, maxlength: 200, placeholder: '如 寒假、国庆节' });
  const add = h('button', { type: 'submit', class: 'primary' }, '设为免报');
  const form = h('form', { class: 'card field-row', id: 'exemption-form' },
    h('label', { for: 'exemption-week' }, '周一'), week, h('label', { for: 'exemption-reason' }, '原因'), reason, add);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api(`/report-exemptions/${week.value}`, { method: 'PUT', json: { reason: reason.value } });
      await render(main);
    } catch (e) {
      clear(result, notice('error', e.message));
    }
  });
  const list = table([
    { title: '周', value: (e) => e.week },
    { title: '原因', value: (e) => e.reason },
    { title: '设定人', value: (e) => e.recorded_by },
    { title: '设定时间', value: (e) => beijing(e.recorded_at) },
    { title: '', value: (e) => h('button', { type: 'button', onclick: async () => {
      try {
        await api(`/report-exemptions/${e.week}`, { method: 'DELETE' });
        await render(main);
      } catch (err) {
        clear(result, notice('error', err.message));
      }
    } }, '取消免报') },
  ], data.exemptions, { empty: '还没有免报周' });
  return h('div', { id: 'exemptions' }, form, result, list);
}
