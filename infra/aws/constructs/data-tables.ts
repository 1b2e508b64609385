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
export class DataTables extends Construct {
  readonly main: dynamodb.Table;
  readonly keys: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.main = buildTable(this, mainTable);
    this.keys = buildTable(this, keyTable);
  }
}

function buildTable(scope: Construct, design: TableDesign): dynamodb.Table {
  const string = dynamodb.AttributeType.STRING;
  const table = new dynamodb.Table(scope, design.logicalId, {
    partitionKey: { name: design.partitionKey, type: string },
    sortKey: { name: design.sortKey, type: string },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
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
