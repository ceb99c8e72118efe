import { parseArgs } from './cli-args';

describe('parseArgs (infra.sh arguments)', () => {
  it('means the four default components without names, or with `all` first', () => {
    expect(parseArgs(['start'])).toEqual({ command: 'start', components: ['kafka', 'postgres', 'jaeger', 'mailpit'] });
    expect(parseArgs(['stop', 'all'])).toEqual({ command: 'stop', components: ['kafka', 'postgres', 'jaeger', 'mailpit'] });
  });

  it('keeps named components, optional ones included', () => {
    expect(parseArgs(['status', 'registry', 'postgres', 'keycloak'])).toEqual({ command: 'status', components: ['registry', 'postgres', 'keycloak'] });
  });

  it('fails on an unknown component, naming it and the known ones', () => {
    expect(() => parseArgs(['start', 'postgres', 'redis'])).toThrow("unknown component 'redis' (known: kafka postgres jaeger mailpit keycloak registry)");
    // `all` means the defaults only as the first name, as infra.sh has always read it.
    expect(() => parseArgs(['start', 'kafka', 'all'])).toThrow("unknown component 'all'");
  });

  it('reads logs flags anywhere among the names, 40 lines by default', () => {
    expect(parseArgs(['logs'])).toEqual({ command: 'logs', follow: false, lines: '40', components: ['kafka', 'postgres', 'jaeger', 'mailpit'] });
    expect(parseArgs(['logs', 'kafka', '-f', '-n', '5', 'postgres'])).toEqual({ command: 'logs', follow: true, lines: '5', components: ['kafka', 'postgres'] });
    expect(parseArgs(['logs', '--follow'])).toMatchObject({ follow: true });
    expect(() => parseArgs(['logs', '-n'])).toThrow('-n needs a number');
  });

  it('answers help, and a usage error for no or an unknown command', () => {
    expect(parseArgs(['help'])).toEqual({ command: 'help' });
    expect(parseArgs(['--help'])).toEqual({ command: 'help' });
    expect(parseArgs([])).toEqual({ command: 'usage-error' });
    expect(parseArgs(['restart'])).toEqual({ command: 'usage-error' });
    // Names are checked before the command, as before: an unknown name fails (exit 1), not usage (exit 2).
    expect(() => parseArgs(['restart', 'nginx'])).toThrow("unknown component 'nginx'");
  });
});
