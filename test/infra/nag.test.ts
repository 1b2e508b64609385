import { Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { catalog } from '../../infra/catalog/index.js';
import { buildStack } from './build-stack.js';

/** Findings of the AWS Solutions pack that are not acknowledged, as `rule at construct path` lines. */
function unacknowledgedFindings(app: IConstruct): string[] {
  const report = new AwsSolutionsChecks().validateScope(app);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `${violation.severity} ${violation.ruleName} at ${resource.constructPath}`),
  );
}

/** Every acknowledgement in the tree: where, which rule, and the reason written for it. */
function acknowledgements(app: IConstruct): Array<{ path: string; rule: string; reason: unknown }> {
  return app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, unknown>).map(([rule, reason]) => ({ path: construct.node.path, rule, reason })),
      ),
  );
}

/** Synthesizing under jest's ESM loader takes tens of seconds on a busy machine. */
const SYNTH_TIMEOUT = 180_000;

describe('cdk-nag AwsSolutions checks', () => {
  let platformApp: IConstruct;

  beforeAll(() => {
    const { app, stack } = buildStack(catalog);
    Template.fromStack(stack); // synthesize first: lazy values (policies, GSIs) exist only then
    platformApp = app;
  }, SYNTH_TIMEOUT);

  it('report no unacknowledged error or warning for the platform stack', () => {
    expect(unacknowledgedFindings(platformApp)).toEqual([]);
  });

  it('let the app synthesize with the pack registered as a validation plugin (as cdk synth runs it)', () => {
    const { app } = buildStack(catalog);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  }, SYNTH_TIMEOUT);

  it('still catch a violation in this harness (an unencrypted queue without TLS enforcement)', () => {
    const { app, stack } = buildStack(catalog);
    new sqs.Queue(stack, 'CarelessQueue', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    Template.fromStack(stack);
    expect(unacknowledgedFindings(app)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/AwsSolutions-SQS3 at MydataTest\/CarelessQueue/),
        expect.stringMatching(/AwsSolutions-SQS4 at MydataTest\/CarelessQueue/),
      ]),
    );
  }, SYNTH_TIMEOUT);

  it('carry a written reason with every acknowledgement, each naming one exact finding', () => {
    const acknowledged = acknowledgements(platformApp);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const { path, rule, reason } of acknowledged) {
      expect({ path, rule, reason: typeof reason === 'string' && reason.trim().length >= 20 }).toEqual({ path, rule, reason: true });
      // No blanket IAM5: wildcard findings are acknowledged one resource at a time.
      expect(rule).not.toMatch(/AwsSolutions-IAM5$/);
    }
  });
});
