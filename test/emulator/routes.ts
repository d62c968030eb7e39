import { isOperationName, OperationName } from './shapes';

/** A matched route: the operation and how to assemble its input from the parsed body and the URL. */
export interface Route {
  readonly operation: OperationName;
  buildInput(body: unknown): unknown;
}

const TAGS_PREFIX = '/tags/';

function decodeLabel(label: string): string {
  try {
    return decodeURIComponent(label);
  } catch {
    return label; // malformed escapes are left as-is and then fail the ARN pattern
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Tag operations bind the (URL-encoded) resource ARN from the path, tags from the body and tagKeys from the query. */
function tagRoute(method: string, label: string, query: URLSearchParams): Route | undefined {
  const resourceArn = decodeLabel(label);
  switch (method) {
    case 'POST':
      return { operation: 'TagResource', buildInput: (body) => ({ tags: isObject(body) ? body.tags : undefined, resourceArn }) };
    case 'DELETE':
      return {
        operation: 'UntagResource',
        buildInput: () => ({ resourceArn, tagKeys: query.has('tagKeys') ? query.getAll('tagKeys') : undefined }),
      };
    case 'GET':
      return { operation: 'ListTagsForResource', buildInput: () => ({ resourceArn }) };
    default:
      return undefined;
  }
}

/**
 * Routes like the service (reference §1.2): `POST /<Operation>` with a JSON body for everything but the
 * tag operations under `/tags/{resourceArn}`. Returns undefined when nothing matches.
 */
export function resolveRoute(method: string, pathname: string, query: URLSearchParams): Route | undefined {
  if (pathname.startsWith(TAGS_PREFIX) && pathname.length > TAGS_PREFIX.length) {
    return tagRoute(method, pathname.slice(TAGS_PREFIX.length), query);
  }
  const name = pathname.slice(1);
  if (method !== 'POST' || !isOperationName(name) || ['TagResource', 'UntagResource', 'ListTagsForResource'].includes(name)) {
    return undefined;
  }
  return { operation: name, buildInput: (body) => body ?? {} };
}
