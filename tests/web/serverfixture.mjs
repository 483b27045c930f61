// A real kaodian-server for the browser tests: its own data folder, the
// sample roster on two exam days, started on a free port over TLS, and
// stopped (SIGTERM) at the end.

import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const server = process.env.KAODIAN_SERVER;

function run(args) {
  return execFileSync(server, args, { encoding: 'utf8', env: { ...process.env, QT_QPA_PLATFORM: 'offscreen' } });
}

export async function startServer({ examDates }) {
  if (!server) throw new Error('KAODIAN_SERVER must name the kaodian-server binary');
  const dir = mkdtempSync(path.join(tmpdir(), 'kaodian-web-'));
  const data = path.join(dir, 'data');
  const init = run(['init', '--data', data]);
  const password = /admin password:\s+(\S+)/.exec(init)?.[1];
  if (!password) throw new Error(`no admin password in: ${init}`);
  for (const [i, date] of examDates.entries()) {
    const csv = path.join(dir, `roster-${i}.csv`);
    run(['sample-roster', '--out', csv, '--date', date, '--candidates', '120', '--seed', String(11 + i)]);
    run(['import', '--data', data, csv]);
  }
  const child = spawn(server, ['serve', '--data', data, '--listen', '127.0.0.1:0'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, QT_QPA_PLATFORM: 'offscreen' } });
  let log = '';
  const baseURL = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${log}`)), 20000);
    const onData = (chunk) => {
      log += chunk;
      const m = /serving (https:\/\/127\.0\.0\.1:\d+)\//.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c) => { log += c; });
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${log}`)));
  });
  return {
    baseURL,
    dir,
    data,
    password,
    log: () => log,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.on('exit', resolve)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// A page of the dashboard logged in as the office (admin), in Chinese on
// China time, that records script errors and console errors in page.errors
// (statuses matching ignoredStatuses are the test's own refusals). Waits
// until the first page after login has loaded.
export async function officePage(browser, server, { viewport = { width: 1366, height: 900 }, ignoredStatuses = /40[0134]/ } = {}) {
  const context = await browser.newContext({ baseURL: server.baseURL, ignoreHTTPSErrors: true, locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai', viewport, acceptDownloads: true });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => {
    const refused = m.text().match(/Failed to load resource: the server responded with a status of (\d+)/);
    if (m.type() === 'error' && !(refused && ignoredStatuses.test(refused[1]))) page.errors.push(m.text());
  });
  await page.goto('/');
  await page.waitForURL(/\/login/);
  await page.fill('#username', 'admin');
  await page.fill('#password', server.password);
  await page.click('button[type=submit]');
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  return page;
}
