// The exam office's dashboard, driven as its users drive it: Debian's
// Chromium (headless, through playwright-core) against a real kaodian-server
// over TLS, with check-ins and results arriving from an enrolled kiosk
// through the same API the kiosks use.
//
// KAODIAN_SCREENSHOTS=DIR also saves the overview, session and pilot pages.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from './serverfixture.mjs';

const require = createRequire(path.join(process.env.KAODIAN_WEB_DIR ?? path.resolve('web'), 'package.json'));
const { chromium, request } = require('playwright-core');

const DAY_A = '2026-09-20';
const DAY_B = '2026-10-25';
const shots = process.env.KAODIAN_SCREENSHOTS;
const scratch = mkdtempSync(path.join(tmpdir(), 'kaodian-web-files-'));

let server;
let browser;
let admin; // API context logged in as the office
let truth; // what the test put in, to check the pages against

async function apiJson(ctx, method, url, body, headers = {}) {
  const response = await ctx.fetch(`/api/v1${url}`, { method, data: body, headers });
  const text = await response.text();
  assert.ok(response.ok(), `${method} ${url} -> ${response.status()}: ${text}`);
  return text ? JSON.parse(text) : null;
}

// Check-ins and results for a session, as a kiosk at its site uploads them.
async function kioskEvents(kiosk, session, roster, { sat, passed, incident }) {
  let eventId = truth.nextEvent;
  const events = [];
  const at = (minute) => `${session.exam_date}T0${minute < 60 ? 0 : 1}:${String(minute % 60).padStart(2, '0')}:00.000Z`;
  roster.slice(0, sat).forEach((r, i) => {
    events.push({ event_id: eventId++, kind: 'check_in', session_id: session.id, registration_id: r.registration_id,
      device_time: at(10 + i), late: false, method: 'scan' });
  });
  roster.slice(0, sat).forEach((r, i) => {
    events.push({ event_id: eventId++, kind: 'result', session_id: session.id, registration_id: r.registration_id,
      device_time: `${session.exam_date}T05:00:00.000Z`, outcome: i < passed ? 'pass' : 'fail', score: i < passed ? 80 : 40 });
  });
  if (incident) {
    events.push({ event_id: eventId++, kind: 'incident', session_id: session.id, registration_id: roster[0].registration_id,
      device_time: `${session.exam_date}T01:30:00.000Z`, incident: 2, reason: incident });
  }
  truth.nextEvent = eventId;
  const out = await apiJson(kiosk, 'POST', '/kiosk/events', { events });
  assert.equal(out.stored, events.length);
}

