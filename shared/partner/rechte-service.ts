import { ANY_VERSION, type ExpectedVersion } from '../platform/versions.js';
import { loadAccess } from './access.js';
import type { CallerRef } from './caller.js';
import { patchPartner } from './partner-service.js';
import type { Rechte, RechteChange } from './rechte.js';

/** Rechte of a partner the caller may see. */
export async function getRechte(caller: CallerRef, partnerId: string): Promise<Rechte> {
  const view = await loadAccess({ tenant: caller.tenant, callerId: caller.partnerId, targetIds: [partnerId] });
  return view.visible(partnerId).record.rechte;
}

/** Sets only the named rights (PATCH per the spec, POST as in the guide); only rights the caller holds. */
export async function setRechte(caller: CallerRef, partnerId: string, change: RechteChange, expected: ExpectedVersion = ANY_VERSION): Promise<Rechte> {
  const view = await patchPartner(caller, partnerId, { rechte: change }, expected);
  return view.record.rechte;
}
