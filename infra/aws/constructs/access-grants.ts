import type * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import type { Access } from '../../catalog/types.js';
import { acknowledge, findingReference } from '../nag-findings.js';
import type { PlatformResources, TableAccess } from './platform-function.js';

/**
 * Turns a catalog access list into grants, and nothing more: a function without `keys:read` cannot see
 * the key table, one without `kms:decrypt` cannot unwrap a data key.
 */
export function grantAccess(
  owner: IConstruct,
  grantee: iam.IGrantable,
  access: readonly Access[],
  { mainTable, keyTable, envelopeKey, bus }: PlatformResources,
): void {
  const grants: Record<Access, () => void> = {
    'table:read': () => grantTable(owner, mainTable, (table) => table.grantReadData(grantee)),
    // Transactions guard writes with ConditionCheck items, which grantWriteData does not cover.
    'table:write': () =>
      grantTable(owner, mainTable, (table) => {
        table.grantWriteData(grantee);
        table.grant(grantee, 'dynamodb:ConditionCheckItem');
      }),
    'keys:read': () => grantTable(owner, keyTable, (table) => table.grantReadData(grantee)),
    'keys:write': () =>
      grantTable(owner, keyTable, (table) => {
        table.grantWriteData(grantee);
        table.grant(grantee, 'dynamodb:ConditionCheckItem');
      }),
    'kms:generate': () => envelopeKey.grant(grantee, 'kms:GenerateDataKey'),
    'kms:decrypt': () => envelopeKey.grant(grantee, 'kms:Decrypt'),
    'events:put': () => bus.grantPutEventsTo(grantee),
  };
  for (const entry of new Set(access)) grants[entry]();
}

function grantTable(owner: IConstruct, { table, design }: TableAccess, grant: (table: TableAccess['table']) => void): void {
  grant(table);
  // Table grants add `<table>/index/*` when the table has GSIs; that is the only wildcard they add.
  if (design.indexes.length > 0) {
    acknowledge(
      owner,
      `AwsSolutions-IAM5[Resource::${findingReference(owner, table.tableArn)}/index/*]`,
      `Access to the GSIs of this one table (${design.indexes.map((index) => index.name).join(', ')}); the wildcard covers only its own indexes.`,
    );
  }
}
