export { Headers, type HeaderName } from './lib/headers';
