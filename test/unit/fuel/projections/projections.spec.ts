import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { SCHEMAS_DIR } from '../../../../src/common/paths';
import { projectActionLog } from '../../../../src/sources/fuel/projections/action-logs.projection';
import { actionLogRecorded, installationReported, oswlReported } from '../../../../src/sources/fuel/fuel.events';
import { projectInstallation } from '../../../../src/sources/fuel/projections/installations.projection';
import { projectOswl } from '../../../../src/sources/fuel/projections/oswl.projection';
import { buildInstallationEvent } from '../../../../src/sources/fuel/intake/submit-installation.handler';
import { collapseByKey, isIncompleteTask } from '../../../../src/sources/fuel/intake/submit-action-logs.handler';
import { parseFilteringRules } from '../../../../src/sources/fuel/intake/filtering-rules';

const AT = '2016-06-01T10:00:00.000Z';

describe('fuel events and projections (pure)', () => {
  it('action-log event id is derived from (uid, external_id) only', () => {
    const a = actionLogRecorded({ master_node_uid: 'u', external_id: 1, body: { action_type: 'http_request' } }, AT);
    const b = actionLogRecorded({ master_node_uid: 'u', external_id: 1, body: { action_type: 'nailgun_task' } }, '2020-01-01T00:00:00Z');
    const c = actionLogRecorded({ master_node_uid: 'u', external_id: 2, body: {} }, AT);
    expect(a.id).toBe(b.id);
    expect(a.id).not.toBe(c.id);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });

  it('collapseByKey keeps the last occurrence, one per key', () => {
    const out = collapseByKey([{ k: 1, v: 'a' }, { k: 2, v: 'b' }, { k: 1, v: 'c' }], (r) => String(r.k));
    expect(out).toEqual([{ k: 2, v: 'b' }, { k: 1, v: 'c' }]);
  });

  it.each([
    [{ action_type: 'nailgun_task', end_timestamp: null }, true],
    [{ action_type: 'nailgun_task' }, true],
    [{ action_type: 'nailgun_task', end_timestamp: '' }, true],
    [{ action_type: 'nailgun_task', end_timestamp: '2' }, false],
    [{ action_type: 'http_request', end_timestamp: '' }, false],
  ])('isIncompleteTask(%p) = %p', (body, incomplete) => {
    expect(isIncompleteTask({ master_node_uid: 'u', external_id: 1, body })).toBe(incomplete);
  });

  it('action-log row copies action_type/action_name and strips NUL for jsonb', () => {
    const [w] = projectActionLog(actionLogRecorded({ master_node_uid: 'u', external_id: 3, body: { action_type: 'nailgun_task', action_name: 'deploy', m: 'a\u0000b' } }, AT));
    expect(w).toMatchObject({ kind: 'insert', table: 'fuel_action_logs', conflict: { action: 'nothing' } });
    const row = (w as unknown as { rows: Record<string, unknown>[] }).rows[0];
    expect(row).toMatchObject({ master_node_uid: 'u', external_id: 3, action_type: 'nailgun_task', action_name: 'deploy' });
    expect(JSON.parse(row.body as string)).toEqual({ action_type: 'nailgun_task', action_name: 'deploy', m: 'ab' });
  });

  it('installation event: sanitised, release and is_filtered derived; projection writes clusters and nodes', () => {
    const rules = parseFilteringRules('{"9.0": {"495": null}}');
    const raw = {
      master_node_uid: 'u', clusters_num: 1, allocated_nodes_num: 1, unallocated_nodes_num: 0,
      fuel_release: { release: '9.0', build_id: '496', api: '1', feature_groups: [] },
      clusters: [{ id: 4, status: 'operational', release: { version: 'mitaka-9.0', os: 'Ubuntu', name: 'M' }, attributes: { mon_key: 'k' },
        nodes: [{ id: 9, name: 'n', roles: ['compute', 'ceph-osd'], status: 'ready', meta: { system: { manufacturer: 'QEMU' } } }] }],
    };
    const { event, removed } = buildInstallationEvent(raw, rules, AT);
    expect(event.data).toMatchObject({ masterNodeUid: 'u', release: '9.0', isFiltered: true });
    expect(removed).toEqual({ ceph_secret: 1, node_name: 1 });
    const writes = projectInstallation(event);
    const nodes = writes.find((w) => w.kind === 'insert' && w.table === 'fuel_nodes') as unknown as { rows: Record<string, unknown>[] };
    expect(nodes.rows).toEqual([{ master_node_uid: 'u', cluster_id: 4, node_id: 9, status: 'ready', os: null, manufacturer: 'QEMU', product: null, roles: '["compute","ceph-osd"]' }]);
    expect(writes.filter((w) => w.kind === 'sql')).toHaveLength(3);
    const again = installationReported(event.data, AT);
    expect(again.id).not.toBe(event.id);
  });

  it('OSWL row: created_date keeps only the date part (QUIRK fuelstats.md §3.4)', () => {
    const [w] = projectOswl(oswlReported({ master_node_uid: 'u', id: 1, cluster_id: 2, created_date: '2016-06-01 10:00:00', updated_time: '10:00',
      resource_type: 'vm', resource_checksum: 'c', resource_data: { added: [], current: [], removed: [], modified: [] } }, AT));
    expect((w as unknown as { rows: Record<string, unknown>[] }).rows[0]).toMatchObject({ created_date: '2016-06-01', version_info: null, external_id: 1 });
  });
});

describe('schemas/fuel/*.json', () => {
  const dir = join(SCHEMAS_DIR, 'fuel');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  it.each(files)('%s compiles strictly, $id matches its path and its examples validate', (file) => {
    const schema = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    expect(schema.$id).toBe(`fuel/${file.replace(/\.json$/, '')}`);
    // Siblings are registered first: a schema may $ref another one of the directory (failure reports do).
    const ajv = new Ajv({ strict: true, allowUnionTypes: true });
    for (const other of files.filter((f) => f !== file)) ajv.addSchema(JSON.parse(readFileSync(join(dir, other), 'utf8')));
    const validate = ajv.compile(schema);
    expect(schema.examples?.length).toBeGreaterThan(0);
    for (const example of schema.examples) expect([validate(example), validate.errors]).toEqual([true, null]);
  });
});
