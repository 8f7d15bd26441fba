import { loadNodesConfig } from '../../../src/sources/nodes/nodes.config';

describe('loadNodesConfig (spec submissions-and-nodes.md §B.2)', () => {
  it('has the upstream code defaults', () => {
    expect(loadNodesConfig({})).toMatchObject({
      heartbeatIntervalS: 5,
      clientTimeoutS: 10,
      purgeIntervalS: 600,
      logExpiryH: 3,
      maxPendingConnections: 1024,
      wsMaxPayload: 524_288,
      dbBatchSize: 1024,
      dbSaveLatencyMs: 100,
      cacheExpiryS: 10_800,
      cacheTimeoutS: 60,
      assetsPath: './static',
    });
  });
  it('refuses a bad value naming the variable', () => {
    expect(() => loadNodesConfig({ LOG_EXPIRY_H: 'three' })).toThrow(/LOG_EXPIRY_H/);
    expect(() => loadNodesConfig({ DB_BATCH_SIZE: '0' })).toThrow(/DB_BATCH_SIZE/);
    expect(() => loadNodesConfig({ WS_MAX_PAYLOAD: '-1' })).toThrow(/WS_MAX_PAYLOAD/);
  });
  it('accepts 524_288 as written in the README', () => {
    expect(loadNodesConfig({ WS_MAX_PAYLOAD: '524_288' }).wsMaxPayload).toBe(524_288);
  });
});
