// A real hall for the browser tests: the small session in data/, simulated cards, a one-process key ceremony
// (test-only), the server over TLS on a free port, and helpers for the chair's and the presidium's commands.
// Binaries come from HALLVOTE_BIN (default build/release). Everything lives in a fresh temporary folder.
import {execFileSync, spawn} from 'node:child_process';
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '../..');
const bin = process.env.HALLVOTE_BIN || path.join(repo, 'build/release');
export const programs = {
  server: path.join(bin, 'ballot-server/hallvote-server'),
  terminal: path.join(bin, 'voter-terminal/hallvote-terminal'),
  presidium: path.join(bin, 'presidium/hallvote-presidium'),
};
export const session = path.join(here, 'data/seat-session.toml');
export const cardSeed = 'seat-test-cards';
export const approvers = ['P01', 'P02'];
export const trustees = ['P01', 'P02'];
export const certifiers = ['C01', 'P01', 'P02'];  // the chief scrutineer first, then 2 presidium members
const committee = ['P01', 'P02', 'C01'];

const env = {...process.env, HALLVOTE_PASSPHRASE: 'seat-test-passphrase'};

function run(program, args) {
  return execFileSync(program, args, {env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
}

// Starts `program` and resolves with the process once a line of its output matches `pattern` (and the match).
export function startUntil(program, args, pattern, timeoutMs = 20000) {
  const child = spawn(program, args, {env, stdio: ['ignore', 'pipe', 'pipe']});
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${path.basename(program)}: no ${pattern} within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const look = (chunk) => {
      output += chunk;
      const match = output.match(pattern);
      if (match) {
        clearTimeout(timer);
        resolve({child, match});
      }
    };
    child.stdout.on('data', look);
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('exit', (code) => reject(new Error(`${path.basename(program)} exited ${code}:\n${output}`)));
  });
}

