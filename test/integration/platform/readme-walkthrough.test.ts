import { runReadmeBlock } from '../../support/readme-block.js';

describe('the README walk-through', () => {
  it('works as written against the seeded platform', () => {
    const run = runReadmeBlock('## Walk-through', 150_000);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    const out = run.stdout;
    expect(out).toMatch(/^true$/m); // the consent history verifies
    expect(out).toContain('"favourites":["Captain Zbik #1","Kajko i Kokosz"]');
    expect(out).toContain('"name":"meineFavoriten-gh"'); // the friend's copy, named after Grace Hopper
    expect(out).toMatch(/^204$/m); // share withdrawn
    expect(out).toMatch(/"code":"\w+".* 410$/m); // revoked data stays unreadable after a new grant
    expect(out).toMatch(/"typ":"PERSON","vorname":"Hans".* 201$/m);
  }, 160_000);
});