before(async () => {
  server = await startServer({ examDates: [DAY_A, DAY_B] });
  admin = await request.newContext({ baseURL: server.baseURL, ignoreHTTPSErrors: true });
  const login = await admin.post('/api/v1/login', { data: { username: 'admin', password: server.password } });
  assert.equal(login.status(), 200, await login.text());
  const csrf = (await login.json()).csrf_token;
  const change = { 'X-CSRF-Token': csrf };

  const stats = await apiJson(admin, 'GET', '/statistics');
  // The first pilot (Web前端开发 中级, 信息工程学院) sat on both days.
  const first = stats.sessions.find((s) => s.exam_date === DAY_A);
  const sessionA = first;
  const sessionB = stats.sessions.find((s) => s.exam_date === DAY_B && s.pilot_id === first.pilot_id);
  const other = stats.sessions.find((s) => s.college.id !== first.college.id);
  assert.ok(sessionA && sessionB && other, 'the sample roster has two days and more than one college');

  const enrol = await apiJson(admin, 'POST', '/kiosks', { site: sessionA.site, room: '', name: '测试终端' }, change);
  const credential = enrol.enrolment_code.split('|')[2];
  const kiosk = await request.newContext({ baseURL: server.baseURL, ignoreHTTPSErrors: true,
    extraHTTPHeaders: { Authorization: `Bearer ${credential}` } });
  truth = { nextEvent: 1, sessionA, sessionB, other, csrf, kioskId: enrol.id };

  const rosterA = (await apiJson(admin, 'GET', `/sessions/${sessionA.id}`)).roster;
  const rosterB = (await apiJson(admin, 'GET', `/sessions/${sessionB.id}`)).roster;
  // Day A: 10 of 100 published sat (10%: 第七条(五)); 2 of 10 passed (20%).
  // Day B: 10 sat, 2 passed (20%): two low pass rates in a row, 第七条(六).
  await kioskEvents(kiosk, sessionA, rosterA, { sat: 10, passed: 2, incident: '3号机蓝屏，换到备用机' });
  await kioskEvents(kiosk, sessionB, rosterB, { sat: 10, passed: 2 });
  await kiosk.dispose();
  // A second door checked the first candidate in again while offline: a conflict.
  const enrol2 = await apiJson(admin, 'POST', '/kiosks', { site: sessionA.site, room: '', name: '侧门终端' }, change);
  const door2 = await request.newContext({ baseURL: server.baseURL, ignoreHTTPSErrors: true,
    extraHTTPHeaders: { Authorization: `Bearer ${enrol2.enrolment_code.split('|')[2]}` } });
  await apiJson(door2, 'POST', '/kiosk/events', { events: [{ event_id: 1, kind: 'check_in', session_id: sessionA.id,
    registration_id: rosterA[0].registration_id, device_time: `${sessionA.exam_date}T00:55:00.000Z`, late: false, method: 'scan' }] });
  await door2.dispose();
  await apiJson(admin, 'PUT', `/sessions/${sessionA.id}/published-count`, { published_count: 100 }, change);
  await apiJson(admin, 'PUT', `/sessions/${sessionB.id}/published-count`, { published_count: 20 }, change);
  for (const s of [sessionA, sessionB]) {
    await apiJson(admin, 'PUT', `/sessions/${s.id}/results-final`, { final: true }, change);
  }
  truth.rosterA = rosterA;

  browser = await chromium.launch({ executablePath: process.env.KAODIAN_CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
});

after(async () => {
  await browser?.close();
  await admin?.dispose();
  await server?.stop();
});

// A browser context that records every request and every console error, so
// a test can assert nothing left the machine and the page logged no error.
async function newPage() {
  const context = await browser.newContext({ baseURL: server.baseURL, ignoreHTTPSErrors: true, locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai', viewport: { width: 1366, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  page.requests = [];
  page.errors = [];
  page.on('request', (r) => page.requests.push(r.url()));
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => {
    // The browser logs every 4xx it sees (the 401 before login, the 400 of
    // the refused roster file, the 404 of another college's session): those
    // are the tests' own doing.
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of 40[0134]/.test(m.text())) page.errors.push(m.text());
  });
  return page;
}

function assertStayedHome(page) {
  const away = page.requests.filter((u) => !u.startsWith(server.baseURL) && !u.startsWith('data:') && !u.startsWith('blob:'));
  assert.deepEqual(away, [], 'every request stays on the server');
  assert.deepEqual(page.errors, [], 'no script error, no CSP violation');
}

async function logIn(page, username, password, target = '/') {
  await page.goto(target);
  await page.waitForURL(/\/login/);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('button[type=submit]');
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

async function download(page, linkText) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: linkText, exact: true }).click()]);
  const where = path.join(scratch, file.suggestedFilename());
  await file.saveAs(where);
  return where;
}

// The server is the authority on 第七条: the pages show its verdicts
// (participation, pass_rate_low) and its rates, and compute neither.
test('the dashboard scripts hold no 30% rule and no rate arithmetic of their own', () => {
  const root = path.join(process.env.KAODIAN_WEB_DIR ?? path.resolve('web'), 'static');
  const scripts = readdirSync(root, { recursive: true }).filter((f) => String(f).endsWith('.js'));
  assert.ok(scripts.length >= 5, `the dashboard's scripts: ${scripts}`);
  for (const file of scripts) {
    const source = readFileSync(path.join(root, String(file)), 'utf8');
    assert.doesNotMatch(source, /\*\s*10\s*<|<\s*[\w.()]+\s*\*\s*3\b|\b0?\.3\b|belowThirty|\*\s*1000\b/, `${file} computes a 30% verdict or a rate`);
  }
});

