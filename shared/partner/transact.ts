import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';

/** One item of a lib-dynamodb `TransactWriteCommand` (`{ Put }`, `{ Update }`, `{ ConditionCheck }`, `{ Delete }`). */
export type TransactWriteItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
