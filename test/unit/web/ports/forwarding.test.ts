import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  prepareUpstreamRequest,
  rewriteLocation,
  rewriteResponseHeaders,
} from '../../../../src/web/ports/forwarding.js';
import type { PortAddress } from '../../../../src/web/ports/port-address.js';

const pathForm: PortAddress = {
  leaseId: '7k2m9x4qpz',
  port: 8000,
  prefix: '/7k2m9x4qpz/8000',
  publicBase: 'https://ports.example.com/7k2m9x4qpz/8000',
  upstreamPath: '/app?x=1',
  pathWithoutToken: '/7k2m9x4qpz/8000/app?x=1',
};
const hostForm: PortAddress = {
  ...pathForm,
  prefix: '',
  publicBase: 'https://7k2m9x4qpz-8000.apps.example.com',
  pathWithoutToken: '/app?x=1',
};
const upstream = 'http://172.17.0.2:8000';

describe('what the proxy hands the app, and what it hands back', () => {
  it('GIVEN our cookies, an Authorization and forged forwarding headers THEN the app gets only its own cookies and our X-Forwarded-*', () => {
    const req = {
      url: '/7k2m9x4qpz/8000/app?x=1',
      socket: { remoteAddress: '203.0.113.9' },
      headers: {
        cookie: 'cl_port=v1.a.b; theme=dark; cl_session=v1.c.d; Cl_Lease=x; sid=1',
        authorization: 'Bearer secret',
        'proxy-authorization': 'Basic x',
        'x-forwarded-for': '198.51.100.1',
        'x-forwarded-host': 'evil.example',
        'x-forwarded-prefix': '/evil',
      },
    } as unknown as IncomingMessage;
    prepareUpstreamRequest(req, pathForm);
    expect(req.url).toBe('/app?x=1');
    expect(req.headers).toEqual({
      cookie: 'theme=dark; sid=1',
      'x-forwarded-for': '198.51.100.1, 203.0.113.9',
      'x-forwarded-host': 'ports.example.com',
      'x-forwarded-proto': 'https',
      'x-forwarded-port': '443',
      'x-forwarded-prefix': '/7k2m9x4qpz/8000',
    });
  });

  it('GIVEN only our cookies, on a host of its own THEN no Cookie and no prefix', () => {
    const req = {
      url: '/',
      socket: {},
      headers: { cookie: 'cl_port=v1.a.b', 'x-forwarded-prefix': '/evil' },
    } as unknown as IncomingMessage;
    prepareUpstreamRequest(req, hostForm);
    expect(req.headers.cookie).toBeUndefined();
    expect(req.headers['x-forwarded-prefix']).toBeUndefined();
    expect(req.headers['x-forwarded-host']).toBe('7k2m9x4qpz-8000.apps.example.com');
  });

  it.each([
    ['/login', 'https://ports.example.com/7k2m9x4qpz/8000/login'],
    ['http://172.17.0.2:8000/a?b=1#c', 'https://ports.example.com/7k2m9x4qpz/8000/a?b=1#c'],
    ['https://ports.example.com/x', 'https://ports.example.com/7k2m9x4qpz/8000/x'],
    ['https://ports.example.com/7k2m9x4qpz/8000/x', 'https://ports.example.com/7k2m9x4qpz/8000/x'],
    ['//172.17.0.2:8000/y', 'https://ports.example.com/7k2m9x4qpz/8000/y'],
    ['next', 'next'],
    ['?page=2', '?page=2'],
    ['https://accounts.example.org/auth', 'https://accounts.example.org/auth'],
    ['http://[bad', 'http://[bad'],
  ])('GIVEN Location %s in the path form THEN %s', (location, expected) => {
    expect(rewriteLocation(location, pathForm, upstream)).toBe(expected);
  });

  it('GIVEN Location on a host of its own THEN the host replaces the container, the path kept', () => {
    expect(rewriteLocation('http://172.17.0.2:8000/a', hostForm, upstream)).toBe(
      'https://7k2m9x4qpz-8000.apps.example.com/a',
    );
    expect(rewriteLocation('/b', hostForm, upstream)).toBe('https://7k2m9x4qpz-8000.apps.example.com/b');
  });

  it('GIVEN the app sets cookies THEN none named like ours, none for a wider Domain, each under its prefix', () => {
    const headers = {
      location: '/x',
      'set-cookie': [
        'a=1; Path=/; Domain=example.com; HttpOnly',
        'cl_session=planted; Path=/',
        'b=2; path=/admin',
        'c=3; Path=relative',
        'd=4',
      ],
    };
    rewriteResponseHeaders(headers, pathForm, upstream);
    expect(headers).toEqual({
      location: 'https://ports.example.com/7k2m9x4qpz/8000/x',
      'set-cookie': [
        'a=1; Path=/7k2m9x4qpz/8000/; HttpOnly',
        'b=2; Path=/7k2m9x4qpz/8000/admin',
        'c=3; Path=/7k2m9x4qpz/8000/',
        'd=4',
      ],
    });
    const only = { 'set-cookie': ['CL_PORT=x'] };
    rewriteResponseHeaders(only, hostForm, upstream);
    expect(only).toEqual({});
  });
});
