import { csvStream } from '../../../common/csv';

/**
 * CSV export columns (spec fuelstats.md §5.1–§5.4), derived from upstream's export skeletons rather than listed:
 * object keys in code-point order, a list expands to N indexed copies (default 5), a `count` leaf is the
 * length of the list. Pure; the exact header rows are checked against the fixture in the unit tests.
 */

/** `null` = leaf; `'count'` = list length; `{ list, n }` = indexed copies; object = nested keys. */
export type Skeleton = null | 'count' | { readonly list: Skeleton; readonly n?: number } | { readonly [key: string]: Skeleton };
export type Column = Readonly<{ name: string; path: readonly (string | number)[]; count: boolean }>;

const leaves = (...names: string[]): Record<string, Skeleton> => Object.fromEntries(names.map((n) => [n, null]));
const list = (item: Skeleton, n?: number) => ({ list: item, n });
const isList = (s: Skeleton): s is { list: Skeleton; n?: number } => s !== null && typeof s === 'object' && 'list' in s && Object.keys(s).every((k) => k === 'list' || k === 'n');

export function columnsOf(skeleton: Skeleton, prefix: readonly (string | number)[] = []): Column[] {
  const name = (path: readonly (string | number)[]) => path.join('.');
  if (skeleton === null) return [{ name: name(prefix), path: prefix, count: false }];
  if (skeleton === 'count') return [{ name: name([...prefix, 'count']), path: prefix, count: true }];
  if (isList(skeleton)) {
    return Array.from({ length: skeleton.n ?? 5 }, (_, i) => columnsOf(skeleton.list, [...prefix, i])).flat();
  }
  const obj = skeleton as { readonly [key: string]: Skeleton };
  return Object.keys(obj)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap((k) => columnsOf(obj[k], [...prefix, k]));
}

const CLUSTER_ATTRIBUTES = leaves(
  'assign_public_to_all_nodes', 'auto_assign_floating_ip', 'ceilometer', 'corosync_verified', 'debug_mode', 'ephemeral_ceph',
  'external_mongo_replset', 'external_ntp_list', 'heat', 'images_ceph', 'images_vcenter', 'ironic', 'iser', 'kernel_params',
  'libvirt_type', 'mellanox', 'mellanox_vf_num', 'mongo', 'murano', 'murano-cfapi', 'murano_glance_artifacts_plugin',
  'neutron_dvr', 'neutron_l2_pop', 'neutron_l3_ha', 'neutron_qos', 'nova_quota', 'nsx', 'nsx_replication', 'nsx_transport',
  'objects_ceph', 'osd_pool_size', 'provision_method', 'public_ssl_cert_source', 'public_ssl_horizon', 'public_ssl_services',
  'puppet_debug', 'repos', 'resume_guests_state_on_host_boot', 'sahara', 'syslog_transport', 'task_deploy', 'use_cow_images',
  'vcenter', 'vlan_splinters', 'vlan_splinters_ovs', 'volumes_block_device', 'volumes_ceph', 'volumes_lvm', 'volumes_vmdk',
  'workloads_collector_enabled',
);

export const CLUSTER_SKELETON: Skeleton = {
  attributes: CLUSTER_ATTRIBUTES,
  ...leaves('fuel_version', 'id', 'is_customized', 'mode', 'net_provider', 'nodes_num', 'status'),
  network_configuration: leaves('fixed_network_size', 'fixed_networks_amount', 'fixed_networks_vlan_start', 'net_l23_provider', 'net_manager', 'segmentation_type'),
  node_groups: list(leaves('id')),
  release: leaves('name', 'os'),
  vmware_attributes: leaves('vmware_az_cinder_enable', 'vmware_az_nova_computes_num'),
};

/** Installation columns of clusters.csv; `structure.*` walks the stored structure. */
export const INSTALLATION_SKELETON: Skeleton = {
  ...leaves('creation_date', 'master_node_uid', 'modification_date'),
  structure: {
    ...leaves('allocated_nodes_num', 'clusters_num', 'unallocated_nodes_num'),
    fuel_packages: list(null),
    fuel_release: { ...leaves('api', 'build_id', 'build_number', 'release'), feature_groups: list(null) },
    user_information: leaves('company', 'contact_info_provided', 'email', 'name'),
  },
};

const OFFLOADING_MODE: Skeleton = { ...leaves('name', 'state'), sub: list(leaves('name', 'state')) };

export const NODE_SKELETON: Skeleton = {
  bond_interfaces: 'count',
  ...leaves('group_id', 'id', 'online', 'os', 'pending_addition', 'pending_deletion', 'status'),
  meta: {
    cpu: { ...leaves('real', 'total'), spec: list(leaves('frequency', 'model'), 10) },
    disks: list(leaves('model', 'name', 'removable', 'size'), 10),
    interfaces: list({
      ...leaves('current_speed', 'driver', 'max_speed', 'name', 'pxe', 'state'),
      interface_properties: {
        ...leaves('disable_offloading', 'mtu', 'numa_node'),
        dpdk: leaves('enabled'),
        sriov: leaves('available', 'enabled', 'physnet', 'sriov_numvfs', 'sriov_totalvfs'),
      },
      offloading_modes: list(OFFLOADING_MODE),
    }),
    memory: { ...leaves('maximum_capacity', 'slots', 'total'), devices: list(leaves('frequency', 'size', 'type'), 10) },
    numa_topology: { distances: list(null), numa_nodes: list({ cpus: 'count', ...leaves('id', 'memory') }), supported_hugepages: list(null) },
    system: leaves('family', 'manufacturer', 'product', 'version'),
  },
  nic_interfaces: 'count',
  pending_roles: list(null),
  roles: list(null),
};

