import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { keyTable, mainTable, type TableDesign } from '../../../shared/platform/table-design.js';

/**
 * The main table and the key table, built from the same description the local runtime uses.
 * Both use the AWS-managed table key on purpose: the customer-managed key (alias/mydata) wraps the
 * per-reference data keys, and a function that may only read rows must not gain kms:Decrypt on it
 * as a side effect of a table grant.
 */
/**
 * Point-in-time recovery, in days (DynamoDB allows 1–35). The main table holds only ciphertext, data
 * that is not personal (partners, metamodel) and the outbox: the full 35 days. The key table holds the
 * wrapped keys whose deletion *is* crypto-shredding: a restore to a moment before a revoke brings the
 * wrapped key back, and the KMS key that unwraps it is never deleted. So the key table keeps the
 * shortest window DynamoDB offers (1 day) rather than none: losing the key table without any backup
 * would make every guest's data unreadable for good (decision 0040).
 */
export const RECOVERY_PERIOD_DAYS = { main: 35, keys: 1 } as const;

export class DataTables extends Construct {
  readonly main: dynamodb.Table;
  readonly keys: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.main = buildTable(this, mainTable, RECOVERY_PERIOD_DAYS.main);
    this.keys = buildTable(this, keyTable, RECOVERY_PERIOD_DAYS.keys);
  }
}

function buildTable(scope: Construct, design: TableDesign, recoveryPeriodInDays: number): dynamodb.Table {
  const string = dynamodb.AttributeType.STRING;
  const table = new dynamodb.Table(scope, design.logicalId, {
    partitionKey: { name: design.partitionKey, type: string },
    sortKey: { name: design.sortKey, type: string },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays },
    deletionProtection: true,
    // Customer data: a stack deletion must never take the table with it.
    removalPolicy: RemovalPolicy.RETAIN,
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    stream: design.stream ? dynamodb.StreamViewType.NEW_IMAGE : undefined,
    timeToLiveAttribute: design.timeToLiveAttribute,
  });
  for (const index of design.indexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.name,
      partitionKey: { name: index.partitionKey, type: string },
      sortKey: { name: index.sortKey, type: string },
      projectionType: dynamodb.ProjectionType.ALL,
    });
  }
  return table;
}
