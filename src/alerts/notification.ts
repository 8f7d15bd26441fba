import type { CustomerContact } from '../sources/fuel/failure-reports/contact-cipher';
import type { ReportDetailRow } from '../sources/fuel/failure-reports/failure-reports.repository';
import type { AlertTrigger } from './rules';

/** What one delivery says, in both shapes: JSON for webhooks, subject + text for e-mail. */
export type Notification = Readonly<{ subject: string; text: string; payload: Record<string, unknown> }>;

type Ctx = Readonly<{ deliveryId: string; ruleId: string; consoleUrl: string }>;

const str = (v: unknown, fallback = '?') => (v === null || v === undefined || v === '' ? fallback : String(v));

/** Spec fuelstats.md §7.4: one notification per report — contact, installation, environment, failure, link. */
export function failureReportNotification(report: ReportDetailRow, contact: CustomerContact | null, trigger: AlertTrigger, ctx: Ctx): Notification {
  const context = (report.context ?? {}) as {
    fuelRelease?: Record<string, unknown>;
    fuelPackages?: string[];
    cluster?: Record<string, unknown> & { release?: Record<string, unknown>; nodes?: { id: number; roles: string[]; status?: string }[]; attributes?: Record<string, unknown>; network_configuration?: Record<string, unknown> };
    error?: { task_name: string; message: string; failed_nodes: { id: number; roles: string[]; status: string; error_type?: string | null; error_msg?: string | null }[] };
    subtaskLogs?: { body: Record<string, unknown> }[];
  };
  const cluster = context.cluster ?? {};
  const error = context.error ?? { task_name: str(report.task_name), message: '', failed_nodes: [] };
  const body = (report.action_log.body ?? {}) as Record<string, unknown>;
  const link = `${ctx.consoleUrl}/console/support/failure-reports/${report.report_uuid}`;
  const subject = `[Fuel failure] ${str(contact?.company, 'unknown company')} — ${error.task_name} failed on env ${str(cluster.id)} (Fuel ${str(report.release)})`;
  const attrs = cluster.attributes ?? {};
  const enabled = ['sahara', 'murano', 'heat', 'ceilometer', 'ironic'].filter((k) => attrs[k] === true);
  const storage = ['volumes_ceph', 'images_ceph', 'objects_ceph', 'ephemeral_ceph', 'volumes_lvm'].filter((k) => attrs[k] === true);
  const net = cluster.network_configuration ?? {};
  const lines = [
    subject,
    '',
    'Contact',
    contact
      ? `  ${contact.first_name} ${contact.last_name} <${contact.email}>, ${contact.company}` +
        `${contact.phone ? `, phone ${contact.phone}` : ''}${contact.job_title ? `, ${contact.job_title}` : ''}${contact.country ? `, ${contact.country}` : ''}`
      : '  (none given)',
    ...(contact?.comment ? [`  Comment: ${contact.comment}`] : []),
    '',
    'Installation',
    `  master node uid: ${report.master_node_uid}`,
    `  Fuel release: ${str(report.release)} (build ${str(context.fuelRelease?.build_id)})`,
    `  packages: ${(context.fuelPackages ?? []).join(' ') || '-'}`,
    '',
    'Environment',
    `  id ${str(cluster.id)}, mode ${str(cluster.mode)}, status ${str(cluster.status)}, ${str(cluster.nodes_num)} nodes`,
    `  OpenStack: ${str(cluster.release?.name)} ${str(cluster.release?.version, '')} on ${str(cluster.release?.os)}`,
    `  roles: ${[...new Set((cluster.nodes ?? []).map((n) => [...n.roles].sort().join('+')))].join(', ') || '-'}`,
    `  network: ${str(cluster.net_provider, 'nova-network')} ${str(net.segmentation_type ?? net.net_manager, '')}`.trimEnd(),
    `  storage: ${storage.join(', ') || '-'}; hypervisor: ${str(attrs.libvirt_type)}; components: ${enabled.join(', ') || '-'}`,
    '',
    'Failure',
    `  task ${error.task_name}, started ${str(body.start_timestamp)}, failed ${str(body.end_timestamp)}`,
    `  message: ${error.message || '-'}`,
    ...error.failed_nodes.map((n) => `  node ${n.id} (${n.roles.join('+')}): ${n.status}${n.error_type ? `, ${n.error_type}` : ''}${n.error_msg ? `: ${n.error_msg}` : ''}`),
    ...(context.subtaskLogs ?? []).map((s) => `  sub-task ${str(s.body.action_name)}: ${str((s.body.additional_info as Record<string, unknown> | undefined)?.ended_with_status)}`),
    '',
    `Report: ${link}`,
  ];
  return {
    subject,
    text: `${lines.join('\n')}\n`,
    payload: {
      delivery_id: ctx.deliveryId,
      kind: 'failure_report',
      rule_id: ctx.ruleId,
      event_id: trigger.eventId,
      occurred_at: trigger.occurredAt,
      link,
      report: {
        report_uuid: report.report_uuid,
        master_node_uid: report.master_node_uid,
        created_at: report.created_at,
        release: report.release,
        operation: report.operation,
        fuel_release: context.fuelRelease ?? null,
        fuel_packages: context.fuelPackages ?? [],
        cluster: context.cluster ?? null,
        error,
        action_log: report.action_log,
      },
      contact,
    },
  };
}

/** A crash group seen for the first time. */
export function crashGroupNotification(trigger: AlertTrigger, ctx: Ctx): Notification {
  const f = trigger.facts as Record<string, unknown>;
  const subject = `[New crash group] ${str(f.function)} in ${str(f.module)} (${str(f.operation)}, build ${str(f.release)})`;
  const link = `${ctx.consoleUrl}/console/clearlinux/records/${str(f.recordId)}`;
  return {
    subject,
    text: `${subject}\n\nFirst seen: ${trigger.occurredAt}\nGuilty frame: ${str(f.function)} - [${str(f.module)}]\nRecord: ${link}\n`,
    payload: {
      delivery_id: ctx.deliveryId,
      kind: 'crash_group',
      rule_id: ctx.ruleId,
      event_id: trigger.eventId,
      occurred_at: trigger.occurredAt,
      link,
      crash_group: { function: f.function, module: f.module, classification: f.operation, build: f.release, record_id: f.recordId },
    },
  };
}
