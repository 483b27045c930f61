// 案件 (DESIGN.md "Cases"): the list with filters, one case's history, and
// the moves its state allows (the server says which: "moves"). The office
// and 教务处 record findings and move cases; a college sees its own cases
// and records its rectification while a case is 整改中.

import { api, isAdmin } from '../api.js';
import { beijing, clear, h, link, notice, table } from '../dom.js';
import { chosenAttachment } from './reports.js';

const STATES = ['待核查', '核查中', '不属实', '属实', '整改中', '已整改', '未整改', '取消试点', '取消考点'];

function stateBadge(state) {
  return h('span', { class: `case-state s-${STATES.indexOf(state)}` }, state);
}

export async function render(main) {
  const params = new URLSearchParams(location.search);
  const query = new URLSearchParams();
  for (const key of ['state', 'rule', 'open']) if (params.get(key)) query.set(key, params.get(key));
  const data = await api(`/cases${query.toString() ? `?${query}` : ''}`);
  const state = h('select', { id: 'case-filter-state' }, h('option', { value: '' }, '全部状态'),
    STATES.map((s) => h('option', { value: s, selected: params.get('state') === s }, s)));
  const open = h('select', { id: 'case-filter-open' }, h('option', { value: '' }, '全部'),
    h('option', { value: '1', selected: params.get('open') === '1' }, '未结案'),
    h('option', { value: '0', selected: params.get('open') === '0' }, '已结案'));
  const rule = h('input', { type: 'text', id: 'case-filter-rule', placeholder: '条款，如 第七条(二)', value: params.get('rule') ?? '' });
  const filter = h('form', { class: 'field-row' }, state, open, rule, h('button', { type: 'submit' }, '筛选'));
  filter.addEventListener('submit', async (event) => {
    event.preventDefault();
    const q = new URLSearchParams();
    if (state.value) q.set('state', state.value);
    if (open.value) q.set('open', open.value);
    if (rule.value.trim()) q.set('rule', rule.value.trim());
    history.pushState(null, '', `/cases${q.toString() ? `?${q}` : ''}`);
    await render(main);
  });
  const list = h('div', { id: 'case-list' }, table([
    { title: '编号', class: 'num', value: (c) => link(`/cases/${c.id}`, `#${c.id}`) },
    { title: '条款', value: (c) => c.rule },
    { title: '对象', value: (c) => c.subject },
    { title: '问题', value: (c) => c.summary },
    { title: '来源', value: (c) => (c.source === 'flag' ? '预警' : '人工记录') },
    { title: '状态', value: (c) => stateBadge(c.state) },
    { title: '整改期限', value: (c) => c.deadline ?? '—' },
    { title: '更新', value: (c) => beijing(c.updated_at) },
  ], data.cases, { empty: '没有案件' }));
  clear(main, h('h1', {}, '案件'), filter, list, isAdmin() ? await findingForm(main) : null);
}

async function findingForm(main) {
  const subjects = await api('/case-subjects');
  const result = h('div', { id: 'finding-result', 'aria-live': 'polite' });
  const rule = h('select', { id: 'finding-rule' },
    subjects.finding_rules.map((r) => h('option', { value: r.rule, dataset: { kind: r.subject_kind } }, r.rule)));
  const subject = h('select', { id: 'finding-subject' });
  const fill = () => {
    const kind = rule.selectedOptions[0]?.dataset.kind;
    const items = kind === 'site' ? subjects.sites : subjects.pilots.filter((p) => !p.withdrawn);
    clear(subject, items.map((s) => h('option', { value: s.id }, s.name)));
  };
  rule.addEventListener('change', fill);
  fill();
  const note = h('textarea', { id: 'finding-note', rows: 4, required: true, maxlength: 1000 });
  const file = h('input', { type: 'file', id: 'finding-file', accept: '.pdf,.docx,.xlsx' });
  const submit = h('button', { type: 'submit', class: 'primary' }, '记录问题');
  const form = h('form', { class: 'card', id: 'finding-form' },
    h('label', { for: 'finding-rule' }, '条款（第七条(三)(四)(七) 关于试点，第九条(二)(三)(四)(六) 关于考点）'), rule,
    h('label', { for: 'finding-subject' }, '对象'), subject,
    h('label', { for: 'finding-note' }, '核查依据（发现了什么、在哪里、由谁发现）'), note,
    h('label', { for: 'finding-file' }, '证据附件（可选：PDF、.docx 或 .xlsx，不超过 10 MB）'), file, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const attachment = await chosenAttachment(file, result);
    if (attachment === undefined) return;
    submit.disabled = true;
    try {
      const kind = rule.selectedOptions[0]?.dataset.kind;
      const c = await api('/cases', { method: 'POST', json: {
        rule: rule.value, subject_kind: kind, subject_id: Number(subject.value), note: note.value,
        attachment: attachment ?? undefined,
      } });
      history.pushState(null, '', `/cases/${c.id}`);
      await renderCase(main, c.id);
    } catch (e) {
      clear(result, notice('error', e.message));
    } finally {
      submit.disabled = false;
    }
  });
  return h('div', {}, h('h2', {}, '记录问题'), form, result);
}

