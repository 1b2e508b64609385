/**
 * The tables, described once. The CDK stack builds them from this and the local runtime creates them
 * in DynamoDB Local from the same description.
 */
export interface IndexDesign {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
}

export interface TableDesign {
  readonly logicalId: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly indexes: readonly IndexDesign[];
  /** NEW_IMAGE stream feeding the outbox pipe; the key table has none on purpose. */
  readonly stream: boolean;
  readonly timeToLiveAttribute?: string;
}

/** The main table's two overloaded indexes; queries name them from here. */
export const GSI1: IndexDesign = { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' };
export const GSI2: IndexDesign = { name: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' };

/** Single table: consents, references, schemas, partners, shares, profile items and the outbox. */
export const mainTable: TableDesign = {
  logicalId: 'DataTable',
  partitionKey: 'PK',
  sortKey: 'SK',
  indexes: [GSI1, GSI2],
  stream: true,
  timeToLiveAttribute: 'expiresAt',
};

/** Wrapped key material, apart from the data and without a stream, so a destroyed key leaves no copy. */
export const keyTable: TableDesign = {
  logicalId: 'KeyTable',
  partitionKey: 'PK',
  sortKey: 'SK',
  indexes: [],
  stream: false,
};
