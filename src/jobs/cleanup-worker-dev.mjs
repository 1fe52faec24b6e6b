// Development only (npm run dev under tsx): Node 20 does not apply loader hooks to a worker's entry
// file, so this plain module registers tsx first and then loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./cleanup-worker.ts');