describe('the exam office', () => {
  let page;
  before(async () => {
    page = await newPage();
  });
  after(async () => {
    assertStayedHome(page);
    await page.context().close();
  });

  test('a wrong password is refused with the reason, then logging in shows the overview', async () => {
    await page.goto('/');
    await page.waitForURL(/\/login/);
    await page.fill('#username', 'admin');
    await page.fill('#password', 'not-the-password');
    await page.click('button[type=submit]');
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /密码|用户名/);
    await page.fill('#password', server.password);
    await page.click('button[type=submit]');
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('heading', { name: /考试统计/ }).waitFor();
  });

  test('sees both 第七条 flags at the top, in words, with their numbers', async () => {
    const flags = page.locator('section.flags');
    await flags.waitFor();
    const low = flags.locator('li[data-kind=low_participation]');
    assert.equal(await low.count(), 1, 'exactly one session is below 30% of its published count');
    const lowText = await low.innerText();
    assert.match(lowText, /第七条\(五\)/);
    assert.match(lowText, /10 人/);
    assert.match(lowText, /100 人/);
    assert.match(lowText, new RegExp(`#${truth.sessionA.id}`));
    const streak = flags.locator('li[data-kind=consecutive_low_pass_rate]');
    assert.equal(await streak.count(), 1);
    const streakText = await streak.innerText();
    assert.match(streakText, /第七条\(六\)/);
    assert.match(streakText, new RegExp(`#${truth.sessionA.id}`));
    assert.match(streakText, new RegExp(`#${truth.sessionB.id}`));
    // The session's row says the same: 10.0% and low.
    const row = page.locator('tr', { has: page.getByRole('link', { name: `#${truth.sessionA.id}`, exact: true }) }).first();
    assert.match(await row.innerText(), /10\.0%\s*低于 30%/);
    if (shots) await page.screenshot({ path: path.join(shots, 'dashboard-overview.png'), fullPage: true });
  });

  test('opens the session: live roster, attended / published against 30%, incidents, results', async () => {
    await page.getByRole('link', { name: `#${truth.sessionA.id}`, exact: true }).first().click();
    await page.waitForURL(new RegExp(`/sessions/${truth.sessionA.id}$`));
    await page.locator('.participation').waitFor();
    assert.match(await page.locator('.participation').innerText(), /参加考试 10 人 ÷ 公布考试人数 100 人 = 10\.0%/);
    assert.equal(await page.locator('.ratebar.low').count(), 1);
    const rows = page.locator('table.grid').last().locator('tbody tr');
    assert.equal(await rows.count(), truth.rosterA.length);
    assert.equal(await page.locator('tbody tr.att-checked_in').count(), 10);
    const firstName = truth.rosterA[0].name;
    const firstRow = page.locator('tbody tr[class^=att-]', { hasText: truth.rosterA[0].ticket_number });
    assert.match(await firstRow.innerText(), /已签到/);
    assert.match(await firstRow.innerText(), /通过（80 分）/);
    assert.match(await firstRow.innerText(), /\d{4}\*{10}\w{4}/, 'ID numbers are masked');
    const incidents = page.locator('section', { has: page.getByRole('heading', { name: /考场事件/ }) });
    assert.match(await incidents.innerText(), /设备故障/);
    assert.match(await incidents.innerText(), /3号机蓝屏/);
    assert.match(await incidents.innerText(), new RegExp(firstName));
    // The same candidate at two doors: listed, the earliest counts, counted once.
    const conflicts = page.locator('section', { has: page.getByRole('heading', { name: /重复签到/ }) });
    assert.match(await conflicts.innerText(), new RegExp(truth.rosterA[0].ticket_number));
    assert.match(await conflicts.innerText(), /侧门终端/);
    assert.match(await conflicts.innerText(), /以此为准/);
    // Search narrows the roster.
    await page.fill('#roster-search', truth.rosterA[1].ticket_number);
    assert.equal(await rows.count(), 1);
    await page.fill('#roster-search', '');
    if (shots) await page.screenshot({ path: path.join(shots, 'dashboard-session.png'), fullPage: false });
  });

  test('sets the published count, and the page and flags follow', async () => {
    await page.fill('#published-count', '30');
    await page.click('#save-count');
    await page.getByText('公布考试人数已设为 30').waitFor();
    await page.locator('.participation', { hasText: '= 33.3%' }).waitFor();
    assert.equal(await page.locator('.ratebar.low').count(), 0, '10 of 30 is not below 30%');
    await page.fill('#published-count', '-3');
    await page.click('#save-count');
    await page.getByText('须为非负整数').waitFor();
    await page.fill('#published-count', '100');
    await page.click('#save-count');
    await page.getByText('公布考试人数已设为 100').waitFor();
  });

  test("prints the site's paper from the session page: sign-in sheet, door list, room record", async () => {
    const rooms = [...new Set(truth.rosterA.map((r) => r.room))];
    await page.selectOption('#paper-room', rooms[0]);
    for (const [label, words] of [['打印签到表（PDF）', /考 生 签 到 表/], ['打印考场门贴（PDF）', new RegExp(`第 ${rooms[0]} 考场`)],
      ['打印考场记录单（PDF）', /应到[\s\S]*监考员签名/]]) {
      const pdf = await download(page, label);
      const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
      assert.match(text, words, label);
      assert.doesNotMatch(text, /\d{17}[\dX]/, 'no full ID number');
    }
  });

  test('the pilot page charts the pass rates with the 30% line and marks the streak', async () => {
    await page.getByRole('link', { name: '试点历次通过率' }).click();
    await page.waitForURL(/\/pilots\/\d+$/);
    const chart = page.locator('#pass-rate-chart');
    await chart.locator('canvas').waitFor();
    assert.match(await chart.getAttribute('aria-label'), new RegExp(`#${truth.sessionA.id}、#${truth.sessionB.id}`));
    const box = await chart.boundingBox();
    assert.ok(box.width > 400 && box.height > 300);
    assert.match(await page.locator('section.flags').innerText(), /第七条\(六\)/);
    if (shots) await page.screenshot({ path: path.join(shots, 'dashboard-pilot.png'), fullPage: true });
  });

  test('exports CSV (UTF-8 with BOM), XLSX and a PDF report with the flags', async () => {
    await page.getByRole('link', { name: '概览' }).click();
    await page.getByRole('heading', { name: /考试统计/ }).waitFor();
    const csv = readFileSync(await download(page, 'CSV'));
    assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the CSV starts with a UTF-8 BOM');
    const csvText = csv.toString('utf8');
    assert.match(csvText, /Web前端开发/);
    assert.match(csvText, new RegExp(`${truth.sessionA.id}.*10\\.0%`));

    const xlsx = await download(page, 'Excel');
    assert.equal(readFileSync(xlsx).subarray(0, 2).toString(), 'PK');
    const sheets = execFileSync('unzip', ['-p', xlsx, 'xl/sharedStrings.xml'], { encoding: 'utf8' });
    assert.match(sheets, /Web前端开发/);
    assert.match(sheets, /第七条\(五\)/);

    const pdf = await download(page, 'PDF 报告');
    assert.equal(readFileSync(pdf).subarray(0, 5).toString(), '%PDF-');
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    assert.match(text, /1\+X 证书考试统计报告/);
    assert.match(text, /第七条\(五\)/);
    assert.match(text, /第七条\(六\)/);
    // Flags name sessions by date, time and site, and pilots in words, not by id.
    assert.match(text, new RegExp(`${truth.sessionA.exam_date} ${truth.sessionA.start_time}`));
    assert.doesNotMatch(text, /试点 #/);
    assert.match(text, /10\.0%/);
  });

  test('imports a roster file with errors and reads them line by line', async () => {
    await page.getByRole('link', { name: '导入名单' }).click();
    const header = '准考证号,姓名,身份证号,学号,专业,班级,二级学院,证书,等级,培训评价组织,考点,考场,座位号,考试日期,开始时间,结束时间';
    const bad = [header,
      '20261201010001,王小明,35012120031108246X,2022030101,计算机应用技术,计应2201,信息工程学院,Web前端开发,中级,工业和信息化部教育与考试中心,实训楼考点,01,01,2026-12-01,09:00,11:00',
      '20261201010002,,350121200311082466,2022030102,计算机应用技术,计应2201,信息工程学院,Web前端开发,中级,工业和信息化部教育与考试中心,实训楼考点,01,02,2026-12-32,09:00,11:00',
    ].join('\n');
    await page.setInputFiles('#roster-file', { name: '错误名单.csv', mimeType: 'text/csv', buffer: Buffer.from(bad, 'utf8') });
    await page.click('button[type=submit]');
    const result = page.locator('#import-result');
    await result.getByRole('alert').waitFor();
    assert.match(await result.getByRole('alert').innerText(), /未导入任何数据/);
    const problems = result.locator('tbody tr');
    assert.ok(await problems.count() >= 2, 'each problem is listed');
    const lines = await problems.locator('td:first-child').allInnerTexts();
    assert.ok(lines.includes('3'), `line 3 is named: ${lines}`);
    const all = await result.innerText();
    assert.match(all, /姓名/);
    assert.match(all, /考试日期|日期/);
    const stats = await apiJson(admin, 'GET', '/statistics');
    assert.ok(!stats.sessions.some((s) => s.exam_date === '2026-12-01'), 'nothing of the refused file was stored');
  });

  test('enrols a kiosk by QR and revokes it', async () => {
    await page.getByRole('link', { name: '考场终端' }).click();
    await page.fill('#kiosk-name', '信息楼 02 考场门口');
    await page.selectOption('#kiosk-room', { index: 1 });
    await page.getByRole('button', { name: '登记并显示二维码' }).click();
    const img = page.locator('#enrolment img');
    await img.waitFor();
    const code = await page.locator('#enrolment code').innerText();
    assert.match(code, /^KDENROL1\|https:\/\/127\.0\.0\.1:\d+\|K[^|]+\.[^|]+\|[0-9a-f]{64}\|[0-9a-f]{64}$/);
    const png = path.join(scratch, 'enrol.png');
    writeFileSync(png, Buffer.from((await img.getAttribute('src')).split(',')[1], 'base64'));
    assert.equal(execFileSync('zbarimg', ['--raw', '-q', png], { encoding: 'utf8' }).trim(), code, 'the QR holds the code');
    const id = code.split('|')[2].split('.')[0];
    // The kiosk's first contact: its installation id and the public half of
    // its Ed25519 device key, which the server registers with that claim.
    const deviceKey = generateKeyPairSync('ed25519');
    const devicePublic = Buffer.from(deviceKey.publicKey.export({ format: 'jwk' }).x, 'base64url').toString('base64');
    const door = await request.newContext({ baseURL: server.baseURL, ignoreHTTPSErrors: true,
      extraHTTPHeaders: { Authorization: `Bearer ${code.split('|')[2]}`, 'X-Kaodian-Installation': 'ab'.repeat(32),
        'X-Kaodian-Device-Key': devicePublic } });
    const contact = await door.get('/api/v1/kiosk/package');
    assert.equal(contact.status(), 200, await contact.text());
    await door.dispose();
    const row = page.locator('tbody tr', { hasText: id });
    assert.match(await row.innerText(), /在用/);
    page.once('dialog', (d) => d.accept());
    await row.getByRole('button', { name: '注销' }).click();
    await page.locator('tbody tr', { hasText: id }).getByText('已注销').waitFor();

    // The revoked kiosk's export file, signed with its device key (docs/api.md),
    // loaded by the office: stored once.
    const eventsFile = (kioskId) => Buffer.from(JSON.stringify({ format: 'kaodian-kiosk-events/1', kiosk_id: kioskId,
      exported_at: '2026-09-20T04:00:00.000Z',
      events: [{ event_id: 1, kind: 'incident', session_id: truth.sessionA.id, registration_id: truth.rosterA[2].registration_id,
        device_time: '2026-09-20T01:40:00.000Z', incident: 5, reason: '离线时记录' }] }));
    const signed = (body) => JSON.stringify({ format: 'kaodian-kiosk-events/2', body: body.toString('base64'),
      signature: sign(null, body, deviceKey.privateKey).toString('base64'), public_key: devicePublic });
    const exported = signed(eventsFile(id));
    const input = page.locator('tbody tr', { hasText: id }).locator('input[type=file]');
    await input.setInputFiles({ name: 'kiosk-events.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
    await page.getByText('新存 1 条').waitFor();
    await input.setInputFiles({ name: 'kiosk-events.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
    await page.getByText('新存 0 条，已有 1 条').waitFor();
    const other = signed(eventsFile('KNOTTHIS'));
    await input.setInputFiles({ name: 'other.json', mimeType: 'application/json', buffer: Buffer.from(other) });
    await page.getByRole('alert').filter({ hasText: '不是' }).waitFor();
    // The same events without the signature: refused, with the reason.
    await input.setInputFiles({ name: 'unsigned.json', mimeType: 'application/json', buffer: eventsFile(id) });
    await page.getByRole('alert').filter({ hasText: '没有签名' }).waitFor();
  });

  test('hostile text is shown as text, never run', async () => {
    const evil = `<img src=x onerror="window.__owned=1">'); DROP TABLE app_user;--`;
    await apiJson(admin, 'POST', '/users', { username: evil, password: 'long-enough-password', role: 'admin' },
      { 'X-CSRF-Token': truth.csrf });
    await page.getByRole('link', { name: '用户' }).click();
    const row = page.locator('table.grid tbody tr', { hasText: "DROP TABLE app_user" });
    await row.waitFor();
    assert.equal(await row.locator('td').first().innerText(), evil, 'the name is shown exactly as typed');
    assert.equal(await page.locator('table.grid img').count(), 0, 'no element was made of it');
    assert.equal(await page.evaluate(() => window.__owned), undefined, 'no script ran');
  });

  test('creates a college viewer', async () => {
    await page.getByRole('link', { name: '用户' }).click();
    await page.fill('#new-username', 'jidian');
    await page.fill('#new-password', 'college-viewer-pw');
    await page.selectOption('#new-role', 'college');
    await page.selectOption('#new-college', String(truth.other.college.id));
    await page.getByRole('button', { name: '创建' }).click();
    await page.getByText('已创建用户 jidian').waitFor();
    await page.locator('table.grid tbody tr', { hasText: 'jidian' }).waitFor();
    assert.match(await page.locator('table.grid tbody tr', { hasText: 'jidian' }).innerText(), /二级学院/);
  });
});

describe('a college viewer', () => {
  let page;
  before(async () => {
    page = await newPage();
  });
  after(async () => {
    assertStayedHome(page);
    await page.context().close();
  });

  test('sees only its own college', async () => {
    await logIn(page, 'jidian', 'college-viewer-pw');
    await page.getByRole('heading', { name: new RegExp(truth.other.college.name) }).waitFor();
    const table = await page.locator('table.grid').first().innerText();
    assert.ok(!table.includes(truth.sessionA.college.name), 'no other college on the overview');
    assert.equal(await page.getByRole('link', { name: '导入名单' }).count(), 0, 'no administration links');
  });

  test("is refused another college's session, pilot and college by URL", async () => {
    await page.goto(`/sessions/${truth.sessionA.id}`);
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /没有找到这个场次，或您无权查看/);
    assert.equal(await page.locator('table.grid').count(), 0, 'no roster is shown');
    assert.ok(!(await page.content()).includes(truth.rosterA[0].name));
    await page.goto(`/pilots/${truth.sessionA.pilot_id}`);
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /无权查看/);
    await page.goto(`/colleges/${truth.sessionA.college.id}`);
    await page.getByRole('alert').waitFor();
    await page.goto('/admin/kiosks');
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /无权访问/);
  });

  test('its own session opens', async () => {
    await page.goto(`/sessions/${truth.other.id}`);
    await page.locator('.stats').waitFor();
    assert.equal(await page.locator('#published-count').count(), 0, 'no office controls');
  });
});
