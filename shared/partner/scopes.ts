/** The partner API's scopes exactly as the spec names them; both spellings of the relation-writing one. */
export const SCOPES = {
  anlegen: 'partner:plakette:anlegen',
  lesen: 'partner:plakette:lesen',
  schreiben: 'partner:plakette:schreiben',
  beziehungenLesen: 'partner:beziehungen:lesen',
  beziehungenSchreiben: ['partner:beziehungen:schreiben', 'partner:beziehung:schreiben'],
  rechteLesen: 'partner:rechte:lesen',
  rechteSchreiben: 'partner:rechte:schreiben',
} as const;
