import { randomUUID } from 'node:crypto';
import { startTestApp, TestApp } from '../../support/app';
import { eventually } from '../../support/database';
import { aFailureReport, CONTACT, CONTACT_MARKERS } from '../../support/failure-reports';
import { decodeMail, LOCAL_RECEIVERS_ALLOWED, SmtpReceiver, WebhookReceiver } from '../../support/receivers';
import { verifySignature } from '../../../src/alerts/signature';
import { DEFAULT_RULE_ID } from '../../../src/alerts/rules';
import { V4_HEADERS } from '../../unit/clearlinux/helpers';

const ALERT_ENV = {
  ALERT_BACKOFF_BASE_MS: '40',
  ALERT_BACKOFF_MAX_MS: '300',
  ALERT_MAX_ATTEMPTS: '3',
  ALERT_WEBHOOK_TIMEOUT_MS: '3000',
  ...LOCAL_RECEIVERS_ALLOWED,
};

/**
 * Failure reports → rules → webhook/SMTP deliveries against real receivers on 127.0.0.1. Each scenario
 * points the rule under test at its own receiver, so counts belong to that scenario only.
 */
describe('immediate failure reports and their notifications', () => {
  let t: TestApp;
  let smtp: SmtpReceiver;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    smtp = await new SmtpReceiver().start();
    t = await startTestApp({ ...ALERT_ENV, ALERT_SMTP_URL: smtp.url });
    await eventually(async () => (await rules()).some((r) => r.id === DEFAULT_RULE_ID), 20_000, 'default rule');
  });
  afterAll(async () => {
    await t?.close();
    for (const r of receivers) await r.stop();
    await smtp?.stop();
  });

  const api = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) => {
    const res = await t.app.inject({ method, url, headers: { ...t.auth, ...(body ? { 'content-type': 'application/json' } : {}) }, payload: body ? JSON.stringify(body) : undefined });
    return res;
  };
  const rules = async () => (await api('GET', '/api/alerts/rules')).json().rules as { id: string; channelIds: string[] }[];
  const postReport = (body: unknown) =>
    t.app.inject({ method: 'POST', url: '/api/v1/failure_reports/', headers: { 'content-type': 'application/json', 'master-node-uid': 'x' }, payload: JSON.stringify(body) });

  async function webhookChannel(secret = `secret-${randomUUID()}`) {
    const receiver = await new WebhookReceiver().start();
    receivers.push(receiver);
    const res = await api('POST', '/api/alerts/channels', { name: `hook ${receivers.length}`, kind: 'webhook', target: receiver.url, secret, timeout_ms: 3000 });
    expect(res.statusCode).toBe(201);
    return { receiver, secret, id: res.json().id as string };
  }

  async function useDefaultRule(channelIds: string[]) {
    const res = await api('PUT', `/api/alerts/rules/${DEFAULT_RULE_ID}`, { name: 'Every opted-in failure report', kind: 'failure_report', channel_ids: channelIds });
    expect(res.statusCode).toBe(200);
  }

  async function deliveriesOf(reportUuid: string) {
    const res = await api('GET', `/api/support/failure-reports/${reportUuid}`);
    if (res.statusCode === 404) return []; // not projected yet
    return res.json().deliveries as { state: string; attempts: number; last_status: number | null; attemptsLog: { outcome: string; status: number | null }[] }[];
  }

  it('notifies support once per report by signed webhook and by e-mail, and not again for a resend', async () => {
    const hook = await webhookChannel();
    const mail = await api('POST', '/api/alerts/channels', { name: 'support mailbox', kind: 'email', target: 'support@example.com' });
    await useDefaultRule([hook.id, mail.json().id]);

    const body = aFailureReport();
    const uuid = body.failure_report.report_uuid as string;
    const res = await postReport(body);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'ok', report_uuid: uuid, notified: true, action_log_status: 'added' });

    await hook.receiver.waitFor(1);
    const [received] = hook.receiver.received;
    expect(verifySignature(received.body, hook.secret, received.headers['x-telemetry-signature'] as string)).toBe(true);
    expect(verifySignature(received.body, 'another-secret-entirely', received.headers['x-telemetry-signature'] as string)).toBe(false);
    const payload = JSON.parse(received.body);
    expect(payload).toMatchObject({ kind: 'failure_report', report: { report_uuid: uuid, release: '9.0', operation: 'deploy' }, contact: CONTACT });
    expect(payload.report.cluster.attributes.mon_key).toBeUndefined(); // secrets removed before storing
    expect(payload.link).toContain(`/console/support/failure-reports/${uuid}`);

    await eventually(async () => smtp.messages.length >= 1, 20_000, 'e-mail');
    const email = smtp.messages[0];
    expect(email.to).toEqual(['support@example.com']);
    const decoded = decodeMail(email.data);
    expect(decoded.subject).toBe('[Fuel failure] Zyxwv Compilers Ltd — deploy failed on env 1 (Fuel 9.0)');
    expect(decoded.text).toContain('Grace Hopperfield <grace.hopperfield@cobol-example.org>, Zyxwv Compilers Ltd');
    expect(decoded.text).toContain('message: Deployment has failed. Puppet run failed on node 1.');
    expect(decoded.text).toContain(`/console/support/failure-reports/${uuid}`);

    const again = await postReport(body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ status: 'ok', report_uuid: uuid, existed: true, notified: true });

    // A later report's notification arrives after anything the resend could have caused.
    const next = aFailureReport();
    expect((await postReport(next)).statusCode).toBe(201);
    await hook.receiver.waitFor(2);
    await eventually(async () => smtp.messages.length >= 2, 20_000, 'second e-mail');
    const uuids = hook.receiver.received.map((r) => JSON.parse(r.body).report.report_uuid);
    expect(uuids.filter((u) => u === uuid)).toHaveLength(1);
    expect(smtp.messages.filter((m) => decodeMail(m.data).text.includes(uuid))).toHaveLength(1);
    await eventually(async () => (await deliveriesOf(uuid)).every((d) => d.state === 'sent'), 20_000, 'sent state');
    expect((await deliveriesOf(uuid)).map((d) => d.attempts)).toEqual([1, 1]);
  });

  it('stores only the failed action log when no contact is given, and notifies nobody', async () => {
    const hook = await webhookChannel();
    await useDefaultRule([hook.id]);
    const body = aFailureReport({ contact: null });
    const uuid = body.failure_report.report_uuid as string;
    const res = await postReport(body);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ notified: false, action_log_status: 'added' });
    await t.runtime.catchUp(['fuel-failure-reports', 'alerts']);
    const [row] = await t.db.query<{ context: unknown; notified: boolean }>('SELECT context, notified FROM failure_reports WHERE report_uuid = $1', [uuid]);
    expect(row).toEqual({ context: null, notified: false });
    expect(await t.db.query('SELECT 1 FROM customer_contacts WHERE report_uuid = $1', [uuid])).toHaveLength(0);
    const log = body.failure_report.action_log as { master_node_uid: string; external_id: number };
    await eventually(async () => (await t.db.query('SELECT 1 FROM fuel_action_logs WHERE master_node_uid = $1 AND external_id = $2', [log.master_node_uid, log.external_id])).length === 1, 20_000, 'action log');
    expect(await deliveriesOf(uuid)).toEqual([]);
    expect(hook.receiver.received).toHaveLength(0);
  });

  it('refuses an invalid contact with 400 naming the field, storing nothing', async () => {
    const body = aFailureReport({ contact: { ...CONTACT, email: 'not-an-address' } });
    const res = await postReport(body);
    expect(res.statusCode).toBe(400);
    expect(res.json().status).toBe('error');
    expect(res.json().message).toContain('/failure_report/contact');
    expect(res.body).not.toContain('not-an-address');
  });

  it('retries 503 answers with back-off and delivers once the receiver recovers', async () => {
    const hook = await webhookChannel();
    await useDefaultRule([hook.id]);
    hook.receiver.answer((n) => (n < 2 ? { status: 503 } : { status: 200 }));
    const body = aFailureReport();
    expect((await postReport(body)).statusCode).toBe(201);
    await hook.receiver.waitFor(3);
    const uuid = body.failure_report.report_uuid as string;
    await eventually(async () => (await deliveriesOf(uuid))[0]?.state === 'sent', 20_000, 'sent');
    const [d] = await deliveriesOf(uuid);
    expect(d.attempts).toBe(3);
    expect(d.attemptsLog.map((a) => a.status)).toEqual([503, 503, 200]);
    expect(new Set(hook.receiver.received.map((r) => r.headers['x-telemetry-delivery'])).size).toBe(1);
  });

  it('waits at least as long as a 429 Retry-After asks', async () => {
    const hook = await webhookChannel();
    await useDefaultRule([hook.id]);
    hook.receiver.answer((n) => (n === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 204 }));
    const body = aFailureReport();
    expect((await postReport(body)).statusCode).toBe(201);
    await hook.receiver.waitFor(2);
    const [first, second] = hook.receiver.received;
    expect(second.at - first.at).toBeGreaterThanOrEqual(1000); // the receiver's lower bound, not a speed check
    const uuid = body.failure_report.report_uuid as string;
    await eventually(async () => (await deliveriesOf(uuid))[0]?.state === 'sent', 20_000, 'sent');
    expect((await deliveriesOf(uuid))[0].attemptsLog.map((a) => a.status)).toEqual([429, 204]);
  });

  // The first attempt hangs until the channel timeout (3 s): generous, so a slow machine never times out a good answer.
  it('dead-letters after the last attempt (timeouts and 500s), and a manual retry delivers it', async () => {
    const hook = await webhookChannel();
    await useDefaultRule([hook.id]);
    hook.receiver.answer((n) => (n === 0 ? { hang: true } : n < 3 ? { status: 500 } : { status: 200 }));
    const body = aFailureReport();
    const uuid = body.failure_report.report_uuid as string;
    expect((await postReport(body)).statusCode).toBe(201);
    await eventually(async () => (await deliveriesOf(uuid))[0]?.state === 'dead', 20_000, 'dead letter');
    const [dead] = await deliveriesOf(uuid);
    expect(dead.attempts).toBe(3);
    expect(dead.attemptsLog.map((a) => a.status)).toEqual([null, 500, 500]);
    expect(dead.attemptsLog[0].outcome).toContain('timed out');
    expect(hook.receiver.received).toHaveLength(3);

    const list = await api('GET', '/api/alerts/deliveries?state=dead');
    const row = (list.json().deliveries as { id: string; subject_key: string }[]).find((d) => d.subject_key === uuid)!;
    expect(row).toBeDefined();
    expect((await api('POST', `/api/alerts/deliveries/${row.id}/retry`)).statusCode).toBe(202);
    await hook.receiver.waitFor(4);
    await eventually(async () => (await deliveriesOf(uuid))[0]?.state === 'sent', 20_000, 'sent after retry');
    expect((await api('POST', `/api/alerts/deliveries/${row.id}/retry`)).statusCode).toBe(404); // only dead letters
  });

  it('dead-letters a permanent refusal (400) after one attempt', async () => {
    const hook = await webhookChannel();
    await useDefaultRule([hook.id]);
    hook.receiver.answer(() => ({ status: 400 }));
    const body = aFailureReport();
    const uuid = body.failure_report.report_uuid as string;
    expect((await postReport(body)).statusCode).toBe(201);
    await eventually(async () => (await deliveriesOf(uuid))[0]?.state === 'dead', 20_000, 'dead letter');
    expect((await deliveriesOf(uuid))[0].attempts).toBe(1);
  });

  it('retries an SMTP 4xx and delivers the mail once', async () => {
    const mail = await api('POST', '/api/alerts/channels', { name: 'flaky mailbox', kind: 'email', target: 'oncall@example.com' });
    await useDefaultRule([mail.json().id]);
    const before = smtp.messages.length;
    smtp.rejectNext(451);
    const body = aFailureReport();
    const uuid = body.failure_report.report_uuid as string;
    expect((await postReport(body)).statusCode).toBe(201);
    await eventually(async () => (await deliveriesOf(uuid))[0]?.state === 'sent', 20_000, 'mail sent');
    expect((await deliveriesOf(uuid))[0].attempts).toBe(2);
    expect(smtp.messages.slice(before).filter((m) => decodeMail(m.data).text.includes(uuid))).toHaveLength(1);
  });

  it('notifies a release/operation rule only for matching failures', async () => {
    await useDefaultRule([]);
    const hook = await webhookChannel();
    const rule = await api('POST', '/api/alerts/rules', { name: '8.0 updates', kind: 'failure_report', release: '8.0', operation: 'update', channel_ids: [hook.id] });
    expect(rule.statusCode).toBe(201);
    const other = aFailureReport({ release: '9.0', operation: 'update' });
    const alsoOther = aFailureReport({ release: '8.0', operation: 'deploy' });
    const matching = aFailureReport({ release: '8.0', operation: 'update' });
    for (const b of [other, alsoOther, matching]) expect((await postReport(b)).statusCode).toBe(201);
    await hook.receiver.waitFor(1);
    await t.runtime.catchUp(['fuel-failure-reports', 'alerts']);
    const uuid = matching.failure_report.report_uuid as string;
    await eventually(async () => (await deliveriesOf(uuid))[0]?.state === 'sent', 20_000, 'sent');
    expect(hook.receiver.received.map((r) => JSON.parse(r.body).report.report_uuid)).toEqual([uuid]);
    expect(await deliveriesOf(other.failure_report.report_uuid as string)).toEqual([]);
    expect((await api('DELETE', `/api/alerts/rules/${rule.json().id}`)).statusCode).toBe(204);
  });

  it('notifies once per new crash group in Clear Linux crash records', async () => {
    const hook = await webhookChannel();
    const rule = await api('POST', '/api/alerts/rules', { name: 'new crash groups', kind: 'crash_group', channel_ids: [hook.id] });
    expect(rule.statusCode).toBe(201);
    const fn = `alert_test_${randomUUID().slice(0, 8)}`;
    const crash = (guilty: string, eventId: string) =>
      t.app.inject({
        method: 'POST',
        url: '/v2/collector',
        headers: { ...V4_HEADERS, 'content-type': 'application/text', event_id: eventId },
        payload: `Process: /usr/bin/demo\nPID: 1\nSignal: 11\n\nBacktrace (TID 1):\n#0 ${guilty}() - [/usr/bin/demo]\n#1 main() - [/usr/bin/demo]\n`,
      });
    const hex = () => randomUUID().replaceAll('-', '');
    for (const [guilty, id] of [[fn, hex()], [fn, hex()], [`${fn}_other`, hex()]]) {
      const res = await crash(guilty, id);
      expect(`${res.statusCode} ${res.body}`).toMatch(/^201 /);
    }
    await hook.receiver.waitFor(2);
    // A later, third group proves nothing else was queued for the first two.
    expect((await crash(`${fn}_third`, hex())).statusCode).toBe(201);
    await hook.receiver.waitFor(3);
    const groups = hook.receiver.received.map((r) => JSON.parse(r.body).crash_group.function);
    expect(groups.sort()).toEqual([`${fn}()`, `${fn}_other()`, `${fn}_third()`].sort());
    expect((await api('DELETE', `/api/alerts/rules/${rule.json().id}`)).statusCode).toBe(204);
  });

  it('keeps contact data out of the log, the list API, /metrics and answers to the sender', async () => {
    const body = aFailureReport();
    const uuid = body.failure_report.report_uuid as string;
    const res = await postReport(body);
    await t.runtime.catchUp(['fuel-failure-reports', 'alerts']);
    const logged = await t.db.query<{ payload: string }>(`SELECT payload::text AS payload FROM event_log`);
    const sealed = await t.db.query<{ sealed: string }>('SELECT sealed FROM customer_contacts WHERE report_uuid = $1', [uuid]);
    expect(sealed).toHaveLength(1);
    const list = await api('GET', '/api/support/failure-reports');
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics', headers: t.auth });
    const channels = await api('GET', '/api/alerts/channels');
    for (const text of [res.body, logged.map((l) => l.payload).join('\n'), sealed[0].sealed, list.body, metrics.body, channels.body]) {
      for (const marker of CONTACT_MARKERS) expect(text).not.toContain(marker);
    }
    expect(channels.body).not.toContain('secret-');
    expect(list.json().failure_reports.some((r: { report_uuid: string }) => r.report_uuid === uuid)).toBe(true);
    const detail = await api('GET', `/api/support/failure-reports/${uuid}`);
    expect(detail.json().contact).toEqual(CONTACT);
    const anonymous = await t.app.inject({ method: 'GET', url: `/api/support/failure-reports/${uuid}` });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.body).not.toContain('Hopperfield');
  });

  it('acknowledges and assigns a report through events', async () => {
    const body = aFailureReport();
    const uuid = body.failure_report.report_uuid as string;
    await postReport(body);
    await t.runtime.catchUp(['fuel-failure-reports', 'alerts']);
    // Who acted is the calling account (here the bootstrap admin token), never a name in the body.
    expect((await api('POST', `/api/support/failure-reports/${uuid}/assign`, { assignee: 'alice' })).json()).toMatchObject({ assignee: 'alice', assigned_by: 'bootstrap admin', status: 'open' });
    const typedName = await api('POST', `/api/support/failure-reports/${uuid}/acknowledge`, { by: 'alice', note: 'called back' });
    expect([typedName.statusCode, typedName.json().message]).toEqual([400, expect.stringMatching(/^\/by: not accepted/)]);
    expect((await api('POST', `/api/support/failure-reports/${uuid}/acknowledge`, { note: 'called back' })).json()).toMatchObject({
      status: 'acknowledged', acknowledged_by: 'bootstrap admin', ack_note: 'called back',
    });
    const acked = await api('GET', '/api/support/failure-reports?acknowledged=yes');
    expect(acked.json().failure_reports.map((r: { report_uuid: string }) => r.report_uuid)).toEqual([uuid]);
    expect((await api('GET', '/api/support/failure-reports?status=bogus')).statusCode).toBe(400);
  });
});

