import type { Component, ComponentName } from './component';
import { jaeger } from './components/jaeger';
import { kafka } from './components/kafka';
import { keycloak } from './components/keycloak';
import { mailpit } from './components/mailpit';
import { postgres } from './components/postgres';
import { registry } from './components/registry';
import { InfraError } from './toolkit/log';

/**
 * The local infrastructure's components, in the order they are started (and, reversed, stopped),
 * and in which status lists them. Adding one: a file under components/ (serverComponent() for a
 * single process), a line here, its provisioning in scripts/infra/provision.sh.
 */
export const COMPONENTS: readonly Component[] = [postgres, kafka, jaeger, mailpit, keycloak, registry];

/**
 * What start, stop, status and logs mean without names. Keycloak and the registry are started,
 * stopped and reported only when named (`npm run shop` and `npm test` name them when they want them).
 */
export const DEFAULT_COMPONENTS: readonly ComponentName[] = ['kafka', 'postgres', 'jaeger', 'mailpit'];

/** Every name, defaults first: how usage and errors list them. */
export const COMPONENT_NAMES: readonly ComponentName[] = [...DEFAULT_COMPONENTS, ...COMPONENTS.map((c) => c.name).filter((n) => !DEFAULT_COMPONENTS.includes(n))];

export function isComponentName(name: string): name is ComponentName {
  return COMPONENTS.some((c) => c.name === name);
}

/** Fails on an unknown name. */
export function checkComponentNames(names: readonly string[]): ComponentName[] {
  for (const name of names) {
    if (!isComponentName(name)) throw new InfraError(`unknown component '${name}' (known: ${COMPONENT_NAMES.join(' ')})`);
  }
  return names as ComponentName[];
}

/** The named components in table order, whatever the order of the names. */
export function inTableOrder(names: readonly ComponentName[]): Component[] {
  return COMPONENTS.filter((c) => names.includes(c.name));
}

export function component(name: ComponentName): Component {
  const found = COMPONENTS.find((c) => c.name === name);
  if (!found) throw new InfraError(`unknown component '${name}'`);
  return found;
}
