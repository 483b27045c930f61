// Results in the dashboard, as the exam office uses it (issue #16 items 1–3):
// a real kaodian-server over TLS with check-ins from an enrolled kiosk;
// the office tries to confirm results while everyone who sat is pending
// (refused, each named), imports a results file with errors (sees every
// line and column), then a good one, corrects one result on the session
// page with a reason, withdraws one candidate, and sees the statistics
// change each time.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { officePage, startServer } from './serverfixture.mjs';

const require = createRequire(path.join(process.env.KAODIAN_WEB_DIR ?? path.resolve('web'), 'package.json'));
const { chromium, request } = require('playwright-core');

const DAY = '2026-09-20';

let server;
let browser;
let page;
let session; // the session the kiosk checked candidates into
let roster;

async function apiJson(ctx, method, url, body, headers = {}) {
  const response = await ctx.fetch(`/api/v1${url}`, { method, data: body, headers });
  const text = await response.text();
  assert.ok(response.ok(), `${method} ${url} -> ${response.status()}: ${text}`);
  return text ? JSON.parse(text) : null;
}

before(async () => {
  server = await startServer({ examDates: [DAY] });
  const admin = await request.newContext({ baseURL: server.baseURL, ignoreHTTPSErrors: true });
  const login = await admin.post('/api/v1/login', { data: { username: 'admin', password: server.password } });
  assert.equal(login.status(), 200, await login.text());
  const change = { 'X-CSRF-Token': (await login.json()).csrf_token };
  const stats = await apiJson(admin, 'GET', '/statistics');
  session = stats.sessions[0];
  roster = (await apiJson(admin, 'GET', `/sessions/${session.id}`)).roster;
  assert.ok(roster.length >= 7);
  const enrol = await apiJson(admin, 'POST', '/kiosks', { site: session.site, room: '', name: '成绩测试终端' }, change);
  const kiosk = await request.newContext({ baseURL: server.baseURL, ignoreHTTPSErrors: true,
    extraHTTPHeaders: { Authorization: `Bearer ${enrol.enrolment_code.split('|')[2]}` } });
  // Five sat (no results at the door), the sixth was marked absent, the rest never came.
  const events = roster.slice(0, 5).map((r, i) => ({ event_id: i + 1, kind: 'check_in', session_id: session.id,
    registration_id: r.registration_id, device_time: `${DAY}T00:${10 + i}:00.000Z`, late: false, method: 'scan' }));
  events.push({ event_id: 6, kind: 'mark_absent', session_id: session.id, registration_id: roster[5].registration_id,
    device_time: `${DAY}T01:30:00.000Z` });
  const out = await apiJson(kiosk, 'POST', '/kiosk/events', { events });
  assert.equal(out.stored, events.length);
  await kiosk.dispose();
  await admin.dispose();

  browser = await chromium.launch({ executablePath: process.env.KAODIAN_CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
  // The refused file (400) and the refused confirmation (409) are this test's own doing.
  page = await officePage(browser, server, { viewport: { width: 1366, height: 900 }, ignoredStatuses: /40[01349]/ });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const bom = '\ufeff';
const line = (r, outcome, total = '') => `${r.ticket_number},${r.name},${outcome},${total}`;

test('confirming results while everyone who sat is pending is refused, naming them', async () => {
  await page.goto(`/sessions/${session.id}`);
  await page.locator('#results-final').click();
  const pending = page.locator('#pending-results li');
  await pending.first().waitFor();
  assert.equal(await pending.count(), 5);
  assert.match(await page.locator('.notice.error').first().innerText(), /还有 5 名参加考试的考生没有成绩/);
  assert.match(await pending.first().innerText(), new RegExp(`${roster[0].name}（准考证号 ${roster[0].ticket_number}`));
  assert.match(await page.locator('.stat', { hasText: '通过 / 未通过 / 待定' }).innerText(), /0 \/ 0 \/ 5/);
  assert.match(await page.locator('.stat', { hasText: '通过率' }).innerText(), /—/);
});

test('a results file with errors is refused with every line and column', async () => {
  await page.goto('/admin/import');
  const bad = [
    '准考证号,姓名,考核结果,总成绩',
    line(roster[0], '通过', '85.5'),
    `${roster[1].ticket_number},张冠李戴,通过,80`,  // 3: the name is someone else's
    line(roster[2], '缺考'),                        // 4: checked in
    line(roster[6], '通过', '90'),                  // 5: never checked in
    line(roster[0], '通过', '85.5'),                // 6: twice
    'NOSUCH01,某人,通过,70',                         // 7: unknown
  ].join('\r\n');
  await page.setInputFiles('#results-file', { name: '成绩单.csv', mimeType: 'text/csv', buffer: Buffer.from(bom + bad, 'utf8') });
  await page.locator('#results-submit').click();
  const rows = page.locator('#results-import-result tr.problem');
  await rows.first().waitFor();
  const text = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
  assert.equal(text.length, 5, text.join('\n'));
  const expect = [[3, '姓名'], [4, '考核结果'], [5, '考核结果'], [6, '准考证号'], [7, '准考证号']];
  for (const [n, column] of expect) {
    assert.ok(text.some((t) => t.startsWith(`${n} ${column} `)), `line ${n} column ${column} in:\n${text.join('\n')}`);
  }
  assert.match(await page.locator('#results-import-result').innerText(), /未导入任何成绩/);
});

test('the good file is imported, and the session page shows its results', async () => {
  const good = [
    '准考证号,姓名,考核结果,总成绩',
    line(roster[0], '通过', '85.5'),
    line(roster[1], '合格', '78'),
    line(roster[2], '通过', '90'),
    line(roster[3], '不通过', '41'),
    line(roster[4], '不合格', '52.5'),
    line(roster[5], '缺考'),
  ].join('\r\n');
  await page.setInputFiles('#results-file', { name: '成绩单（正式）.csv', mimeType: 'text/csv', buffer: Buffer.from(bom + good, 'utf8') });
  await page.locator('#results-submit').click();
  await page.locator('#results-import-result .notice.ok').waitFor();
  assert.match(await page.locator('#results-import-result').innerText(), /新成绩 6 条/);

  await page.goto(`/sessions/${session.id}`);
  const counts = page.locator('.stat', { hasText: '通过 / 未通过 / 待定' });
  await counts.waitFor();
  assert.match(await counts.innerText(), /3 \/ 2 \/ 0/);
  assert.match(await page.locator('.stat', { hasText: '通过率' }).innerText(), /60\.0%/);
  assert.match(await page.locator('tr', { hasText: roster[0].ticket_number }).innerText(), /通过（总成绩 85\.5）/);
});

test('the office corrects one result with a reason, and the statistics change', async () => {
  const row = page.locator('tr', { hasText: roster[3].ticket_number });
  await row.locator('button.correct-result').click();
  await page.selectOption('#correct-outcome', 'pass');
  await page.fill('#correct-total', '61');
  await page.locator('#correct-save').click();
  assert.match(await page.locator('#correction').innerText(), /请填写更正原因/);
  await page.fill('#correct-reason', '评价组织复核后改判');
  await page.locator('#correct-save').click();
  await page.locator('.notice.ok', { hasText: '已更正' }).waitFor();
  const counts = page.locator('.stat', { hasText: '通过 / 未通过 / 待定' });
  await page.waitForFunction(() => /4 \/ 1 \/ 0/.test(document.body.innerText));
  assert.match(await counts.innerText(), /4 \/ 1 \/ 0/);
  assert.match(await page.locator('.stat', { hasText: '通过率' }).innerText(), /80\.0%/);
  assert.match(await page.locator('tr', { hasText: roster[3].ticket_number }).innerText(), /通过（总成绩 61）（更正）/);

});

test('the office withdraws one candidate, and the statistics change', async () => {
  const gone = roster[roster.length - 1]; // never came
  const registered = async () => (await page.evaluate(async (id) => {
    const r = await fetch('/api/v1/statistics');
    return (await r.json()).sessions.find((s) => s.id === id).registered;
  }, session.id));
  const before = await registered();
  await page.click(`button[data-change="withdraw"][data-ticket="${gone.ticket_number}"]`);
  await page.locator('#change-form').waitFor();
  await page.fill('#change-reason', '本人申请退考');
  await page.click('#change-submit');
  await page.getByText(`${gone.name}（${gone.ticket_number}）已退考`).waitFor();
  assert.equal(await registered(), before - 1);
  await page.waitForFunction((n) => [...document.querySelectorAll('.stat')]
    .some((s) => s.querySelector('.label')?.textContent === '报名' && s.querySelector('.value')?.textContent === String(n)),
  before - 1);
  // The overview counts one fewer registered too.
  await page.goto('/?term=all');
  const row = page.locator('tr', { has: page.locator(`a[href="/sessions/${session.id}"]`) });
  await row.waitFor();
  assert.match(await row.innerText(), new RegExp(`\\b${before - 1}\\b`));
  await page.goto(`/sessions/${session.id}`);

  // Now final: every one who sat has a result.
  await page.locator('#results-final').click();
  await page.locator('.notice.ok', { hasText: '成绩已确认' }).waitFor();
  assert.deepEqual(page.errors, [], 'no script error, no CSP violation');
});
