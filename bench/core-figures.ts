import { benchCleanup } from './cleanup.bench.js';
import { benchProvisionService } from './provision.bench.js';
import { table } from './lib/report.js';

const rows = [await benchProvisionService(), await benchCleanup(50)];
process.stdout.write(`${table(rows)}\n`);
