import { parsePlatform } from '../../../../src/sources/clearlinux/record/platform';

describe('parsePlatform', () => {
  it.each([
    ['Intel Corporation|NUC6i5SYB|H81131-502', { vendor: 'Intel Corporation', product: 'NUC6i5SYB', version: 'H81131-502' }],
    ['blank|blank|blank', { vendor: 'blank', product: 'blank', version: 'blank' }],
    ['no_sv_file|no_pn_file|no_pvr_file', { vendor: 'no_sv_file', product: 'no_pn_file', version: 'no_pvr_file' }],
    // client 2.4 cuts values at the first space (spec 5 QUIRK)
    ['Intel', { vendor: 'Intel', product: null, version: null }],
    ['QEMU|Standard', { vendor: 'QEMU', product: 'Standard', version: null }],
    ['a||c', { vendor: 'a', product: null, version: 'c' }],
    ['', { vendor: null, product: null, version: null }],
    ['a|b|c|d', { vendor: 'a', product: 'b', version: 'c|d' }],
  ])('%j', (machineType, expected) => {
    expect(parsePlatform(machineType)).toEqual(expected);
  });
});
