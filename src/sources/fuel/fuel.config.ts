import { CidrList } from '../../common/cidr-list';
import { ConfigError, Env, int, list } from '../../config/env-readers';
import { FilteringRules, FilteringRulesError, parseFilteringRules } from './intake/filtering-rules';

/** Loopback and the RFC 1918 private ranges: upstream relied on the analytics API being reachable only from inside. */
export const DEFAULT_ANALYTICS_CIDRS = ['127.0.0.0/8', '::1/128', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

/**
 * Fuel settings, read from the environment once by FuelModule (README "Fuel statistics collector"):
 * - `FUEL_FILTERING_RULES`: JSON release filtering rules (spec fuelstats.md §3.7 `FILTERING_RULES`); default none.
 * - `REPORT_MIN_INSTALLATIONS`: privacy floor of the fuelstats.md §6 reports; buckets backed by fewer installations merge
 *   into "other" (fuelstats.md §6.0); default 5 (k-anonymity on), 1 = off.
 * - `ANALYTICS_ALLOWED_CIDRS`: networks that may use the analytics exports and reports (fuelstats.md §5); others get 403.
 * - `TRUSTED_PROXIES`: proxies in front of the server; the client is the X-Forwarded-For entry this far from the end.
 */
export type FuelConfig = Readonly<{
  filteringRules: FilteringRules;
  reportMinInstallations: number;
  analyticsAllowedCidrs: CidrList;
  trustedProxies: number;
}>;
export const FUEL_CONFIG = Symbol('FUEL_CONFIG');

export function loadFuelConfig(env: Env): FuelConfig {
  let filteringRules: FilteringRules;
  try {
    filteringRules = parseFilteringRules(env.FUEL_FILTERING_RULES);
  } catch (err) {
    if (err instanceof FilteringRulesError) throw new ConfigError(`FUEL_FILTERING_RULES is invalid: ${err.message}`);
    throw err;
  }
  const cidrs = list(env, 'ANALYTICS_ALLOWED_CIDRS');
  let analyticsAllowedCidrs: CidrList;
  try {
    analyticsAllowedCidrs = CidrList.parse(cidrs.length > 0 ? cidrs : DEFAULT_ANALYTICS_CIDRS);
  } catch (err) {
    throw new ConfigError(`ANALYTICS_ALLOWED_CIDRS must be comma-separated addresses or address/prefix networks: ${(err as Error).message}`);
  }
  return {
    filteringRules,
    reportMinInstallations: int(env, 'REPORT_MIN_INSTALLATIONS', 5, 1, 1_000_000),
    analyticsAllowedCidrs,
    trustedProxies: int(env, 'TRUSTED_PROXIES', 0, 0, 100),
  };
}
