// 场次: the roster with live check-in status, late / absent / excused,
// incidents and results; attended / published against the 30% line. The
// office also sets the published count, confirms results, prints tickets,
// re-issues one, and changes registrations here: withdraw (退考), move
// (调整考场座位), replace the candidate (替换) and excuse in advance (请假).

import { api, ApiError, isAdmin } from '../api.js';
import { beijing, clear, h, link, notice, rateBar, stat, table } from '../dom.js';
import { flagList } from './overview.js';

const REFRESH_MS = 10000;

const statusWords = {
  not_checked_in: '未签到',
  checked_in: '已签到',
  absent: '缺考',
  excused: '免考',
};

function statusOf(r) {
  if (r.withdrawn) {
    return h('span', { class: 'status withdrawn', title: r.withdrawn_reason },
      `已退考（${r.withdrawn_on}）`, r.replaced_by ? `，由 ${r.replaced_by} 替换` : '');
  }
  if (r.attendance === 'checked_in' && r.late) return h('span', { class: 'status late' }, '迟到签到');
  if (r.attendance === 'excused' && r.excused_reason) {
    return h('span', { class: 'status excused', title: r.excused_reason }, `请假：${r.excused_reason}`);
  }
  return h('span', { class: `status ${r.attendance}` }, statusWords[r.attendance] ?? r.attendance);
}

const sourceWords = { import: '成绩单', replacement: '成绩单替换', correction: '更正' };

// The office's result (imported or corrected) when there is one, else the kiosk's.
function resultOf(r, office) {
  if (office) {
    const title = office.previous ? `原为：${office.previous.words}${office.reason ? `；原因：${office.reason}` : ''}` : null;
    return h('span', { class: `result ${office.outcome}`, title },
      office.words, h('small', { class: 'muted' }, `（${sourceWords[office.source] ?? office.source}）`));
  }
  if (!r.outcome) return r.attendance === 'checked_in' ? h('span', { class: 'result pending' }, '待定') : '—';
  const words = r.outcome === 'pass' ? '通过' : '未通过';
  return h('span', { class: `result ${r.outcome}` }, r.score != null ? `${words}（${r.score} 分）` : words);
}

