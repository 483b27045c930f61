// 基础数据: the data the regulation's rules need (docs/compliance.md) —
// majors, pilots (未登记 shown), teachers and their qualifications, exam
// sites and their agreements, certificates and their cancellation. Each
// list with its import form (all or nothing, problems by line and column)
// and the editing of one record. Who may change what is the server's
// (routes in server/api/api.cpp); the page only hides the forms a role
// cannot use: 教务处 (academic) keeps majors, pilots, sites and certificates,
// 人事处 (hr) teachers and qualifications, the office everything.

import { api, me } from '../api.js';
import { clear, h, notice, table } from '../dom.js';

const MAX_UPLOAD = 16 * 1024 * 1024;

const KINDS = {
  majors: { title: '专业', file: '专业名单', columns: '二级学院、专业代码、专业名称、状态（在招 / 停招）' },
  pilots: { title: '试点', file: '试点名单', columns: '二级学院、证书、等级、培训评价组织、试点专业（多个用“、”或“;”分隔）、批准人数、批准日期、开始日期、状态（试点中 / 已结束）' },
  teachers: { title: '师资', file: '师资名单', columns: '工号、姓名、二级学院、专业、资格（培训教师 / 考评员）、证书、等级、证书编号、有效期起、有效期止（每个资格一行）' },
  sites: { title: '考点', file: '考点名单', columns: '考点、地址、合作协议编号、协议起、协议止' },
};

function role() {
  return me?.role;
}

function mayEdit(kind) {
  const r = role();
  if (r === 'admin') return true;
  if (r === 'academic') return kind !== 'teachers';
  if (r === 'hr') return kind === 'teachers';
  return false;
}

function mayRead(kind) {
  const r = role();
  if (r === 'admin' || r === 'academic') return true;
  return r === 'hr' && (kind === 'teachers' || kind === 'majors');
}

function problemTable(problems) {
  return problems.length ? table([
    { title: '行', class: 'num', value: (p) => p.line || '—' },
    { title: '列', value: (p) => p.column || '—' },
    { title: '问题', value: (p) => p.message },
  ], problems, { rowClass: () => 'problem' }) : null;
}

