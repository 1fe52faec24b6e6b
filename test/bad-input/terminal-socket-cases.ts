import { randomBytes } from 'node:crypto';
import { LinkTokens } from '../../src/core/links/link-tokens.js';
import { TERMINAL_MAX_FRAME_BYTES } from '../../src/web/terminal/terminal-protocol.js';
import { openTerminal, type TerminalClient } from '../support/terminal-client.js';
import { RawWebSocket } from '../support/web-raw-socket.js';
import {
  provisioningRecord,
  provisionLease,
  type SocketState,
  type StateSetup,
} from './log-socket-states.js';
import { badFrames, type FrameCase, frame, OPCODE, text } from './websocket-frames.js';

const control = (message: unknown) => text(typeof message === 'string' ? message : JSON.stringify(message));
const resize = (cols: unknown, rows: unknown) => control({ type: 'resize', cols, rows });

/**
 * What a terminal client may send beyond the frames any socket must survive: sizes out of range or
 * of the wrong type, control messages that are not, a flood of resizes, input at the frame limit,
 * and garbage typed into the shell.
 */
export const TERMINAL_FRAMES: readonly FrameCase[] = [
  ...badFrames(TERMINAL_MAX_FRAME_BYTES),
  { name: 'a resize to 0×0', bytes: resize(0, 0) },
  { name: 'a resize to 100000×100000', bytes: resize(100_000, 100_000) },
  { name: 'a resize to -1×-1', bytes: resize(-1, -1) },
  { name: 'a resize to 80.5×24', bytes: resize(80.5, 24) },
  { name: 'a resize in strings', bytes: resize('80', '24') },
  { name: 'a resize to 1e308 columns', bytes: control('{"type":"resize","cols":1e308,"rows":24}') },
  { name: 'a resize without a size', bytes: control({ type: 'resize' }) },
  { name: 'a control message of an unknown type', bytes: control({ type: 'exec', command: 'reboot' }) },
  {
    name: 'a control message with __proto__',
    bytes: control('{"__proto__":{"type":"resize"},"cols":1,"rows":1}'),
  },
  { name: 'JSON null', bytes: control('null') },
  { name: 'JSON nested 10 000 deep', bytes: control(`${'['.repeat(10_000)}${']'.repeat(10_000)}`) },
  { name: 'text that is not JSON', bytes: control('echo hi') },
  {
    name: '2000 resizes at once',
    bytes: Buffer.concat(Array.from({ length: 2_000 }, (_, i) => resize(20 + (i % 200), 10 + (i % 50)))),
  },
  {
    name: 'binary input at the frame limit',
    bytes: frame({ opcode: OPCODE.binary, payload: Buffer.alloc(TERMINAL_MAX_FRAME_BYTES, 0x61) }),
  },
  {
    name: 'random bytes typed into the shell',
    bytes: frame({ opcode: OPCODE.binary, payload: randomBytes(4096) }),
  },
  {
    name: 'a split UTF-8 character typed',
    bytes: frame({ opcode: OPCODE.binary, payload: Buffer.from([0xe6, 0x97]) }),
  },
];

export interface TerminalSetup extends StateSetup {
  /** A second API token, of another owner. */
  readonly otherToken: string;
}

/**
 * A terminal socket in each state a client can meet: a lease that ended (a terminal link's holder
 * is told: 4000), one still starting (4002), one with TERMINAL_MAX_PER_LEASE terminals open (4003),
 * and a live shell. `held` are the sockets that keep the full lease full; close them after.
 */
