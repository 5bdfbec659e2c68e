/**
 * Thrown when this server may no longer move the commons' branch: several servers share the
 * commons and another one holds the writer's lease now (cluster/writer-lease.ts), or the shared
 * remote refused a push made under an old fencing token (cluster/commons-remote.ts).
 */
export class FencedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FencedError';
  }
}
