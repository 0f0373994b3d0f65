// The seat page in a real browser (Debian chromium) when things go wrong or a vote goes on: the hall server lost
// while the deputy reviews and challenges (核验此票), a run-off round (另行投票 after a shortfall) drafted by the
// certification of round 1, and the seat daemon itself killed with a confirmed ballot not yet answered, then
// started again on the same state folder (docs/seat.md §1, §4). The other deputies are simulated with fixed
// choices (data/seat-recovery-pattern.txt), so the count of round 1 is known. axe-core checks each new screen for
// WCAG 2.1 AA; screenshots go to docs/screens/seat-*.png as in seat.test.mjs.
import assert from 'node:assert/strict';
import {existsSync, mkdirSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, before, test} from 'node:test';
import {chromium} from 'playwright-core';

import {browserOptions, card, checkAccessible, Hall, screens, screenshot, stop} from './hall.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const pattern = path.join(here, 'data/seat-recovery-pattern.txt');
const deputy = 'SD0001';  // 蒋小勇, at seat T0006; the simulated deputies SD0002–SD0005 sit at T0001–T0004
const hall = new Hall();
let seat;
let simulated;
let browser;
let page;

// Generous: a step waits for the daemon's next poll, the server's restart or the presidium's commands.
const long = {timeout: 60000};

async function expectPage(name, shotName) {
  await page.waitForSelector(`body[data-page="${name}"]`, long);
  await checkAccessible(page, shotName);
  await screenshot(page, `seat-${shotName}`);
}

async function typePin(pin) {
  for (let i = 0; i < pin.length; ++i) {
    await page.getByRole('button', {name: `数字 ${pin[i]}`}).click();
    if (i + 1 < pin.length) {
      await page.waitForFunction((n) => document.querySelectorAll('.pin-dots .dot.filled').length === n, i + 1);
    }
  }
}

async function signIn() {
  await card(seat.url, `insert ${deputy}`);
  await page.waitForSelector('body[data-page="pin"]', long);
  await typePin('123456');
}

