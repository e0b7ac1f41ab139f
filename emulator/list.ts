// Stripe list envelopes: newest first, `limit` 1–100 (default 10), `starting_after` / `ending_before`
// cursors, `has_more`, `url`, and the `created` filter every list accepts.
import type Stripe from 'stripe';
import { invalidRequest } from './errors';

export interface ListEnvelope<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

interface Listed {
  id: string;
  created?: number;
}

/** What the list endpoints accept (stripe 23.1.0 `PaginationParams` and the `created` filter of their `*ListParams`). */
interface ListParams extends Stripe.PaginationParams {
  created?: Stripe.RangeQueryParam | number;
}

export function paginate<T extends Listed>(newestFirst: T[], params: ListParams, url: string): ListEnvelope<T> {
  const limit = params.limit ?? 10;
  if (limit < 1 || limit > 100) {
    throw invalidRequest(`Invalid limit: ${limit}; must be between 1 and 100.`, { param: 'limit' });
  }
  const items = newestFirst.filter((item) => matchesCreated(item.created, params.created));
  const { starting_after: startingAfter, ending_before: endingBefore } = params;
  if (startingAfter && endingBefore) {
    throw invalidRequest('You may only specify one of these parameters: starting_after, ending_before.', {
      code: 'parameters_exclusive',
      param: 'starting_after',
    });
  }
  if (endingBefore) {
    const end = cursorIndex(items, endingBefore, 'ending_before');
    const start = Math.max(0, end - limit);
    return { object: 'list', data: items.slice(start, end), has_more: start > 0, url };
  }
  const start = startingAfter ? cursorIndex(items, startingAfter, 'starting_after') + 1 : 0;
  return { object: 'list', data: items.slice(start, start + limit), has_more: start + limit < items.length, url };
}

function cursorIndex(items: Listed[], id: string, param: string): number {
  const index = items.findIndex((item) => item.id === id);
  if (index < 0) throw invalidRequest(`No such object: '${id}'`, { code: 'resource_missing', param }, 400);
  return index;
}

function matchesCreated(created: number | undefined, filter: ListParams['created']): boolean {
  if (filter === undefined || created === undefined) return true;
  if (typeof filter === 'number') return created === filter;
  return (
    (filter.gt === undefined || created > filter.gt) &&
    (filter.gte === undefined || created >= filter.gte) &&
    (filter.lt === undefined || created < filter.lt) &&
    (filter.lte === undefined || created <= filter.lte)
  );
}

/**
 * Keeps the items whose fields equal every given filter value (filters that were not sent are ignored).
 * `filters` is keyed by the list's own parameters, so a filter names a parameter the endpoint has.
 */
export function filterBy<T, P extends object>(items: T[], params: P, filters: { [K in keyof P]?: (item: T) => unknown }): T[] {
  const checks: Array<(item: T) => boolean> = [];
  for (const param in filters) {
    const wanted = params[param];
    const read = filters[param];
    if (wanted !== undefined && read) checks.push((item) => read(item) === wanted);
  }
  return items.filter((item) => checks.every((check) => check(item)));
}
