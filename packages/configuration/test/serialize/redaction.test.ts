import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapToEnvoyJson, secretToEnvoyJson, type Secret } from '../../src/index.js';
import { load } from '../support/load.js';

const KEY = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n';
const KEY_BASE64 = Buffer.from(KEY).toString('base64');
const PASSWORD = 'correct horse battery staple';
const CERT = '-----BEGIN CERTIFICATE-----\nMIIDazCCAlOgAwIBAgIUJ\n-----END CERTIFICATE-----\n';

/** Every form the key material could take in the output. */
function expectNoKeyMaterial(text: string): void {
  expect(text).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7');
  expect(text).not.toContain(KEY_BASE64.slice(8, 40));
  expect(text).not.toContain(PASSWORD);
  expect(text).not.toContain(Buffer.from(PASSWORD).toString('base64'));
}

const inlineSecret: Secret = {
  type: 'tlsCertificate',
  name: 'inline',
  certificateChain: { type: 'inlineString', value: CERT },
  privateKey: { type: 'inlineString', value: KEY },
  password: { type: 'inlineBytes', base64: Buffer.from(PASSWORD).toString('base64') },
};

describe('redaction of sensitive fields', () => {
  it('prints an inline private key and password as [redacted], keeping the certificate', () => {
    const json = secretToEnvoyJson(inlineSecret);
    expect(json).toEqual({
      name: 'inline',
      tls_certificate: {
        certificate_chain: { inline_string: CERT },
        private_key: { inline_string: '[redacted]' },
        password: { inline_string: '[redacted]' },
      },
    });
    expectNoKeyMaterial(JSON.stringify(json));
  });

  it('prints them as given with redactSensitive: false', () => {
    const text = JSON.stringify(secretToEnvoyJson(inlineSecret, { redactSensitive: false }));
    expect(text).toContain(JSON.stringify(KEY));
    expect(text).toContain(Buffer.from(PASSWORD).toString('base64'));
  });

  it('redacts a key read from an environment variable and keeps a file name', () => {
    const secret: Secret = {
      type: 'tlsCertificate',
      name: 'mixed',
      certificateChain: { type: 'file', path: 'certs/chain.pem' },
      privateKey: { type: 'file', path: 'certs/key.pem' },
      password: { type: 'environmentVariable', name: 'KEY_PASSWORD' },
    };
    expect(secretToEnvoyJson(secret)).toEqual({
      name: 'mixed',
      tls_certificate: {
        certificate_chain: { filename: 'certs/chain.pem' },
        private_key: { filename: 'certs/key.pem' },
        password: { inline_string: '[redacted]' },
      },
    });
  });

  it('leaves a validation context alone (a trusted CA is not sensitive)', () => {
    const secret: Secret = { type: 'validationContext', name: 'ca', trustedCa: { type: 'inlineString', value: CERT } };
    expect(secretToEnvoyJson(secret)).toEqual({ name: 'ca', validation_context: { trusted_ca: { inline_string: CERT } } });
  });

  describe('in a whole bootstrap', () => {
    let base = '';
    beforeAll(() => {
      base = mkdtempSync(join(tmpdir(), 'orion-redaction-'));
      writeFileSync(join(base, 'key.pem'), KEY);
    });
    afterAll(() => rmSync(base, { recursive: true, force: true }));

    const yaml = `
static_resources:
  secrets:
  - name: inline
    tls_certificate:
      certificate_chain: { inline_string: ${JSON.stringify(CERT)} }
      private_key: { inline_bytes: ${KEY_BASE64} }
      password: { inline_string: ${JSON.stringify(PASSWORD)} }
  - name: from-file
    tls_certificate:
      certificate_chain: { inline_string: ${JSON.stringify(CERT)} }
      private_key: { filename: key.pem }
`;

    it('shows no private-key material anywhere, and the file name', async () => {
      const { bootstrap } = await load(yaml, { baseDirectory: base });
      const text = JSON.stringify(bootstrapToEnvoyJson(bootstrap));
      expectNoKeyMaterial(text);
      expect(text).toContain('"private_key":{"inline_string":"[redacted]"}');
      expect(text).toContain('"private_key":{"filename":"key.pem"}');
    });

    it('shows it with redactSensitive: false', async () => {
      const { bootstrap } = await load(yaml, { baseDirectory: base });
      const text = JSON.stringify(bootstrapToEnvoyJson(bootstrap, { redactSensitive: false }));
      expect(text).toContain(`"private_key":{"inline_bytes":"${KEY_BASE64}"}`);
      expect(text).toContain(JSON.stringify(PASSWORD));
    });
  });
});
