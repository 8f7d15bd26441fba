import { FilteringRules, FilteringRulesError, parseFilteringRules } from './filtering-rules';

/**
 * Fuel collector settings, read from the environment once by FuelModule:
 * - `FUEL_FILTERING_RULES`: JSON release filtering rules (spec §3.7 `FILTERING_RULES`); default none.
 */
export type FuelConfig = Readonly<{ filteringRules: FilteringRules }>;
export const FUEL_CONFIG = Symbol('FUEL_CONFIG');

export function loadFuelConfig(env: Readonly<Record<string, string | undefined>>): FuelConfig {
  try {
    return { filteringRules: parseFilteringRules(env.FUEL_FILTERING_RULES) };
  } catch (err) {
    if (err instanceof FilteringRulesError) throw new Error(`FUEL_FILTERING_RULES is invalid: ${err.message}`);
    throw err;
  }
}
