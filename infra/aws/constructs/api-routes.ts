import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Construct } from 'constructs';
import type { RouteDefinition } from '../../catalog/types.js';
import { planRoutes } from '../route-plan.js';
import { type FunctionsByHandler, functionFor } from './platform-function.js';

export interface ApiRoutesProps {
  readonly api: apigw.IHttpApi;
  readonly authorizer: apigw.IHttpRouteAuthorizer;
  readonly routes: readonly RouteDefinition[];
  /** The function serving each handler file (routes may share one). */
  readonly functions: FunctionsByHandler;
}

/** Catalog routes on the HTTP API, each behind the JWT authorizer with the route's scopes. */
export class ApiRoutes extends Construct {
  constructor(scope: Construct, id: string, props: ApiRoutesProps) {
    super(scope, id);
    // One integration per function, reused by every route of that handler (one invoke permission each).
    const integrations = new Map<string, HttpLambdaIntegration>();
    for (const route of planRoutes(props.routes)) {
      let integration = integrations.get(route.handler);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${route.id}Integration`, functionFor(props.functions, route.handler).function);
        integrations.set(route.handler, integration);
      }
      new apigw.HttpRoute(this, route.id, {
        httpApi: props.api,
        routeKey: apigw.HttpRouteKey.with(route.path, apigw.HttpMethod[route.method]),
        integration,
        authorizer: props.authorizer,
        // API Gateway semantics: the token needs at least one of them. None: any valid token.
        authorizationScopes: route.scopes.length > 0 ? [...route.scopes] : undefined,
      });
    }
  }
}
