// 继续教育学院's administration: roster import with the line-by-line report,
// kiosks (enrol with a QR, revoke, last seen, waiting events), users, and the
// audit log. The API refuses all of it to a college viewer (403).

import { api, ApiError, isAdmin } from '../api.js';
import { beijing, clear, h, link, notice, table } from '../dom.js';

const MAX_UPLOAD = 16 * 1024 * 1024;

function refused(main) {
  clear(main, h('h1', {}, '管理'), notice('error', '无权访问：此页面仅限继续教育学院。'), h('p', {}, link('/', '返回概览')));
}

export async function render(main, page) {
  if (!isAdmin()) {
    refused(main);
    return undefined;
  }
  try {
    if (page === 'import') return renderImport(main);
    if (page === 'kiosks') return await renderKiosks(main);
    if (page === 'users') return await renderUsers(main);
    return await renderAudit(main);
  } catch (e) {
    if (e instanceof ApiError && e.status === 403) {
      refused(main);
      return undefined;
    }
    throw e;
  }
}

// The file chosen in input, or null with the reason shown in result (none
// chosen, or larger than the server takes).
function chosenFile(input, result) {
  const chosen = input.files[0];
  if (!chosen) {
    clear(result, notice('error', '请先选择文件。'));
    return null;
  }
  if (chosen.size > MAX_UPLOAD) {
    clear(result, notice('error', `文件过大（${(chosen.size / 1048576).toFixed(1)} MB），上限 16 MB。`));
    return null;
  }
  return chosen;
}

