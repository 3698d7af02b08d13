// Bank statements: a CSV is matched to open invoices (preview), then the matches are recorded.
import { api, idempotencyKey, unwrap } from '../api';
import type { StatementColumns } from '../models';

export const statementService = {
  import: (csv: string, columns: StatementColumns | undefined, confirm: boolean, key = idempotencyKey()) =>
    unwrap(
      api.POST('/bank-statements/import', {
        params: { header: { 'Idempotency-Key': key } },
        body: { csv, confirm, ...(columns ? { columns } : {}) },
      }),
    ),
};
