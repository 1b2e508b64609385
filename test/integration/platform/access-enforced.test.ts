/**
 * In the suite's platform every function runs held to its catalog access list (decision 0050): the
 * platform's access probe is invoked as each function the stack would build (one per handler file with
 * the union of its definitions' lists, one per schedule) and tries one call per access through the
 * shared clients. Exactly the listed accesses pass; every other one is refused.
 */
import { planFunctions } from '../../../infra/aws/function-plan.js';
import { catalog } from '../../../infra/catalog/index.js';
import { platformSchedules } from '../../../infra/catalog/platform.js';
import type { Access } from '../../../infra/catalog/types.js';
import { GRANTS } from '../../../infra/local/access.js';

interface Probed {
  name: string;
  handler: string;
  access: Access[];
  allowed: Access[];
  refused: Access[];
}

const everyAccess = (Object.keys(GRANTS) as Access[]).sort();
const expected = [
  ...planFunctions(catalog).map((plan) => ({ name: plan.constructId, handler: plan.handler, access: [...plan.access].sort() })),
  ...platformSchedules.map((schedule) => ({ name: `Platform${schedule.id}`, handler: schedule.handler, access: [...schedule.access].sort() })),
];

let probed: Probed[];

beforeAll(async () => {
  const response = await fetch(`${process.env.MYDATA_CONTROL_URL}/access/probe`, { method: 'POST' });
  expect(response.status).toBe(200);
  probed = ((await response.json()) as { functions: Probed[] }).functions;
});

describe('the access lists in the suite platform', () => {
  it('cover every function of the catalog and the schedules, each with the list the stack grants it', () => {
    const byName = (list: Array<{ name: string }>) => [...list].sort((a, b) => a.name.localeCompare(b.name));
    expect(byName(probed.map(({ name, handler, access }) => ({ name, handler, access: [...access].sort() })))).toEqual(byName(expected));
    expect(probed.length).toBeGreaterThan(40);
  });

  it.each(expected.map((fn) => [fn.name, fn] as const))('hold %s to its list: what it lists passes, the rest is refused', (name, fn) => {
    const result = probed.find((p) => p.name === name)!;
    expect({ allowed: [...result.allowed].sort(), refused: [...result.refused].sort() }).toEqual({
      allowed: fn.access,
      refused: everyAccess.filter((access) => !fn.access.includes(access)),
    });
  });
});