export async function terminalSocketStates(
  setup: StateSetup,
): Promise<{ states: SocketState[]; held: TerminalClient[] }> {
  const bearer = { authorization: `Bearer ${setup.apiToken}` };
  const ended = await provisionLease(setup);
  const stopped = await fetch(`${setup.url}/api/containers/${ended.id}`, {
    method: 'DELETE',
    headers: bearer,
  });
  if (stopped.status !== 204) throw new Error(`stop answered ${stopped.status}`);
  const link = new LinkTokens(setup.linkSecret, Date.now).sign({
    leaseId: ended.id,
    owner: setup.owner,
    scope: 'terminal',
    exp: Date.now() + 3_600_000,
  });
  const full = await provisionLease(setup);
  // Real clients, which answer the server's pings: the lease stays full for as long as the cases take.
  const held: TerminalClient[] = [];
  for (let i = 0; i < 3; i += 1) {
    const upgrade = await openTerminal(setup.url, `/terminal/${full.id}`, {
      token: setup.apiToken,
      size: { cols: 80, rows: 24 },
    });
    if (!upgrade.ok) throw new Error(`a terminal of the full lease answered ${upgrade.status}`);
    held.push(upgrade.client);
  }
  const live = await provisionLease(setup);
  return {
    held,
    states: [
      {
        name: 'ended terminal',
        path: `/terminal/${ended.id}`,
        headers: { cookie: `cl_terminal=${link}` },
        closeCode: 4000,
      },
      {
        name: 'starting terminal',
        path: `/terminal/${await provisioningRecord(setup)}`,
        headers: bearer,
        closeCode: 4002,
      },
      { name: 'full terminal', path: `/terminal/${full.id}`, headers: bearer, closeCode: 4003 },
      { name: 'live terminal', path: `/terminal/${live.id}`, headers: bearer },
    ],
  };
}

/** Upgrades of the terminal socket that are refused before anything starts, with their status. */
export async function terminalUpgradeRefusals(
  setup: TerminalSetup,
): Promise<Array<{ name: string; path: string; headers: Record<string, string>; status: number }>> {
  const bearer = { authorization: `Bearer ${setup.apiToken}` };
  const lease = await provisionLease(setup);
  const ticket = async () => {
    const response = await fetch(`${setup.url}/api/containers/${lease.id}/terminal`, {
      method: 'POST',
      headers: bearer,
    });
    return ((await response.json()) as { ticket: string }).ticket;
  };
  const used = await ticket();
  const spent = await RawWebSocket.open(setup.url, `/terminal/${lease.id}?ticket=${used}`);
  spent.destroy();
  const ended = await provisionLease(setup);
  await fetch(`${setup.url}/api/containers/${ended.id}`, { method: 'DELETE', headers: bearer });
  const origin = { origin: setup.url };
  return [
    {
      name: 'an unknown lease',
      path: '/terminal/zzzzzzzzzz',
      headers: { ...origin, ...bearer },
      status: 404,
    },
    {
      name: 'an ended lease, to its owner’s token',
      path: `/terminal/${ended.id}`,
      headers: { ...origin, ...bearer },
      status: 404,
    },
    {
      name: 'someone else’s lease',
      path: `/terminal/${lease.id}`,
      headers: { ...origin, authorization: `Bearer ${setup.otherToken}` },
      status: 403,
    },
    { name: 'no credentials', path: `/terminal/${lease.id}`, headers: origin, status: 401 },
    {
      name: 'a forged ticket',
      path: `/terminal/${lease.id}?ticket=${randomBytes(24).toString('base64url')}`,
      headers: origin,
      status: 401,
    },
    { name: 'a reused ticket', path: `/terminal/${lease.id}?ticket=${used}`, headers: origin, status: 401 },
    {
      name: 'a ticket for another lease',
      path: `/terminal/${ended.id}?ticket=${await ticket()}`,
      headers: origin,
      status: 403,
    },
    {
      name: 'a ticket and a foreign Origin',
      path: `/terminal/${lease.id}?ticket=${await ticket()}`,
      headers: { origin: 'https://evil.example' },
      status: 403,
    },
    {
      name: 'a null Origin',
      path: `/terminal/${lease.id}`,
      headers: { origin: 'null', ...bearer },
      status: 403,
    },
    {
      name: 'a link token in the URL',
      path: `/terminal/${lease.id}?token=v1.AAAA.BBBB`,
      headers: origin,
      status: 400,
    },
    {
      name: 'a forged terminal cookie',
      path: `/terminal/${lease.id}`,
      headers: { ...origin, cookie: 'cl_terminal=v1.AAAA.BBBB' },
      status: 401,
    },
    {
      name: 'a deeper path',
      path: `/terminal/${lease.id}/x`,
      headers: { ...origin, ...bearer },
      status: 404,
    },
  ];
}
