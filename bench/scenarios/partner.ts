import { PARTNER_SCOPES, scopeClaim } from '../../shared/platform/scopes.js';
/** Partner (issue 5): GET partner and a list, on a tree 10 levels deep holding 10,000 partners. */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { partnerIdBinding, randomPartnerId } from '../../shared/partner/ids.js';
import { partnerItem } from '../../shared/partner/model.js';
import { noRechte } from '../../shared/partner/rechte.js';
import type { BenchContext, Scenario } from '../scenario.js';
import { must, onboard } from '../support.js';

const TENANT = 'bench-partner';
const DEPTH = 10;
const PARTNERS = 10_000;
const LISTED_CHILDREN = 20;
const SCOPES = scopeClaim(PARTNER_SCOPES.anlegen, PARTNER_SCOPES.lesen, PARTNER_SCOPES.schreiben, PARTNER_SCOPES.beziehungenLesen, PARTNER_SCOPES.rechteLesen);

interface Tree {
  readonly token: string;
  /** chain[0] is the root (level 1), chain[DEPTH - 1] the deepest partner (level 10). */
  readonly chain: readonly string[];
}

let tree: Promise<Tree> | undefined;

/**
 * The chain root → level 10 is created through the API by the tenant's administrator; the other partners
 * are bulk-written with the domain's own item builders (10,000 API creates would take minutes):
 * 20 below level 9 (the listed page), the rest spread over levels 2-9.
 */
function setUp(context: BenchContext): Promise<Tree> {
  tree ??= (async () => {
    const { rootPartnerId, administratorPartnerId } = await onboard(context, TENANT);
    const token = await context.token({ principal: 'partner', tenant: TENANT, partner_id: administratorPartnerId, sub: `user-${administratorPartnerId}`, client_id: 'bench-app', scope: SCOPES });
    const chain = [rootPartnerId];
    while (chain.length < DEPTH) {
      const body = { typ: 'ORGANISATION', name: `Level ${chain.length + 1}` };
      const created = await must(context, { method: 'POST', path: `/v2/partner/${chain.at(-1)}/untergeordnete`, token, body }, [201]);
      chain.push(created.body.partnerId as string);
    }
    const fillers = PARTNERS - DEPTH - 1;
    const parents = Array.from({ length: fillers }, (_, i) => (i < LISTED_CHILDREN ? DEPTH - 2 : i % (DEPTH - 2)));
    await bulkPartners(context, chain, parents, new Set([...chain, administratorPartnerId]));
    return { token, chain };
  })();
  return tree;
}

/** One PERSON below `chain[parentLevel]` per entry, with its platform-wide id claim; 25 items per batch. */
async function bulkPartners(context: BenchContext, chain: readonly string[], parentLevels: readonly number[], taken: Set<string>): Promise<void> {
  const now = new Date().toISOString();
  const items: Record<string, unknown>[] = [];
  for (const [n, level] of parentLevels.entries()) {
    let partnerId = randomPartnerId();
    while (taken.has(partnerId)) partnerId = randomPartnerId();
    taken.add(partnerId);
    const record = {
      tenant: TENANT, partnerId, typ: 'PERSON' as const, parentId: chain[level], path: chain.slice(0, level + 1), locked: false,
      rechte: noRechte(), attributes: { vorname: `Filler${n}`, nachname: 'Bench' }, kennzeichen: {}, lizenzen: {}, version: 1, createdAt: now, updatedAt: now,
    };
    items.push(partnerItem(record), partnerIdBinding(TENANT, partnerId, now).Put.Item);
  }
  const batches = Array.from({ length: Math.ceil(items.length / 25) }, (_, i) => items.slice(i * 25, i * 25 + 25));
  const writeBatch = async (batch: Record<string, unknown>[]) => {
    let requests = { [context.tableNames.data]: batch.map((Item) => ({ PutRequest: { Item } })) };
    while (requests[context.tableNames.data]?.length) {
      const out = await context.dynamo.send(new BatchWriteCommand({ RequestItems: requests }));
      requests = (out.UnprocessedItems ?? {}) as typeof requests;
    }
  };
  for (let i = 0; i < batches.length; i += 4) await Promise.all(batches.slice(i, i + 4).map(writeBatch));
}

export const scenarios: Scenario[] = [
  {
    name: `GET /v2/partner/{id}, level ${DEPTH} of ${PARTNERS} partners`,
    needs: ['GET /v2/partner/{partnerId}', 'POST /v2/partner/{partnerId}/untergeordnete'],
    maxCalls: { DynamoDB: 2, KMS: 0 },
    async prepare(context) {
      const { token, chain } = await setUp(context);
      return { request: () => ({ method: 'GET', path: `/v2/partner/${chain[DEPTH - 1]}`, token }), expectStatus: [200] };
    },
  },
  {
    name: `GET /v2/partner/{id}/untergeordnete, ${LISTED_CHILDREN + 1} children at level ${DEPTH}`,
    needs: ['GET /v2/partner/{partnerId}/untergeordnete', 'POST /v2/partner/{partnerId}/untergeordnete'],
    maxCalls: { 'DynamoDB.Query': 1, KMS: 0 },
    async prepare(context) {
      const { token, chain } = await setUp(context);
      return { request: () => ({ method: 'GET', path: `/v2/partner/${chain[DEPTH - 2]}/untergeordnete`, token }), expectStatus: [200] };
    },
  },
];
