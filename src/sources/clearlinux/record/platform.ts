/**
 * `host_type` is `sys_vendor|product_name|product_version` from DMI (spec clearlinux.md §1), but client 2.4
 * cuts every value at its first space (clearlinux.md §5 QUIRK), so `Intel` alone is a normal value here.
 */
export type Platform = Readonly<{ vendor: string | null; product: string | null; version: string | null }>;

/**
 * Missing or empty parts are null (the client writes `blank` for an empty DMI value, so an empty
 * part only comes from other senders); never throws. A `|` inside the version stays in the version.
 */
export function parsePlatform(machineType: string): Platform {
  const [vendor, product, ...version] = machineType.split('|');
  return { vendor: part(vendor), product: part(product), version: part(version.join('|')) };
}

function part(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}
