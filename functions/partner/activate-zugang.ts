import { activateZugang } from '../../shared/partner/zugang-service.js';
import { partnerHandler } from './http.js';
import { activationBody, partnerParams } from './schemas.js';

/**
 * POST /v2/partner/{partnerId}/zugang/aktivierung (beside the spec) body `{"activationToken": "…"}` —
 * the activation step of use case 1: the token of the activation mail (`ZugangActivationRequested`)
 * makes `ZUGANG_UNBESTAETIGT` `ZUGANG_REGISTRIERT`. Like PATCH zugang no scope is asked (the person at
 * its first login); the token is the proof, and the caller must see the partner (itself or a manager).
 */
export const handler = partnerHandler({ params: partnerParams, body: activationBody }, async (req, caller) => {
  return { statusCode: 200, body: await activateZugang(caller, req.params.partnerId, req.body.activationToken) };
});
