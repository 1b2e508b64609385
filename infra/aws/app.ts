import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { catalog } from '../catalog/index.js';
import { tracingModeOf } from './bundling.js';
import { MydataStack } from './mydata-stack.js';

/** `cdk synth` / `cdk deploy` entry (cdk.json). cdk-nag runs on every synth, so a finding fails the build. */
const app = new App();

function requiredContext(key: string): string {
  const value: unknown = app.node.tryGetContext(key);
  if (typeof value !== 'string' || value.length === 0) throw new Error(`Set the CDK context ${key} (cdk.json or -c)`);
  return value;
}

new MydataStack(app, 'Mydata', {
  description: 'mydata: consent, partner management and profile data (serverless)',
  catalog,
  jwt: { issuer: requiredContext('mydata:jwtIssuer'), audience: requiredContext('mydata:jwtAudience') },
  alarmEmail: app.node.tryGetContext('mydata:alarmEmail') as string | undefined,
  // `-c mydata:tracing=on` bundles the X-Ray SDK (Powertools Tracer) into every function (decision 0120).
  tracing: tracingModeOf(app.node.tryGetContext('mydata:tracing')),
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