async function reviewFingerprint() {
  await page.waitForSelector('body[data-page="review"] #fingerprint', long);
  const code = (await page.textContent('#fingerprint')).trim();
  assert.match(code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
  return code;
}

const pressed = (group, option) =>
  page.getByRole('group', {name: group}).getByRole('button', {name: option, exact: true}).getAttribute('aria-pressed');

// The seat's own message that the hall server is gone and the choices are kept (docs/seat.md §3 connection_text).
const reconnecting = () => page.waitForSelector('#connection:not([hidden]) >> text=正在重新连接，您的选择已保存，请勿离开', long);
const reconnected = () => page.waitForSelector('#connection[hidden]', {state: 'attached', ...long});

// The seat's kept ballot for the deputy (pending_cast.h): written, atomically, before the ballot is first sent.
const pendingFile = () => path.join(hall.dir, 'terminal-state', `T0006-${deputy}.pending-cast`);

async function waitForFile(file) {
  const deadline = Date.now() + long.timeout;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`${file} was not written`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// Kills the seat daemon as a power cut would (no clean stop).
async function killSeat() {
  const exited = new Promise((resolve) => seat.child.once('exit', resolve));
  seat.child.kill('SIGKILL');
  await exited;
}

before(async () => {
  mkdirSync(screens, {recursive: true});
  hall.setUp();
  await hall.startServer();
  hall.ctl('open-sign-in');
  seat = await hall.startSeat('T0006');
  browser = await chromium.launch(browserOptions);
  page = await browser.newPage({viewport: {width: 1280, height: 800}});
  await page.goto(seat.url);
  await page.waitForSelector('body[data-page="insert_card"]', long);
  await signIn();
  await page.waitForSelector('body[data-page="waiting"]', long);
  simulated = hall.simulate(1, 4, pattern);
  await hall.waitFor((r) => r.present >= 5);
  hall.ctl('start-session');
});

after(async () => {
  await browser?.close();
  await stop(simulated);
  await stop(seat?.child);
  await hall.stopServer();
});

test('核验此票 with the server lost: the review and the check wait, reconnecting; the check passes, the re-vote is recorded', async () => {
  hall.openVote('V3');
  await page.waitForSelector('body[data-page="ballot"]', long);
  await page.getByRole('group', {name: '镇中心小学运动场改造'}).getByRole('button', {name: '赞成'}).click();
  await page.getByRole('group', {name: '集镇自来水管网改造'}).getByRole('button', {name: '反对'}).click();
  await page.getByRole('button', {name: '下一步：核对选择'}).click();
  const challenged = await reviewFingerprint();
  // The connection to the hall server drops while the deputy reads the fingerprint.
  await hall.stopServer();
  await reconnecting();
  assert.equal(await page.getAttribute('body', 'data-page'), 'review');
  assert.equal((await page.textContent('#fingerprint')).trim(), challenged);
  await checkAccessible(page, 'review-reconnecting');
  await screenshot(page, 'seat-review-reconnecting');
  // The deputy challenges anyway: the check is sent when the server is back (the same request, resent).
  await page.getByRole('button', {name: '核验此票'}).click();
  await page.waitForSelector('body[data-page="challenge_warning"]', long);
  await page.getByRole('button', {name: '确认核验'}).click();
  await page.waitForSelector('body[data-page="challenging"]', long);
  await reconnecting();
  await checkAccessible(page, 'challenging-reconnecting');
  await screenshot(page, 'seat-challenging-reconnecting');
  await hall.startServer();
  await page.waitForSelector('body[data-page="challenge_result"]', long);
  await reconnected();
  const result = await page.textContent('main');
  assert.match(result, /核验通过/);
  assert.match(result, /镇中心小学运动场改造/);
  assert.match(result, /集镇自来水管网改造/);
  assert.equal((await page.textContent('#fingerprint')).trim(), challenged);
  // The challenge is no cast: nothing of this deputy's is counted yet; the choices come back for the re-vote.
  await page.getByRole('button', {name: '重新投票'}).click();
  await page.waitForSelector('body[data-page="ballot"]', long);
  assert.equal(await pressed('镇中心小学运动场改造', '赞成'), 'true');
  assert.equal(await pressed('集镇自来水管网改造', '反对'), 'true');
  await page.getByRole('button', {name: '下一步：核对选择'}).click();
  const cast = await reviewFingerprint();
  assert.notEqual(cast, challenged);
  await page.getByRole('button', {name: '确认投票'}).click();
  await page.waitForSelector('body[data-page="receipt"] .recorded >> text=已记录', long);
  assert.equal((await page.textContent('.code-big')).trim(), cast);
  await page.getByRole('button', {name: '完成'}).click();
  await page.waitForSelector('text=本轮您已投票，请等待下一项表决', long);
  await hall.waitFor((r) => r.returned >= 5, 'progress', 'V3');
  hall.ctl('close-vote', 'V3');
});

test('a run-off: round 1 falls short, its certification drafts round 2 of the items not adopted; the deputy votes in it', async () => {
  hall.openVote('V1');
  await page.waitForSelector('body[data-page="ballot"]', long);
  // With the simulated deputies' fixed choices: 运动场 4 votes (the threshold of 6 in office), 自来水 3, 公路 3,
  // 中医馆 0 — one of 2 places filled, a shortfall, and the session's policy is 另行投票 (run_off).
  await page.getByRole('button', {name: '镇中心小学运动场改造'}).click();
  await page.getByRole('button', {name: '集镇自来水管网改造'}).click();
  await page.waitForSelector('text=已选 2 项，最多 2 项');
  await page.getByRole('button', {name: '下一步：核对选择'}).click();
  await reviewFingerprint();
  await page.getByRole('button', {name: '确认投票'}).click();
  await page.waitForSelector('body[data-page="receipt"] .recorded >> text=已记录', long);
  await page.getByRole('button', {name: '完成'}).click();
  await page.waitForSelector('text=本轮您已投票，请等待下一项表决', long);
  await hall.waitFor((r) => r.returned >= 5, 'progress', 'V1');
  hall.ctl('close-vote', 'V1');
  hall.decrypt('V1');
  hall.certify('V1', 1);  // completes round 1 and drafts round 2
  // Until round 2 opens the deputy waits: the round-1 ballot is not offered again.
  assert.equal(await page.getAttribute('body', 'data-page'), 'waiting');
  hall.openVote('V1');
  await expectPage('ballot', 'ballot-run-off');
  const ballot = await page.textContent('main');
  assert.match(ballot, /第2轮投票/);
  assert.match(ballot, /请从以下 3 个项目中选择，最多选 1 项/);
  assert.match(ballot, /已选 0 项，最多 1 项/);
  assert.doesNotMatch(ballot, /镇中心小学运动场改造/, 'the item adopted in round 1 is not on the run-off ballot');
  for (const item of ['集镇自来水管网改造', '农村公路安全防护工程', '镇卫生院中医馆建设']) {
    assert.equal(await page.getByRole('button', {name: item}).getAttribute('aria-pressed'), 'false', item);
  }
  const chosen = (item) => page.getByRole('button', {name: item}).getAttribute('aria-pressed');
  await page.getByRole('button', {name: '集镇自来水管网改造'}).click();
  await page.waitForSelector('text=已选 1 项，最多 1 项');
  // One place: another touch moves the one choice (ballot_screen.cc), never a second.
  await page.getByRole('button', {name: '农村公路安全防护工程'}).click();
  await page.waitForFunction(() => document.querySelectorAll('main button[aria-pressed="true"]').length === 1 &&
    document.querySelector('main button[aria-pressed="true"]').textContent.includes('农村公路安全防护工程'), null, long);
  assert.equal(await chosen('集镇自来水管网改造'), 'false');
  assert.match(await page.textContent('main'), /已选 1 项，最多 1 项/);
  await page.getByRole('button', {name: '下一步：核对选择'}).click();
  const code = await reviewFingerprint();
  assert.match(await page.textContent('main'), /农村公路安全防护工程/);
  await page.getByRole('button', {name: '确认投票'}).click();
  await expectPage('receipt', 'receipt-run-off');
  assert.match(await page.textContent('.recorded'), /已记录/);
  assert.equal((await page.textContent('.code-big')).trim(), code);
  await page.getByRole('button', {name: '完成'}).click();
  await page.waitForSelector('text=本轮您已投票，请等待下一项表决', long);
  await hall.waitFor((r) => r.returned >= 5, 'progress', 'V1');
  hall.ctl('close-vote', 'V1');
});

test('the seat daemon killed with a confirmed ballot unanswered: started again, the card back in, the ballot is resent and its receipt shown', async () => {
  hall.openVote('V2');
  await page.waitForSelector('body[data-page="ballot"]', long);
  await hall.waitFor((r) => r.returned >= 4, 'progress', 'V2');  // the simulated deputies have voted
  await page.getByRole('group', {name: '老旧小区雨污分流改造'}).getByRole('button', {name: '不满意'}).click();
  await page.getByRole('group', {name: '村级养老服务站建设'}).getByRole('button', {name: '满意', exact: true}).click();
  await page.getByRole('button', {name: '下一步：核对选择'}).click();
  const code = await reviewFingerprint();
  // The server is away when the deputy confirms: the ballot is kept in the state folder and the seat retries.
  await hall.stopServer();
  await reconnecting();
  await page.getByRole('button', {name: '确认投票'}).click();
  await page.waitForSelector('body[data-page="sending"]', long);
  await waitForFile(pendingFile());  // kept durably: the daemon may now die
  await reconnecting();
  await checkAccessible(page, 'sending-reconnecting');
  await screenshot(page, 'seat-sending-reconnecting');
  // The daemon dies; the server comes back; the daemon starts again on the same page port and state folder.
  const port = new URL(seat.url).port;
  await killSeat();
  await page.waitForSelector('#connection:not([hidden]) >> text=正在重新连接座席终端…', long);
  await hall.startServer();
  seat = await hall.startSeat('T0006', port);
  // The page reconnects by itself: the new daemon has no card and no sign-in, so the seat is dark (§4 step 1).
  await page.waitForSelector('body[data-page="insert_card"]', long);
  await reconnected();
  assert.equal(hall.status('progress', 'V2').returned, 4, 'the kept ballot was not sent before the card is back');
  await signIn();
  await expectPage('receipt', 'receipt-after-restart');
  assert.match(await page.textContent('.recorded'), /已记录/);
  assert.equal((await page.textContent('.code-big')).trim(), code, 'the very ballot reviewed, not a new one');
  assert.equal(existsSync(pendingFile()), false, 'the kept ballot is forgotten once its receipt verifies');
  await page.getByRole('button', {name: '完成'}).click();
  await page.waitForSelector('text=本轮您已投票，请等待下一项表决', long);
  await hall.waitFor((r) => r.returned >= 5, 'progress', 'V2');
  hall.ctl('close-vote', 'V2');
});
