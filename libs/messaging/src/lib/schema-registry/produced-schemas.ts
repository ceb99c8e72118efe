import {
  registeredSchemaText,
  SchemaRegistryClient,
  subjectOf,
  type MessageDefinition,
} from '@shop/contracts';

/** Why a service refuses to start: the schemas it sends that the registry does not hold, by subject. */
export class UnregisteredSchemasError extends Error {
  constructor(
    readonly registryUrl: string,
    readonly problems: string[],
  ) {
    super(
      `the schema registry at ${registryUrl} does not hold the schemas this service sends:\n  ${problems.join('\n  ')}`,
    );
    this.name = 'UnregisteredSchemasError';
  }
}

/**
 * The schema registry's reference for each message version a service sends: checked once at
 * boot (`verify`), then stamped on every message as its CloudEvents `dataschema` by the outbox
 * writer. A service with no registry configured (SCHEMA_REGISTRY_URL unset) never calls verify,
 * and its messages carry no `dataschema`.
 */
export class ProducedSchemas {
  private readonly references = new Map<string, string>();

  /** The subject version URL for this message version, once verified; undefined otherwise. */
  referenceOf(
    definition: Pick<MessageDefinition, 'type' | 'version'>,
  ): string | undefined {
    return this.references.get(subjectOf(definition));
  }

  /**
   * Each schema must be registered under its subject exactly as this build has it (so consumers
   * reading the registry see what is sent). Throws UnregisteredSchemasError naming every subject
   * that is missing, holds another schema, or would refuse this one as incompatible; an
   * unreachable registry throws too. Registering is `npm run contracts:register`'s job (or, in a
   * container, a separate run of the binary with `--register-schemas`), never a running service's.
   */
  async verify(
    registryUrl: string,
    sends: readonly MessageDefinition[],
  ): Promise<void> {
    const client = new SchemaRegistryClient(registryUrl);
    const problems: string[] = [];
    for (const definition of sends) {
      const subject = subjectOf(definition);
      const schema = registeredSchemaText(definition.schema);
      const found = await client.lookup(subject, schema);
      if (found) {
        this.references.set(subject, client.versionUrl(subject, found.version));
        continue;
      }
      const latest = await client.latest(subject);
      if (!latest)
        problems.push(
          `${subject}: not registered (run npm run contracts:register)`,
        );
      else if (await client.isCompatible(subject, schema))
        problems.push(
          `${subject}: this version of its schema is not registered (latest is version ${latest.version}; run npm run contracts:register)`,
        );
      else
        problems.push(
          `${subject}: the schema this service sends is not compatible with registered version ${latest.version} (the registry refuses it): a breaking change needs a new message version`,
        );
    }
    if (problems.length > 0)
      throw new UnregisteredSchemasError(registryUrl, problems);
  }
}
