import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { exposureProblem, loadConfig, ROOT } from '../../worker/config';

describe('where the HTTP server may listen', () => {
  const at = (env: Record<string, string>) => exposureProblem(loadConfig(env));
  const TOKEN = 'k'.repeat(40);

  it('listens on loopback with nothing set', () => {
    expect(at({})).toBeNull();
    expect(at({ AIGUILLAGE_HTTP_HOST: '::1' })).toBeNull();
    expect(at({ AIGUILLAGE_HTTP_HOST: 'localhost' })).toBeNull();
  });

  it('refuses any other address without a token and HTTPS or a proxy, saying what to set', () => {
    expect(at({ AIGUILLAGE_HTTP_HOST: '0.0.0.0' })).toBe(
      'refusing to listen on 0.0.0.0 beyond this machine: set AIGUILLAGE_API_TOKEN (32+ random characters) and AIGUILLAGE_TLS_CERT + AIGUILLAGE_TLS_KEY (HTTPS here) or AIGUILLAGE_TRUST_PROXY (the TLS proxy in front), or set AIGUILLAGE_HTTP_HOST=127.0.0.1',
    );
    expect(at({ AIGUILLAGE_HTTP_HOST: '10.1.2.3', AIGUILLAGE_API_TOKEN: TOKEN })).toMatch(/set AIGUILLAGE_TLS_CERT \+ AIGUILLAGE_TLS_KEY .* or AIGUILLAGE_TRUST_PROXY/);
    expect(at({ AIGUILLAGE_HTTP_HOST: '10.1.2.3', AIGUILLAGE_TRUST_PROXY: '10.1.2.1' })).toMatch(/set AIGUILLAGE_API_TOKEN \(32\+ random characters\), or/);
    expect(at({ AIGUILLAGE_HTTP_HOST: '0.0.0.0', AIGUILLAGE_API_TOKEN: TOKEN, AIGUILLAGE_TLS_CERT: 'c.pem' })).not.toBeNull();
  });

  it('listens beyond loopback with a token and HTTPS, or a token and a trusted proxy', () => {
    expect(at({ AIGUILLAGE_HTTP_HOST: '0.0.0.0', AIGUILLAGE_API_TOKEN: TOKEN, AIGUILLAGE_TLS_CERT: 'c.pem', AIGUILLAGE_TLS_KEY: 'k.pem' })).toBeNull();
    expect(at({ AIGUILLAGE_HTTP_HOST: '0.0.0.0', AIGUILLAGE_API_TOKEN: TOKEN, AIGUILLAGE_TRUST_PROXY: '10.0.0.0/8' })).toBeNull();
  });
});

describe('defaults outside the samples', () => {
  it('uses no example users or partners (their secrets are in the README)', () => {
    const cfg = loadConfig({});
    expect(cfg.usersFile === null || !cfg.usersFile.includes('example')).toBe(true);
    expect(cfg.partnersFile === null || !cfg.partnersFile.includes('example')).toBe(true);
    expect(loadConfig({ AIGUILLAGE_USERS: 'config/users.example.yaml' }).usersFile).toBe(join(ROOT, 'config/users.example.yaml'));
    expect(loadConfig({ AIGUILLAGE_PARTNERS: '' }).partnersFile).toBeNull();
  });

  it('reads the proxy to trust as fastify takes it', () => {
    expect(loadConfig({}).trustProxy).toBeNull();
    expect(loadConfig({ AIGUILLAGE_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ AIGUILLAGE_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ AIGUILLAGE_TRUST_PROXY: '10.0.0.1,10.0.0.2' }).trustProxy).toBe('10.0.0.1,10.0.0.2');
  });
});