/** The default policy: no allow-list, so only https to public addresses; refused both when saved and when sent. */
describe('webhook targets without ALERT_WEBHOOK_ALLOWED_HOSTS', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    t = await startTestApp({ ...ALERT_ENV, ALERT_WEBHOOK_ALLOWED_HOSTS: '' });
    await eventually(async () => (await api('GET', '/api/alerts/rules')).json().rules.some((r: { id: string }) => r.id === DEFAULT_RULE_ID), 20_000, 'default rule');
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.stop();
  });

  const api = (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) =>
    t.app.inject({ method, url, headers: { ...t.auth, ...(body ? { 'content-type': 'application/json' } : {}) }, payload: body ? JSON.stringify(body) : undefined });
  const channel = (target: string) => api('POST', '/api/alerts/channels', { name: 'hook', kind: 'webhook', target });

  it.each([
    ['plain http', 'http://hooks.example.com/x', 'must be https'],
    ['loopback', 'https://127.0.0.1:8443/x', '127.0.0.1 is a loopback'],
    ['loopback v6', 'https://[::1]/x', '::1 is a loopback'],
    ['cloud metadata', 'https://169.254.169.254/latest', '169.254.169.254 is a loopback'],
    ['RFC 1918', 'https://10.1.2.3/x', '10.1.2.3 is a loopback'],
    ['carrier-grade NAT', 'https://100.64.0.9/x', '100.64.0.9 is a loopback'],
    ['IPv4-mapped private', 'https://[::ffff:192.168.1.1]/x', 'is a loopback'],
    ['unique local v6', 'https://[fd00::1]/x', 'fd00::1 is a loopback'],
    ['plain-http loopback (the test receiver)', '', '127.0.0.1 is a loopback'],
  ])('refuses %s as a target with 400 naming /target', async (_what, target, message) => {
    const res = await channel(target || receiver.url);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('/target');
    expect(res.json().message).toContain(message);
  });

  it('accepts https to a public name', async () => {
    expect((await channel('https://hooks.example.com/x')).statusCode).toBe(201);
  });

  it('refuses at send time a name that resolves to a loopback address: dead after one attempt, nothing sent', async () => {
    const port = new URL(receiver.url).port;
    const created = await channel(`https://localhost:${port}/hook`);
    expect(created.statusCode).toBe(201);
    expect((await api('PUT', `/api/alerts/rules/${DEFAULT_RULE_ID}`, { name: 'all', kind: 'failure_report', channel_ids: [created.json().id] })).statusCode).toBe(200);
    const body = aFailureReport();
    const uuid = body.failure_report.report_uuid as string;
    const posted = await t.app.inject({ method: 'POST', url: '/api/v1/failure_reports/', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    expect(posted.statusCode).toBe(201);
    const deliveries = async () => {
      const res = await api('GET', `/api/support/failure-reports/${uuid}`);
      return res.statusCode === 404 ? [] : (res.json().deliveries as { state: string; attempts: number; last_error: string | null; attemptsLog: { outcome: string }[] }[]);
    };
    await eventually(async () => (await deliveries())[0]?.state === 'dead', 20_000, 'refused delivery');
    const [dead] = await deliveries();
    expect(dead.attempts).toBe(1);
    expect(dead.attemptsLog[0].outcome).toMatch(/refused: localhost resolves to (127\.0\.0\.1|::1), a loopback/);
    expect(receiver.received).toHaveLength(0);
  });
});
