// Weekly reports and cases in the dashboard (issue #14 items 2 and 4),
// driven in Debian's Chromium against a real kaodian-server over TLS: a
// college user submits a weekly report with a PDF and sees it in its
// history; the office sees it, keeps the exemption calendar, records a
// finding and walks its case to 取消试点; the college then sees its case.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { officePage, startServer } from './serverfixture.mjs';

const require = createRequire(path.join(process.env.KAODIAN_WEB_DIR ?? path.resolve('web'), 'package.json'));
const { chromium, request } = require('playwright-core');

let server;
let browser;
let admin;
let office;
let college;
let pilot;
let caseId;

async function apiJson(method, url, body) {
  const response = await admin.fetch(`/api/v1${url}`, { method, data: body });
  const text = await response.text();
  assert.ok(response.ok(), `${method} ${url} -> ${response.status()}: ${text}`);
  return text ? JSON.parse(text) : null;
}

async function collegePage(username, password) {
  const context = await browser.newContext({ baseURL: server.baseURL, ignoreHTTPSErrors: true, locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai', viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  await page.goto('/login');
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('button[type=submit]');
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  return page;
}

before(async () => {
  server = await startServer({ examDates: ['2026-09-20'] });
  admin = await request.newContext({ baseURL: server.baseURL, ignoreHTTPSErrors: true });
  const login = await admin.post('/api/v1/login', { data: { username: 'admin', password: server.password } });
  assert.equal(login.status(), 200, await login.text());
  admin = await request.newContext({ baseURL: server.baseURL, ignoreHTTPSErrors: true,
    storageState: await admin.storageState(), extraHTTPHeaders: { 'X-CSRF-Token': (await login.json()).csrf_token } });
  pilot = (await apiJson('GET', '/reports')).pilots[0];
  assert.ok(pilot, 'the sample roster made pilots');
  await apiJson('POST', '/users', { username: 'xinxi', password: 'xinxi-Passw0rd!', role: 'college', college_id: pilot.college_id });
  browser = await chromium.launch({ executablePath: process.env.KAODIAN_CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
  office = await officePage(browser, server);
  college = await collegePage('xinxi', 'xinxi-Passw0rd!');
});

after(async () => {
  await browser?.close();
  await admin?.dispose();
  await server?.stop();
});

describe('weekly reports and cases', () => {
  test('a college user submits a weekly report with a PDF', async () => {
    await college.click('a[href="/reports"]');
    await college.locator('#report-form').waitFor();
    await college.selectOption('#report-pilot', String(pilot.id));
    // No text: the browser will not send it.
    await college.click('#report-form button[type=submit]');
    assert.equal((await apiJson('GET', '/reports')).reports.length, 0);
    await college.fill('#report-body', '本周完成考前培训两次，报名 120 人。');
    await college.setInputFiles('#report-file', { name: '周报.pdf', mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n% 周报\n%%EOF\n') });
    await college.click('#report-form button[type=submit]');
    await college.locator('#report-result .notice.ok').waitFor();
    assert.match(await college.locator('#report-result').innerText(), /已提交 \d{4}-\d\d-\d\d 这一周的周报：按时/);
    assert.match(await college.locator('#report-history').innerText(), /周报\.pdf/);
    // A renamed program is refused with the reason.
    await college.fill('#report-body', '再交一份');
    await college.setInputFiles('#report-file', { name: 'setup.pdf', mimeType: 'application/pdf',
      buffer: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]) });
    await college.click('#report-form button[type=submit]');
    await college.locator('#report-result .notice.error').waitFor();
    assert.match(await college.locator('#report-result').innerText(), /不是 PDF、Word（\.docx）或 Excel（\.xlsx）文件/);
    const reports = (await apiJson('GET', '/reports')).reports;
    assert.equal(reports.length, 1);
    assert.equal(reports[0].attachment.name, '周报.pdf');
    assert.deepEqual(college.errors, []);
  });

  test('the office sees the report and keeps the exemption calendar', async () => {
    await office.goto('/reports'); // by its address, as a bookmark or a reload
    await office.locator('#report-grid').waitFor();
    assert.match(await office.locator('#report-grid').innerText(), new RegExp(pilot.name.replace(/[()（）]/g, '.')));
    const link = office.locator('a[download="周报.pdf"]');
    const [download] = await Promise.all([office.waitForEvent('download'), link.click()]);
    assert.equal(download.suggestedFilename(), '周报.pdf');
    await office.fill('#exemption-week', '2026-07-06');
    await office.fill('#exemption-reason', '暑假');
    await office.click('#exemption-form button[type=submit]');
    await office.locator('#exemptions', { hasText: '暑假' }).waitFor();
    assert.ok((await apiJson('GET', '/reports')).exemptions.some((e) => e.week === '2026-07-06' && e.reason === '暑假'));
  });

  test('the office records a finding and walks its case to 取消试点', async () => {
    await office.click('a[href="/cases"]');
    await office.locator('#finding-form').waitFor();
    await office.selectOption('#finding-rule', '第七条(七)');
    await office.selectOption('#finding-subject', String(pilot.id));
    await office.fill('#finding-note', '培训费用未按规定公示');
    await office.click('#finding-form button[type=submit]');
    await office.waitForURL(/\/cases\/\d+$/);
    caseId = /\/cases\/(\d+)$/.exec(office.url())[1];
    await office.locator('#case-state', { hasText: '待核查' }).waitFor();
    const walk = [
      ['核查中', '派员核查'],
      ['属实', '核查属实'],
      ['整改中', '限期整改', '2099-12-31'],
      ['未整改', '逾期未整改'],
      ['取消试点', '经调查属实且不整改'],
    ];
    for (const [to, reason, deadline] of walk) {
      await office.fill('#move-reason', reason);
      if (deadline) await office.fill('#move-deadline', deadline);
      await office.click(`button[data-move="${to}"]`);
      await office.locator('#case-state', { hasText: to }).waitFor();
    }
    assert.match(await office.locator('#case-steps').innerText(), /未整改 → 取消试点/);
    assert.equal(await office.locator('#case-move').count(), 0); // closed: no more moves
    const subjects = await apiJson('GET', '/case-subjects');
    assert.equal(subjects.pilots.find((p) => p.id === pilot.id).withdrawn, true);
    assert.deepEqual(office.errors, []);
  });

  test('the college sees its own case', async () => {
    await college.click('a[href="/cases"]');
    await college.locator('#case-list', { hasText: '取消试点' }).waitFor();
    assert.equal(await college.locator('#finding-form').count(), 0);
    await college.goto(`/cases/${caseId}`);
    await college.locator('#case-state', { hasText: '取消试点' }).waitFor();
    assert.equal(await college.locator('#case-move').count(), 0);
    assert.deepEqual(college.errors, []);
  });

  // The board (合规): a pilot whose weekly reports stop shows 第七条(二) once
  // two weeks are missed, the flag's case opens with it, and the office
  // walks that case to 取消试点 from the board.
  test('two missed weeks show as a 第七条(二) flag on the board, and its case is walked to 取消试点', async () => {
    const subjects = await apiJson('GET', '/case-subjects');
    const other = subjects.pilots.find((p) => p.id !== pilot.id && !p.withdrawn);
    assert.ok(other, 'a second pilot from the sample roster');
    const flagsOf = async () => (await apiJson('GET', '/compliance')).flags
      .filter((f) => f.rule === '第七条(二)' && f.subject.id === other.id);
    // Started this week: nothing is owed yet.
    const monday = (weeksAgo) => {
      const d = new Date(Date.now() + 8 * 3600 * 1000); // China time
      d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7) - 7 * weeksAgo);
      return d.toISOString().slice(0, 10);
    };
    await apiJson('PUT', `/pilots/${other.id}`, { start_date: monday(0) });
    assert.deepEqual(await flagsOf(), []);
    // Started three weeks ago, no report since: its first two weeks are missed.
    await apiJson('PUT', `/pilots/${other.id}`, { start_date: monday(3) });
    await office.goto('/compliance');
    await office.getByRole('heading', { name: '合规', exact: true }).waitFor();
    const [flag] = await flagsOf();
    assert.ok(flag, 'a 第七条(二) flag for the pilot');
    assert.deepEqual(flag.weeks.slice(0, 2), [monday(3), monday(2)]);
    assert.ok(flag.case, 'the board opened the flag\'s case');
    assert.equal(flag.case.state, '待核查');
    const cell = office.locator(`tr[data-kind=pilot][data-id="${other.id}"] td[data-article="第七条(二)"]`);
    assert.equal((await cell.innerText()).trim(), '待核查');
    await cell.getByRole('button').click();
    await office.locator('section.evidence').getByRole('link', { name: new RegExp(`案件 #${flag.case.id}`) }).first().click();
    await office.waitForURL(new RegExp(`/cases/${flag.case.id}$`));
    await office.locator('#case-state', { hasText: '待核查' }).waitFor();
    for (const [to, reason, deadline] of [
      ['核查中', '核对周报记录'],
      ['属实', '连续两周未报'],
      ['整改中', '限期补报并说明', '2099-12-31'],
      ['未整改', '逾期未补报'],
      ['取消试点', '经调查属实且不整改'],
    ]) {
      await office.fill('#move-reason', reason);
      if (deadline) await office.fill('#move-deadline', deadline);
      await office.click(`button[data-move="${to}"]`);
      await office.locator('#case-state', { hasText: to }).waitFor();
    }
    // Withdrawn: the board says so, and the pilot owes no more reports.
    await office.goto('/compliance');
    const row = office.locator(`tr[data-kind=pilot][data-id="${other.id}"]`);
    await row.waitFor();
    assert.match(await row.innerText(), /已取消试点/);
    assert.deepEqual(await flagsOf(), []);
    assert.deepEqual(office.errors, []);
  });
});
