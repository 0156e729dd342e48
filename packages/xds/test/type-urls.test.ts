import { describe, expect, it } from 'vitest';
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  LISTENER_TYPE_URL,
  ROUTE_CONFIGURATION_TYPE_URL,
  SECRET_TYPE_URL,
  xdsShortName,
} from '../src/index.js';
import { typeUrlRank } from '../src/type-urls.js';

describe('type URLs', () => {
  it('have short xDS names', () => {
    expect([LISTENER_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL, CLUSTER_TYPE_URL, CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, SECRET_TYPE_URL].map(xdsShortName)).toEqual([
      'LDS',
      'RDS',
      'CDS',
      'EDS',
      'SDS',
    ]);
    expect(xdsShortName('type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig')).toBe('envoy.config.core.v3.TypedExtensionConfig');
  });

  it('open in the order CDS, EDS, LDS, RDS, SDS, others', () => {
    const urls = ['x/other', SECRET_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL, LISTENER_TYPE_URL, CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, CLUSTER_TYPE_URL];
    expect(urls.sort((a, b) => typeUrlRank(a) - typeUrlRank(b)).map(xdsShortName)).toEqual(['CDS', 'EDS', 'LDS', 'RDS', 'SDS', 'other']);
  });
});