function renderImport(main) {
  const file = h('input', { type: 'file', id: 'roster-file', accept: '.csv,.xlsx,.txt', required: true });
  const result = h('div', { id: 'import-result', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary' }, '导入');
  const form = h('form', { class: 'card' },
    h('label', { for: 'roster-file' }, '名单文件（CSV：UTF-8、GBK/GB18030 或 UTF-16；或 Excel .xlsx）'), file,
    h('p', { class: 'muted' }, '文件有任何问题时整份不导入，并逐行列出问题；同一文件再次导入不会重复。'
      + '文件若改动已有报名（调整考场座位，或本文件场次中有人不在文件里即退考），先列出差异，确认后才导入。',
      h('a', { href: '/static/roster-template.csv', download: 'roster-template.csv' }, '下载模板')),
    submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = chosenFile(file, result);
    if (!chosen) return;
    submit.disabled = true;
    clear(result, h('p', { class: 'muted' }, `正在导入 ${chosen.name}…`));
    const name = encodeURIComponent(chosen.name);
    // Warnings (docs/compliance.md): a pilot 未登记, more than its 批准人数, a site with no agreement recorded.
    const done = (out) => clear(result, out.already_imported
      ? notice('info', `${chosen.name} 已经导入过，名单没有变化。`)
      : notice('ok', `已导入 ${chosen.name}：${out.rows} 行；新考生 ${out.new_candidates} 人，新报名 ${out.new_registrations} 条，`
        + `调整考场座位 ${out.changed_registrations} 条，退考 ${out.withdrawn_registrations} 条，未变 ${out.unchanged_registrations} 条，新场次 ${out.new_sessions} 个。`),
      (out.warnings ?? []).map((w) => notice('info', h('span', { class: 'import-warning' }, `提醒：${w}`))));
    try {
      const bytes = await chosen.arrayBuffer();
      // First what the file would do; a file that changes stored registrations waits for a confirmation.
      const preview = await api(`/imports?file_name=${name}&preview`, { method: 'POST', body: bytes });
      if (preview.already_imported || (preview.changed_registrations === 0 && preview.withdrawn_registrations === 0)) {
        done(preview.already_imported ? preview : await api(`/imports?file_name=${name}`, { method: 'POST', body: bytes }));
        return;
      }
      const confirmButton = h('button', { type: 'button', class: 'primary', id: 'import-confirm' }, '确认导入');
      const cancelButton = h('button', { type: 'button', id: 'import-cancel' }, '取消');
      const kindWords = { new: '新增', changed: '改动', withdrawn: '退考' };
      clear(result,
        notice('info', `${chosen.name} 会改动已有报名：新增 ${preview.new_registrations} 条，调整考场座位 ${preview.changed_registrations} 条，`
          + `退考 ${preview.withdrawn_registrations} 条（本文件场次中不在文件里的报名）。尚未导入，请核对后确认。`),
        h('div', { id: 'import-difference' }, table([
          { title: '差异', value: (d) => h('span', { class: `diff ${d.kind}` }, kindWords[d.kind] ?? d.kind) },
          { title: '行', class: 'num', value: (d) => d.line || '—' },
          { title: '准考证号', value: (d) => d.ticket_number },
          { title: '姓名', value: (d) => d.name },
          { title: '原考场 / 座位', value: (d) => (d.from_room != null ? `${d.from_room} / ${d.from_seat}` : '—') },
          { title: '新考场 / 座位', value: (d) => (d.room != null ? `${d.room} / ${d.seat}` : '—') },
        ], preview.differences, { rowClass: (d) => `diff-${d.kind}` })),
        h('p', { class: 'muted' }, `文件 SHA-256：${preview.sha256}`),
        h('div', { class: 'field-row' }, confirmButton, cancelButton));
      cancelButton.addEventListener('click', () => clear(result, notice('info', '已取消，未导入任何数据。')));
      confirmButton.addEventListener('click', async () => {
        confirmButton.disabled = true;
        try {
          done(await api(`/imports?file_name=${name}&confirm=${preview.sha256}`, { method: 'POST', body: bytes }));
        } catch (e) {
          clear(result, notice('error', e.message));
        }
      });
    } catch (e) {
      const problems = e.body?.problems ?? [];
      clear(result, notice('error', e.message),
        problems.length ? table([
          { title: '行', class: 'num', value: (p) => p.line || '—' },
          { title: '列', value: (p) => p.column || '—' },
          { title: '问题', value: (p) => p.message },
        ], problems, { rowClass: () => 'problem' }) : null);
    } finally {
      submit.disabled = false;
    }
  });
  clear(main, h('h1', {}, '导入名单'), form, result, h('h2', { id: 'results-import-heading' }, '导入成绩单'), resultsImportForm());
  return undefined;
}

function problemTable(problems) {
  return problems.length ? table([
    { title: '行', class: 'num', value: (p) => p.line || '—' },
    { title: '列', value: (p) => p.column || '—' },
    { title: '问题', value: (p) => p.message },
  ], problems, { rowClass: () => 'problem' }) : null;
}

// The 培训评价组织's results file (docs/results-import.md): all or nothing,
// the same file twice changes nothing, replacing stored results needs a reason.
function resultsImportForm() {
  const file = h('input', { type: 'file', id: 'results-file', accept: '.csv,.xlsx,.txt', required: true });
  const replace = h('input', { type: 'checkbox', id: 'results-replace' });
  const reason = h('input', { type: 'text', id: 'results-reason', maxlength: 500, placeholder: '替换已有成绩时必填', 'aria-label': '替换原因' });
  const result = h('div', { id: 'results-import-result', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'results-submit' }, '导入成绩');
  const form = h('form', { class: 'card', id: 'results-import' },
    h('label', { for: 'results-file' }, '成绩单（CSV：UTF-8、GBK/GB18030 或 UTF-16；或 Excel .xlsx）'), file,
    h('p', { class: 'muted' }, '按准考证号（或身份证号加证书、等级）找到考生；考核结果填“通过”“不通过”或“缺考”。有任何问题时整份不导入；同一文件再次导入不会重复。',
      h('a', { href: '/static/results-template.csv', download: 'results-template.csv' }, '下载模板')),
    h('div', { class: 'field-row' }, replace, h('label', { for: 'results-replace' }, '替换已有成绩'), reason),
    submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = chosenFile(file, result);
    if (!chosen) return;
    if (replace.checked && !reason.value.trim()) {
      clear(result, notice('error', '替换已有成绩须填写原因。'));
      return;
    }
    submit.disabled = true;
    clear(result, h('p', { class: 'muted' }, `正在导入 ${chosen.name}…`));
    try {
      const bytes = await chosen.arrayBuffer();
      let url = `/imports/results?file_name=${encodeURIComponent(chosen.name)}`;
      if (replace.checked) url += `&replace=1&reason=${encodeURIComponent(reason.value.trim())}`;
      const out = await api(url, { method: 'POST', body: bytes });
      clear(result, out.already_imported
        ? notice('info', `${chosen.name} 已经导入过，成绩没有变化。`)
        : notice('ok', `已导入 ${chosen.name}：${out.rows} 行；新成绩 ${out.recorded} 条，未变 ${out.unchanged} 条，替换 ${out.replaced} 条。`));
    } catch (e) {
      clear(result, notice('error', e.message), problemTable(e.body?.problems ?? []));
    } finally {
      submit.disabled = false;
    }
  });
  return h('div', {}, form, result);
}

