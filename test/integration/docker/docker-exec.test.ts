import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually } from '../../support/eventually.js';
import { collect, type ExecContainer, record, startExecContainer } from '../../support/exec-container.js';
import { describeWith } from '../../support/services.js';

const SHELL = ['sh', '-l'];
const encode = (text: string) => Buffer.from(text, 'utf8');

describeWith({ docker: true })('DockerExec: processes in a hardened container', () => {
  let box: ExecContainer;
  beforeAll(async () => {
    box = await startExecContainer();
  });
  afterAll(() => box?.remove());

  it('GIVEN a shell with a TTY WHEN a line is typed THEN it answers, and stty reports the size it was given and each resize', async () => {
    const shell = await box.exec.spawn(box.id, { argv: SHELL, tty: { cols: 91, rows: 27 } });
    const seen = record(shell);
    await shell.write(encode('echo $((6*7)); stty size\r'));
    await eventually(() => /\r\n42\r\n27 91\r\n/.test(seen.text()), 20_000, '42 and the size');
    await shell.resize({ cols: 120, rows: 40 });
    await shell.write(encode('stty size\r'));
    await eventually(() => seen.text().includes('40 120'), 20_000, 'the new size');
    expect(seen.text()).not.toContain('\x1b]6301;');
    await shell.write(encode('exit 3\r'));
    await seen.ended;
    expect(await shell.exitCode()).toBe(3);
  });

  it('GIVEN Ctrl-P typed alone THEN the shell gets it at once (the engine’s detach keys do not hold it back)', async () => {
    const reader = await box.exec.spawn(box.id, {
      argv: ['sh', '-c', 'stty raw -echo; echo ready; od -An -tx1 -N 1'],
      tty: { cols: 80, rows: 24 },
    });
    const seen = record(reader);
    await eventually(() => seen.text().includes('ready'), 20_000, 'the raw terminal');
    // Once: a second key would release a held one.
    await reader.write(Buffer.from([0x10]));
    await eventually(() => seen.text().includes(' 10'), 20_000, 'Ctrl-P to arrive');
    await seen.ended;
  });

  it('GIVEN a shell that started background jobs, a new session, one deaf to hang-ups, one with no environment and a forking loop WHEN killed THEN nothing it started is left', async () => {
    const shell = await box.exec.spawn(box.id, { argv: SHELL, tty: { cols: 80, rows: 24 } });
    const seen = record(shell);
    await shell.write(
      encode(
        'sleep 1001 & (setsid sleep 1002 &); (trap "" HUP; exec sleep 1003) & env -i /bin/sleep 1004 & (while true; do sleep 1; done) & echo started\r',
      ),
    );
    await eventually(() => /\r\nstarted\r\n/.test(seen.text()), 20_000, 'the jobs to start');
    const before = await box.ps();
    for (const n of [1001, 1002, 1003, 1004]) expect(before).toContain(`sleep ${n}`);
    await shell.kill();
    await seen.ended;
    const after = await box.ps();
    expect(after).not.toMatch(/sleep 100\d|sleep 1$|sh -l/m);
    expect(after).toContain('sleep 3600');
  });

  it('GIVEN a command without a TTY THEN stdout and stderr come as one output in order, and its exit code', async () => {
    const command = await box.exec.spawn(box.id, {
      argv: ['sh', '-c', 'echo out; echo err >&2; printf "%s" "$CONTAINERLEASE_TEST"; exit 7'],
      env: { CONTAINERLEASE_TEST: 'from env' },
    });
    expect((await collect(command)).toString()).toBe('out\nerr\nfrom env');
    expect(await command.exitCode()).toBe(7);
  });

  it('GIVEN 10 MB of multi-byte text THEN every byte arrives as written, whatever the chunks split', async () => {
    const line = 'ünïcødé ✓ 日本語 🚀\n';
    const make = `i=0; while [ $i -lt 2048 ]; do printf '${line}'; i=$((i+1)); done > /tmp/block; for n in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63 64 65 66 67 68 69 70 71 72 73 74 75 76 77 78 79 80 81 82 83 84 85 86 87 88 89 90 91 92 93 94 95 96 97 98 99 100 101 102 103 104 105 106 107 108 109 110 111 112 113 114 115 116 117 118 119 120 121 122 123 124 125 126 127 128 129 130 131 132 133 134 135 136 137 138 139 140 141 142 143 144 145 146 147 148 149 150 151 152 153 154 155 156 157 158 159 160 161 162 163 164 165 166 167 168 169 170 171 172 173 174 175 176 177 178 179 180 181 182 183 184 185 186 187 188 189 190 191 192 193 194 195 196 197 198 199 200; do cat /tmp/block; done`;
    const command = await box.exec.spawn(box.id, { argv: ['sh', '-c', make] });
    const output = await collect(command);
    const expected = Buffer.from(line.repeat(2048 * 200));
    expect(output.length).toBe(expected.length);
    expect(createHash('sha256').update(output).digest('hex')).toBe(
      createHash('sha256').update(expected).digest('hex'),
    );
  });

  it('GIVEN a program that does not exist THEN the engine’s message is its output and the exit code says so', async () => {
    const command = await box.exec.spawn(box.id, { argv: ['no-such-program'] });
    expect((await collect(command)).toString()).toMatch(/not found/);
    expect(await command.exitCode()).toBe(127);
  });

  it('GIVEN a stopped container THEN spawning is a conflict', async () => {
    const other = await startExecContainer();
    try {
      await other.docker.getContainer(other.id).stop({ t: 0 });
      await expect(other.exec.spawn(other.id, { argv: ['true'] })).rejects.toMatchObject({
        code: 'conflict',
      });
    } finally {
      await other.remove();
    }
  });
});
