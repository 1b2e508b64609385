/** Resource names of the local runtime (the CDK stack generates its own in AWS). */
export const LOCAL_NAMES = {
  tableName: 'mydata-data',
  keyTableName: 'mydata-keys',
  eventBusName: 'mydata',
  kmsAlias: 'alias/mydata',
  region: 'eu-central-1',
} as const;