export async function stop(child) {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

export class Hall {
  constructor() {
    this.root = mkdtempSync(path.join(tmpdir(), 'hallvote-seat-'));
    this.dir = path.join(this.root, 'hall');
    this.keys = path.join(this.root, 'keys');
    this.server = null;
    this.port = 0;
  }

  setUp() {
    const cards = path.join(this.root, 'cards.json');
    run(programs.server, ['cards', '--session', session, '--seed', cardSeed, '--out', cards]);
    run(programs.presidium, ['ceremony', '--session', session, '--out', this.keys, '--insecure-fast-kdf']);
    run(programs.server, ['init', '--dir', this.dir, '--session', session, '--cards', cards, '--officials',
      path.join(this.keys, 'officials.json'), '--election', path.join(this.keys, 'election.json'), '--insecure-fast-kdf']);
    run(programs.server, ['enrol', '--dir', this.dir, '--role', 'chair', '--id', 'chair', '--generate', path.join(this.dir, 'operators')]);
    for (const p of committee) {
      run(programs.server, ['enrol', '--dir', this.dir, '--role', 'presidium', '--id', p, '--generate', path.join(this.dir, 'operators')]);
    }
    run(programs.server, ['enrol', '--dir', this.dir, '--role', 'display', '--id', 'screen', '--generate', path.join(this.dir, 'operators')]);
    run(programs.server, ['enrol', '--dir', this.dir, '--role', 'terminal', '--count', '6', '--prefix', 'T', '--generate',
      path.join(this.dir, 'terminals')]);
  }

  async startServer() {
    const args = ['run', '--dir', this.dir, '--port', String(this.port)];
    const {child, match} = await startUntil(programs.server, args, /LISTENING (\d+)/);
    this.server = child;
    this.port = Number(match[1]);
  }

  async stopServer() {
    await stop(this.server);
    this.server = null;
  }

  ctl(command, vote) {
    return run(programs.server, ['ctl', '--dir', this.dir, '--as', 'chair', command, ...(vote ? ['--vote', vote] : [])]);
  }

  status(command = 'status', vote) {
    const args = ['ctl', '--dir', this.dir, '--as', 'chair', command, '--json', ...(vote ? ['--vote', vote] : [])];
    return JSON.parse(run(programs.server, args));
  }

  async waitFor(condition, command = 'status', vote, timeoutMs = 60000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        if (condition(this.status(command, vote))) return;
      } catch { /* the server may be restarting */ }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${command}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  // Runs a hallvote-presidium member command as `p`: the key passphrase (the test ceremony's default prefix + id)
  // on stdin (--passphrase-fd 0), confirmed in advance with --yes.
  member(command, p, args) {
    return execFileSync(programs.presidium,
      [command, '--dir', this.dir, '--as', p, '--keys', this.keys, ...args, '--passphrase-fd', '0', '--yes'],
      {env, encoding: 'utf8', input: `hallvote-demo-${p}\n`, stdio: ['pipe', 'pipe', 'pipe']});
  }

  // Has the prepared ballot of `vote` approved by the presidium.
  approve(vote) {
    for (const p of approvers) this.member('approve', p, ['--vote', vote]);
  }

  // Prepares `vote`, has it approved by the presidium and opens it.
  openVote(vote) {
    this.ctl('prepare-vote', vote);
    this.approve(vote);
    this.ctl('open-vote', vote);
  }

  // Closes nothing: decrypts `vote` by the trustees, then certifies `round` by the certifiers in order.
  decrypt(vote) {
    for (const p of trustees) this.member('decrypt', p, ['--vote', vote]);
  }

  certify(vote, round = 1, who = certifiers) {
    for (const p of who) this.member('certify', p, ['--vote', vote, '--round', String(round)]);
  }

  // The big screen (hallvote-server display); resolves with {child, url}.
  async startDisplay() {
    const {child, match} = await startUntil(programs.server,
      ['display', '--dir', this.dir, '--as', 'screen', '--page-port', '0', '--poll-ms', '200'],
      /PAGE (http:\/\/127\.0\.0\.1:\d+\/)/);
    return {child, url: match[1]};
  }

  // The chair's console (hallvote-server console); resolves with {child, url}.
  async startConsole() {
    const {child, match} = await startUntil(programs.server,
      ['console', '--dir', this.dir, '--as', 'chair', '--page-port', '0', '--poll-ms', '200'],
      /PAGE (http:\/\/127\.0\.0\.1:\d+\/)/);
    return {child, url: match[1]};
  }

  // A seat daemon for terminal `id` (its page on `pagePort`, 0: any free port); resolves with {child, url}.
  async startSeat(id, pagePort = 0) {
    const {child, match} = await startUntil(programs.terminal,
      ['run', '--dir', this.dir, '--id', id, '--card-seed', cardSeed, '--page-port', String(pagePort), '--poll-ms', '200'],
      /PAGE (http:\/\/127\.0\.0\.1:\d+\/)/);
    return {child, url: match[1]};
  }

  // Simulated deputies at the other seats (roster positions first..first+count-1), voting in every round; their
  // choices from `pattern` (a file of SPEC lines, the deputy at roster position i using line i modulo their
  // number: hallvote-terminal --vote-pattern), else random.
  simulate(first, count, pattern = 'random') {
    return spawn(programs.terminal, ['--dir', this.dir, '--simulate', String(count), '--first-deputy-index', String(first),
      '--card-seed', cardSeed, '--terminal-prefix', 'T', '--threads', '4', '--vote-pattern', pattern], {env, stdio: 'ignore'});
  }
}

// Puts a simulated card in the seat's reader ("insert SD0001") or takes it out ("remove").
export async function card(url, body) {
  const answer = await fetch(new URL('control/card', url), {method: 'POST', body});
  if (!answer.ok) throw new Error(`card ${body}: ${answer.status} ${await answer.text()}`);
}

// Debian's chromium, as the tests drive it (no sandbox as root, none of the browser's own network services).
export const browserOptions = {
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--font-render-hinting=none'],
};

const axeSource = readFileSync(path.join(here, 'node_modules/axe-core/axe.min.js'), 'utf8');

// Fails on any WCAG 2.1 A/AA violation axe-core finds on `page`.
export async function checkAccessible(page, name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    globalThis.axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}));
  const problems = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  if (problems.length > 0) throw new Error(`${name}: WCAG 2.1 AA violations:\n${problems.join('\n')}`);
}

// Saves a screenshot of `page` to docs/screens/<name>.png (shown in the guides).
export const screens = path.join(repo, 'docs/screens');
export async function screenshot(page, name) {
  await page.screenshot({path: path.join(screens, `${name}.png`)});
}