function importForm(kind, reload) {
  const spec = KINDS[kind];
  const file = h('input', { type: 'file', id: `import-${kind}-file`, accept: '.csv,.xlsx,.txt' });
  const result = h('div', { id: `import-${kind}-result`, 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary', id: `import-${kind}-submit` }, `导入${spec.file}`);
  const form = h('form', { class: 'card', id: `import-${kind}` },
    h('label', { for: `import-${kind}-file` }, `${spec.file}（CSV：UTF-8、GBK/GB18030 或 UTF-16；或 Excel .xlsx）`), file,
    h('p', { class: 'muted' }, `列：${spec.columns}。有任何问题时整份不导入，并逐行列出问题；同一文件再次导入不会改动任何数据。`,
      h('a', { href: `/static/templates/${kind}.csv`, download: `${kind}.csv` }, '下载模板')),
    submit, result);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = file.files[0];
    if (!chosen) {
      clear(result, notice('error', '请先选择文件。'));
      return;
    }
    if (chosen.size > MAX_UPLOAD) {
      clear(result, notice('error', `文件过大（${(chosen.size / 1048576).toFixed(1)} MB），上限 16 MB。`));
      return;
    }
    submit.disabled = true;
    clear(result, h('p', { class: 'muted' }, `正在导入 ${chosen.name}…`));
    try {
      const out = await api(`/imports/${kind}?file_name=${encodeURIComponent(chosen.name)}`,
        { method: 'POST', body: await chosen.arrayBuffer() });
      const warnings = (out.warnings ?? []).map((w) => notice('info', `提醒：${w}`));
      clear(result);
      await reload(out.changed
        ? notice('ok', `已导入 ${chosen.name}：${out.rows} 行；新增 ${out.created}，更新 ${out.updated}，删除 ${out.removed}，未变 ${out.unchanged}。`)
        : notice('info', `${chosen.name} 与已有数据相同（${out.rows} 行），没有任何改动。`), ...warnings);
    } catch (e) {
      clear(result, notice('error', e.message), problemTable(e.body?.problems ?? []));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

// An edit form for one record: fields [{key, label, value, type}], saved with PUT.
function editForm(id, title, fields, save, done) {
  const inputs = fields.map((f) => {
    const input = f.type === 'select'
      ? h('select', { id: `edit-${f.key}` }, f.options.map(([v, t]) => h('option', { value: v, selected: v === f.value }, t)))
      : h('input', { id: `edit-${f.key}`, value: f.value ?? '', placeholder: f.placeholder ?? '', size: f.size ?? 20 });
    return [f, input];
  });
  const message = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'card edit-form', id },
    h('h3', {}, title),
    h('div', { class: 'field-row' }, inputs.map(([f, input]) => [h('label', { for: `edit-${f.key}` }, f.label), input])),
    h('div', { class: 'field-row' },
      h('button', { type: 'submit', class: 'primary', id: 'edit-save' }, '保存'),
      h('button', { type: 'button', id: 'edit-cancel', onclick: () => form.remove() }, '取消')),
    message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const values = Object.fromEntries(inputs.map(([f, input]) => [f.key, input.value.trim()]));
    try {
      const out = await save(values);
      await done(notice('ok', out.changed ? '已保存。' : '没有改动。'));
    } catch (e) {
      clear(message, notice('error', e.message));
    }
  });
  return form;
}

const dateOrNull = (v) => (v ? v : null);

// Redraws a section after a change, with the messages in its status line.
function reloader(section, draw) {
  return async (...messages) => {
    clear(section, ...(await draw(section)).children);
    section.querySelector('.section-status')?.append(...messages);
  };
}

async function majorsSection(section) {
  const { majors } = await api('/majors');
  const editor = h('div');
  const reload = reloader(section, majorsSection);
  const edit = (m) => clear(editor, editForm('edit-major', `修改专业：${m.college} ${m.name}`, [
    { key: 'code', label: '专业代码', value: m.code, size: 10 },
    { key: 'name', label: '专业名称', value: m.name },
    { key: 'active', label: '状态', value: m.active ? '1' : '0', type: 'select', options: [['1', '在招'], ['0', '停招']] },
  ], (v) => api(`/majors/${m.id}`, { method: 'PUT', json: { code: v.code, name: v.name, active: v.active === '1' } }), reload));
  return h('div', {},
    h('h2', { id: 'majors' }, '专业'),
    mayEdit('majors') ? importForm('majors', reload) : null,
    h('div', { class: 'section-status', 'aria-live': 'polite' }),
    table([
      { title: '二级学院', value: (m) => m.college },
      { title: '专业代码', value: (m) => m.code || h('span', { class: 'muted' }, '（未登记代码）') },
      { title: '专业名称', value: (m) => m.name },
      { title: '状态', value: (m) => (m.active ? '在招' : '停招') },
      { title: '', class: 'noprint', value: (m) => (mayEdit('majors') ? h('button', { type: 'button', dataset: { edit: `major-${m.id}` }, onclick: () => edit(m) }, '修改') : '') },
    ], majors, { empty: '还没有专业：请导入专业名单。' }),
    editor);
}

async function pilotsSection(section) {
  const { pilots } = await api('/pilots');
  const editor = h('div');
  const reload = reloader(section, pilotsSection);
  const edit = (p) => clear(editor, editForm('edit-pilot', `修改试点：${p.name}`, [
    { key: 'training_org', label: '培训评价组织', value: p.training_org },
    { key: 'majors', label: '试点专业（“、”分隔）', value: p.majors.join('、'), size: 30 },
    { key: 'approved_count', label: '批准人数', value: p.approved_count ?? '', size: 6 },
    { key: 'approved_on', label: '批准日期', value: p.approved_on ?? '', size: 10, placeholder: '2026-03-01' },
    { key: 'start_date', label: '开始日期', value: p.start_date ?? '', size: 10, placeholder: '2026-03-02' },
    { key: 'active', label: '状态', value: p.active ? '1' : '0', type: 'select', options: [['1', '试点中'], ['0', '已结束']] },
  ], (v) => {
    const count = v.approved_count === '' ? null : Number(v.approved_count);
    if (count !== null && !(Number.isInteger(count) && count > 0)) throw new Error('批准人数须为正整数。');
    return api(`/pilots/${p.id}`, { method: 'PUT', json: {
      training_org: v.training_org, majors: v.majors, approved_count: count,
      approved_on: dateOrNull(v.approved_on), start_date: dateOrNull(v.start_date), active: v.active === '1' } });
  }, reload));
  return h('div', {},
    h('h2', { id: 'pilots' }, '试点'),
    mayEdit('pilots') ? importForm('pilots', reload) : null,
    h('div', { class: 'section-status', 'aria-live': 'polite' }),
    table([
      { title: '试点', value: (p) => [p.name, p.registered ? null : h('span', { class: 'status absent unregistered' }, ' 未登记')] },
      { title: '培训评价组织', value: (p) => p.training_org || '—' },
      { title: '试点专业', value: (p) => p.majors.join('、') || '—' },
      { title: '批准人数', class: 'num', value: (p) => p.approved_count ?? '—' },
      { title: '已报名', class: 'num', value: (p) => (p.over_approved ? h('strong', { class: 'over' }, `${p.candidates}（超出）`) : p.candidates) },
      { title: '批准日期', value: (p) => p.approved_on ?? '—' },
      { title: '开始日期', value: (p) => p.start_date ?? '—' },
      { title: '状态', value: (p) => (p.withdrawn_at ? '已取消试点' : p.active ? '试点中' : '已结束') },
      { title: '', class: 'noprint', value: (p) => (mayEdit('pilots') ? h('button', { type: 'button', dataset: { edit: `pilot-${p.id}` }, onclick: () => edit(p) }, p.registered ? '修改' : '登记') : '') },
    ], pilots, { empty: '还没有试点：请导入试点名单。', rowClass: (p) => (p.registered ? undefined : 'warn-row') }),
    editor);
}

async function teachersSection(section) {
  const { teachers } = await api('/teachers');
  const editor = h('div');
  const reload = reloader(section, teachersSection);
  // One row per qualification, as the file has them; a teacher with none has one row.
  const rows = teachers.flatMap((t) => (t.qualifications.length
    ? t.qualifications.map((q, i) => ({ t, q, first: i === 0 })) : [{ t, q: null, first: true }]));
  const editTeacher = (t) => clear(editor, editForm('edit-teacher', `修改教师：${t.staff_number} ${t.name}`, [
    { key: 'name', label: '姓名', value: t.name },
    { key: 'major', label: '专业', value: t.major },
  ], (v) => api(`/teachers/${t.id}`, { method: 'PUT', json: v }), reload));
  const editQualification = (t, q) => clear(editor, editForm('edit-qualification',
    `修改资格：${t.name} ${q.kind} ${q.certificate} ${q.level}`, [
      { key: 'number', label: '证书编号', value: q.number },
      { key: 'valid_from', label: '有效期起', value: q.valid_from ?? '', size: 10 },
      { key: 'valid_until', label: '有效期止', value: q.valid_until ?? '', size: 10 },
    ], (v) => api(`/qualifications/${q.id}`, { method: 'PUT', json: {
      number: v.number, valid_from: dateOrNull(v.valid_from), valid_until: dateOrNull(v.valid_until) } }), reload));
  const may = mayEdit('teachers');
  return h('div', {},
    h('h2', { id: 'teachers' }, '师资'),
    may ? importForm('teachers', reload) : null,
    h('div', { class: 'section-status', 'aria-live': 'polite' }),
    table([
      { title: '工号', value: (r) => (r.first ? r.t.staff_number : '') },
      { title: '姓名', value: (r) => (r.first ? r.t.name : '') },
      { title: '二级学院 / 专业', value: (r) => (r.first ? `${r.t.college} / ${r.t.major || '—'}` : '') },
      { title: '资格', value: (r) => (r.q ? `${r.q.kind} ${r.q.certificate} ${r.q.level}` : '—') },
      { title: '证书编号', value: (r) => r.q?.number || '—' },
      { title: '有效期', value: (r) => (r.q ? `${r.q.valid_from ?? '—'} 至 ${r.q.valid_until ?? '—'}` : '—') },
      { title: '', class: 'noprint', value: (r) => (may ? [
        r.first ? h('button', { type: 'button', dataset: { edit: `teacher-${r.t.id}` }, onclick: () => editTeacher(r.t) }, '修改教师') : null,
        r.q ? h('button', { type: 'button', dataset: { edit: `qualification-${r.q.id}` }, onclick: () => editQualification(r.t, r.q) }, '修改资格') : null,
      ] : '') },
    ], rows, { empty: '还没有教师：请导入师资名单。' }),
    editor);
}

async function sitesSection(section) {
  const { sites } = await api('/sites');
  const editor = h('div');
  const reload = reloader(section, sitesSection);
  const edit = (s) => clear(editor, editForm('edit-site', `修改考点：${s.name}`, [
    { key: 'address', label: '地址', value: s.address, size: 30 },
    { key: 'agreement_number', label: '合作协议编号', value: s.agreement_number },
    { key: 'agreement_starts', label: '协议起', value: s.agreement_starts ?? '', size: 10 },
    { key: 'agreement_ends', label: '协议止', value: s.agreement_ends ?? '', size: 10 },
  ], (v) => api(`/sites/${s.id}`, { method: 'PUT', json: { address: v.address, agreement_number: v.agreement_number,
    agreement_starts: dateOrNull(v.agreement_starts), agreement_ends: dateOrNull(v.agreement_ends) } }), reload));
  return h('div', {},
    h('h2', { id: 'sites' }, '考点与合作协议'),
    mayEdit('sites') ? importForm('sites', reload) : null,
    h('div', { class: 'section-status', 'aria-live': 'polite' }),
    table([
      { title: '考点', value: (s) => s.name },
      { title: '地址', value: (s) => s.address || '—' },
      { title: '合作协议', value: (s) => (s.agreement_number ? `${s.agreement_number}（${s.agreement_starts ?? '—'} 至 ${s.agreement_ends}）` : h('span', { class: 'status absent' }, '未登记协议')) },
      { title: '考场', value: (s) => s.rooms.join('、') || '—' },
      { title: '', class: 'noprint', value: (s) => (mayEdit('sites') ? h('button', { type: 'button', dataset: { edit: `site-${s.id}` }, onclick: () => edit(s) }, '修改') : '') },
    ], sites, { empty: '还没有考点。' }),
    editor);
}

async function certificatesSection(section) {
  const { certificates } = await api('/certificates');
  const editor = h('div');
  const reload = reloader(section, certificatesSection);
  const cancel = (c) => clear(editor, editForm('cancel-certificate', `取消证书：${c.name}（各等级一并取消）`, [
    { key: 'date', label: '取消日期', value: c.cancelled_on ?? '', size: 10, placeholder: '2026-12-01' },
    { key: 'document', label: '文件号', value: c.cancel_document, size: 30, placeholder: '教职成司函〔2026〕12号' },
  ], (v) => {
    if (!v.date || !v.document) throw new Error('请填写取消日期和文件号。');
    return api('/certificates/cancel', { method: 'POST', json: { certificate: c.name, date: v.date, document: v.document } });
  }, reload));
  return h('div', {},
    h('h2', { id: 'certificates' }, '证书状态'),
    h('div', { class: 'section-status', 'aria-live': 'polite' }),
    table([
      { title: '证书', value: (c) => c.name },
      { title: '培训评价组织', value: (c) => c.training_org || '—' },
      { title: '状态', value: (c) => (c.cancelled_on ? h('span', { class: 'status absent' }, `已于 ${c.cancelled_on} 取消（${c.cancel_document}）`) : '有效') },
      { title: '', class: 'noprint', value: (c) => (mayEdit('certificates') ? h('button', { type: 'button', dataset: { edit: `certificate-${c.id}` }, onclick: () => cancel(c) }, c.cancelled_on ? '修改取消记录' : '记录取消') : '') },
    ], certificates, { empty: '还没有证书。' }),
    editor);
}

export async function render(main) {
  const sections = [
    ['majors', majorsSection], ['pilots', pilotsSection], ['teachers', teachersSection],
    ['sites', sitesSection], ['certificates', certificatesSection],
  ].filter(([kind]) => mayRead(kind === 'certificates' ? 'pilots' : kind));
  if (sections.length === 0) {
    clear(main, h('h1', {}, '基础数据'), notice('error', '无权访问：此页面仅限继续教育学院、教务处和人事处。'));
    return undefined;
  }
  const parts = [];
  for (const [kind, draw] of sections) {
    const section = h('section', { id: `section-${kind}` });
    clear(section, ...(await draw(section)).children);
    parts.push(section);
  }
  clear(main, h('h1', {}, '基础数据'),
    h('p', { class: 'muted' }, '合规检查所依据的数据：专业、试点、师资、考点与合作协议、证书状态。每次导入和修改都记入审计日志。'),
    h('nav', { class: 'tools' }, sections.map(([kind]) => h('a', { href: `#${kind}` }, kind === 'certificates' ? '证书状态' : KINDS[kind].title))),
    parts);
  return undefined;
}
