import { validationError } from './errors';

interface Sequenced { readonly seq: number }

export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

/** Opaque token: base64url of `<operation>:<seq of the last returned item>`, which fits PaginationToken's pattern. */
function encodeToken(operation: string, seq: number): string {
  return Buffer.from(`${operation}:${seq}`).toString('base64url');
}

function decodeToken(operation: string, token: string): number {
  const match = /^([A-Za-z]+):(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match || match[1] !== operation) {
    throw validationError('nextToken: the pagination token is invalid or belongs to another operation');
  }
  return Number(match[2]);
}

/** Returns one page of `items` (already in creation order) after the position in `nextToken`. */
export function paginate<T extends Sequenced>(
  operation: string,
  items: Iterable<T>,
  nextToken: string | undefined,
  maxResults: number | undefined,
  defaultMaxResults: number,
): Page<T> {
  const after = nextToken ? decodeToken(operation, nextToken) : 0;
  const limit = maxResults ?? defaultMaxResults;
  const remaining = [...items].filter((item) => item.seq > after);
  const pageItems = remaining.slice(0, limit);
  const hasMore = remaining.length > limit;
  return hasMore ? { items: pageItems, nextToken: encodeToken(operation, pageItems[pageItems.length - 1].seq) } : { items: pageItems };
}
