import { ENUMS, matchEnum } from '../../../src/transform';

describe('matchEnum', () => {
  it.each([
    [ENUMS.partnerStatus, 'Active', 'Active'],
    [ENUMS.partnerStatus, ' suspended ', 'Suspended'],
    [ENUMS.partnerStatus, 'CLOSED', 'Closed'],
    [ENUMS.userRole, 'read only', 'ReadOnly'],
    [ENUMS.userRole, 'Read-Only', 'ReadOnly'],
    [ENUMS.userRole, 'admin ', 'Admin'],
    [ENUMS.orderType, 'add_seats', 'AddSeats'],
    [ENUMS.orderType, 'Auto Renew Toggle', 'AutoRenewToggle'],
    [ENUMS.orderStatus, 'Complete', 'Completed'],
    [ENUMS.orderStatus, 'complete ', 'Completed'],
    [ENUMS.orderStatus, 'In Progress', 'InProgress'],
    [ENUMS.orderStatus, 'in-progress', 'InProgress'],
    [ENUMS.orderStatus, 'Canceled', 'Cancelled'],
    [ENUMS.orderStatus, 'Completed\t', 'Completed'],
    [ENUMS.billingFrequency, 'one-time', 'OneTime'],
    [ENUMS.documentType, 'Credit Note', 'CreditNote'],
    [ENUMS.invoiceStatus, 'VOID', 'Void'],
  ])('%#: %j', (spec, raw, expected) => {
    expect(matchEnum(spec, raw)).toBe(expected);
  });

  it.each([
    [ENUMS.partnerStatus, 'Closd'],
    [ENUMS.partnerStatus, ''],
    [ENUMS.userRole, 'Owner'],
    [ENUMS.orderType, 'Upgrade'],
    [ENUMS.orderType, 'Canceled'],
    [ENUMS.orderStatus, 'Done'],
    [ENUMS.billingFrequency, 'Yearly'],
    [ENUMS.documentType, 'CreditMemo'],
    [ENUMS.invoiceStatus, 'Closed'],
  ])('%#: %j matches no value', (spec, raw) => {
    expect(matchEnum(spec, raw)).toBeUndefined();
  });

  it('answers the same from its memo', () => {
    expect(matchEnum(ENUMS.orderStatus, 'Complete')).toBe('Completed');
    expect(matchEnum(ENUMS.orderStatus, 'Complete')).toBe('Completed');
    expect(matchEnum(ENUMS.orderStatus, 'Nope')).toBeUndefined();
    expect(matchEnum(ENUMS.orderStatus, 'Nope')).toBeUndefined();
    expect(matchEnum(ENUMS.orderStatus, null)).toBeUndefined();
  });
});
