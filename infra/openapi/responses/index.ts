import type { ResponsesByRoute } from '../types.js';
import { adminResponses } from './admin.js';
import { consentResponses } from './consent.js';
import { crmResponses } from './crm.js';
import { notificationResponses } from './notifications.js';
import { partnerResponses } from './partner.js';
import { profileResponses } from './profile.js';

/** Every route's answers, by catalog route id (one module per context; the generator refuses a route without). */
export const responsesByRoute: ResponsesByRoute = { ...adminResponses, ...consentResponses, ...partnerResponses, ...profileResponses, ...notificationResponses, ...crmResponses };
