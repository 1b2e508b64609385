import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * The KMS key that generates and unwraps the per-(reference, schema) data keys (envelope encryption).
 * Retained on stack deletion: destroying it would crypto-shred every tenant's data at once.
 */
export class EnvelopeKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      alias: 'alias/mydata',
      description: 'mydata envelope encryption: generates and decrypts per-reference data keys',
      enableKeyRotation: true,
      rotationPeriod: Duration.days(365),
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
