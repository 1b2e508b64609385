import { mkdirSync } from 'node:fs';
import { Aws, DockerImage, Duration, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { writePortal } from '../../../portal/build.js';
import { acknowledge, findingReference } from '../nag-findings.js';
import { fromRepoRoot } from '../repo-paths.js';

export interface PortalSettings {
  /** The tenant's OpenID Connect provider (its issuer URL; discovery at `/.well-known/openid-configuration`). */
  readonly authority: string;
  /** The portal's client at that provider (public client, code + PKCE). */
  readonly clientId: string;
  /** Origins the page may call besides the API and the authority (e.g. a provider's separate token host). */
  readonly extraConnectOrigins?: readonly string[];
}

/**
 * From CDK context: `mydata:portalAuthority` (default: the JWT issuer the API trusts), `mydata:portalClientId`
 * (default `mydata-portal`), `mydata:portalConnectOrigins` (comma-separated, optional).
 */
export function portalSettingsFrom(scope: Construct, jwtIssuer: string): PortalSettings {
  const context = (key: string): string | undefined => {
    const value: unknown = scope.node.tryGetContext(key);
    return typeof value === 'string' && value.length > 0 ? value : undefined;
  };
  return {
    authority: context('mydata:portalAuthority') ?? jwtIssuer,
    clientId: context('mydata:portalClientId') ?? 'mydata-portal',
    extraConnectOrigins: context('mydata:portalConnectOrigins')?.split(',').map((origin) => origin.trim()).filter(Boolean),
  };
}

/** What the portal asks the provider for: the scopes of a guest on the platform's own pages (decision 0501). */
export const PORTAL_SCOPE = 'openid profile_data_read profile_data_write profile_data_share profile_consent_view profile_consent_manage';

/**
 * The guest portal in AWS (decision 0500): the built page in a private S3 bucket, served by CloudFront
 * through origin access control, with a Content-Security-Policy header that allows only the page itself,
 * the HTTP API and the sign-in provider. `config.json` is written at deploy time with the API's URL.
 * The distribution is made first so the HTTP API can allow its origin (CORS); the page's CSP names the
 * region's execute-api domain rather than the API itself, which would close a reference cycle.
 */
export class GuestPortal extends Construct {
  readonly distribution: cloudfront.Distribution;
  readonly origin: string;
  /** A name both nested stacks can spell from pseudo parameters: the upload names the bucket without a cross-stack reference. */
  private readonly bucketName: string;

  constructor(scope: Construct, id: string, private readonly settings: PortalSettings) {
    super(scope, id);
    this.bucketName = `${rootStack(this).stackName.toLowerCase()}-portal-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
    const bucket = new s3.Bucket(this, 'Files', {
      bucketName: this.bucketName,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    });
    acknowledge(bucket, 'AwsSolutions-S1', 'The bucket holds only the built public page (script, style, config); nothing personal is ever stored or read here, and CloudFront is the only reader.');
    const region = Stack.of(this).region;
    const connect = ["'self'", `https://*.execute-api.${region}.amazonaws.com`, new URL(settings.authority).origin, ...(settings.extraConnectOrigins ?? [])];
    const headers = new cloudfront.ResponseHeadersPolicy(this, 'Headers', {
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src ${connect.join(' ')}; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
      },
    });
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'mydata guest portal',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
      },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
    });
    this.origin = `https://${this.distribution.distributionDomainName}`;
    acknowledge(this.distribution, 'AwsSolutions-CFR1', 'The portal is for guests wherever they are; the tenant decides who may sign in, not the country.');
    acknowledge(this.distribution, 'AwsSolutions-CFR2', 'Static files only; every data access goes to the HTTP API, which has its own throttling and JWT authorizer.');
    acknowledge(this.distribution, 'AwsSolutions-CFR3', 'Static files only: the HTTP API logs every data access with tenant and client; request logs of the page would add the guests\' addresses without telling anything about their data.');
    acknowledge(this.distribution, 'AwsSolutions-CFR4', 'The default CloudFront certificate (*.cloudfront.net) cannot pin TLS 1.2; a deployment with its own domain and certificate sets minimumProtocolVersion to TLS 1.2 (docs/portal.md).');
  }

  /**
   * Uploads the page (built by esbuild at synth, locally, no Docker) and its `config.json` with the API's URL,
   * from `scope` (a stack of its own: the API refers to the distribution for CORS, the upload to the API).
   */
  deploy(scope: Construct, apiUrl: string): void {
    const files = deploy.Source.asset(fromRepoRoot('portal'), {
      bundling: {
        image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22-alpine'),
        local: {
          tryBundle(outputDir) {
            mkdirSync(outputDir, { recursive: true });
            writePortal(outputDir);
            return true;
          },
        },
      },
    });
    const config = deploy.Source.jsonData('config.json', { authority: this.settings.authority, clientId: this.settings.clientId, scope: PORTAL_SCOPE, apiUrl: apiUrl.replace(/\/$/, '') });
    new deploy.BucketDeployment(scope, 'Upload', {
      destinationBucket: s3.Bucket.fromBucketName(scope, 'Files', this.bucketName),
      sources: [files, config],
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 256,
    });
    this.acknowledgeUploadHandler(Stack.of(scope));
  }

  /**
   * CDK's BucketDeployment handler is one singleton function at the stack's root; its findings are CDK's
   * choices, acknowledged here one by one (cdk-nag 3 matches exact findings).
   */
  private acknowledgeUploadHandler(stack: Stack): void {
    const handler = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'))!;
    // The bootstrap asset bucket's name as the synthesizer resolved it (typed private; the grant names the same string).
    const assets = (rootStack(stack).synthesizer as unknown as { bucketName: string }).bucketName;
    const why = 'CDK\'s BucketDeployment handler copies the built page from the asset bucket into the portal bucket and invalidates CloudFront during deployments;';
    acknowledge(handler, 'AwsSolutions-L1', `${why} its runtime is chosen by aws-cdk-lib and moves with it.`);
    acknowledge(handler, `AwsSolutions-IAM4[Policy::${findingReference(handler, `arn:${Aws.PARTITION}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole`)}]`, `${why} the basic execution role only writes its logs.`);
    for (const action of ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*']) {
      acknowledge(handler, `AwsSolutions-IAM5[Action::${action}]`, `${why} CDK grants read and write action groups on exactly the two buckets.`);
    }
    acknowledge(handler, `AwsSolutions-IAM5[Resource::${findingReference(handler, `arn:${Aws.PARTITION}:s3:::${assets}/*`)}]`, `${why} it reads the page's asset object from the bootstrap asset bucket.`);
    acknowledge(handler, `AwsSolutions-IAM5[Resource::${findingReference(handler, `arn:${Aws.PARTITION}:s3:::${this.bucketName}`)}/*]`, `${why} it replaces every object of the portal bucket (the page is one unit).`);
    acknowledge(handler, 'AwsSolutions-IAM5[Resource::*]', `${why} cloudfront:CreateInvalidation and GetInvalidation support no resource scoping in CDK's grant.`);
  }
}

/** The top-level stack (nested stacks have no asset synthesizer of their own and take their name from it). */
function rootStack(scope: Construct): Stack {
  let stack = Stack.of(scope);
  while (stack.nestedStackParent) stack = stack.nestedStackParent;
  return stack;
}
