import { describe, expect, it } from 'vitest';
import type { TlsInfo } from '../../src/index.js';
import { text, typed } from '../helpers.js';

const ISSUER = 'CN=Test CA,OU=Lyft Engineering,O=Lyft,L=San Francisco,ST=California,C=US';
const SHA = '685a2db593d5f86d346cb1a297009c3b467ad77f1944aa799039a2fb3d531f3f';

// Source: substitution_formatter_test.cc TEST(SubstitutionFormatterTest, streamInfoFormatterWithSsl): each operator
// with a value, with an empty value (unset) and without a TLS connection (unset).
const DOWNSTREAM: ReadonlyArray<readonly [op: string, set: TlsInfo, expected: string, empty: TlsInfo]> = [
  ['DOWNSTREAM_PEER_URI_SAN', { peerUriSans: ['san1', 'san2'] }, 'san1,san2', { peerUriSans: [] }],
  ['DOWNSTREAM_PEER_DNS_SAN', { peerDnsSans: ['san'] }, 'san', { peerDnsSans: [] }],
  ['DOWNSTREAM_PEER_IP_SAN', { peerIpSans: ['san1', 'san2'] }, 'san1,san2', { peerIpSans: [] }],
  ['DOWNSTREAM_PEER_EMAIL_SAN', { peerEmailSans: ['san'] }, 'san', { peerEmailSans: [] }],
  ['DOWNSTREAM_PEER_OTHERNAME_SAN', { peerOthernameSans: ['san1', 'san2'] }, 'san1,san2', {}],
  ['DOWNSTREAM_LOCAL_URI_SAN', { localUriSans: ['san'] }, 'san', { localUriSans: [] }],
  ['DOWNSTREAM_LOCAL_DNS_SAN', { localDnsSans: ['san1', 'san2'] }, 'san1,san2', {}],
  ['DOWNSTREAM_LOCAL_IP_SAN', { localIpSans: ['san'] }, 'san', {}],
  ['DOWNSTREAM_LOCAL_EMAIL_SAN', { localEmailSans: ['san'] }, 'san', {}],
  ['DOWNSTREAM_LOCAL_OTHERNAME_SAN', { localOthernameSans: ['san'] }, 'san', {}],
  ['DOWNSTREAM_LOCAL_SUBJECT', { localSubject: 'subject' }, 'subject', { localSubject: '' }],
  ['DOWNSTREAM_PEER_SUBJECT', { peerSubject: 'CN=Test Server,OU=Lyft Engineering' }, 'CN=Test Server,OU=Lyft Engineering', { peerSubject: '' }],
  ['DOWNSTREAM_PEER_ISSUER', { peerIssuer: ISSUER }, ISSUER, { peerIssuer: '' }],
  ['DOWNSTREAM_TLS_SESSION_ID', { sessionId: 'deadbeef' }, 'deadbeef', { sessionId: '' }],
  ['DOWNSTREAM_TLS_CIPHER', { cipher: 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384' }, 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384', { cipher: '' }],
  ['DOWNSTREAM_TLS_VERSION', { version: 'TLSv1.2' }, 'TLSv1.2', { version: '' }],
  ['DOWNSTREAM_TLS_GROUP', { group: 'X25519MLKEM768' }, 'X25519MLKEM768', { group: '' }],
  ['DOWNSTREAM_PEER_FINGERPRINT_256', { peerFingerprint256: SHA }, SHA, { peerFingerprint256: '' }],
  ['DOWNSTREAM_PEER_FINGERPRINT_1', { peerFingerprint1: SHA }, SHA, { peerFingerprint1: '' }],
  ['DOWNSTREAM_PEER_SERIAL', { peerSerial: 'b8b5ecc898f2124a' }, 'b8b5ecc898f2124a', { peerSerial: '' }],
  ['DOWNSTREAM_PEER_CHAIN_FINGERPRINTS_256', { peerChainFingerprints256: [SHA, '1af1'] }, `${SHA},1af1`, { peerChainFingerprints256: [] }],
  ['DOWNSTREAM_PEER_CHAIN_FINGERPRINTS_1', { peerChainFingerprints1: [SHA, '1af1'] }, `${SHA},1af1`, { peerChainFingerprints1: [] }],
  ['DOWNSTREAM_PEER_CHAIN_SERIALS', { peerChainSerials: ['b8b5ecc898f2124a', '9bf18bd79b46589902639871'] }, 'b8b5ecc898f2124a,9bf18bd79b46589902639871', { peerChainSerials: [] }],
  ['DOWNSTREAM_PEER_ISSUER_FINGERPRINT_256', { peerIssuerFingerprint256: SHA }, SHA, { peerIssuerFingerprint256: '' }],
  ['DOWNSTREAM_PEER_ISSUER_SERIAL', { peerIssuerSerial: '0123456789ABCDEF' }, '0123456789ABCDEF', { peerIssuerSerial: '' }],
  ['DOWNSTREAM_PEER_CERT', { peerCertificate: '<some cert>' }, '<some cert>', { peerCertificate: '' }],
  ['TLS_JA3_FINGERPRINT', { ja3Hash: '771,4865-4866' }, '771,4865-4866', { ja3Hash: '' }],
  ['TLS_JA4_FINGERPRINT', { ja4Hash: 't13d1516h2_8daaf6152771_b186095e22b6' }, 't13d1516h2_8daaf6152771_b186095e22b6', {}],
];

const UPSTREAM: ReadonlyArray<readonly [op: string, set: TlsInfo, expected: string, empty: TlsInfo]> = [
  ['UPSTREAM_TLS_SESSION_ID', { sessionId: 'deadbeef' }, 'deadbeef', { sessionId: '' }],
  ['UPSTREAM_SERVER_NAME', { sni: 'example.com' }, 'example.com', { sni: '' }],
  ['UPSTREAM_TLS_CIPHER', { cipher: 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384' }, 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384', { cipher: '' }],
  ['UPSTREAM_TLS_GROUP', { group: 'X25519MLKEM768' }, 'X25519MLKEM768', { group: '' }],
  ['UPSTREAM_TLS_VERSION', { version: 'TLSv1.2' }, 'TLSv1.2', { version: '' }],
  ['UPSTREAM_PEER_ISSUER', { peerIssuer: ISSUER }, ISSUER, { peerIssuer: '' }],
  ['UPSTREAM_PEER_SUBJECT', { peerSubject: 'CN=backend' }, 'CN=backend', { peerSubject: '' }],
  ['UPSTREAM_PEER_CERT', { peerCertificate: '<some cert>' }, '<some cert>', { peerCertificate: '' }],
  ['UPSTREAM_PEER_URI_SAN', { peerUriSans: ['san1', 'san2'] }, 'san1,san2', { peerUriSans: [] }],
  ['UPSTREAM_PEER_DNS_SAN', { peerDnsSans: ['san'] }, 'san', { peerDnsSans: [] }],
  ['UPSTREAM_PEER_IP_SAN', { peerIpSans: ['san'] }, 'san', {}],
  ['UPSTREAM_LOCAL_URI_SAN', { localUriSans: ['san'] }, 'san', {}],
  ['UPSTREAM_LOCAL_DNS_SAN', { localDnsSans: ['san1', 'san2'] }, 'san1,san2', {}],
  ['UPSTREAM_LOCAL_IP_SAN', { localIpSans: ['san'] }, 'san', {}],
];

describe('TLS operators', () => {
  it.each(DOWNSTREAM)('[streamInfoFormatterWithSsl] %s', (op, set, expected, empty) => {
    expect(text(`%${op}%`, { downstreamTls: set })).toBe(expected);
    expect(typed(`%${op}%`, { downstreamTls: set })).toBe(expected);
    expect(text(`%${op}%`, { downstreamTls: empty })).toBe('-');
    expect(typed(`%${op}%`, { downstreamTls: empty })).toBeNull();
    expect(text(`%${op}%`, {})).toBe('-');
    expect(text(`%${op}%`, { upstreamTls: set })).toBe('-');
  });

  it.each(UPSTREAM)('[streamInfoFormatterWithSsl] %s', (op, set, expected, empty) => {
    expect(text(`%${op}%`, { upstreamTls: set })).toBe(expected);
    expect(typed(`%${op}%`, { upstreamTls: set })).toBe(expected);
    expect(typed(`%${op}%`, { upstreamTls: empty })).toBeNull();
    expect(text(`%${op}%`, {})).toBe('-');
    expect(text(`%${op}%`, { downstreamTls: set })).toBe('-');
  });
});
