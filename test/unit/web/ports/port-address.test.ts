import { describe, expect, it } from 'vitest';
import { readPortAddress } from '../../../../src/web/ports/port-address.js';

const ports = { url: 'https://ports.example.com' };
const domain = { url: 'https://ports.example.com:8443', domain: 'apps.example.com' };
const id = '7k2m9x4qpz';

describe('readPortAddress: which port of which lease a proxy request names', () => {
  it('GIVEN /<id>/<port>/… THEN the app gets the rest, with its query as sent', () => {
    expect(readPortAddress(`/${id}/8000/a/b?x=1%202&y`, 'ports.example.com', ports)).toEqual({
      ok: true,
      value: {
        leaseId: id,
        port: 8000,
        prefix: `/${id}/8000`,
        publicBase: `https://ports.example.com/${id}/8000`,
        upstreamPath: '/a/b?x=1%202&y',
        pathWithoutToken: `/${id}/8000/a/b?x=1%202&y`,
      },
    });
  });

  it('GIVEN a followed link THEN its token is taken out of what the app gets and where the browser goes next', () => {
    const read = readPortAddress(`/${id.toUpperCase()}/80/?cl_token=v1.abc.def&page=2`, undefined, ports);
    expect(read).toMatchObject({
      ok: true,
      value: {
        leaseId: id,
        linkToken: 'v1.abc.def',
        upstreamPath: '/?page=2',
        pathWithoutToken: `/${id}/80/?page=2`,
      },
    });
  });

  it('GIVEN a path that climbs out with .. THEN it is read after the climb, never as another lease', () => {
    expect(readPortAddress(`/${id}/8000/../../other/9/x`, undefined, ports)).toEqual({
      ok: false,
      status: 400,
      message: expect.stringContaining('"other" is not a lease id'),
    });
  });

  it.each([
    [`/${id}/0/`, 400, 'from 1 to 65535'],
    [`/${id}/65536/`, 400, 'from 1 to 65535'],
    [`/${id}/008000x/`, 400, 'is not a port'],
    [`/${'x'.repeat(9)}/80/`, 400, 'is not a lease id'],
    ['/', 404, '/lease open'],
    [`/${id}`, 404, '/lease open'],
  ])('GIVEN %s THEN %i saying %s', (path, status, says) => {
    const read = readPortAddress(path, undefined, ports);
    expect(read).toMatchObject({ ok: false, status });
    expect(read.ok ? '' : read.message).toContain(says);
  });

  it('GIVEN a host <id>-<port>.<PORTS_DOMAIN> THEN the app sits at / on that host, the port of PORTS_URL kept', () => {
    expect(readPortAddress('/x?y=1', `${id}-3000.APPS.example.com:8443`, domain)).toEqual({
      ok: true,
      value: {
        leaseId: id,
        port: 3000,
        prefix: '',
        publicBase: `https://${id}-3000.apps.example.com:8443`,
        upstreamPath: '/x?y=1',
        pathWithoutToken: '/x?y=1',
      },
    });
  });

  it('GIVEN PORTS_DOMAIN and another host THEN the path form still serves', () => {
    expect(readPortAddress(`/${id}/8000/`, 'ports.example.com:8443', domain)).toMatchObject({
      ok: true,
      value: { prefix: `/${id}/8000`, publicBase: `https://ports.example.com:8443/${id}/8000` },
    });
  });

  it.each([
    [`${id}-0.apps.example.com`, 'does not name a port'],
    [`${id}-http.apps.example.com`, 'does not name a port'],
    ['notalease-80.apps.example.com', 'does not name a lease'],
    [`a.${id}-80.apps.example.com`, 'does not name a lease'],
  ])('GIVEN host %s THEN 400: %s', (host, says) => {
    const read = readPortAddress('/', host, domain);
    expect(read).toMatchObject({ ok: false, status: 400 });
    expect(read.ok ? '' : read.message).toContain(says);
  });
});
