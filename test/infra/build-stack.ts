import { App, type CfnElement, type NestedStack, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { MydataStack } from '../../infra/aws/mydata-stack.js';
import type { Catalog } from '../../infra/catalog/types.js';

export const jwt = { issuer: 'https://issuer.test/', audience: 'mydata-test' };

/** The stack as `cdk synth` builds it, without running esbuild (bundling is skipped for every stack). */
export function buildStack(catalog: Catalog): { app: App; stack: MydataStack } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new MydataStack(app, 'MydataTest', { catalog, jwt, env: { account: '111111111111', region: 'eu-central-1' } });
  return { app, stack };
}

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are arbitrary JSON
export type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string[]; DeletionPolicy?: string };
export type Resources = Record<string, Resource>;

/**
 * All resources of the platform stack and its context stacks in one map. References to nested-stack
 * parameters are replaced by the values the parent passes, so a function's `TABLE_NAME` reads
 * `{ Ref: <main table> }` wherever the function lives. Logical ids stay unique across the templates.
 */
export function allResources(stack: MydataStack): { parent: Template; resources: Resources } {
  const parent = Template.fromStack(stack);
  const resources: Resources = { ...(parent.toJSON().Resources as Resources) };
  for (const nested of stack.contexts.values()) {
    const parameters = resources[logicalIdOf(nested.nestedStackResource!)].Properties.Parameters as Record<string, unknown>;
    const substitute = (node: unknown): unknown => {
      if (Array.isArray(node)) return node.map(substitute);
      if (node && typeof node === 'object') {
        const ref = (node as { Ref?: unknown }).Ref;
        if (typeof ref === 'string' && ref in parameters && Object.keys(node).length === 1) return parameters[ref];
        return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, substitute(value)]));
      }
      return node;
    };
    for (const [id, resource] of Object.entries(Template.fromStack(nested as NestedStack).toJSON().Resources as Resources)) {
      if (id in resources) throw new Error(`Logical id ${id} appears in two templates`);
      resources[id] = substitute(resource) as Resource;
    }
  }
  return { parent, resources };
}

/** A construct's logical id in its own template. */
export function logicalIdOf(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  const stack = Stack.of(element);
  return stack.resolve(stack.getLogicalId(element)) as string;
}
