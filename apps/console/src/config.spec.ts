import { configSchema } from './config';

describe('the console configuration', () => {
  it('defaults to a local shop on 127.0.0.1, reaching the identity provider where browsers do', () => {
    const config = configSchema.parse({});
    expect(config).toMatchObject({
      HOST: '127.0.0.1',
      PORT: 3100,
      ORDER_API_URL: 'http://127.0.0.1:3000',
      OIDC_ISSUER: 'http://127.0.0.1:8180/realms/shop',
      OIDC_BACKCHANNEL_URL: 'http://127.0.0.1:8180/realms/shop',
      CONSOLE_PUBLIC_URL: 'http://127.0.0.1:3100',
      ANALYTICS_URL: 'http://127.0.0.1:3005',
    });
  });

  it('reads analytics where ANALYTICS_URL says, without a trailing slash (compose: http://analytics:3005)', () => {
    expect(configSchema.parse({ ANALYTICS_URL: 'http://analytics:3005/' }).ANALYTICS_URL).toBe('http://analytics:3005');
  });

  it('reaches the realm where browsers do when OIDC_BACKCHANNEL_URL is unset, whatever the port (a private Keycloak)', () => {
    expect(configSchema.parse({ OIDC_ISSUER: 'http://127.0.0.1:28080/realms/shop' })).toMatchObject({ OIDC_BACKCHANNEL_URL: 'http://127.0.0.1:28080/realms/shop' });
  });

  it('reaches the realm at OIDC_BACKCHANNEL_URL when browsers reach it elsewhere (compose: keycloak:8080)', () => {
    const config = configSchema.parse({ OIDC_ISSUER: 'http://127.0.0.1:8180/realms/shop/', OIDC_BACKCHANNEL_URL: 'http://keycloak:8080/realms/shop/', CONSOLE_PUBLIC_URL: 'https://console.example.com/' });
    expect(config).toMatchObject({ OIDC_ISSUER: 'http://127.0.0.1:8180/realms/shop', OIDC_BACKCHANNEL_URL: 'http://keycloak:8080/realms/shop', CONSOLE_PUBLIC_URL: 'https://console.example.com' });
  });

  it('reaches the realm where OIDC_ISSUER says when OIDC_BACKCHANNEL_URL is not set (a private Keycloak, as in the browser tests)', () => {
    expect(configSchema.parse({ OIDC_ISSUER: 'http://127.0.0.1:28480/realms/shop' }).OIDC_BACKCHANNEL_URL).toBe('http://127.0.0.1:28480/realms/shop');
  });

  it.each([
    ['OIDC_BACKCHANNEL_URL', 'keycloak:8080/realms/shop'],
    ['ORDER_API_URL', 'ftp://order'],
    ['ANALYTICS_URL', 'analytics:3005'],
    ['PORT', '70000'],
  ])('refuses %s=%s, naming the setting', (name, value) => {
    const result = configSchema.safeParse({ [name]: value });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual([name]);
  });
});
