import type { FormatContext, TlsInfo } from '../format-context.js';
import { COMMAND_ONLY, nonEmptyStringOp, type OperatorDefinition } from './op.js';

type Side = (ctx: FormatContext) => TlsInfo | undefined;
const downstream: Side = (c) => c.downstreamTls;
const upstream: Side = (c) => c.upstreamTls;

function field(side: Side, get: (tls: TlsInfo) => string | undefined): OperatorDefinition {
  return {
    syntax: COMMAND_ONLY,
    create: () =>
      nonEmptyStringOp((ctx) => {
        const tls = side(ctx);
        return tls === undefined ? undefined : get(tls);
      }),
  };
}

function list(side: Side, get: (tls: TlsInfo) => readonly string[] | undefined): OperatorDefinition {
  return {
    syntax: COMMAND_ONLY,
    create: () =>
      nonEmptyStringOp((ctx) => {
        const tls = side(ctx);
        const values = tls === undefined ? undefined : get(tls);
        return values === undefined || values.length === 0 ? undefined : values.length === 1 ? values[0] : values.join(',');
      }),
  };
}

/** The downstream and upstream TLS operators. Lists are joined with `,`; empty values are unset. */
export const TLS_OPERATORS: Readonly<Record<string, OperatorDefinition>> = {
  DOWNSTREAM_PEER_URI_SAN: list(downstream, (t) => t.peerUriSans),
  DOWNSTREAM_PEER_DNS_SAN: list(downstream, (t) => t.peerDnsSans),
  DOWNSTREAM_PEER_IP_SAN: list(downstream, (t) => t.peerIpSans),
  DOWNSTREAM_PEER_EMAIL_SAN: list(downstream, (t) => t.peerEmailSans),
  DOWNSTREAM_PEER_OTHERNAME_SAN: list(downstream, (t) => t.peerOthernameSans),
  DOWNSTREAM_LOCAL_URI_SAN: list(downstream, (t) => t.localUriSans),
  DOWNSTREAM_LOCAL_DNS_SAN: list(downstream, (t) => t.localDnsSans),
  DOWNSTREAM_LOCAL_IP_SAN: list(downstream, (t) => t.localIpSans),
  DOWNSTREAM_LOCAL_EMAIL_SAN: list(downstream, (t) => t.localEmailSans),
  DOWNSTREAM_LOCAL_OTHERNAME_SAN: list(downstream, (t) => t.localOthernameSans),
  DOWNSTREAM_PEER_SUBJECT: field(downstream, (t) => t.peerSubject),
  DOWNSTREAM_LOCAL_SUBJECT: field(downstream, (t) => t.localSubject),
  DOWNSTREAM_PEER_ISSUER: field(downstream, (t) => t.peerIssuer),
  DOWNSTREAM_TLS_SESSION_ID: field(downstream, (t) => t.sessionId),
  DOWNSTREAM_TLS_CIPHER: field(downstream, (t) => t.cipher),
  DOWNSTREAM_TLS_VERSION: field(downstream, (t) => t.version),
  DOWNSTREAM_TLS_GROUP: field(downstream, (t) => t.group),
  DOWNSTREAM_PEER_FINGERPRINT_256: field(downstream, (t) => t.peerFingerprint256),
  DOWNSTREAM_PEER_FINGERPRINT_1: field(downstream, (t) => t.peerFingerprint1),
  DOWNSTREAM_PEER_SERIAL: field(downstream, (t) => t.peerSerial),
  DOWNSTREAM_PEER_CHAIN_FINGERPRINTS_256: list(downstream, (t) => t.peerChainFingerprints256),
  DOWNSTREAM_PEER_CHAIN_FINGERPRINTS_1: list(downstream, (t) => t.peerChainFingerprints1),
  DOWNSTREAM_PEER_CHAIN_SERIALS: list(downstream, (t) => t.peerChainSerials),
  DOWNSTREAM_PEER_ISSUER_FINGERPRINT_256: field(downstream, (t) => t.peerIssuerFingerprint256),
  DOWNSTREAM_PEER_ISSUER_SERIAL: field(downstream, (t) => t.peerIssuerSerial),
  DOWNSTREAM_PEER_CERT: field(downstream, (t) => t.peerCertificate),
  TLS_JA3_FINGERPRINT: field(downstream, (t) => t.ja3Hash),
  TLS_JA4_FINGERPRINT: field(downstream, (t) => t.ja4Hash),

  UPSTREAM_PEER_URI_SAN: list(upstream, (t) => t.peerUriSans),
  UPSTREAM_PEER_DNS_SAN: list(upstream, (t) => t.peerDnsSans),
  UPSTREAM_PEER_IP_SAN: list(upstream, (t) => t.peerIpSans),
  UPSTREAM_LOCAL_URI_SAN: list(upstream, (t) => t.localUriSans),
  UPSTREAM_LOCAL_DNS_SAN: list(upstream, (t) => t.localDnsSans),
  UPSTREAM_LOCAL_IP_SAN: list(upstream, (t) => t.localIpSans),
  UPSTREAM_PEER_SUBJECT: field(upstream, (t) => t.peerSubject),
  UPSTREAM_PEER_ISSUER: field(upstream, (t) => t.peerIssuer),
  UPSTREAM_TLS_SESSION_ID: field(upstream, (t) => t.sessionId),
  UPSTREAM_TLS_CIPHER: field(upstream, (t) => t.cipher),
  UPSTREAM_TLS_VERSION: field(upstream, (t) => t.version),
  UPSTREAM_TLS_GROUP: field(upstream, (t) => t.group),
  UPSTREAM_PEER_CERT: field(upstream, (t) => t.peerCertificate),
  UPSTREAM_SERVER_NAME: field(upstream, (t) => t.sni),
};
