import { UAParser } from 'ua-parser-js';

export type UserAgentFields = Readonly<{
  user_agent_browser?: string;
  user_agent_browser_version?: string;
  user_agent_os?: string;
  user_agent_os_version?: string;
}>;

/** ua-parser-js 1.0 names → upstream's labels where they differ (spec submissions-and-nodes.md §A.7 has one label per browser, mobile or not). */
const BROWSERS: Record<string, string> = { IE: 'MSIE', 'Mobile Safari': 'Safari' };
/** ua-parser-js 1.0 says "Chromium OS" where 2.x, which stored the earlier rows, said "Chrome OS": one label for both. */
const SYSTEMS: Record<string, string> = { 'Chromium OS': 'Chrome OS' };

/** Clients send few distinct User-Agents, and parsing one was ~5% of a submission's CPU. */
const CACHE_LIMIT = 1024;
const parsedUserAgents = new Map<string, UserAgentFields>();

/**
 * User-Agent → browser/version/OS (spec submissions-and-nodes.md §A.7), via ua-parser-js 1.0 (MIT; 2.x is AGPL, which an Apache-2.0
 * network service cannot ship, see ops/check-licences.js); names mapped to upstream's labels
 * (MSIE, Windows 10/8.1/…, iPhone/iPad/iPod, Macintosh). The raw string is dropped by the caller.
 */
export function parseUserAgent(userAgent: string | undefined): UserAgentFields {
  if (!userAgent) return {};
  const known = parsedUserAgents.get(userAgent);
  if (known) return known;
  const parsed = Object.freeze(parseWithUaParser(userAgent));
  if (parsedUserAgents.size >= CACHE_LIMIT) parsedUserAgents.delete(parsedUserAgents.keys().next().value!);
  parsedUserAgents.set(userAgent, parsed);
  return parsed;
}

function parseWithUaParser(userAgent: string): UserAgentFields {
  const { browser, os, device } = new UAParser(userAgent).getResult();
  const out: Record<string, string> = {};
  if (/AndroidSync/.test(userAgent)) Object.assign(out, { user_agent_browser: 'FxSync', user_agent_os: 'Android' });
  else if (/Firefox-iOS-Sync/.test(userAgent)) Object.assign(out, { user_agent_browser: 'FxSync', user_agent_os: 'iOS' });
  else if (browser.name) {
    out.user_agent_browser = BROWSERS[browser.name] ?? browser.name;
    if (browser.major) out.user_agent_browser_version = browser.major;
  }
  if (out.user_agent_os) return out;
  const osName = os.name;
  if (osName === 'Windows') {
    out.user_agent_os = os.version ? `Windows ${os.version}` : 'Windows';
  } else if (osName === 'iOS') {
    out.user_agent_os = device.model && ['iPhone', 'iPad', 'iPod'].some((m) => device.model!.startsWith(m)) ? device.model.replace(/ .*/, '') : 'iPhone';
    if (os.version) out.user_agent_os_version = os.version;
  } else if (osName === 'Mac OS') {
    out.user_agent_os = 'Macintosh';
    if (os.version) out.user_agent_os_version = os.version;
  } else if (osName === 'Firefox OS' || /^Mozilla\/5\.0 \(Mobile;/.test(userAgent)) {
    out.user_agent_os = 'FirefoxOS';
  } else if (osName) {
    out.user_agent_os = SYSTEMS[osName] ?? osName;
    if (os.version) out.user_agent_os_version = os.version;
  }
  return out;
}
