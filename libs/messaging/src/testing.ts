/** Test helpers of @shop/messaging (`@shop/messaging/testing`): never imported by production code. */
export {
  contractDescription,
  envelopeFromPact,
  messageForPact,
  matching,
  messagesHandledBy,
  pactMetadata,
  PACT_DIR,
  pactFile,
  pactInteractions,
  RecordingOutbox,
  testContext,
} from './testing/pact';
export { publishForTest } from './testing/publish';
