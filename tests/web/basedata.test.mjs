// 基础数据 in the dashboard (issue #14 items 1 and 6): the office imports a
// majors file (and sees a bad one refused line by line), sees the sample
// roster's pilots as 未登记, records a site's agreement by editing its row;
// 教务处 and 人事处 log in and see only what is theirs to change.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { officePage, startServer } from './serverfixture.mjs';

const require = createRequire(path.join(process.env.KAODIAN_WEB_DIR ?? path.resolve('web'), 'package.json'));
const { chromium, request } = require('playwright-core');

let server;
let browser;
let page;
let admin;
let change;

async function apiJson(ctx, method, url, body, headers = {}) {
  const response = await ctx.fetch(`/api/v1${url}`, { method, data: body, headers });
  const text = await response.text();
  assert.ok(response.ok(), `${method} ${url} -> ${response.status()}: ${text}`);
  return text ? JSON.parse(text) : null;
}

before(async () => {
  server = await startServer({ examDates: ['2026-09-20'] });
  admin = await request.newContext({ baseURL: server.baseURL, ignoreHTTPSErrors: true });
  const login = await admin.post('/api/v1/login', { data: { username: 'admin', password: server.password } });
  assert.equal(login.status(), 200, await login.text());
  change = { 'X-CSRF-Token': (await login.json()).csrf_token };
  for (const [username, role] of [['jiaowu', 'academic'], ['renshi', 'hr']]) {
    await apiJson(admin, 'POST', '/users', { username, password: 'central-office-pw', role }, change);
  }
  browser = await chromium.launch({ executablePath: process.env.KAODIAN_CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
  // The refused file (400) is this test's own doing.
  page = await officePage(browser, server, { ignoredStatuses: /40[0134]/ });
});

after(async () => {
  await admin?.dispose();
  await browser?.close();
  await server?.stop();
});

const bom = '\ufeff';

test('the office imports majors, and a bad file is refused line by line', async () => {
  await page.goto('/data');
  await page.getByRole('heading', { name: '基础数据' }).waitFor();
  const good = ['二级学院,专业代码,专业名称,状态', '信息工程学院,510201,计算机应用技术,在招', '信息工程学院,510203,软件技术,停招', ',,,'].join('\r\n');
  await page.setInputFiles('#import-majors-file', { name: '专业.csv', mimeType: 'text/csv', buffer: Buffer.from(bom + good, 'utf8') });
  await page.locator('#import-majors-submit').click();
  await page.locator('#section-majors .notice.ok').waitFor();
  assert.match(await page.locator('#section-majors .notice.ok').innerText(), /专业\.csv：2 行；新增 0，更新 2/);
  const majors = page.locator('#section-majors table tr', { hasText: '软件技术' });
  assert.match(await majors.innerText(), /510203[\s\S]*停招/);

  const bad = ['二级学院,专业代码,专业名称,状态', '信息工程学院,,云计算技术应用,在招', '信息工程学院,510299,大数据技术,招满'].join('\r\n');
  await page.setInputFiles('#import-majors-file', { name: '专业2.csv', mimeType: 'text/csv', buffer: Buffer.from(bom + bad, 'utf8') });
  await page.locator('#import-majors-submit').click();
  const rows = page.locator('#import-majors-result tr.problem');
  await rows.first().waitFor();
  const text = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
  assert.equal(text.length, 2, text.join('\n'));
  assert.ok(text[0].startsWith('2 专业代码 '), text[0]);
  assert.ok(text[1].startsWith('3 状态 '), text[1]);
  assert.match(await page.locator('#import-majors-result .notice.error').innerText(), /专业名单有 2 处问题/);
  assert.equal(await page.locator('#section-majors table tr', { hasText: '大数据技术' }).count(), 0);
});

test("the sample roster's pilots are shown 未登记, and a site's agreement is recorded by editing its row", async () => {
  await page.goto('/data');
  const unregistered = page.locator('#section-pilots tr.warn-row', { hasText: 'Web前端开发 中级（信息工程学院）' });
  await unregistered.waitFor();
  assert.match(await unregistered.innerText(), /未登记/);

  const { sites } = await apiJson(admin, 'GET', '/sites');
  const site = sites.find((s) => s.name === '实训楼考点');
  assert.ok(site && site.agreement_number === '', JSON.stringify(sites));
  await page.locator(`[data-edit="site-${site.id}"]`).click();
  await page.fill('#edit-agreement_number', 'XY-2024-07');
  await page.fill('#edit-agreement_starts', '2024-09-01');
  await page.fill('#edit-agreement_ends', '2027/8/31');
  await page.locator('#edit-save').click();
  const row = page.locator('#section-sites table tr', { hasText: '实训楼考点' });
  await page.locator('#section-sites .notice.ok', { hasText: '已保存' }).waitFor();
  assert.match(await row.innerText(), /XY-2024-07（2024-09-01 至 2027-08-31）/);
  const after = (await apiJson(admin, 'GET', '/sites')).sites.find((s) => s.id === site.id);
  assert.equal(after.agreement_ends, '2027-08-31');
  // An agreement number without its last day is refused, in words.
  await page.locator(`[data-edit="site-${site.id}"]`).click();
  await page.fill('#edit-agreement_ends', '');
  await page.locator('#edit-save').click();
  await page.locator('#edit-site .notice.error').waitFor();
  assert.match(await page.locator('#edit-site .notice.error').innerText(), /合作协议编号和协议止须同时填写/);
  const audit = await apiJson(admin, 'GET', '/audit?limit=20');
  assert.ok(audit.entries.some((e) => e.action === 'basedata.site.update' && e.detail.includes('XY-2024-07')));
  assert.deepEqual(page.errors, []);
});

async function pageAs(username) {
  const context = await browser.newContext({ baseURL: server.baseURL, ignoreHTTPSErrors: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const p = await context.newPage();
  await p.goto('/login');
  await p.fill('#username', username);
  await p.fill('#password', 'central-office-pw');
  await p.click('button[type=submit]');
  await p.waitForURL((url) => !url.pathname.startsWith('/login'));
  return p;
}

test('教务处 keeps pilots, sites and certificates; 人事处 only teachers', async () => {
  const academic = await pageAs('jiaowu');
  assert.match(await academic.locator('#who').innerText(), /jiaowu（教务处）/);
  const nav = await academic.locator('#nav').innerText();
  assert.match(nav, /基础数据/);
  assert.doesNotMatch(nav, /用户|审计日志|考场终端/);
  await academic.goto('/data');
  await academic.locator('#import-pilots-file').waitFor();
  assert.equal(await academic.locator('#import-teachers-file').count(), 0);
  assert.ok(await academic.locator('#section-certificates [data-edit^="certificate-"]').count() > 0);
  // The office's own pages, by URL: refused.
  await academic.goto('/admin/users');
  await academic.getByText('无权访问').waitFor();
  assert.equal(await academic.locator('#new-username').count(), 0);

  const hr = await pageAs('renshi');
  await hr.waitForURL(/\/data$/);
  assert.match(await hr.locator('#who').innerText(), /renshi（人事处）/);
  await hr.locator('#import-teachers-file').waitFor();
  assert.equal(await hr.locator('#section-pilots').count(), 0);
  assert.equal(await hr.locator('#section-sites').count(), 0);
  assert.equal(await hr.locator('#import-majors-file').count(), 0);
  const teachers = ['工号,姓名,二级学院,专业,资格,证书,等级,证书编号,有效期起,有效期止',
    '2019001,李𪚥,信息工程学院,软件技术,考评员,Web前端开发,中级,KP-0086,2025-07-01,2028-06-30'].join('\r\n');
  await hr.setInputFiles('#import-teachers-file', { name: '师资.csv', mimeType: 'text/csv', buffer: Buffer.from(bom + teachers, 'utf8') });
  await hr.locator('#import-teachers-submit').click();
  await hr.locator('#section-teachers .notice.ok').waitFor();
  assert.match(await hr.locator('#section-teachers table').innerText(), /李𪚥[\s\S]*考评员 Web前端开发 中级/);
  await hr.goto('/admin/audit');
  await hr.getByText('无权访问').waitFor();
});
