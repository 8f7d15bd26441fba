import { randomUUID } from 'node:crypto';
import { loadConfig, VersionChangePolicy } from '../../../src/config/app-config';
import { createEventInfrastructure, EventInfrastructure } from '../../../src/event-log/event-infrastructure';
import { Projector } from '../../../src/event-log/projector';
import { ProjectorVersionChanged } from '../../../src/event-log/projector-runtime';
import { Metrics } from '../../../src/metrics/metrics';
import { eventually, freshDatabase, TestDatabase } from '../../support/database';
import { anEvent } from '../../support/events';

/**
 * A projector whose code version changed has stale rows: start-up rebuilds it from the log (or refuses,
 * naming the replay command). The test projector stores a label derived from its version in every row, so
 * rows of the old version are told apart from rebuilt ones.
 */
describe('projector versions', () => {
  let database: TestDatabase;
  let infra: EventInfrastructure | undefined;
  const run = randomUUID().slice(0, 8);
  const type = `test.versioned-${run}.happened`;

  const labeller = (version: number): Projector => ({
    name: `labeller_${run}`,
    version,
    streams: ['platform.admin'],
    eventTypes: [type],
    tables: ['it_labels'],
    project: (e) => [{ kind: 'insert', table: 'it_labels', rows: [{ event_id: e.id, label: `v${version}` }] }],
  });

  const stop = async () => {
    await infra?.runtime.stop();
    await infra?.log.stop();
    infra = undefined;
  };
  const start = async (projector: Projector, policy: VersionChangePolicy = 'rebuild') => {
    const config = loadConfig({ DATABASE_URL: database.url, PROJECTOR_POLL_MS: '50', PROJECTOR_VERSION_CHANGE: policy });
    infra = createEventInfrastructure(config, database.db, new Metrics(false), () => undefined);
    infra.runtime.register(projector);
    await infra.log.start();
    try {
      await infra.runtime.start();
    } catch (err) {
      await stop(); // a refused start must not leave the log's listener behind
      throw err;
    }
    return infra;
  };
  const labels = async () =>
    (await database.db.query<{ label: string; n: number }>('SELECT label, count(*)::int AS n FROM it_labels GROUP BY label ORDER BY label')).map(
      (r) => `${r.label}:${r.n}`,
    );
  const storedVersion = async () =>
    (await database.db.query<{ version: number }>('SELECT version FROM projector_versions WHERE projector = $1', [`labeller_${run}`]))[0]?.version;

  beforeAll(async () => {
    database = await freshDatabase();
    await database.db.query('CREATE TABLE it_labels (event_id uuid PRIMARY KEY, label text NOT NULL)');
    const { log, runtime } = await start(labeller(1));
    expect(await storedVersion()).toBe(1);
    await log.append(Array.from({ length: 30 }, () => anEvent({ type })));
    await runtime.catchUp();
    expect(await labels()).toEqual(['v1:30']);
    await stop();
  });
  afterEach(stop);
  afterAll(async () => database?.drop());

  it('refuses to start when asked to, naming the replay command, and leaves the rows alone', async () => {
    await expect(start(labeller(2), 'refuse')).rejects.toThrow(ProjectorVersionChanged);
    await expect(start(labeller(2), 'refuse')).rejects.toThrow(`npm run replay -- labeller_${run}`);
    expect(await labels()).toEqual(['v1:30']);
    expect(await storedVersion()).toBe(1);
  });

  it('serves the old rows under "ignore" without recording the new version', async () => {
    const { log, runtime } = await start(labeller(2), 'ignore');
    await log.append([anEvent({ type })]);
    await runtime.catchUp();
    expect(await labels()).toEqual(['v1:30', 'v2:1']);
    expect(await storedVersion()).toBe(1);
  });

  it('rebuilds a changed projector from the log at start-up and records its new version', async () => {
    const { log, runtime } = await start(labeller(2));
    await eventually(async () => runtime.replayStatus(`labeller_${run}`)?.done === true);
    expect(runtime.replayStatus(`labeller_${run}`)).toMatchObject({ processed: 31, done: true });
    expect(runtime.replayStatus(`labeller_${run}`)?.error).toBeUndefined();
    expect(await labels()).toEqual(['v2:31']);
    expect(await storedVersion()).toBe(2);
    // Live again after the rebuild: a new event is applied by version 2.
    await log.append([anEvent({ type })]);
    await runtime.catchUp();
    expect(await labels()).toEqual(['v2:32']);
    await stop();
    // A restart with the same version rebuilds nothing.
    const again = await start(labeller(2));
    expect(again.runtime.replayStatus(`labeller_${run}`)).toBeUndefined();
    await stop();
    // Nor does an older instance (a rolling upgrade): it would undo the rebuild with its old code.
    const older = await start(labeller(1));
    expect(older.runtime.replayStatus(`labeller_${run}`)).toBeUndefined();
    expect(await storedVersion()).toBe(2);
    expect(await labels()).toEqual(['v2:32']);
  });
});
