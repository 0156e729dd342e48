export { FilterChainMatcher } from './filter-chain-matcher.js';
export type { FilterChainMatchInput } from './filter-chain-match-input.js';
export { parseIp, isLoopback } from './ip-address.js';
export type { IpFamily } from './ip-address.js';
export { compileIpPrefix, prefixContains } from './ip-prefix.js';
export type { IpPrefix } from './ip-prefix.js';
