import { localPath } from './auth.controller';

describe('localPath (where sign-in returns to)', () => {
  it.each([
    ['/', '/'],
    ['/#/orders/1', '/#/orders/1'],
    [undefined, '/'],
    ['', '/'],
    ['//evil.example/', '/'],
    ['/\\evil.example/', '/'],
    ['https://evil.example/', '/'],
  ])('%p -> %p', (given, expected) => expect(localPath(given)).toBe(expected));
});
