import { existsSync, readFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { logFile } from '../../src/composition/logging.js';
import { startTestApp } from '../support/app-process.js';
import { eventually } from '../support/eventually.js';
import { describeWith } from '../support/services.js';

/** Discord over HTTP without a token: the product starts and logs one warning, saying what it lacks. */
const WARNS_AT_START = { DISCORD_PUBLIC_KEY: 'a'.repeat(64), DISCORD_APPLICATION_ID: '123456789' };
const WARNING = 'DISCORD_TOKEN is not set: no gateway, and notices cannot be sent as DMs';
const JSON_LINE = /^\{"level":/m;

describeWith({ redis: true, docker: true })('npm start in a terminal (a pseudo-terminal)', () => {
  let run: ReturnType<typeof startTestApp> | undefined;
  afterEach(async () => {
    run?.app.child.kill('SIGKILL');
    await run?.clean();
    run = undefined;
  });

  it('GIVEN a terminal THEN the JSON log goes to a file, a warning shows as one readable line, and quitting with a lease says when it goes', async () => {
    run = startTestApp([], { ...WARNS_AT_START, LOG_LEVEL: 'info' }, { terminal: true });
    const { app } = run;
    await app.waitFor(/lease> /);
    const [warning] = await app.waitFor(new RegExp(`^.*WARN.*${WARNING}.*$`, 'm'));
    expect(warning).toMatch(/^\[\d\d:\d\d:\d\d\] /);
    app.send('/lease provision busybox 30');
    const [, id] = await app.waitFor(/Your busybox container is running: lease ([0-9a-z]{10})/);
    app.child.stdin.write('\u0004');
    await app.waitFor(/1 lease is still running\.[\s\S]*npm run cleanup/);
    expect(app.stdout).toContain(`${id} (busybox) expires`);
    expect(await app.exited).toBe(0);
    expect(app.stdout).not.toMatch(JSON_LINE);
    const log = readFileSync(logFile(run.dataDir), 'utf8').trim().split('\n');
    const messages = log.map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(messages).toContain('ContainerLease is running');
    expect(messages).toContain(WARNING);
  });

  it('GIVEN LOG_FORMAT=json in a terminal THEN every line is JSON on the terminal and there is no log file', async () => {
    run = startTestApp([], { ...WARNS_AT_START, LOG_LEVEL: 'info', LOG_FORMAT: 'json' }, { terminal: true });
    const { app } = run;
    await app.waitFor(/lease> /);
    await app.waitFor(/^\{"level":30,.*"msg":"ContainerLease is running"\}/m);
    app.child.stdin.write('\u0004');
    expect(await app.exited).toBe(0);
    expect(existsSync(logFile(run.dataDir))).toBe(false);
  });

  it('GIVEN LOG_FORMAT=pretty and no terminal THEN log lines are readable, not JSON', async () => {
    run = startTestApp(['--console'], { LOG_LEVEL: 'info', LOG_FORMAT: 'pretty' });
    const { app } = run;
    const running = /^\[\d\d:\d\d:\d\d\] INFO: ContainerLease is running /m;
    await eventually(() => running.test(app.stderr), 60_000, 'the readable start-up line');
    app.child.stdin.end();
    expect(await app.exited).toBe(0);
    expect(app.stderr).not.toMatch(JSON_LINE);
  });
});