export async function renderCase(main, id) {
  const c = await api(`/cases/${id}`);
  const steps = table([
    { title: '时间', value: (s) => beijing(s.at, { seconds: true }) },
    { title: '操作人', value: (s) => s.actor },
    { title: '状态', value: (s) => (s.from ? `${s.from} → ${s.to}` : `开案：${s.to}`) },
    { title: '理由 / 依据', value: (s) => s.reason },
    { title: '整改期限', value: (s) => s.deadline ?? '' },
    { title: '附件', value: (s) => (s.attachment
      ? h('a', { href: `/api/v1/cases/${c.id}/steps/${s.id}/attachment`, download: s.attachment.name }, s.attachment.name)
      : '') },
  ], c.steps ?? []);
  clear(main, h('p', {}, link('/cases', '← 案件列表')),
    h('h1', {}, `案件 #${c.id}：${c.rule} ${c.subject}`),
    h('p', {}, c.summary),
    h('p', {}, '状态：', h('span', { id: 'case-state' }, stateBadge(c.state)),
      c.deadline ? `　整改期限：${c.deadline}` : '', c.closed ? '　（已结案）' : ''),
    h('h2', {}, '经过'), h('div', { id: 'case-steps' }, steps),
    moveForm(main, c));
}

function moveForm(main, c) {
  if (!c.moves?.length) return null;
  const result = h('div', { id: 'move-result', 'aria-live': 'polite' });
  const college = !isAdmin();
  const reason = h('textarea', { id: 'move-reason', rows: 3, required: true, maxlength: 1000 });
  const deadline = h('input', { type: 'date', id: 'move-deadline' });
  const file = h('input', { type: 'file', id: 'move-file', accept: '.pdf,.docx,.xlsx' });
  const send = async (to) => {
    const attachment = await chosenAttachment(file, result);
    if (attachment === undefined) return;
    const json = { from: c.state, reason: reason.value, attachment: attachment ?? undefined };
    if (!college) json.to = to;
    if (to === '整改中' && !college) json.deadline = deadline.value;
    try {
      await api(`/cases/${c.id}/${college ? 'rectification' : 'moves'}`, { method: 'POST', json });
      await renderCase(main, c.id);
    } catch (e) {
      clear(result, notice('error', e.message));
    }
  };
  const buttons = c.moves.map((to) => h('button', { type: 'button', class: 'primary', dataset: { move: to },
    onclick: () => send(to) }, college ? '记录整改情况' : `改为「${to}」`));
  const needsDeadline = !college && c.moves.includes('整改中');
  return h('div', { class: 'card', id: 'case-move' },
    h('h2', {}, college ? '记录整改情况' : '处理'),
    h('label', { for: 'move-reason' }, college ? '整改情况' : '理由'), reason,
    needsDeadline ? [h('label', { for: 'move-deadline' }, '整改期限'), deadline] : null,
    h('label', { for: 'move-file' }, '附件（可选：PDF、.docx 或 .xlsx，不超过 10 MB）'), file,
    h('div', { class: 'field-row' }, buttons), result);
}
