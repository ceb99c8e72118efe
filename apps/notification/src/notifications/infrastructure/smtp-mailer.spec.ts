import { isSmtpServerDown, SmtpError } from './smtp-mailer';

// The shapes nodemailer 10's errors take (code, responseCode), through SmtpError as the sender sees them.
const failure = (code: string | undefined, responseCode?: number) => SmtpError.from(Object.assign(new Error('smtp failure'), { code, responseCode }));

describe('isSmtpServerDown', () => {
  it.each([
    ['a refused connection', failure('ESOCKET')],
    ['a connection that could not be made', failure('ECONNECTION')],
    ['a connect or greeting timeout', failure('ETIMEDOUT')],
    ['the server closing the session (421)', failure('EPROTOCOL', 421)],
    ['a failed STARTTLS', failure('ETLS')],
    ['an error nodemailer did not classify', failure(undefined)],
  ])('is true for %s: every email would fail alike', (_, error) => {
    expect(isSmtpServerDown(error)).toBe(true);
  });

  it.each([
    ['a refused recipient (EENVELOPE)', failure('EENVELOPE', 550)],
    ['a refused message (EMESSAGE)', failure('EMESSAGE', 554)],
    ['any 5xx answer about this email', failure('EPROTOCOL', 552)],
  ])("is false for %s: the email's own failure, retried and failed as before", (_, error) => {
    expect(isSmtpServerDown(error)).toBe(false);
  });
});
