import { describe, expect, it } from 'vitest';
import { parseAbsoluteForm } from '../../../src/http/connection-manager/absolute-form.js';

describe('parseAbsoluteForm', () => {
  it('splits scheme, authority and path with query', () => {
    expect(parseAbsoluteForm('http://service.internal:8080/a/b?c=d')).toEqual({ scheme: 'http', authority: 'service.internal:8080', path: '/a/b?c=d' });
    expect(parseAbsoluteForm('HTTPS://[::1]:9000/x')).toEqual({ scheme: 'https', authority: '[::1]:9000', path: '/x' });
  });

  it('gives a target without a path the path /', () => {
    expect(parseAbsoluteForm('http://host')).toEqual({ scheme: 'http', authority: 'host', path: '/' });
    expect(parseAbsoluteForm('http://host?q=1')).toEqual({ scheme: 'http', authority: 'host', path: '/?q=1' });
  });

  it('refuses other schemes, a missing host, user information and fragments', () => {
    for (const target of ['ftp://host/x', 'http:///x', 'http://user@host/x', 'http://host/x#frag', 'host/x', '://host/x', 'foo']) {
      expect(parseAbsoluteForm(target)).toBeUndefined();
    }
  });
});
