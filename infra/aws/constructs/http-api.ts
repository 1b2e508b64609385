import { Duration } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface JwtSettings {
  readonly issuer: string;
  readonly audience: string;
}

/**
 * Stage-wide throttling: a default that keeps one noisy partner from exhausting the account's
 * Lambda concurrency; raise per deployment when real traffic is known.
 */
const THROTTLE = { rateLimit: 100, burstLimit: 200 };

/**
 * The one HTTP API with its `$default` stage (access logs, throttling) and JWT authorizer. The routes
 * live with their functions in the context stacks (see ApiRoutes).
 */
export class PlatformHttpApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly authorizer: apigw.HttpAuthorizer;

  constructor(scope: Construct, id: string, props: { readonly jwt: JwtSettings; readonly corsOrigins?: readonly string[] }) {
    super(scope, id);
    this.api = new apigw.HttpApi(this, 'Api', {
      description: 'mydata: consent, partner management and profile data',
      createDefaultStage: false,
      // The guest portal calls the API from its own origin (decision 0500); API Gateway answers the preflight.
      corsPreflight: props.corsOrigins?.length ? {
        allowOrigins: [...props.corsOrigins],
        allowMethods: [apigw.CorsHttpMethod.GET, apigw.CorsHttpMethod.PUT, apigw.CorsHttpMethod.POST, apigw.CorsHttpMethod.DELETE],
        allowHeaders: ['authorization', 'content-type', 'if-match'],
        exposeHeaders: ['etag', 'link', 'x-traceid'],
        maxAge: Duration.hours(1),
      } : undefined,
    });
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: THROTTLE,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(
          new logs.LogGroup(this, 'AccessLogs', { retention: logs.RetentionDays.THREE_MONTHS }),
        ),
        format: ACCESS_LOG_FORMAT,
      },
    });
    // Created here, once, rather than by the first route that binds it: routes sit in several stacks.
    this.authorizer = new apigw.HttpAuthorizer(this, 'JwtAuthorizer', {
      httpApi: this.api,
      authorizerName: 'jwt',
      type: apigw.HttpAuthorizerType.JWT,
      identitySource: ['$request.header.Authorization'],
      jwtIssuer: props.jwt.issuer,
      jwtAudience: [props.jwt.audience],
    });
  }
}

/** JSON lines with what an on-call engineer needs; no claims beyond tenant and client, no bodies. */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    time: '$context.requestTime',
    routeKey: '$context.routeKey',
    status: '$context.status',
    sourceIp: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
    tenant: '$context.authorizer.claims.tenant',
    clientId: '$context.authorizer.claims.client_id',
    responseLength: '$context.responseLength',
    latency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
  }),
);
