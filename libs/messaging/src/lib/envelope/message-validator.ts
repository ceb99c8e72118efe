import { findMessage, PERSONAL_KEYWORD, type MessageDefinition } from '@shop/contracts';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { PoisonMessageError } from '../errors';
import type { Envelope } from './envelope';

/**
 * Checks an envelope against the contract of its type and version (compiled once per schema).
 * A tolerant reader: fields the contract does not know are dropped before validation, so a
 * producer may add optional fields (a compatible change, see libs/contracts' schema gate)
 * without breaking consumers built against the older schema. Everything else is strict.
 */
export class MessageValidator {
  // Strict, but for the contracts' own annotation: which fields are personal data (no effect on validation).
  private readonly ajv = addFormats(new Ajv2020({ allErrors: true, strict: true, removeAdditional: true })).addKeyword(PERSONAL_KEYWORD);
  private readonly compiled = new Map<MessageDefinition, ValidateFunction>();

  /** Returns the message's definition; throws PoisonMessageError for an unknown type/version or invalid data. */
  validate(envelope: Envelope): MessageDefinition {
    const definition = findMessage(envelope.type, envelope.version);
    if (!definition) throw new PoisonMessageError('UNKNOWN_TYPE', `no contract for ${envelope.type} version ${envelope.version}`);
    let validate = this.compiled.get(definition);
    if (!validate) {
      validate = this.ajv.compile(definition.schema);
      this.compiled.set(definition, validate);
    }
    if (!validate(envelope.data)) {
      const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}`.trim()).join('; ');
      throw new PoisonMessageError('SCHEMA_INVALID', `${envelope.type}@${envelope.version}: ${problems}`);
    }
    return definition;
  }
}
