import type { Page } from './source-reader';

/** Every row of a keyset stream, for the small sets read whole (a partner's users and customers). */
export async function collectRows<Row>(pages: AsyncIterable<Page<Row>>): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const page of pages) for (const row of page.rows) rows.push(row);
  return rows;
}