export const PLUGIN_SKELETON: Skeleton = {
  ...leaves('fuel_version', 'is_hotpluggable', 'name', 'package_version', 'version'),
  groups: list(null),
  licenses: list(null),
};

/** The four columns every node and plugin row ends with (fuelstats.md §5.3). */
export const ITEM_TRAILER = ['cluster_id', 'cluster_fuel_version', 'master_node_uid', 'structure.fuel_packages'] as const;

export const CLUSTER_COLUMNS = columnsOf(CLUSTER_SKELETON);
export const INSTALLATION_COLUMNS = columnsOf(INSTALLATION_SKELETON);
export const NODE_COLUMNS = columnsOf(NODE_SKELETON);
export const PLUGIN_COLUMNS = columnsOf(PLUGIN_SKELETON);

export const CSV_HEADERS = {
  clusters: [...CLUSTER_COLUMNS, ...INSTALLATION_COLUMNS].map((c) => c.name).concat('verify_networks_status'),
  nodes: NODE_COLUMNS.map((c) => c.name).concat(ITEM_TRAILER),
  plugins: PLUGIN_COLUMNS.map((c) => c.name).concat(ITEM_TRAILER),
} as const;

/** fuelstats.md §5.4: the OSWL resource types that have a column set (others, e.g. security_group, have no CSV export). */
export const OSWL_CSV_TYPES = ['vm', 'flavor', 'volume', 'image', 'tenant', 'keystone_user'] as const;
export type OswlCsvType = (typeof OSWL_CSV_TYPES)[number];
export const isOswlCsvType = (t: string): t is OswlCsvType => (OSWL_CSV_TYPES as readonly string[]).includes(t);

const OSWL_RESOURCE_SKELETONS: Record<OswlCsvType, Skeleton> = {
  vm: leaves('created_at', 'flavor_id', 'host_id', 'id', 'image_id', 'power_state', 'status', 'tenant_id'),
  flavor: leaves('disk', 'ephemeral', 'id', 'ram', 'swap', 'vcpus'),
  volume: { attachments: 'count', ...leaves('availability_zone', 'bootable_flag', 'encrypted_flag', 'id', 'size', 'snapshot_id', 'status', 'tenant_id', 'volume_type') },
  image: leaves('created_at', 'id', 'minDisk', 'minRam', 'sizeBytes', 'updated_at'),
  tenant: leaves('enabled_flag', 'id'),
  keystone_user: leaves('enabled_flag', 'id', 'tenant_id'),
};

/** The leading columns of every OSWL row: the record, the day it stands for, its version info. */
export const OSWL_GENERAL_COLUMNS = columnsOf({
  ...leaves('cluster_id', 'master_node_uid', 'resource_type', 'stats_on_date'),
  version_info: leaves('environment_version', 'fuel_version', 'release_name', 'release_os', 'release_version'),
});

/** Resource columns, walked over `{<type>: resource}` so names and paths carry the type prefix. */
export const OSWL_RESOURCE_COLUMNS = Object.fromEntries(
  OSWL_CSV_TYPES.map((t) => [t, columnsOf({ [t]: OSWL_RESOURCE_SKELETONS[t] })]),
) as Record<OswlCsvType, Column[]>;

export const oswlCsvHeader = (type: OswlCsvType): string[] => [
  ...OSWL_GENERAL_COLUMNS.map((c) => c.name),
  ...OSWL_RESOURCE_COLUMNS[type].map((c) => c.name),
  `${type}.is_added`, `${type}.is_modified`, `${type}.is_removed`,
];

/**
 * fuelstats.md §5.1 cell rendering (Python csv conventions, QUIRK): null/missing → empty, booleans True/False,
 * numbers as JSON numbers, a list at a leaf → items joined by one space, an object → JSON text.
 */
export function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (Array.isArray(value)) return value.map(cell).join(' ');
  return JSON.stringify(value);
}

/** The cell of one column for one object (missing anywhere on the path → empty). */
export function valueAt(root: unknown, column: Column): string {
  let v: unknown = root;
  for (const step of column.path) {
    if (v === null || typeof v !== 'object') return '';
    v = (v as Record<string | number, unknown>)[step];
  }
  if (column.count) return Array.isArray(v) ? String(v.length) : '';
  return cell(v);
}

export const cellsOf = (root: unknown, columns: readonly Column[]): string[] => columns.map((c) => valueAt(root, c));

/** fuelstats.md §5.1 framing: comma, CRLF after every row, quotes only when needed (comma and quote by default, CR/LF added). */
export const csvFormat = () => csvStream({ record_delimiter: 'windows', quoted_match: /[\r\n]/ });
