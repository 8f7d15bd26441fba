import { randomUUID } from 'node:crypto';

export const CONTACT = {
  first_name: 'Grace',
  last_name: 'Hopperfield',
  email: 'grace.hopperfield@cobol-example.org',
  company: 'Zyxwv Compilers Ltd',
  phone: '+1-555-0100-777',
  job_title: 'Cloud lead',
  country: 'Elbonia',
  comment: 'Please call after 5pm quokka',
};
/** Strings that must never appear outside the contact table and the support views. */
export const CONTACT_MARKERS = ['Hopperfield', 'grace.hopperfield@cobol-example.org', 'Zyxwv Compilers', '+1-555-0100-777', 'Elbonia', 'quokka'];

let externalId = 1000;

/** A schema-valid `{"failure_report": ...}` body with overridable parts. */
export function aFailureReport(overrides: { release?: string; operation?: string; contact?: object | null; uid?: string; reportUuid?: string } = {}) {
  const uid = overrides.uid ?? `master-${randomUUID().slice(0, 8)}`;
  const id = externalId++;
  const operation = overrides.operation ?? 'deploy';
  const report: Record<string, unknown> = {
    report_uuid: overrides.reportUuid ?? randomUUID(),
    master_node_uid: uid,
    created_at: '2016-06-01T10:31:00.000000',
    action_log: {
      master_node_uid: uid,
      external_id: id,
      body: {
        id,
        action_group: 'cluster_changes',
        action_name: operation,
        action_type: 'nailgun_task',
        start_timestamp: '2016-06-01T10:00:00.000000',
        end_timestamp: '2016-06-01T10:30:00.000000',
        cluster_id: 1,
        additional_info: { parent_task_id: null, operation, ended_with_status: 'error', message: 'Deployment has failed.', output: { admin_password: 'hunter2-secret' } },
      },
    },
    fuel_release: { release: overrides.release ?? '9.0', api: '1', feature_groups: ['mirantis'], build_id: '495' },
    fuel_packages: ['fuel-nailgun-9.0.0-1.mos8460.noarch'],
    cluster: {
      id: 1,
      mode: 'ha_compact',
      status: 'error',
      nodes_num: 2,
      attributes: { libvirt_type: 'kvm', volumes_ceph: true, mon_key: 'AQBceph-secret-key', heat: true },
      release: { version: 'mitaka-9.0', os: 'Ubuntu', name: 'Mitaka on Ubuntu 14.04' },
      nodes: [
        { id: 1, roles: ['controller'], status: 'error' },
        { id: 2, roles: ['compute', 'ceph-osd'], status: 'ready' },
      ],
    },
    error: { task_name: operation, message: 'Deployment has failed. Puppet run failed on node 1.', failed_nodes: [{ id: 1, roles: ['controller'], status: 'error', error_type: 'deploy', error_msg: 'puppet failed' }] },
  };
  if (overrides.contact !== undefined) {
    if (overrides.contact !== null) report.contact = overrides.contact;
  } else {
    report.contact = CONTACT;
  }
  return { failure_report: report };
}
