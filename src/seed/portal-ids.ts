/**
 * The last primary key used per table. Keys grow monotonically across the whole portal,
 * partner after partner, like identity columns; a skipped key is a hard-deleted row.
 */
export class PortalIds {
  partner = 0;
  user = 0;
  customer = 0;
  order = 0;
  orderLine = 0;
  invoice = 0;
  invoiceLine = 0;
}
