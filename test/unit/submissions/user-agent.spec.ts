import { parseUserAgent } from '../../../src/sources/submissions/user-agent';

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