export async function render(main, id) {
  let data;
  try {
    data = await api(`/sessions/${id}`);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      clear(main, h('h1', {}, `场次 #${id}`), notice('error', '没有找到这个场次，或您无权查看。'), h('p', {}, link('/', '返回概览')));
      return undefined;
    }
    throw e;
  }
  const filter = { text: '', status: 'all' };
  const view = h('div');
  const updated = h('span', { class: 'muted', 'aria-live': 'off' });
  let timer = null;

  const draw = () => {
    const s = data.session;
    const roster = data.roster; // withdrawn rows too, struck through: they count nowhere
    const officeResults = new Map((data.results ?? []).map((x) => [x.registration_id, x]));
    const withdrawnCount = roster.filter((r) => r.withdrawn).length;
    const late = roster.filter((r) => !r.withdrawn && r.late && r.attendance === 'checked_in').length;
    const notYet = roster.filter((r) => !r.withdrawn && r.attendance === 'not_checked_in').length;
    const published = s.published;
    const low = s.participation === 'low';
    const notHeld = s.participation === 'not_held';
    const needle = filter.text.trim().toLowerCase();
    const shown = roster.filter((r) => {
      if (filter.status === 'withdrawn' ? !r.withdrawn : filter.status !== 'all' && r.withdrawn) return false;
      if (filter.status !== 'withdrawn' && (filter.status === 'late' ? !(r.late && r.attendance === 'checked_in') : filter.status !== 'all' && r.attendance !== filter.status)) return false;
      if (!needle) return true;
      return [r.name, r.ticket_number, r.student_number, r.room, r.seat].some((v) => String(v ?? '').toLowerCase().includes(needle));
    });

    const columns = [
      { title: '考场', value: (r) => r.room },
      { title: '座位', value: (r) => r.seat },
      { title: '准考证号', value: (r) => r.ticket_number },
      { title: '姓名', value: (r) => r.name },
      { title: '身份证号', value: (r) => r.id_number },
      { title: '状态', value: (r) => [statusOf(r), r.conflict ? h('span', { class: 'badge warn', title: '同一考生在两台终端签到，以最早一次为准' }, ' 重复签到') : null] },
      { title: '签到时间', value: (r) => (r.checked_in_at ? beijing(r.checked_in_at, { seconds: true }) : '—') },
      { title: '终端', value: (r) => r.checked_in_kiosk ?? '—' },
      { title: '考试结果', value: (r) => resultOf(r, officeResults.get(r.registration_id)) },
      { title: '事件', class: 'num', value: (r) => (r.incidents ? h('span', { class: 'badge' }, r.incidents) : '') },
    ];
    if (isAdmin()) {
      columns.push({
        title: '准考证',
        class: 'noprint',
        value: (r) => (r.withdrawn ? h('span', { class: 'muted' }, '已作废')
          : h('span', { class: 'row-actions' },
            h('a', { href: `/api/v1/tickets/${encodeURIComponent(r.ticket_number)}.png`, target: '_blank', rel: 'noopener' }, '手机图片'), ' ',
            h('button', { type: 'button', class: 'link', onclick: () => reissue(r) }, '补发'))),
      });
      columns.push({
        title: '报名变更',
        class: 'noprint',
        value: (r) => (r.withdrawn ? '—' : h('span', { class: 'row-actions' },
          Object.entries(changeKinds).map(([kind, c]) => [h('button', {
            type: 'button', class: 'link', dataset: { change: kind, ticket: r.ticket_number },
            onclick: () => openChange(kind, r),
          }, c.label), ' ']))),
      });
      columns.push({
        title: '成绩',
        class: 'noprint',
        value: (r) => h('button', { type: 'button', class: 'link correct-result', 'data-ticket': r.ticket_number, onclick: () => openCorrection(r, officeResults.get(r.registration_id)) }, '更正'),
      });
    }

    const incidents = data.incidents ?? [];
    const conflicts = data.conflicts ?? [];
    const proctors = data.proctors ?? [];
    const signOffs = data.sign_offs ?? [];
    const roomIncidents = data.room_incidents ?? [];
    const proctorName = new Map(proctors.map((p) => [p.staff_number, p.name]));
    const who = (staff) => (staff ? `${proctorName.get(staff) ?? ''}（${staff}）` : '共用 PIN');
    const counts = (c) => `应到 ${c.expected} · 实到 ${c.sat}（迟到 ${c.late}）· 缺考 ${c.absent} · 免考 ${c.excused} · 未签到 ${c.not_yet}`;
    clear(view,
      flagList(data.flags, { heading: true }),
      h('section', { class: 'stats' },
        stat('公布考试人数', published ?? '未公布', {
          warn: published == null && !notHeld,
          note: published == null ? (notHeld ? '尚未举行：请在考试前公布' : '第七条(五)无法判断') : null,
        }),
        stat('报名', s.registered),
        stat('参加考试（已签到）', s.sat, { note: late ? `其中迟到 ${late} 人` : null }),
        stat('未签到', notYet),
        stat('缺考', s.absent),
        stat('免考 / 请假', s.excused),
        withdrawnCount ? stat('已退考（不计入统计）', withdrawnCount) : null,
        stat('参考率', published != null && !notHeld ? s.participation_rate : '—', {
          warn: low || (published == null && !notHeld),
          note: notHeld ? '尚未举行，不作判断' : null,
        }),
        stat('通过 / 未通过 / 待定', `${s.passed} / ${s.failed} / ${s.pending}`, { note: s.results_final ? '成绩已确认' : '成绩未确认' }),
        stat('通过率', s.pass_rate, { warn: s.results_final && s.pass_rate_low, note: s.pending ? '待定不计入' : null })),
      s.results_final && s.pending
        ? notice('error', `成绩确认后又有 ${s.pending} 名考生签到而没有成绩：本场次暂不计入第七条(六)。请重新开放成绩，录入后再确认。`)
        : null,
      correction,
      published != null && !notHeld
        ? h('section', { class: 'participation' },
          h('div', { class: 'label' }, `参加考试 ${s.sat} 人 ÷ 公布考试人数 ${published} 人 = ${s.participation_rate}`,
            low ? h('strong', { class: 'warn-text' }, '　低于 30%（第七条(五)）') : ''),
          rateBar(s.participation_per_mille, low, '参考率', s.participation_rate))
        : null,
      conflicts.length
        ? h('section', {}, h('h2', {}, `重复签到（${conflicts.length}）`),
          h('p', { class: 'muted' }, '同一考生在不同终端离线时各签到一次：两条记录都保留，以最早的一次为准。'),
          table([
            { title: '准考证号', value: (c) => c.ticket_number ?? '' },
            { title: '姓名', value: (c) => c.name ?? '' },
            { title: '签到记录（终端时间）', value: (c) => (c.check_ins ?? []).map((x) => h('div', { class: x.counts ? 'counts' : 'muted' }, `${beijing(x.device_time, { seconds: true })} · ${x.kiosk_name || x.kiosk_id}${x.counts ? '（以此为准）' : ''}`)) },
          ], conflicts))
        : null,
      h('section', {}, h('h2', {}, `考场事件（${incidents.length}）`),
        table([
          { title: '时间', value: (i) => beijing(i.device_time, { seconds: true }) },
          { title: '类别', value: (i) => i.category_name },
          { title: '考生', value: (i) => `${i.name}（${i.ticket_number}）` },
          { title: '说明', value: (i) => i.note || '—' },
          { title: '终端', value: (i) => i.kiosk_id },
        ], incidents, { empty: '没有记录考场事件' })),
      h('section', { id: 'room-incidents' }, h('h2', {}, `考场情况（${roomIncidents.length}）`),
        table([
          { title: '时间', value: (i) => beijing(i.device_time, { seconds: true }) },
          { title: '考场', value: (i) => i.room || '全考点' },
          { title: '类别', value: (i) => i.category_name },
          { title: '说明', value: (i) => i.note || '—' },
          { title: '记录人', value: (i) => (i.proctor ? `${i.proctor_name || ''}（${i.proctor}）` : '共用 PIN') },
          { title: '终端', value: (i) => i.kiosk_id },
        ], roomIncidents, { empty: '没有记录考场情况（停电、断网、设备故障等）' })),
      h('section', { id: 'sign-offs' }, h('h2', {}, `签字确认（${signOffs.filter((r) => r.signed).length} 个考场）`),
        table([
          { title: '考场', value: (r) => r.room || '全考点' },
          { title: '状态', value: (r) => (r.signed ? h('span', { class: 'status checked_in' }, '已签字确认') : h('span', { class: 'status late' }, '已重新开放')) },
          { title: '签字时间（终端）', value: (r) => (r.last_sign_off ? beijing(r.last_sign_off.device_time, { seconds: true }) : '—') },
          { title: '签字监考', value: (r) => (r.last_sign_off ? r.last_sign_off.signers.map((x) => (x.staff_number ? `${x.name}（${x.staff_number}）` : x.name)).join('、') : '—') },
          { title: '签字时人数', value: (r) => (r.last_sign_off ? counts(r.last_sign_off.counts) : '—') },
          { title: '经过', value: (r) => r.history.map((x) => h('div', { class: 'muted' }, x.kind === 'reopen'
            ? `${beijing(x.device_time, { seconds: true })} 重新开放：${x.reason}（${who(x.proctor)}）`
            : `${beijing(x.device_time, { seconds: true })} 签字确认（${who(x.proctor)}）`)) },
        ], signOffs, { empty: '尚无考场签字确认' })),
      h('section', { id: 'proctors' }, h('h2', {}, `监考安排（${proctors.length}）`),
        table([
          { title: '考场', value: (p) => p.room },
          { title: '工号', value: (p) => p.staff_number },
          { title: '姓名', value: (p) => p.name },
          { title: '手机号', value: (p) => p.phone || '—' },
          { title: 'PIN', value: (p) => (p.has_pin ? `已设置（${p.pin_source === 'office' ? '考务办公室' : '考场终端首次使用'}）` : '未设置：首次使用时在终端设置') },
          ...(isAdmin() ? [{ title: '', class: 'noprint', value: (p) => h('button', { type: 'button', class: 'link set-pin', 'data-staff': p.staff_number, onclick: () => setPin(p) }, p.has_pin ? '重设 PIN' : '设置 PIN') }] : []),
        ], proctors, { empty: '本场次未安排监考：考场终端使用共用的监考 PIN' }),
        isAdmin() ? proctorImport : null),
      h('section', {},
        h('div', { class: 'section-head' }, h('h2', {}, `考生名单（${shown.length} / ${roster.length}）`), updated),
        table(columns, shown, { empty: roster.length ? '没有符合条件的考生' : '本场次没有考生',
          rowClass: (r) => (r.withdrawn ? 'att-withdrawn' : `att-${r.attendance}${r.conflict ? ' conflict' : ''}`) })));
    refreshPanel();
    updated.textContent = `自动刷新 · 更新于 ${beijing(new Date().toISOString(), { seconds: true })}`;
  };

  const message = h('div', { 'aria-live': 'polite' });
  const correction = h('section', { id: 'correction', class: 'admin-panel noprint', hidden: true });

  // 监考安排: the office's file (docs/proctors.md), all or nothing, and each proctor's PIN.
  const proctorFile = h('input', { type: 'file', id: 'proctors-file', accept: '.csv,.xlsx,.txt' });
  const proctorResult = h('div', { id: 'proctors-result', 'aria-live': 'polite' });
  const proctorImport = h('form', { class: 'card noprint', id: 'proctors-import' },
    h('label', { for: 'proctors-file' }, '导入监考安排（CSV 或 Excel .xlsx；列：场次编号、考场、工号、姓名、手机号）'),
    h('p', { class: 'muted' }, `本场次的场次编号是 ${id}。文件中每个场次的监考以文件为准；有任何问题时整份不导入。`),
    proctorFile,
    h('button', { type: 'submit', class: 'primary', id: 'proctors-submit' }, '导入监考安排'),
    proctorResult);
  proctorImport.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = proctorFile.files?.[0];
    if (!chosen) {
      clear(proctorResult, notice('error', '请先选择监考安排文件。'));
      return;
    }
    try {
      const out = await api(`/imports/proctors?file_name=${encodeURIComponent(chosen.name)}`, { method: 'POST', body: await chosen.arrayBuffer() });
      say('ok', `已导入 ${chosen.name}：${out.rows} 位监考，${out.sessions} 个场次（新登记 ${out.new_proctors} 人）。`);
      await reload();
    } catch (e) {
      clear(proctorResult, notice('error', e.message),
        table([
          { title: '行', value: (p) => (p.line ? `第 ${p.line} 行` : '整个文件') },
          { title: '列', value: (p) => p.column || '—' },
          { title: '问题', value: (p) => p.message },
        ], e.body?.problems ?? []));
    }
  });

  async function setPin(p) {
    const pin = window.prompt(`为 ${p.name}（${p.staff_number}）设置监考 PIN（4–12 位数字）。PIN 只以摘要保存，并随数据包送到考场终端。`);
    if (pin == null) return;
    try {
      await api(`/proctors/${encodeURIComponent(p.staff_number)}/pin`, { method: 'PUT', json: { pin: pin.trim() } });
      say('ok', `已设置 ${p.name} 的 PIN；考场终端下次同步后生效。`);
      await reload();
    } catch (e) {
      say('error', e.message);
    }
  }

  // 更正 one result: outcome, scores and the reason (required, audited).
  function openCorrection(r, office) {
    const outcome = h('select', { id: 'correct-outcome', 'aria-label': '考核结果' },
      h('option', { value: 'pass' }, '通过'), h('option', { value: 'fail' }, '不通过'), h('option', { value: 'absent' }, '缺考'));
    outcome.value = office?.outcome ?? r.outcome ?? 'pass';
    const score = (id, label, value) => h('input', { id, type: 'text', inputmode: 'decimal', size: 6, value: value ?? '', placeholder: label, 'aria-label': label });
    const theory = score('correct-theory', '理论成绩', office?.theory);
    const practical = score('correct-practical', '实操成绩', office?.practical);
    const total = score('correct-total', '总成绩', office?.total ?? (r.score != null ? String(r.score) : ''));
    const reason = h('input', { id: 'correct-reason', type: 'text', maxlength: 500, placeholder: '更正原因（必填）', 'aria-label': '更正原因' });
    const note = h('div', { 'aria-live': 'polite' });
    const save = async () => {
      if (!reason.value.trim()) {
        clear(note, notice('error', '请填写更正原因。'));
        return;
      }
      const body = { outcome: outcome.value, reason: reason.value.trim() };
      for (const [key, input] of [['theory', theory], ['practical', practical], ['total', total]]) {
        if (input.value.trim()) body[key] = input.value.trim();
      }
      try {
        const out = await api(`/sessions/${id}/results/${r.registration_id}`, { method: 'PUT', json: body });
        correction.hidden = true;
        say('ok', out.changed ? `已更正 ${r.name}（${r.ticket_number}）的成绩为：${out.words}。` : '成绩与原来相同，没有更改。');
        await reload();
      } catch (e) {
        clear(note, notice('error', e.message));
      }
    };
    clear(correction,
      h('h2', {}, `更正成绩：${r.name}（${r.ticket_number}）`),
      h('div', { class: 'field-row' }, outcome, theory, practical, total),
      h('div', { class: 'field-row' }, reason,
        h('button', { type: 'button', class: 'primary', id: 'correct-save', onclick: save }, '保存更正'),
        h('button', { type: 'button', onclick: () => { correction.hidden = true; } }, '取消')),
      note);
    correction.hidden = false;
    reason.focus();
  }
  const say = (kind, ...text) => clear(message, notice(kind, ...text));

  async function reload() {
    try {
      data = await api(`/sessions/${id}`);
      draw();
    } catch (e) {
      updated.textContent = `刷新失败：${e.message}`;
    }
  }

  async function reissue(r) {
    if (!window.confirm(`补发 ${r.name}（${r.ticket_number}）的准考证？旧准考证将作废，考场终端下次同步后拒收旧证。`)) return;
    try {
      const out = await api(`/tickets/${encodeURIComponent(r.ticket_number)}/reissue`, { method: 'POST' });
      say('ok', `已补发第 ${out.serial} 版准考证，第 ${out.revoked_serial} 版已作废。`,
        h('a', { href: `/api/v1/tickets/${encodeURIComponent(out.ticket_number)}.png`, target: '_blank', rel: 'noopener' }, '打开新二维码图片'));
    } catch (e) {
      say('error', e.message);
    }
  }

  // Registration changes: one form at a time, under the office's panel.
  const changeKinds = {
    withdraw: { label: '退考', title: '退考', fields: ['reason', 'date'] },
    move: { label: '调座', title: '调整考场座位（重新签发准考证，旧证作废）', fields: ['room', 'seat'] },
    replace: { label: '替换', title: '替换考生（原报名退考，新考生用新准考证）', fields: ['id_number', 'name', 'student_number', 'class_name', 'ticket_number', 'reason'] },
    excuse: { label: '请假', title: '请假（考前登记，计为免考）', fields: ['reason'] },
  };
  const fieldLabels = {
    reason: '原因', date: '退考日期', room: '考场', seat: '座位号', id_number: '新考生身份证号', name: '新考生姓名',
    student_number: '新考生学号', class_name: '新考生班级（可空）', ticket_number: '新准考证号',
  };
  const changeBox = h('div', { id: 'change-box' });
  function openChange(kind, r) {
    const c = changeKinds[kind];
    const inputs = {};
    for (const f of c.fields) {
      inputs[f] = h('input', {
        id: `change-${f.replace('_', '-')}`, name: f, maxlength: 200,
        type: f === 'date' ? 'date' : 'text',
        value: f === 'room' ? r.room : f === 'seat' ? r.seat : f === 'date' ? new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10) : '',
        required: f !== 'class_name',
      });
    }
    const form = h('form', { class: 'card', id: 'change-form', dataset: { kind } },
      h('h2', {}, `${c.title}：${r.name}（${r.ticket_number}，考场 ${r.room} 座位 ${r.seat}）`),
      c.fields.map((f) => h('div', { class: 'field-row' }, h('label', { for: inputs[f].id }, fieldLabels[f]), inputs[f])),
      h('div', { class: 'field-row' },
        h('button', { type: 'submit', class: 'primary', id: 'change-submit' }, `确认${c.label}`),
        h('button', { type: 'button', id: 'change-cancel', onclick: () => clear(changeBox) }, '取消')));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const json = {};
      for (const f of c.fields) json[f] = inputs[f].value.trim();
      try {
        const out = await api(`/registrations/${encodeURIComponent(r.ticket_number)}/${kind}`, { method: 'POST', json });
        clear(changeBox);
        const again = out.changed ? '' : '（此前已办理，未重复变更）';
        if (kind === 'withdraw') say('ok', `${r.name}（${r.ticket_number}）已退考${again}：准考证作废，不计入统计；考场终端下次同步后拒收（已退考）。`);
        else if (kind === 'move') say('ok', `${r.name} 已调至考场 ${out.room} 座位 ${out.seat}${again}；第 ${out.serial} 版准考证，旧证作废，请重新打印。`);
        else if (kind === 'replace') say('ok', `${r.name} 已由 ${json.name} 替换${again}；新准考证 ${out.replacement_ticket_number}，请打印。`);
        else say('ok', `${r.name} 已登记请假${again}：未签到即计为免考，考场终端下次同步后显示。`);
        await reload();
      } catch (e) {
        say('error', e.message);
      }
    });
    clear(changeBox, form);
    inputs[c.fields[0]].focus();
  }

  let refreshPanel = () => {};
  function adminPanel() {
    const count = h('input', { id: 'published-count', type: 'number', min: 0, step: 1, value: data.session.published ?? '', placeholder: '未公布', 'aria-label': '公布考试人数' });
    const perPage = h('select', { id: 'per-page', 'aria-label': '每页张数' },
      h('option', { value: 4 }, '每页 4 张（A6）'), h('option', { value: 2 }, '每页 2 张（A5）'), h('option', { value: 1 }, '每页 1 张（A4）'));
    const ticketsLink = h('a', { class: 'button', href: `/api/v1/sessions/${id}/tickets.pdf?per_page=4`, download: `tickets-session-${id}.pdf` }, '打印准考证（PDF）');
    perPage.addEventListener('change', () => ticketsLink.setAttribute('href', `/api/v1/sessions/${id}/tickets.pdf?per_page=${perPage.value}`));
    // The site's paper (docs/api.md, "Site paper"): every room, or the one chosen.
    const rooms = [...new Set(data.roster.filter((r) => !r.withdrawn).map((r) => r.room))].sort();
    const paperRoom = h('select', { id: 'paper-room', 'aria-label': '打印哪个考场' },
      h('option', { value: '' }, '全部考场'), rooms.map((r) => h('option', { value: r }, `考场 ${r}`)));
    const paperLinks = [['signin', '签到表'], ['door', '考场门贴'], ['record', '考场记录单']].map(([kind, label]) =>
      h('a', { class: 'button', id: `paper-${kind}`, 'data-kind': kind }, `打印${label}（PDF）`));
    const setPaperLinks = () => {
      for (const a of paperLinks) {
        const kind = a.getAttribute('data-kind');
        const room = paperRoom.value;
        a.setAttribute('href', `/api/v1/sessions/${id}/paper/${kind}.pdf${room ? `?room=${encodeURIComponent(room)}` : ''}`);
        a.setAttribute('download', `${kind}-session-${id}${room ? `-room-${room}` : ''}.pdf`);
      }
    };
    paperRoom.addEventListener('change', setPaperLinks);
    setPaperLinks();
    const saveCount = async () => {
      const text = count.value.trim();
      const value = text === '' ? null : Number(text);
      if (value !== null && !(Number.isInteger(value) && value >= 0)) {
        say('error', '公布考试人数须为非负整数；留空表示未公布。');
        return;
      }
      try {
        await api(`/sessions/${id}/published-count`, { method: 'PUT', json: { published_count: value } });
        say('ok', value === null ? '已改为未公布。' : `公布考试人数已设为 ${value}。`);
        await reload();
      } catch (e) {
        say('error', e.message);
      }
    };
    const toggleFinal = async () => {
      const final = !data.session.results_final;
      const json = { final };
      if (!final) {
        const reason = window.prompt('重新开放成绩的原因（必填，记入审计日志）：', '');
        if (reason === null) return;
        if (!reason.trim()) {
          say('error', '重新开放成绩须填写原因。');
          return;
        }
        json.reason = reason.trim();
      }
      try {
        await api(`/sessions/${id}/results-final`, { method: 'PUT', json });
        say('ok', final ? '成绩已确认，本场次计入第七条(六)。' : '成绩已重新开放，可以更正或导入成绩。');
        await reload();
      } catch (e) {
        const problems = e.body?.problems ?? [];
        clear(message, notice('error', e.message),
          problems.length ? h('ul', { id: 'pending-results' }, problems.map((p) => h('li', {}, p.message))) : null);
      }
    };
    const finalButton = h('button', { type: 'button', id: 'results-final', onclick: toggleFinal });
    // Full ID numbers: the office only, with a reason the audit log keeps.
    const fullIdExport = () => {
      const reason = window.prompt('导出完整身份证号须说明理由（记入审计日志）：', '')?.trim();
      if (!reason) return;
      const query = new URLSearchParams({ format: 'xlsx', session: id, full_id: '1' });
      const a = h('a', { href: `/api/v1/exports/people?${query}&reason=${encodeURIComponent(reason)}`, download: `people-session-${id}-full-id.xlsx` });
      document.body.append(a);
      a.click();
      a.remove();
      say('ok', '已导出含完整身份证号的名单，并记入审计日志。');
    };
    refreshPanel = () => {
      finalButton.textContent = data.session.results_final ? '重新开放成绩' : '确认成绩（计入第七条(六)）';
      if (document.activeElement !== count) count.value = data.session.published ?? '';
    };
    return h('section', { class: 'admin-panel noprint' },
      h('div', { class: 'field-row' },
        h('label', { for: 'published-count' }, '公布考试人数'), count,
        h('button', { type: 'button', class: 'primary', id: 'save-count', onclick: saveCount }, '保存')),
      h('div', { class: 'field-row' },
        finalButton,
        perPage, ticketsLink,
        h('button', { type: 'button', id: 'full-id-export', onclick: fullIdExport }, '导出名单（完整身份证号）…')),
      h('div', { class: 'field-row', id: 'site-paper' }, paperRoom, ...paperLinks),
      message,
      changeBox);
  }

  const search = h('input', { type: 'search', id: 'roster-search', placeholder: '搜索姓名、准考证号、考场', 'aria-label': '搜索考生' });
  search.addEventListener('input', () => { filter.text = search.value; draw(); });
  const status = h('select', { id: 'roster-status', 'aria-label': '按状态筛选' },
    h('option', { value: 'all' }, '全部状态'),
    Object.entries(statusWords).map(([k, v]) => h('option', { value: k }, v)),
    h('option', { value: 'late' }, '迟到签到'),
    h('option', { value: 'withdrawn' }, '已退考'));
  status.addEventListener('change', () => { filter.status = status.value; draw(); });

  const s = data.session;
  clear(main,
    h('div', { class: 'page-head' },
      h('div', {},
        h('h1', {}, `${s.certificate?.name ?? ''}（${s.level ?? ''}） · 场次 #${id}`),
        h('p', { class: 'muted' }, `${s.exam_date} ${s.start_time} · ${s.site} · `,
          link(`/colleges/${s.college?.id}`, s.college?.name ?? ''), ' · ', link(`/pilots/${s.pilot_id}`, '试点历次通过率'))),
      h('div', { class: 'tools noprint' }, search, status,
        // The roster with attendance and results, ID numbers masked.
        h('a', { class: 'button', href: `/api/v1/exports/people?format=csv&session=${id}`, download: `people-session-${id}.csv` }, '名单 CSV'),
        h('a', { class: 'button', href: `/api/v1/exports/people?format=xlsx&session=${id}`, download: `people-session-${id}.xlsx` }, '名单 Excel'),
        h('button', { type: 'button', onclick: () => window.print() }, '打印'))),
    isAdmin() ? adminPanel() : null,
    view);
  draw();
  timer = window.setInterval(reload, REFRESH_MS);
  return () => window.clearInterval(timer);
}
