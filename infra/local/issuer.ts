import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK, type JSONWebKeySet } from 'jose';

/**
 * The local stand-in for the identity provider. API Gateway's JWT authorizer trusts an issuer and an
 * audience from CDK context; locally they are these constants and the signing key lives in a file,
 * so `npm run token` (a separate process) signs tokens the running gateway accepts.
 */
export const LOCAL_ISSUER = 'https://issuer.mydata.local/';
export const LOCAL_AUDIENCE = 'mydata-api';
export const SIGNING_ALGORITHM = 'ES256';
export const DEFAULT_ISSUER_KEY_FILE = '.local/issuer-key.json';

interface StoredKey {
  readonly kid: string;
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
}

export interface LocalIssuer {
  readonly jwks: JSONWebKeySet;
  sign(claims: Record<string, unknown>, expiresIn?: string | number): Promise<string>;
}

export async function loadIssuer(keyFile: string = process.env.MYDATA_ISSUER_KEY_FILE ?? DEFAULT_ISSUER_KEY_FILE): Promise<LocalIssuer> {
  const stored = existsSync(keyFile) ? (JSON.parse(readFileSync(keyFile, 'utf8')) as StoredKey) : await createKey(keyFile);
  const privateKey = await importJWK(stored.privateJwk, SIGNING_ALGORITHM);
  return {
    jwks: { keys: [{ ...stored.publicJwk, kid: stored.kid, alg: SIGNING_ALGORITHM, use: 'sig' }] },
    /** Claims given win over the defaults (a test may forge another issuer or audience). */
    async sign(claims, expiresIn = '1h') {
      return new SignJWT({ iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, ...claims })
        .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: stored.kid, typ: 'JWT' })
        .setIssuedAt()
        .setJti(randomUUID())
        .setExpirationTime(expiresIn)
        .sign(privateKey);
    },
  };
}

async function createKey(keyFile: string): Promise<StoredKey> {
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
  const stored: StoredKey = { kid: randomUUID(), privateJwk: await exportJWK(privateKey), publicJwk: await exportJWK(publicKey) };
  mkdirSync(dirname(keyFile), { recursive: true });
  writeFileSync(keyFile, JSON.stringify(stored), { mode: 0o600 });
  chmodSync(keyFile, 0o600);
  return stored;
}
