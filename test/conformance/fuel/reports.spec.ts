import { randomUUID } from 'node:crypto';
import { WITHOUT_PRIVACY_FLOOR, startTestApp, TestApp } from '../../support/app';
import { readFixture } from '../../support/fixtures';
import { postFuel } from '../../support/fuel';

/** Only our projectors: in Kafka mode the archiver re-reads every stream's history into each fresh database. */
const FUEL_PROJECTORS = ['fuel-action-logs', 'fuel-installations', 'fuel-oswl'];

const fx = <T>(name: string) => readFixture<T>(`fuelstats/${name}`);
/**
 * Kafka mode: topics outlive each test database and are projected from the beginning, so this run's
 * installations get their own uids and one shared release tag; every report is asked with ?release=.
 */
const RUN = randomUUID().slice(0, 8);
const REL = `rel-${RUN}`;
type Structure = { installation_structure: { master_node_uid: string; fuel_release?: Record<string, unknown> } };
const tagged = (s: Structure): Structure => ({
  installation_structure: {
    ...s.installation_structure,
    master_node_uid: `${s.installation_structure.master_node_uid}-${RUN}`,
    fuel_release: { api: '1', feature_groups: [], ...s.installation_structure.fuel_release, release: REL },
  },
});
const rekeyLogs = (body: { action_logs: { master_node_uid: string }[] }) => ({
  action_logs: body.action_logs.map((r) => ({ ...r, master_node_uid: `${r.master_node_uid}-${RUN}` })),
});

const FULL_UID = `0f4a6c5e-4a5d-4a6e-9f3a-1b2c3d4e5f60-${RUN}`;
const ostfRun = (uid: string, id: number, endedAt: string, tests: [string, string][]) => ({
  master_node_uid: uid, id, cluster_id: 1, testset: 'sanity', status: 'finished', started_at: '2016-06-01T10:00:00', ended_at: endedAt,
  tests: tests.map(([tid, status]) => ({ id: `fuel_health.tests.sanity.${tid}`, status, taken: 1.5 })),
});
/**
 * R7 input, by hand: test A = success, failure, error, success → runs 4, failures 2 (0.5), 2 installations;
 * B = failure, skipped, success → runs 2, failures 1 (0.5), 2 installations (skipped ignored);
 * C = success ×2 → runs 2, failures 0. Run 4 ends in 2015 (outside the window); run 5's end does not parse.
 */
const OSTF_RUNS = [
  ostfRun(FULL_UID, 1, '2016-06-01T10:05:00', [['A', 'success'], ['B', 'failure'], ['C', 'success']]),
  ostfRun(FULL_UID, 2, '2016-06-02 10:05:00.5', [['A', 'failure'], ['B', 'skipped'], ['C', 'success']]),
  ostfRun(`x-${RUN}`, 3, '2016-06-03T10:05:00', [['A', 'error'], ['A', 'success'], ['B', 'success']]),
  ostfRun(`x-${RUN}`, 4, '2015-06-03T10:05:00', [['A', 'failure'], ['C', 'failure']]),
  ostfRun(`x-${RUN}`, 5, '1', [['C', 'failure']]),
];

