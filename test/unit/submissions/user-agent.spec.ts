import { parseUserAgent } from '../../../src/sources/submissions/intake/user-agent';

describe('parseUserAgent', () => {
  it('Firefox on Windows 10', () => {
    expect(parseUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:61.0) Gecko/20100101 Firefox/61.0')).toEqual({
      user_agent_browser: 'Firefox',
      user_agent_browser_version: '61',
      user_agent_os: 'Windows 10',
    });
  });
  it('Trident/7.0 is MSIE 11 on Windows 7', () => {
    expect(parseUserAgent('Mozilla/5.0 (Windows NT 6.1; Trident/7.0; rv:11.0) like Gecko')).toEqual({
      user_agent_browser: 'MSIE',
      user_agent_browser_version: '11',
      user_agent_os: 'Windows 7',
    });
  });
  it('Safari on an iPhone', () => {
    const ua = 'Mozilla/5.0 (iPhone; CPU iPhone OS 11_0 like Mac OS X) AppleWebKit/604.1.38 (KHTML, like Gecko) Version/11.0 Mobile/15A372 Safari/604.1';
    expect(parseUserAgent(ua)).toMatchObject({ user_agent_browser: 'Safari', user_agent_browser_version: '11', user_agent_os: 'iPhone' });
  });
  it('Chrome on Linux', () => {
    const ua = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.77 Safari/537.36';
    expect(parseUserAgent(ua)).toEqual({ user_agent_browser: 'Chrome', user_agent_browser_version: '70', user_agent_os: 'Linux' });
  });
  it('Safari on Macintosh', () => {
    const ua = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_13_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/11.1 Safari/605.1.15';
    expect(parseUserAgent(ua)).toMatchObject({ user_agent_browser: 'Safari', user_agent_os: 'Macintosh' });
  });
  // Real browsers' User-Agents against upstream's labels (spec submissions-and-nodes.md §A.7): one browser label whether mobile or not,
  // the Windows NT version as the marketing name, the Apple device instead of "iOS". Chrome on Android and iOS
  // is the case the AGPL ua-parser-js 2.x got wrong ("Mobile Chrome").
  it.each([
    ['Chrome on Android', 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36',
      { user_agent_browser: 'Chrome', user_agent_browser_version: '120', user_agent_os: 'Android', user_agent_os_version: '10' }],
    ['Chrome on an iPad', 'Mozilla/5.0 (iPad; CPU OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1',
      { user_agent_browser: 'Chrome', user_agent_browser_version: '120', user_agent_os: 'iPad', user_agent_os_version: '17.2' }],
    ['Edge (Chromium) on Windows 10', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91',
      { user_agent_browser: 'Edge', user_agent_browser_version: '120', user_agent_os: 'Windows 10' }],
    ['Edge (EdgeHTML) on Windows 10', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.102 Safari/537.36 Edge/18.17763',
      { user_agent_browser: 'Edge', user_agent_browser_version: '18', user_agent_os: 'Windows 10' }],
    ['Opera on Windows 10', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 OPR/106.0.0.0',
      { user_agent_browser: 'Opera', user_agent_browser_version: '106', user_agent_os: 'Windows 10' }],
    ['Opera Mini on Android', 'Opera/9.80 (Android; Opera Mini/36.2.2254/119.132; U; id) Presto/2.12.423 Version/12.16',
      { user_agent_browser: 'Opera Mini', user_agent_browser_version: '36', user_agent_os: 'Android' }],
    ['Opera Mobile on Android', 'Opera/9.80 (Android 2.3.3; Linux; Opera Mobi/ADR-1111101157; U; es-ES) Presto/2.9.201 Version/11.50',
      { user_agent_browser: 'Opera Mobi', user_agent_browser_version: '11', user_agent_os: 'Android', user_agent_os_version: '2.3.3' }],
    ['MSIE 10 on Windows 8', 'Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; Trident/6.0)',
      { user_agent_browser: 'MSIE', user_agent_browser_version: '10', user_agent_os: 'Windows 8' }],
    ['MSIE 11 on Windows 8.1', 'Mozilla/5.0 (Windows NT 6.3; Trident/7.0; rv:11.0) like Gecko',
      { user_agent_browser: 'MSIE', user_agent_browser_version: '11', user_agent_os: 'Windows 8.1' }],
    ['MSIE 9 on Windows Vista', 'Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.0; Trident/5.0)',
      { user_agent_browser: 'MSIE', user_agent_browser_version: '9', user_agent_os: 'Windows Vista' }],
    ['MSIE 8 on Windows XP', 'Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 5.1; Trident/4.0)',
      { user_agent_browser: 'MSIE', user_agent_browser_version: '8', user_agent_os: 'Windows XP' }],
    ['MSIE 6 on Windows 2000', 'Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.0)',
      { user_agent_browser: 'MSIE', user_agent_browser_version: '6', user_agent_os: 'Windows 2000' }],
    ['Firefox on Android', 'Mozilla/5.0 (Android 14; Mobile; rv:121.0) Gecko/121.0 Firefox/121.0',
      { user_agent_browser: 'Firefox', user_agent_browser_version: '121', user_agent_os: 'Android', user_agent_os_version: '14' }],
    ['Firefox on an iPhone', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/121.0 Mobile/15E148 Safari/605.1.15',
      { user_agent_browser: 'Firefox', user_agent_browser_version: '121', user_agent_os: 'iPhone', user_agent_os_version: '17.2' }],
    ['Firefox on macOS', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:121.0) Gecko/20100101 Firefox/121.0',
      { user_agent_browser: 'Firefox', user_agent_browser_version: '121', user_agent_os: 'Macintosh', user_agent_os_version: '10.15' }],
    ['Firefox OS', 'Mozilla/5.0 (Mobile; rv:26.0) Gecko/26.0 Firefox/26.0',
      { user_agent_browser: 'Firefox', user_agent_browser_version: '26', user_agent_os: 'FirefoxOS' }],
    ['Safari on an iPod touch', 'Mozilla/5.0 (iPod touch; CPU iPhone OS 12_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.0 Mobile/15E148 Safari/604.1',
      { user_agent_browser: 'Safari', user_agent_browser_version: '12', user_agent_os: 'iPod', user_agent_os_version: '12.1' }],
    ['the BlackBerry browser', 'Mozilla/5.0 (BlackBerry; U; BlackBerry 9900; en) AppleWebKit/534.11+ (KHTML, like Gecko) Version/7.1.0.346 Mobile Safari/534.11+',
      { user_agent_browser: 'Safari', user_agent_browser_version: '7', user_agent_os: 'BlackBerry' }],
    // Not in upstream's table; the label ua-parser-js 2.x stored before is kept so old and new rows group together.
    ['Chrome on a Chromebook', 'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
      { user_agent_browser: 'Chrome', user_agent_browser_version: '120', user_agent_os: 'Chrome OS', user_agent_os_version: '14541.0.0' }],
  ])('%s', (_browser, userAgent, fields) => {
    expect(parseUserAgent(userAgent)).toEqual(fields);
  });
  it('no browser or OS for clients that are not browsers', () => {
    expect(parseUserAgent('pingsender/1.0')).toEqual({});
    expect(parseUserAgent('curl/8.5.0')).toEqual({});
  });
  it('Firefox Sync clients', () => {
    expect(parseUserAgent('Firefox AndroidSync 1.61.0.1 (Firefox)')).toEqual({ user_agent_browser: 'FxSync', user_agent_os: 'Android' });
    expect(parseUserAgent('Firefox-iOS-Sync/12.0b1234 (iPhone; iPhone OS 11.2.6) (Firefox)')).toEqual({ user_agent_browser: 'FxSync', user_agent_os: 'iOS' });
  });
  it('nothing for a missing header', () => {
    expect(parseUserAgent(undefined)).toEqual({});
    expect(parseUserAgent('')).toEqual({});
  });
  it('answers a repeated User-Agent the same after more distinct ones than it remembers', () => {
    const firefox = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:61.0) Gecko/20100101 Firefox/61.0';
    const first = parseUserAgent(firefox);
    for (let i = 0; i < 1500; i++) {
      expect(parseUserAgent(`Mozilla/5.0 (X11; Linux x86_64; rv:${i}.0) Gecko/20100101 Firefox/${i}.0`)).toMatchObject({ user_agent_os: 'Linux' });
    }
    expect(parseUserAgent(firefox)).toEqual(first);
    expect(parseUserAgent('Mozilla/5.0 (X11; Linux x86_64; rv:7.0) Gecko/20100101 Firefox/7.0').user_agent_browser_version).toBe('7');
  });
});