async function renderKiosks(main) {
  const [{ kiosks }, { sites }] = await Promise.all([api('/kiosks'), api('/sites')]);
  const siteName = new Map(sites.map((s) => [s.id, s.name]));
  const message = h('div', { 'aria-live': 'polite' });
  const site = h('select', { id: 'kiosk-site', required: true }, sites.map((s) => h('option', { value: s.name }, s.name)));
  const room = h('select', { id: 'kiosk-room' });
  const fillRooms = () => {
    const s = sites.find((x) => x.name === site.value);
    clear(room, h('option', { value: '' }, '整个考点'), (s?.rooms ?? []).map((r) => h('option', { value: r }, `考场 ${r}`)));
  };
  site.addEventListener('change', fillRooms);
  fillRooms();
  const name = h('input', { id: 'kiosk-name', required: true, maxlength: 100, placeholder: '如：实训楼 01 考场门口' });
  const enrolResult = h('div', { id: 'enrolment' });
  const form = h('form', { class: 'card' },
    h('h2', {}, '登记新终端'),
    h('div', { class: 'field-row' },
      h('label', { for: 'kiosk-site' }, '考点'), site,
      h('label', { for: 'kiosk-room' }, '考场'), room,
      h('label', { for: 'kiosk-name' }, '名称'), name,
      h('button', { type: 'submit', class: 'primary' }, '登记并显示二维码')),
    enrolResult);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const out = await api('/kiosks', { method: 'POST', json: { site: site.value, room: room.value, name: name.value } });
      clear(enrolResult,
        notice('ok', `终端 ${out.id}「${out.name}」已登记。请在终端上扫描下面的二维码（或输入登记码）。二维码含终端凭据，只显示这一次，请勿拍照外传。`),
        h('div', { class: 'enrol-qr' },
          h('img', { src: `data:image/png;base64,${out.enrolment_qr_png}`, alt: '终端登记二维码', width: 300, height: 300 }),
          h('code', { class: 'enrol-code' }, out.enrolment_code)));
      name.value = '';
      drawList(await api('/kiosks'));
    } catch (e) {
      clear(enrolResult, notice('error', e.message));
    }
  });

  const list = h('div');
  const drawList = ({ kiosks: rows }) => {
    clear(list, table([
      { title: '终端', value: (k) => [h('strong', {}, k.name), h('div', { class: 'muted' }, k.id)] },
      { title: '考点 / 考场', value: (k) => `${k.site ?? siteName.get(k.site_id) ?? k.site_id}${k.room ? ` · ${k.room}` : ''}` },
      { title: '登记时间', value: (k) => beijing(k.enrolled_at) },
      { title: '最后联系', value: (k) => (k.last_seen_at ? beijing(k.last_seen_at, { seconds: true }) : '从未') },
      { title: '已收事件', class: 'num', value: (k) => k.events_received },
      { title: '待上传', class: 'num', value: (k) => (k.events_waiting ?? '—') },
      { title: '状态', value: (k) => (k.revoked_at ? h('span', { class: 'status absent' }, `已注销 ${beijing(k.revoked_at)}`) : h('span', { class: 'status checked_in' }, '在用')) },
      { title: '', class: 'noprint', value: (k) => (k.revoked_at ? importButton(k) : h('button', { type: 'button', class: 'danger', onclick: () => revoke(k) }, '注销')) },
    ], rows, { empty: '还没有登记终端' }));
  };
  // A revoked kiosk exported its unsent events to a file; the office loads it here.
  function importButton(k) {
    const input = h('input', { type: 'file', accept: '.json', class: 'visually-hidden', 'aria-label': `导入终端 ${k.id} 的导出文件` });
    input.addEventListener('change', async () => {
      const file = input.files[0];
      if (!file) return;
      try {
        const out = await api(`/kiosks/${encodeURIComponent(k.id)}/events-file?file_name=${encodeURIComponent(file.name)}`,
          { method: 'POST', body: await file.arrayBuffer(), contentType: 'application/json' });
        drawList(await api('/kiosks'));
        clear(message, notice('ok', `已导入终端 ${k.id} 的导出文件 ${file.name}：${out.events} 条记录，新存 ${out.stored} 条，已有 ${out.duplicates} 条。`));
      } catch (e) {
        clear(message, notice('error', `${file.name}：${e.message}`));
      } finally {
        input.value = '';
      }
    });
    return h('label', { class: 'button', dataset: { kiosk: k.id } }, '导入导出文件', input);
  }

  async function revoke(k) {
    if (!window.confirm(`注销终端「${k.name}」（${k.id}）？注销后它的上传将被拒绝，终端会停止签到并导出未上传记录。`)) return;
    try {
      await api(`/kiosks/${encodeURIComponent(k.id)}/revoke`, { method: 'POST' });
      drawList(await api('/kiosks'));
      clear(message, notice('ok', `终端 ${k.id} 已注销。`));
    } catch (e) {
      clear(message, notice('error', e.message));
    }
  }
  drawList({ kiosks });
  clear(main, h('h1', {}, '考场终端'), sites.length ? form : notice('info', '还没有考点：请先导入名单。'), message, h('h2', {}, '已登记的终端'), list);
  const timer = window.setInterval(async () => {
    try {
      drawList(await api('/kiosks'));
    } catch {
      // shown on the next successful refresh
    }
  }, 15000);
  return () => window.clearInterval(timer);
}

