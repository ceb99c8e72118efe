import { personalData } from './personal-data';
import { ALL_MESSAGES } from './registry';
import { notPersonal, personal, strictObject, text } from './schema-parts';

/** The schema gate for personal data: every field that looks personal says whether it is. */
describe('personal data in the message schemas', () => {
  it.each(ALL_MESSAGES.map((m) => [`${m.type} v${m.version}`, m] as const))('%s marks every field that looks personal', (_name, m) => {
    expect(personalData(m.schema).unmarked).toEqual([]);
  });

  it('finds the customer’s email, name and shipping address, and nothing else', () => {
    const where = Object.fromEntries(ALL_MESSAGES.map((m) => [`${m.type} v${m.version}`, personalData(m.schema).personal] as const).filter(([, paths]) => paths.length > 0));
    const customer = ['$.customerEmail', '$.customerName'];
    expect(where).toEqual({
      'order.placed v1': customer,
      'order.confirmed v1': customer,
      'order.confirmed v2': ['$.customer.email', '$.customer.name'],
      'order.rejected v1': customer,
      'order.cancelled v1': customer,
      'order.shipped v1': customer,
      'order.delivered v1': customer,
      'shipping.schedule-shipment v1': ['$.address'],
    });
  });

  it('fails a field that looks personal and carries no mark, at any depth, by format or by name', () => {
    const schema = strictObject({
      contact: { type: 'object', properties: { phone: text, mail: { type: 'string', format: 'email' } } },
      people: { type: 'array', items: { type: 'object', properties: { firstName: text } } },
      productName: notPersonal(text),
      customerName: personal(text),
    });
    expect(personalData(schema)).toEqual({ personal: ['$.customerName'], unmarked: ['$.contact.phone', '$.contact.mail', '$.people[].firstName'] });
  });
});
