import { describe, expect, it } from 'vitest';
import { RESPONSE_FLAGS, ResponseFlag, responseFlagByName, responseFlagsToLongString, responseFlagsToShortString } from '../src/index.js';

// Source: Envoy's response flag table (CORE_RESPONSE_FLAGS, source/common/stream_info/utility.h) and the
// RESPONSE_FLAGS section of the substitution formatter documentation.
describe('response flags', () => {
  it('[docs RESPONSE_FLAGS] lists Envoy’s 30 flags in Envoy’s order with short and long names', () => {
    expect(RESPONSE_FLAGS.map((f) => f.short)).toEqual([
      'LH', 'UH', 'UT', 'LR', 'UR', 'UF', 'UC', 'UO', 'NR', 'DI', 'FI', 'RL', 'UAEX', 'RLSE', 'DC', 'URX', 'SI', 'IH', 'DPE',
      'UMSDR', 'RFCF', 'NFCF', 'DT', 'UPE', 'NC', 'OM', 'DF', 'DO', 'DR', 'UDO',
    ]);
    expect(RESPONSE_FLAGS[1]).toEqual({ mask: 2, index: 1, short: 'UH', long: 'NoHealthyUpstream' });
    expect(RESPONSE_FLAGS.every((f, i) => f.mask === 2 ** i && ResponseFlag[f.long as keyof typeof ResponseFlag] === f.mask)).toBe(true);
  });

  it('[docs RESPONSE_FLAGS] long names match the documented table', () => {
    expect(responseFlagByName('UH')?.long).toBe('NoHealthyUpstream');
    expect(responseFlagByName('OverloadManagerTerminated')?.short).toBe('OM');
    expect(responseFlagByName('DropOverload')?.short).toBe('DO');
    expect(responseFlagByName('XX')).toBeUndefined();
  });

  it('joins set flags with "," in table order; "-" when none', () => {
    expect(responseFlagsToShortString(0)).toBe('-');
    expect(responseFlagsToLongString(0)).toBe('-');
    const mask = ResponseFlag.DownstreamConnectionTermination | ResponseFlag.FailedLocalHealthCheck;
    expect(responseFlagsToShortString(mask)).toBe('LH,DC');
    expect(responseFlagsToLongString(mask)).toBe('FailedLocalHealthCheck,DownstreamConnectionTermination');
  });
});