async function renderUsers(main) {
  const [{ users }, stats] = await Promise.all([api('/users'), api('/statistics')]);
  const colleges = stats.colleges;
  const collegeName = new Map(colleges.map((c) => [c.id, c.name]));
  const message = h('div', { 'aria-live': 'polite' });
  const username = h('input', { id: 'new-username', required: true, maxlength: 100, autocomplete: 'off' });
  const password = h('input', { id: 'new-password', type: 'password', required: true, minlength: 10, autocomplete: 'new-password' });
  const role = h('select', { id: 'new-role' }, h('option', { value: 'college' }, '二级学院（只读，本学院）'), h('option', { value: 'admin' }, '继续教育学院（管理）'),
    h('option', { value: 'academic' }, '教务处（专业、试点、考点、证书）'), h('option', { value: 'hr' }, '人事处（师资）'));
  const college = h('select', { id: 'new-college' }, colleges.map((c) => h('option', { value: c.id }, c.name)));
  role.addEventListener('change', () => { college.disabled = role.value !== 'college'; });
  const list = h('div');
  const drawList = (rows) => clear(list, table([
    { title: '用户名', value: (u) => u.username },
    { title: '角色', value: (u) => ({ admin: '继续教育学院', college: '二级学院', academic: '教务处', hr: '人事处' }[u.role] ?? u.role) },
    { title: '学院', value: (u) => (u.college_id ? collegeName.get(u.college_id) ?? `#${u.college_id}` : '—') },
    { title: '状态', value: (u) => (u.locked ? h('span', { class: 'status absent' }, '已锁定') : '正常') },
  ], rows));
  const form = h('form', { class: 'card' }, h('h2', {}, '新建用户'),
    h('div', { class: 'field-row' },
      h('label', { for: 'new-username' }, '用户名'), username,
      h('label', { for: 'new-password' }, '初始密码（至少 10 位）'), password,
      h('label', { for: 'new-role' }, '角色'), role,
      h('label', { for: 'new-college' }, '学院'), college,
      h('button', { type: 'submit', class: 'primary' }, '创建')),
    message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { username: username.value.trim(), password: password.value, role: role.value };
    if (role.value === 'college') body.college_id = Number(college.value);
    try {
      await api('/users', { method: 'POST', json: body });
      username.value = '';
      password.value = '';
      drawList((await api('/users')).users);
      clear(message, notice('ok', `已创建用户 ${body.username}。`));
    } catch (e) {
      clear(message, notice('error', e.message));
    }
  });
  drawList(users);
  clear(main, h('h1', {}, '用户'), form, h('h2', {}, '全部用户'), list);
  return undefined;
}

async function renderAudit(main) {
  const pageSize = 100;
  const params = new URLSearchParams(location.search);
  const offset = Math.max(0, Number(params.get('offset')) || 0);
  const { entries } = await api(`/audit?limit=${pageSize}&offset=${offset}`);
  clear(main, h('h1', {}, '审计日志'),
    h('p', { class: 'muted' }, '所有登录、导入、修改、打印与终端操作，最新在前；日志只能追加，不能修改或删除。'),
    table([
      { title: '时间', value: (e) => beijing(e.at, { seconds: true }) },
      { title: '操作人', value: (e) => e.actor },
      { title: '操作', value: (e) => e.action },
      { title: '详情', value: (e) => e.detail },
    ], entries),
    h('p', { class: 'pager' },
      offset > 0 ? link(`/admin/audit?offset=${Math.max(0, offset - pageSize)}`, '← 较新') : null, ' ',
      entries.length === pageSize ? link(`/admin/audit?offset=${offset + pageSize}`, '较早 →') : null));
  return undefined;
}