/** Spec fuelstats.md §6 seed reports R2, R5, R6 over the fixtures; expected numbers derived by hand in the comments. */
describe('Fuel reports /api/v1/json/report/ (spec fuelstats.md §6)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(WITHOUT_PRIVACY_FLOOR);
    const post = (path: string, body: unknown) => postFuel(t, path, body);
    // uid 0f4a…5f60 (release re-tagged): 3 ready nodes — controller, compute+ceph-osd, compute+ceph-osd
    await post('installation_structure', tagged(fx<Structure>('installation-structure-full-9.0.json')));
    // uid x (release re-tagged): nodes a+b+c, b+c, c, s — all with status "s" (not ready)
    await post('installation_structure', tagged(fx<Structure>('installation-structure-two-clusters.json')));
    await post('action_logs', rekeyLogs(fx<{ body: { action_logs: { master_node_uid: string }[] } }>('action-logs-failed-deployments.json').body));
    await post('ostf_runs', { ostf_runs: OSTF_RUNS });
    await t.runtime.catchUp(FUEL_PROJECTORS);
  });
  afterAll(async () => t?.close());

  const get = async (path: string) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/json/report/${path}`, headers: t.auth });
    return { status: res.statusCode, body: res.json() };
  };

  it('needs the admin credential (error envelope)', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/json/report/node_roles' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ status: 'error', message: expect.any(String) });
  });

  it('R6 node roles: ready nodes only by default', async () => {
    const { status, body } = await get(`node_roles?release=${REL}`);
    expect(status).toBe(200);
    expect(body.population).toEqual({ installations: 2 });
    expect(body.release).toBe(REL);
    expect(body.by_role).toEqual({ 'ceph-osd': 2, compute: 2, controller: 1 });
    expect(body.by_combination).toEqual({ 'ceph-osd+compute': 2, controller: 1 });
    expect(Object.keys(body.by_combination)).toEqual(['ceph-osd+compute', 'controller']);
    expect(body.combined_nodes).toBe(2);
    expect(body.total_nodes).toBe(3);
  });

  it('R6 node_status=any adds the other installation; ordered by count desc then key', async () => {
    const { body } = await get(`node_roles?node_status=any&release=${REL}`);
    expect(body.by_role).toEqual({ c: 3, b: 2, 'ceph-osd': 2, compute: 2, a: 1, controller: 1, s: 1 });
    expect(Object.keys(body.by_role)).toEqual(['c', 'b', 'ceph-osd', 'compute', 'a', 'controller', 's']);
    expect(body.by_combination).toEqual({ 'ceph-osd+compute': 2, 'a+b+c': 1, 'b+c': 1, c: 1, controller: 1, s: 1 });
    expect(body.combined_nodes).toBe(4);
    expect(body.total_nodes).toBe(7);
  });

  it('R6 release filter: an unknown release has an empty population', async () => {
    const none = await get('node_roles?release=nope');
    expect(none.body.total_nodes).toBe(0);
    expect(none.body.population).toEqual({ installations: 0 });
  });

  it('R5 failures before success = 2 for the fixture environment (106 error, 110 error, 113 ready)', async () => {
    const { status, body } = await get(`deployment_failures?from_date=2016-01-01&release=${REL}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      from_date: '2016-01-01',
      environments_with_success: 1,
      average_failures_before_success: 2,
      distribution: { '0': 0, '1': 0, '2': 1, '3': 0, '4': 0, '5+': 0 },
      environments_never_succeeded: 0,
      failed_attempts_total: 2,
      unparseable: 0,
    });
    const before = await get(`deployment_failures?from_date=2016-01-01&to_date=2016-05-31&release=${REL}`);
    expect(before.body.environments_with_success).toBe(0);
    expect(before.body.average_failures_before_success).toBeNull();
  });

  it('R2 deployment time: 2300.0 s for the successful deploy; phases provision 1299 s, deployment 2299 s', async () => {
    const { status, body } = await get(`deployment_time?from_date=2016-01-01&release=${REL}`);
    expect(status).toBe(200);
    const d2300 = { count: 1, mean_s: 2300, median_s: 2300, p90_s: 2300, min_s: 2300, max_s: 2300 };
    expect(body.deploy).toEqual({ all: d2300, [REL]: d2300 });
    expect(body.population).toEqual({ installations: 2 });
    expect(body.phases.provision.all).toMatchObject({ count: 1, mean_s: 1299 });
    expect(body.phases.deployment.all).toMatchObject({ count: 1, mean_s: 2299 });
    expect(body.unparseable).toBe(0);
  });

  it('R1 OS: operational/error environments (full-9.0 Ubuntu, cluster 32 CentOS; cluster 29 "new" left out)', async () => {
    const { status, body } = await get(`os?release=${REL}`);
    expect(status).toBe(200);
    expect(body.population).toEqual({ installations: 2 });
    expect(body.environments).toEqual({ centos: 1, ubuntu: 1 });
    expect(body.nodes).toEqual({ ubuntu: 3 }); // node 42 of cluster 32 has no os
    expect(body.total_environments).toBe(2);
  });

  it('R3 releases: installations by Fuel release, deployed environments by OpenStack release', async () => {
    const { status, body } = await get(`releases?release=${REL}`);
    expect(status).toBe(200);
    expect(body.fuel_releases).toEqual({ [REL]: 2 });
    expect(body.openstack_releases).toEqual({
      '2014.2-6.0': { environments: 1, name: 'Juno on CentOS 6.5' },
      'mitaka-9.0': { environments: 1, name: 'Mitaka on Ubuntu 14.04' },
    });
    expect(Object.keys(body.openstack_releases)).toEqual(['2014.2-6.0', 'mitaka-9.0']);
  });

  it('R4 hardware: 2 Dell PowerEdge, 1 QEMU VM, 4 nodes without hardware data', async () => {
    const { status, body } = await get(`hardware?release=${REL}`);
    expect(status).toBe(200);
    expect(body.by_manufacturer).toEqual({ unknown: 4, 'Dell Inc.': 2, QEMU: 1 });
    expect(Object.keys(body.by_manufacturer)).toEqual(['unknown', 'Dell Inc.', 'QEMU']);
    expect(body.by_model).toEqual({ 'unknown / unknown': 4, 'Dell Inc. / PowerEdge R630': 2, 'QEMU / Standard PC (i440FX + PIIX, 1996)': 1 });
    expect(body.virtual).toBe(1);
    expect(body.bare_metal).toBe(6);
  });

  it('R7 OSTF failure rate per test vs runs in the window', async () => {
    const { status, body } = await get(`ostf?from_date=2016-01-01&to_date=2016-12-31&release=${REL}`);
    expect(status).toBe(200);
    const id = (t: string) => `fuel_health.tests.sanity.${t}`;
    expect(body.tests).toEqual([
      { id: id('A'), testset: 'sanity', runs: 4, failures: 2, failure_rate: 0.5, installations: 2 },
      { id: id('B'), testset: 'sanity', runs: 2, failures: 1, failure_rate: 0.5, installations: 2 },
      { id: id('C'), testset: 'sanity', runs: 2, failures: 0, failure_rate: 0, installations: 1 },
    ]);
    expect(body.total_runs).toBe(3);
    expect(body.unparseable).toBe(1);
    const one = await get(`ostf?from_date=2016-01-01&to_date=2016-12-31&release=${REL}&limit=1`);
    expect(one.body.tests.map((t: { id: string }) => t.id)).toEqual([id('A')]);
    expect((await get('ostf?limit=0')).status).toBe(400);
  });

  it('bad dates → 400 envelope with the upstream wording', async () => {
    const { status, body } = await get('deployment_time?from_date=01-01-2016');
    expect(status).toBe(400);
    expect(body).toEqual({ status: 'error', message: "Date 'from_date' value in wrong format. Use format: %Y-%m-%d" });
    expect((await get('deployment_time?from_date=2016-02-01&to_date=2016-01-01')).status).toBe(400);
  });

  it('publishes every report route in the OpenAPI document with its own summary and query parameters', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/docs-json', headers: t.auth })).json();
    const op = (name: string) => doc.paths[`/api/v1/json/report/${name}`].get;
    expect(op('deployment_time')).toMatchObject({ operationId: 'fuelDeploymentTime', tags: ['fuel'] });
    expect(op('os').summary).toMatch(/^R1 OS distribution/);
    expect(op('ostf').parameters.map((p: { name: string }) => p.name).sort()).toEqual(['from_date', 'limit', 'release', 'to_date']);
    expect(op('installations').parameters.map((p: { name: string }) => p.name).sort()).toEqual(['refresh', 'release']);
  });
});
