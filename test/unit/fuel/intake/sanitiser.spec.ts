import { isSecretKeyName, sanitiseInstallationStructure, sanitiseTree } from '../../../../src/sources/fuel/intake/sanitiser';

describe('isSecretKeyName (spec fuelstats.md §3.6)', () => {
  it.each([
    ['password', true],
    ['admin_password', true],
    ['DB_PASSWD', true],
    ['client_secret', true],
    ['auth_token', true],
    ['tokenizer', true],
    ['key', true],
    ['KEY', true],
    ['mon_key', true],
    ['ssh_key', true],
    ['private_key', true],
    ['keystone', false],
    ['keystone_user', false],
    ['enabled_flag', false],
    ['keys', false],
    ['monkey', false],
    ['key_id', false],
    ['fsid', false],
  ])('%s → %s', (name, secret) => expect(isSecretKeyName(name)).toBe(secret));
});

describe('sanitiseTree', () => {
  it('drops secret-named keys at any depth, in arrays too, and counts them', () => {
    const input = { a: { password: 'x', b: [{ token: 't', keep: 1 }, { nested: { api_key: 'k', keystone: 'ok' } }] }, key: 'k', n: null };
    const { value, removed } = sanitiseTree(input);
    expect(value).toEqual({ a: { b: [{ keep: 1 }, { nested: { keystone: 'ok' } }] }, n: null });
    expect(removed).toEqual({ secret_name: 4 });
    expect(input.a.password).toBe('x'); // input untouched
  });

  it('leaves scalars and clean objects alone', () => {
    expect(sanitiseTree('x')).toEqual({ value: 'x', removed: {} });
    expect(sanitiseTree({ a: [1, 2] })).toEqual({ value: { a: [1, 2] }, removed: {} });
  });
});

describe('sanitiseInstallationStructure (spec fuelstats.md §3.6 table)', () => {
  const structure = () => ({
    master_node_uid: 'u',
    user_information: { contact_info_provided: true, name: 'N', email: 'e@x', company: 'C' },
    clusters: [
      {
        id: 1,
        attributes: { fsid: 'f', mon_key: 'm', admin_key: 'a', bootstrap_osd_key: 'b', radosgw_key: 'r', libvirt_type: 'kvm', volumes_ceph: true },
        nodes: [
          {
            id: 1,
            name: 'Untitled (01:11)',
            roles: ['controller'],
            meta: {
              system: { fqdn: 'n.example', serial: 'S', uuid: 'U', product: 'P', manufacturer: 'M' },
              interfaces: [{ name: 'eth0', mac: '52:54:00:00:00:01', driver: 'igb' }, { name: 'eth1' }],
            },
          },
          { id: 2, roles: [] },
        ],
      },
    ],
  });

  it('removes exactly the listed keys and counts per rule', () => {
    const { value, removed } = sanitiseInstallationStructure(structure());
    expect(value).toEqual({
      master_node_uid: 'u',
      user_information: { contact_info_provided: true },
      clusters: [
        {
          id: 1,
          attributes: { libvirt_type: 'kvm', volumes_ceph: true },
          nodes: [
            { id: 1, roles: ['controller'], meta: { system: { product: 'P', manufacturer: 'M' }, interfaces: [{ name: 'eth0', driver: 'igb' }, { name: 'eth1' }] } },
            { id: 2, roles: [] },
          ],
        },
      ],
    });
    expect(removed).toEqual({ ceph_secret: 5, node_name: 1, node_system_identity: 3, interface_mac: 1, user_contact: 3 });
  });

  it('also applies the generic secret pattern anywhere in the structure', () => {
    const s = { ...structure(), clusters: [{ id: 2, attributes: { nsx_password: 'p', ssh_key: 'k' }, nodes: [] }], extra: { token: 't' } };
    const { value, removed } = sanitiseInstallationStructure(s);
    expect(value.clusters[0].attributes).toEqual({});
    expect((value as Record<string, unknown>).extra).toEqual({});
    expect(removed).toEqual({ secret_name: 3, user_contact: 3 });
  });

  it('tolerates missing or odd sections', () => {
    expect(sanitiseInstallationStructure({ master_node_uid: 'u', clusters: [] }).removed).toEqual({});
    expect(sanitiseInstallationStructure({ master_node_uid: 'u', clusters: [null, 5, { nodes: [null] }] }).removed).toEqual({});
  });
});
