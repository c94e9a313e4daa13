// Writes erp/schema/sales-order.schema.json from the zod schema of erp/files/document.ts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { salesOrderJsonSchema } from '../erp/files/document';
import { ROOT } from '../worker/config';

writeFileSync(join(ROOT, 'erp', 'schema', 'sales-order.schema.json'), `${JSON.stringify(salesOrderJsonSchema(), null, 2)}\n`);
