/**
 * Thrown when this server may no longer move the commons' branch: several servers share the
 * commons and another one holds the writer's lease now (cluster/writer-lease.ts), or the shared
 * remote refused a push made under an old fencing token (cluster/commons-remote.ts).
 */
export class FencedError extends Error {
  /** The newer writer's token, when the remote named it. */
  readonly newerToken: number | undefined;

  constructor(message: string, newerToken?: number) {
    super(message);
    this.name = 'FencedError';
    this.newerToken = newerToken;
  }
}
